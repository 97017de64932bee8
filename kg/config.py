"""Where the inputs and the build live, and which namespace the graph is minted in.

Every setting has a default that works from a checkout and from an installed wheel alike (the
inputs ship inside the package, :mod:`kg.resources`; builds go to the user's cache folder) and an
environment variable that overrides it, so the CLI, the server and the tests agree on one place.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

from .resources import CHECKOUT, default_build_dir, path, shipped

#: The checkout's root (tests and scripts use it; in an installed wheel it is ``site-packages``).
PROJECT_ROOT = CHECKOUT

#: The namespace the Turtle sources are written in; a configured base replaces it.
SOURCE_BASE = "https://w3id.org/twitch-kg/"


@dataclass(frozen=True)
class Documented:
    """One row of the settings table (README, ``twitch-kg serve --help``): Markdown cells."""

    name: str
    default: str
    help: str


#: The build's settings (read by :func:`load_settings` and the stores); the server's are in
#: ``webapp/settings.py``, and the README's table lists both.
BUILD_SETTINGS = (
    Documented("`TWITCH_KG_STORE`", "`memory`", "the store: `memory`, `oxigraph:PATH` or `sparql:URL` (`--store`)"),
    Documented("`TWITCH_KG_BUILD_DIR`", "the user's cache folder (`platformdirs`), `…/twitch-kg/build`",
               "where builds are written and cached (`--build-dir`)"),
    Documented("`TWITCH_KG_BASE`", f"`{SOURCE_BASE}`", "the base the graph's IRIs are minted under"),
    Documented("`TWITCH_KG_ONTOLOGY`, `TWITCH_KG_SHAPES`, `TWITCH_KG_DATA`, `TWITCH_KG_QUERIES`",
               "the files shipped in the package",
               "other inputs: the ontology, the shapes, the data folder, the saved queries' folder"),
    Documented("`TWITCH_KG_JAVA`", "`java` on `PATH`", "the Java that runs HermiT"),
    Documented("`TWITCH_KG_SPARQL_UPDATE`, `TWITCH_KG_SPARQL_GRAPH_STORE`", "none",
               "a `sparql:` store's update and Graph Store Protocol URLs, for `build` only"),
)


@dataclass(frozen=True)
class Settings:
    """One build's inputs and output, and the namespace it mints IRIs in."""

    base_iri: str
    ontology_file: Path
    shapes_file: Path
    data_dir: Path
    queries_dir: Path
    build_dir: Path
    store: str = "memory"
    extra_data: tuple[Path, ...] = ()

    @property
    def data_files(self) -> list[Path]:
        """The ABox files, in a stable order (extra files last)."""
        return sorted(self.data_dir.glob("*.ttl")) + list(self.extra_data)

    @property
    def text_files(self) -> list[Path]:
        """The texts the data's selectors select from (``article.txt``): each is served, and
        identified, as the base IRI plus its file name."""
        return sorted(self.data_dir.glob("*.txt"))

    def with_(self, **changes) -> Settings:
        return replace(self, **changes)


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value) if value else default


def load_settings() -> Settings:
    """Settings from the environment, falling back to the files shipped with the package."""
    base = os.environ.get("TWITCH_KG_BASE", SOURCE_BASE)
    if not base.endswith("/"):
        base += "/"
    return Settings(
        base_iri=base,
        ontology_file=_env_path("TWITCH_KG_ONTOLOGY", shipped("ontology") / "twitch.ttl"),
        shapes_file=_env_path("TWITCH_KG_SHAPES", shipped("ontology") / "shapes.ttl"),
        data_dir=_env_path("TWITCH_KG_DATA", path("kg", "data")),
        queries_dir=_env_path("TWITCH_KG_QUERIES", shipped("queries")),
        build_dir=_env_path("TWITCH_KG_BUILD_DIR", default_build_dir()),
        store=os.environ.get("TWITCH_KG_STORE", "memory"),
    )
