"""The embedded store: pyoxigraph, in memory (``memory``) or on disk (``oxigraph:PATH``).

On disk, PATH is a folder of versions: each load writes a new Oxigraph database in its own
sub-folder, then names it in ``PATH/CURRENT`` (replaced atomically) and switches to it, so
a reader sees the old build or the new one, never a mix, and another process can load a
new build while a server still reads the previous one (it switches at its next start).

Blank node labels are kept as the artefact writes them (canonical), so a store loaded from
one artefact always holds the same quads, and lists them in the same order: sorted by their
N-Triples text (subjects in IRI order, easy to read and diff) up to ``SORT_LIMIT`` quads;
beyond, in the store's own index order, which is as deterministic and needs no sort in
Python (at a million triples, sorting would make an export about five times slower).
"""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox

from ..artefact import Artefact, atomic_write
from ..config import Settings
from ..namespaces import ALL_GRAPH_NAMES, GRAPH_NAMES
from ..query.errors import MalformedQuery, malformed
from ..query.results import QueryResult, from_oxigraph
from .base import GraphStore
from .cache import AnswerCache

_LOADED_HASH = ox.NamedNode("urn:twitch-kg:loaded-input-hash")
CURRENT = "CURRENT"
#: The temporary folders an in-memory store is copied to for its query workers: PREFIX + owner's pid + "-…".
SERVED_COPY = "twitch-kg-served-"
SORT_LIMIT = 100_000
#: A query worker copies a graph of at most this many quads into memory (queries there took half the time
#: they took on RocksDB; the article's 6,900 quads: a few MB; 100,000 short quads: about 65 MB per worker and
#: 2 s to copy, paid again by a worker replaced after a time-out); a larger one it reads on disk.
WORKER_IN_MEMORY_QUADS = 100_000
#: Quads per RocksDB bulk load. One bulk load of a million quads sorts every index in memory; in
#: loads of 100,000 it is leaner and faster (the figures: README, "Performance and scale").
BULK_CHUNK = 100_000


_BLANK_NODE_QUADS = "SELECT ?g ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }"


def _restore_blank_node_labels(store: ox.Store, artefact: Path) -> None:
    """Replace the blank node labels ``Store.load`` drew with the artefact's canonical ones."""
    solutions = store.query(_BLANK_NODE_QUADS)
    assert isinstance(solutions, ox.QuerySolutions)
    drawn = [ox.Quad(r["s"], r["p"], r["o"], r["g"]) for r in solutions]
    if not drawn:
        return
    with artefact.open("rb") as handle:  # the artefact's own lines that mention a blank node, streamed
        lines = b"".join(line for line in handle if b"_:" in line)
    for quad in drawn:
        store.remove(quad)
    store.extend(ox.parse(lines, format=ox.RdfFormat.N_QUADS))


def _bulk_filled(folder: Path, quads) -> ox.Store:
    """A new on-disk store in ``folder`` holding ``quads`` (labels of blank nodes kept), bulk loaded
    in pieces of BULK_CHUNK quads."""
    store = ox.Store(str(folder))
    while chunk := list(itertools.islice(quads, BULK_CHUNK)):
        store.bulk_extend(chunk)
    return store


def _open_read_only(folder: str, attempts: int = 5) -> ox.Store:
    """Open ``folder`` read-only. The writer's background compaction can delete a file between
    the reader's listing and its opening (a fresh bulk load compacts for a while): try again."""
    for attempt in range(attempts - 1):
        try:
            return ox.Store.read_only(folder)
        except OSError:
            time.sleep(0.2 * (attempt + 1))
    return ox.Store.read_only(folder)  # the last attempt: its error is the caller's


