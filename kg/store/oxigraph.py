"""The embedded store: pyoxigraph, in memory (``memory``) or on disk (``oxigraph:PATH``)."""

from __future__ import annotations

import threading
from pathlib import Path

import pyoxigraph as ox

from ..artefact import Artefact
from ..config import Settings
from ..results import QueryResult, from_oxigraph
from .base import GraphStore

_LOADED_HASH = ox.NamedNode("urn:twitch-kg:loaded-input-hash")


class OxigraphStore(GraphStore):
    def __init__(self, settings: Settings, path: str | None):
        super().__init__(settings)
        self.path = path
        self._store = ox.Store(path) if path else ox.Store()
        self._lock = threading.Lock()
        self._extra_graphs: dict[str, str] = {}

    @property
    def graph_iris(self) -> dict[str, str]:
        """Our three graphs by name, then any graph added with :meth:`add_graph` (named by its IRI)."""
        return {**super().graph_iris, **self._extra_graphs}

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
            self._extra_graphs[iri] = iri

    def load(self, artefact: Artefact) -> None:
        fresh = ox.Store(self.path) if self.path else ox.Store()
        if self.path:
            fresh.clear()
        fresh.bulk_load(path=str(artefact.path), format=ox.RdfFormat.N_QUADS)
        fresh.add(ox.Quad(_LOADED_HASH, _LOADED_HASH, ox.Literal(artefact.input_hash), ox.NamedNode(_LOADED_HASH.value)))
        if self.path:
            fresh.flush()
        with self._lock:
            self._store = fresh
            self._extra_graphs = {}

    def loaded_hash(self) -> str | None:
        found = list(self._store.quads_for_pattern(_LOADED_HASH, _LOADED_HASH, None, None))
        return found[0].object.value if found else None

    def _graphs(self, names: list[str]) -> list[ox.NamedNode]:
        return [ox.NamedNode(self.graph_iris[name]) for name in names]

    def query(self, sparql, *, default_graphs=None, named_graphs=None, substitutions=None, row_limit=None,
              base_iri=None) -> QueryResult:
        all_graphs = [ox.NamedNode(iri) for iri in self.graph_iris.values()]
        options = {
            "prefixes": self.vocab.prefixes,
            "default_graph": all_graphs if default_graphs is None else [ox.NamedNode(g) for g in default_graphs],
            "named_graphs": all_graphs if named_graphs is None else [ox.NamedNode(g) for g in named_graphs],
        }
        if base_iri:
            options["base_iri"] = base_iri
        if substitutions:
            options["substitutions"] = {ox.Variable(k): v for k, v in substitutions.items()}
        answer = self._store.query(sparql, **options)
        return from_oxigraph(answer, row_limit)

    def quads(self, graph_names: list[str]) -> list[ox.Quad]:
        found = []
        for graph in self._graphs(graph_names):
            found.extend(self._store.quads_for_pattern(None, None, None, graph))
        return sorted(found, key=str)
