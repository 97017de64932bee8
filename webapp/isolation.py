"""Untrusted SPARQL runs in killable worker processes, each over the served graph.

On disk (``oxigraph:PATH``), each worker opens the version folder the server has open, read-only:
no copy, whatever the graph's size. In memory (``memory``), the snapshot is the served store's
quads written once as N-Quads (with any extra named graphs), and each worker loads it into its
own in-memory Oxigraph store. A remote (``sparql:``) store needs no workers: the remote server
evaluates, and its answer is awaited with an HTTP timeout.
"""

from __future__ import annotations

import atexit
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.artefact import Artefact
from kg.config import Settings
from kg.executor import WorkerPool
from kg.store import GraphStore
from kg.store.oxigraph import OxigraphStore


@dataclass(frozen=True)
class SnapshotOpener:
    """Picklable: opens, in a worker process, an in-memory copy of the served store."""

    settings: Settings
    nquads: str
    input_hash: str
    extra_graphs: tuple[str, ...]

    def __call__(self) -> OxigraphStore:
        store = OxigraphStore(self.settings, None)
        store.load(Artefact(Path(self.nquads), {"input_hash": self.input_hash}))
        for iri in self.extra_graphs:
            store.add_graph(iri)
        return store


@dataclass(frozen=True)
class ReadOnlyOpener:
    """Picklable: opens, in a worker process, the served version folder read-only."""

    settings: Settings
    version: str
    extra_graphs: tuple[str, ...]

    def __call__(self) -> OxigraphStore:
        return OxigraphStore.reading(self.settings, self.version, self.extra_graphs)


def _snapshot(store: GraphStore) -> Path:
    folder = Path(tempfile.mkdtemp(prefix="twitch-kg-snapshot-"))
    atexit.register(shutil.rmtree, folder, True)
    path = folder / "served.nq"
    ox.serialize(store.quads(list(store.graph_iris)), output=str(path), format=ox.RdfFormat.N_QUADS)
    return path


def create_pool(store: GraphStore, size: int, timeout: float) -> WorkerPool | None:
    """Worker processes over a snapshot of ``store``; None for stores that evaluate remotely."""
    if not isinstance(store, OxigraphStore) or size < 1:
        return None
    standard = set(store.vocab.graph_iris.values())
    extra_graphs = tuple(iri for iri in store.graph_iris.values() if iri not in standard)
    if store.version is not None:
        opener = ReadOnlyOpener(settings=store.settings, version=str(store.version), extra_graphs=extra_graphs)
    else:
        opener = SnapshotOpener(settings=store.settings, nquads=str(_snapshot(store)),
                                input_hash=store.loaded_hash() or "snapshot", extra_graphs=extra_graphs)
    return WorkerPool(opener, size=size, timeout=timeout)