class OxigraphStore(GraphStore):
    def __init__(self, settings: Settings, path: str | None, answer_cache: int = 512):
        super().__init__(settings)
        self.answers = AnswerCache(answer_cache)  # answers kept (size 0: none); cleared by load and add_graph
        self.path = Path(path) if path else None
        self.version: Path | None = None  # the version folder open (on disk), see _open_current and load
        self._store = self._open_current()
        self._size = len(self._store)
        self._sizes: dict[str, int] = {}  # quads per graph, counted once (the store only changes by load)
        self._prefixes = self.vocab.prefixes  # built once: a query's own cost can be tens of microseconds
        self._lock = threading.Lock()
        self._extra_graphs: dict[str, str] = {}
        self._all_graphs, self._default_graphs = self._graph_nodes()

    @classmethod
    def reading(cls, settings: Settings, version: str, extra_graphs: tuple[str, ...] = ()) -> OxigraphStore:
        """A read-only view of one version folder that another process has open (and may go on
        writing): RocksDB lets any number of processes read it. A graph of at most
        ``WORKER_IN_MEMORY_QUADS`` quads is copied into memory (then the folder is let go), a larger
        one is read where it is, so no worker holds a large copy."""
        store = cls(settings, None, answer_cache=0)
        store._store = _open_read_only(version)
        store._size = len(store._store)
        if store._size <= WORKER_IN_MEMORY_QUADS:
            in_memory = ox.Store()
            in_memory.bulk_extend(store._store.quads_for_pattern(None, None, None, None))
            store._store = in_memory
        store.version = Path(version)
        store._extra_graphs = {iri: iri for iri in extra_graphs}
        store._all_graphs, store._default_graphs = store._graph_nodes()
        return store

    # ------------------------------------------------------------------ versions on disk

    @staticmethod
    def _current_version(path: Path) -> Path | None:
        try:
            name = (path / CURRENT).read_text(encoding="utf-8").strip()
        except OSError:
            return None
        folder = path / name
        return folder if name and folder.is_dir() else None

    def _open_current(self) -> ox.Store:
        if self.path is None:
            return ox.Store()
        self.path.mkdir(parents=True, exist_ok=True)
        self.version = self._current_version(self.path)
        return ox.Store(str(self.version)) if self.version else ox.Store()  # nothing loaded yet: empty

    def _remove_stale_versions(self, keep: Path) -> None:
        """Delete old versions no process holds open (RocksDB refuses a second open of a held one)."""
        for folder in keep.parent.iterdir():  # the store's folder
            if not folder.is_dir() or folder == keep:
                continue
            try:
                probe = ox.Store(str(folder))
            except OSError:
                continue  # still open here or in another process
            del probe
            shutil.rmtree(folder, ignore_errors=True)

    # ------------------------------------------------------------------ loading

    @property
    def graph_iris(self) -> dict[str, str]:
        """Our three graphs by name, then any graph added with :meth:`add_graph` (named by its IRI)."""
        return {**super().graph_iris, **self._extra_graphs}

    def _graph_nodes(self) -> tuple[list[ox.NamedNode], list[ox.NamedNode]]:
        """Every graph the store holds, and those of the default graph, as the terms a query's dataset
        names (made once per change)."""
        return ([ox.NamedNode(iri) for iri in self.graph_iris.values()],
                [ox.NamedNode(iri) for iri in self.default_graph_iris])

    def add_graph(self, iri: str, source: Path | None = None) -> None:
        """Hold one more named graph: the triples of an RDF file (format by extension), or none.

        It is queryable like ours (``GRAPH``, protocol datasets, the default union) until the
        next :meth:`load`, which replaces everything. Used by tests that need others' data.
        """
        graph = ox.NamedNode(iri)
        with self._lock:
            self._store.add_graph(graph)
            if source is not None:
                self._store.load(path=str(source), to_graph=graph)
            if self.version:
                self._store.flush()  # on disk for readers that open the version after this
            self._extra_graphs[iri] = iri
            self._all_graphs, self._default_graphs = self._graph_nodes()
            self.answers.clear()
            self._sizes.pop(iri, None)
            self._size = len(self._store)

    def load(self, artefact: Artefact) -> None:
        folder = None if self.path is None else self.path / f"{artefact.input_hash[:16]}-{uuid.uuid4().hex[:8]}"
        if folder:  # RocksDB: the bulk path, fed by ox.parse, which keeps the blank node labels
            fresh = _bulk_filled(folder, ox.parse(path=str(artefact.path), format=ox.RdfFormat.N_QUADS))
        else:  # in memory: one transactional load (the leanest), then the artefact's labels back
            fresh = ox.Store()
            fresh.load(path=str(artefact.path), format=ox.RdfFormat.N_QUADS)
            _restore_blank_node_labels(fresh, artefact.path)
        fresh.add(ox.Quad(_LOADED_HASH, _LOADED_HASH, ox.Literal(artefact.input_hash),
                          ox.NamedNode(_LOADED_HASH.value)))
        if folder:
            fresh.flush()
            atomic_write(folder.parent / CURRENT, folder.name.encode("utf-8"))
        with self._lock:
            self._store, self._size, self.version = fresh, len(fresh), folder
            self._sizes = {self.vocab.graph_iri(name): n for name, n in artefact.manifest.get("counts", {}).items()
                           if name in ALL_GRAPH_NAMES}
            self._extra_graphs = {}
            self._all_graphs, self._default_graphs = self._graph_nodes()
            self.answers.clear()
        if folder:
            self._remove_stale_versions(keep=folder)

    def worker_opener(self) -> ReadOnlyOpener:
        """Workers open the version folder this store has open, read-only; an in-memory store is first
        copied once to an on-disk database in a temporary folder (removed when the process exits).
        A worker copies a small graph into memory from there (:meth:`reading`); a large one it reads
        on disk, so whatever the graph's size no worker holds a large copy of it."""
        standard = set(self.vocab.graph_iris.values())
        extra_graphs = tuple(iri for iri in self.graph_iris.values() if iri not in standard)
        folder = self.version or self._disk_copy()
        return ReadOnlyOpener(self.settings, str(folder), extra_graphs)

    def _disk_copy(self) -> Path:
        _remove_orphaned_copies()
        folder = Path(tempfile.mkdtemp(prefix=f"{SERVED_COPY}{os.getpid()}-"))
        atexit.register(shutil.rmtree, folder, True)
        self.copy_to(folder / "copy")
        return folder / "copy"

    def copy_to(self, folder: Path) -> None:
        """Write every graph this store holds as a new on-disk Oxigraph database in ``folder``
        (which :meth:`reading` can open, from any process)."""
        _bulk_filled(folder, self._iter_quads(self._all_graphs)).flush()

    def loaded_hash(self) -> str | None:
        found = [quad.object for quad in self._store.quads_for_pattern(_LOADED_HASH, _LOADED_HASH, None, None)]
        return found[0].value if found and isinstance(found[0], ox.Literal) else None

    # ------------------------------------------------------------------ reading

    def _graphs(self, names: list[str]) -> list[ox.NamedNode]:
        return [ox.NamedNode(self.graph_iris[name]) for name in names]

    def query(self, sparql, *, default_graphs=None, named_graphs=None, substitutions=None, row_limit=None,
              byte_limit=None, base_iri=None) -> QueryResult:
        key = None
        if self.answers.size > 0:
            limits = (row_limit, byte_limit)
            key = AnswerCache.key(sparql, default_graphs, named_graphs, substitutions, limits, base_iri)
            kept = self.answers.get(key)
            if kept is not None:
                return kept
        options: dict[str, Any] = {
            "prefixes": self._prefixes,
            "default_graph": (self._default_graphs if default_graphs is None
                              else [ox.NamedNode(g) for g in default_graphs]),
            "named_graphs": self._all_graphs if named_graphs is None else [ox.NamedNode(g) for g in named_graphs],
        }
        if base_iri:
            options["base_iri"] = base_iri
        if substitutions:
            options["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        try:
            result = from_oxigraph(self._store.query(sparql, **options), row_limit, byte_limit)
        except SyntaxError as exc:  # pyoxigraph's parser error
            raise malformed(exc) from None
        except RuntimeError as exc:
            if substitutions:  # a bound variable that the SELECT does not project
                raise MalformedQuery(str(exc)) from None
            raise

        if key is not None:
            self.answers.put(key, result)
        return result

    def _iter_quads(self, graphs: list[ox.NamedNode]):
        store = self._store
        return itertools.chain.from_iterable(store.quads_for_pattern(None, None, None, g) for g in graphs)

    def _disjoint(self, graphs: list[ox.NamedNode]) -> bool:
        """No triple is in two of ``graphs``: per pair, Oxigraph scans the first graph and looks
        each triple up in the second, so the smaller one (by :meth:`count`) goes first."""
        store = self._store
        for pair in itertools.combinations(graphs, 2):
            small, large = sorted(pair, key=lambda g: self._graph_size(g.value))
            if store.query(f"ASK {{ GRAPH {small} {{ ?s ?p ?o }} GRAPH {large} {{ ?s ?p ?o }} }}",
                           named_graphs=[small, large]):
                return False
        return True

    def _graph_size(self, iri: str) -> int:
        if iri not in self._sizes:
            answer = self._store.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                                       named_graphs=[ox.NamedNode(iri)])
            assert isinstance(answer, ox.QuerySolutions)
            self._sizes[iri] = int(next(iter(answer))["n"].value)
        return self._sizes[iri]

    def _iter_union(self, graphs: list[ox.NamedNode]):
        triples = (quad.triple for quad in self._iter_quads(graphs))
        return triples if self._disjoint(graphs) else iter(dict.fromkeys(triples))

    def quads(self, graph_names: list[str]) -> list[ox.Quad]:
        found = list(self._iter_quads(self._graphs(graph_names)))
        return sorted(found, key=str) if self._size <= SORT_LIMIT else found

    def triples(self, graph_names: list[str]) -> list[ox.Triple]:
        found = list(self._iter_union(self._graphs(graph_names)))
        return sorted(found, key=str) if self._size <= SORT_LIMIT else found

    def count(self, graph_name: str | None = None) -> int:
        names = [graph_name] if graph_name else list(GRAPH_NAMES)
        return sum(self._graph_size(iri) for iri in self._graphs_iris(names))

    def _graphs_iris(self, names: list[str]) -> list[str]:
        return [self.graph_iris[name] for name in names]

    def serialize(self, graph_names: list[str], fmt: ox.RdfFormat, prefixes: dict[str, str],
                  dataset: bool = False) -> bytes:
        """Beyond SORT_LIMIT, straight from the store's indexes to the serialiser (no list, no sort)."""
        if self._size <= SORT_LIMIT:
            return super().serialize(graph_names, fmt, prefixes, dataset)
        graphs = self._graphs(graph_names)
        # given no output, pyoxigraph returns the bytes (its stubs say bytes | None)
        if dataset:
            return cast(bytes, ox.serialize(self._iter_quads(graphs), format=fmt, prefixes=prefixes))
        if len(graphs) == 1:
            return cast(bytes, self._store.dump(format=fmt, from_graph=graphs[0], prefixes=prefixes))
        return cast(bytes, ox.serialize(self._iter_union(graphs), format=fmt, prefixes=prefixes))


def _remove_orphaned_copies() -> None:
    """Remove the served copies of processes that are gone: a process that exits (normally, or on
    SIGTERM or SIGINT through ``twitch-kg serve``'s shutdown) removes its own; one killed outright
    cannot, so the next one to make a copy does."""
    for folder in Path(tempfile.gettempdir()).glob(SERVED_COPY + "*"):
        owner = folder.name[len(SERVED_COPY):].split("-", 1)[0]
        if owner.isdigit() and not _is_alive(int(owner)):
            shutil.rmtree(folder, ignore_errors=True)


def _is_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: alive, not ours to judge
        return True
    return True


@dataclass(frozen=True)
class ReadOnlyOpener:
    """Picklable: opens, in a worker process, one version folder of the served graph read-only."""

    settings: Settings
    version: str
    extra_graphs: tuple[str, ...]

    def __call__(self) -> OxigraphStore:
        return OxigraphStore.reading(self.settings, self.version, self.extra_graphs)
