"""The served graph: the current artefact (built if needed) loaded into the chosen store.

An embedded store (``memory``, ``oxigraph:PATH``) is this process's own: it is loaded here
when it does not hold the current build. A shared store (``sparql:URL``) is read as it is:
only ``twitch-kg build --store sparql:URL`` writes it, so servers and queries need neither
the sources, nor Java, nor write access, and any number of them can read one store.
"""

from __future__ import annotations

from .artefact import Artefact
from .build import ensure_built
from .config import Settings
from .errors import KGError
from .store import GraphStore, open_store


def open_graph(settings: Settings, store_spec: str | None = None) -> GraphStore:
    """A store holding a build; an embedded store already up to date is not reloaded."""
    spec = store_spec or settings.store
    store = open_store(spec, settings)
    if store.shared:
        if store.loaded_hash() is None:
            raise KGError(
                f"the store {spec} holds no twitch-kg build for {settings.base_iri}; "
                f"load one with: twitch-kg --store {spec} build"
            )
        return store
    load_build(store, ensure_built(settings))
    return store


def load_build(store: GraphStore, artefact: Artefact, force: bool = False) -> bool:
    """Load ``artefact`` into ``store`` unless it holds that build already; True if it loaded."""
    if force or store.loaded_hash() != artefact.input_hash:
        store.load(artefact)
        return True
    return False
