"""The one interface every store implements; everything above the store uses only this."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import datetime
from typing import cast

import pyoxigraph as ox

from ..artefact import Artefact
from ..config import Settings
from ..namespaces import GRAPH_NAMES, NAMED_ONLY_GRAPH_NAMES, Vocabulary
from ..query.results import QueryResult


class GraphStore(ABC):
    """Holds the three named graphs of a build and answers SPARQL over them.

    The default graph of a query is the union of the graphs in :attr:`default_graph_iris` unless the
    caller names default graphs; every graph held can be addressed with ``GRAPH``.
    """

    #: True when other processes share the store (``sparql:``): it is read as it is and
    #: written only by ``twitch-kg build``, never loaded by a server or a query.
    shared = False

    def __init__(self, settings: Settings):
        self.settings = settings
        self.vocab = Vocabulary(settings.base_iri)

    @property
    def graph_iris(self) -> dict[str, str]:
        """Every graph held, by name (the IRI for a graph added by a test): what ``GRAPH`` can name."""
        return self.vocab.graph_iris

    @property
    def default_graph_iris(self) -> list[str]:
        """The graphs whose union is the default graph: ours but the named-only ones, and any added."""
        named_only = {self.vocab.graph_iri(name) for name in NAMED_ONLY_GRAPH_NAMES}
        return [iri for iri in self.graph_iris.values() if iri not in named_only]

    @abstractmethod
    def load(self, artefact: Artefact) -> None:
        """Replace the store's graphs with the artefact's, all at once."""

    @abstractmethod
    def loaded_hash(self) -> str | None:
        """The input hash of the artefact the store holds, if any."""

    def loaded_at(self) -> datetime | None:
        """When the build was loaded, if the store records it (a shared store does: every
        server reading it then gives the same time)."""
        return None

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        default_graphs: list[str] | None = None,
        named_graphs: list[str] | None = None,
        substitutions: dict[str, ox.NamedNode | ox.Literal] | None = None,
        row_limit: int | None = None,
        byte_limit: int | None = None,
        base_iri: str | None = None,
    ) -> QueryResult:
        """Run a read-only SPARQL query; raises :class:`~kg.query.errors.MalformedQuery` for a malformed one.

        ``None`` default graphs mean :attr:`default_graph_iris`, ``None`` named graphs every graph
        held; a list (even an empty one) means exactly those graphs. ``base_iri`` resolves the query's
        relative IRIs. The answer holds at most ``row_limit`` rows and ``byte_limit`` characters of
        terms (``truncated``, ``byte_limited``).
        """

    def worker_opener(self) -> Callable[[], GraphStore] | None:
        """A picklable callable that opens this store's graphs read-only in a worker process (see
        :mod:`kg.query.sandbox`); None when the store evaluates elsewhere and needs no workers."""
        return None

    @abstractmethod
    def quads(self, graph_names: list[str]) -> list[ox.Quad]:
        """Every quad of the named graphs, in a deterministic order."""

    def triples(self, graph_names: list[str]) -> list[ox.Triple]:
        """The triples of the union of the named graphs, each once, in a deterministic order."""
        seen: dict[ox.Triple, None] = {}
        for quad in self.quads(graph_names):
            seen.setdefault(quad.triple, None)
        return sorted(seen, key=str)

    def count(self, graph_name: str | None = None) -> int:
        names = [graph_name] if graph_name else list(GRAPH_NAMES)
        return len(self.quads(names))

    def serialize(self, graph_names: list[str], fmt: ox.RdfFormat, prefixes: dict[str, str],
                  dataset: bool = False) -> bytes:
        """The named graphs in ``fmt``: as a dataset (quads, graph names kept) or as the union's
        triples; deterministic (same store contents, same bytes)."""
        # given no output, pyoxigraph returns the bytes (its stubs say bytes | None)
        if dataset:
            return cast(bytes, ox.serialize(self.quads(graph_names), format=fmt, prefixes=prefixes))
        return cast(bytes, ox.serialize(self.triples(graph_names), format=fmt, prefixes=prefixes))
