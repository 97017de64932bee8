"""Our own SPARQL, kept in folders of ``.rq`` files (knowledge in data, logic in code): the pages'
queries (``webapp/sparql``) and the checker's (``kg/sparql/check-*.rq``) are run the same way."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from ..store import GraphStore
from .results import QueryResult


class QueryLibrary:
    """The queries in ``folder`` named ``PREFIX + name + .rq``, run with variables pre-bound (SEP-0007
    substitution: values travel as RDF terms, never as SPARQL text)."""

    def __init__(self, folder: Path, prefix: str = ""):
        self.folder = folder
        self.prefix = prefix
        self.text = lru_cache(maxsize=None)(self._read)

    def _read(self, name: str) -> str:
        return (self.folder / f"{self.prefix}{name}.rq").read_text(encoding="utf-8")

    def run(self, store: GraphStore, name: str, *, graphs: list[str] | None = None,
            **bindings: ox.NamedNode | ox.Literal) -> QueryResult:
        """The answer to query ``name``; ``graphs`` names the default graph (default: the union)."""
        default = [store.graph_iris[g] for g in graphs] if graphs else None
        return store.query(self.text(name), default_graphs=default, substitutions=bindings or None)
