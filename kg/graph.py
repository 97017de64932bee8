"""The served graph: the current artefact (built if needed) loaded into the chosen store."""

from __future__ import annotations

from .build import ensure_built
from .config import Settings
from .store import GraphStore, open_store


def open_graph(settings: Settings, store_spec: str | None = None) -> GraphStore:
    """A store holding the current build; a persistent store already up to date is not reloaded."""
    artefact = ensure_built(settings)
    store = open_store(store_spec or settings.store, settings)
    if store.loaded_hash() != artefact.input_hash:
        store.load(artefact)
    return store
