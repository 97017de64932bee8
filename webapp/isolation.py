"""Untrusted SPARQL runs in killable worker processes, each reading the served graph from disk.

On disk (``oxigraph:PATH``), each worker opens the version folder the server has open,
read-only. In memory (``memory``), the server first copies its graphs once into an on-disk
Oxigraph database in a temporary folder, which the workers open read-only in the same way:
whatever the graph's size, no worker holds a copy of it in memory. A remote (``sparql:``) store
needs no workers: the remote server evaluates, and its answer is awaited with an HTTP timeout.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from kg.config import Settings
from kg.executor import WorkerPool
from kg.store import GraphStore
from kg.store.oxigraph import OxigraphStore


@dataclass(frozen=True)
class ReadOnlyOpener:
    """Picklable: opens, in a worker process, the served graph's folder read-only."""

    settings: Settings
    version: str
    extra_graphs: tuple[str, ...]

    def __call__(self) -> OxigraphStore:
        return OxigraphStore.reading(self.settings, self.version, self.extra_graphs)


def _disk_copy(store: OxigraphStore) -> Path:
    """A copy of an in-memory store on disk, in a temporary folder removed when the server exits."""
    folder = Path(tempfile.mkdtemp(prefix="twitch-kg-served-"))
    atexit.register(shutil.rmtree, folder, True)
    store.copy_to(folder / "copy")
    return folder / "copy"


def create_pool(store: GraphStore, size: int, timeout: float) -> WorkerPool | None:
    """Worker processes over the served graph; None for stores that evaluate remotely."""
    if not isinstance(store, OxigraphStore) or size < 1:
        return None
    standard = set(store.vocab.graph_iris.values())
    extra_graphs = tuple(iri for iri in store.graph_iris.values() if iri not in standard)
    folder = store.version or _disk_copy(store)
    return WorkerPool(ReadOnlyOpener(store.settings, str(folder), extra_graphs), size=size, timeout=timeout)
