"""The files twitch-kg ships: found through :mod:`importlib.resources`, never next to ``__file__``.

In a wheel (``pip install``, ``pipx install``) the repository's top-level ``ontology/`` and
``queries/`` are installed as ``kg/ontology/`` and ``kg/queries/`` (``setup.py`` maps them: one
copy in the repository, none that can drift). In a checkout (``pip install -e``) they are not inside
``kg/``, so the checkout's own folders are used. Everything else (``kg/data``, ``kg/sparql``, the
checker's wording, the web app's queries, templates and static files) is inside its package in both.

Nothing here writes: an installed package may be read-only. Builds go to the user's cache folder
(:func:`default_build_dir`).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import platformdirs

from .errors import KGError

#: The checkout's root, for an editable install only (in a wheel it is ``site-packages``).
CHECKOUT = Path(__file__).resolve().parent.parent


def path(package: str, *parts: str) -> Path:
    """The file or folder ``parts`` of the installed ``package``, as a path on disk."""
    resource = files(package).joinpath(*parts)
    if not isinstance(resource, Path):  # a zip import: our readers (and Java) need real files
        raise KGError(f"twitch-kg must be installed as files, not imported from an archive ({resource})")
    return resource


def shipped(folder: str) -> Path:
    """``kg/FOLDER`` of an installed package (``ontology``, ``queries``), else the checkout's ``FOLDER``."""
    inside = path("kg", folder)
    return inside if inside.is_dir() else CHECKOUT / folder


def default_build_dir() -> Path:
    """Where builds go unless ``--build-dir``/``TWITCH_KG_BUILD_DIR`` says otherwise: the user's cache
    folder (``~/.cache/twitch-kg/build`` on Linux, ``$XDG_CACHE_HOME/twitch-kg/build`` if set), for every
    kind of install, so that nothing is ever written inside the package."""
    return Path(platformdirs.user_cache_dir("twitch-kg", appauthor=False)) / "build"
