"""The checker's own SPARQL, kept in ``kg/sparql/check-*.rq``: the article's terms live there, not here."""

from __future__ import annotations

from functools import lru_cache

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from ..resources import path
from ..results import QueryResult
from ..store import GraphStore

FOLDER = path("kg", "sparql")


@lru_cache(maxsize=None)
def text(name: str) -> str:
    return (FOLDER / f"check-{name}.rq").read_text(encoding="utf-8")


def run(store: GraphStore, name: str, *, graphs: list[str] | None = None, **bindings) -> QueryResult:
    """Run ``kg/sparql/check-NAME.rq``; ``graphs`` names the default graph (default: the union)."""
    default = [store.graph_iris[g] for g in graphs] if graphs else None
    return store.query(text(name), default_graphs=default, substitutions=bindings or None)


def rdflib_term(term):
    """The rdflib term for a pyoxigraph one (the in-process reasoner reads rdflib terms)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return Literal(term.value, lang=term.language, datatype=None if term.language else term.datatype.value)


def rdflib_triples(result: QueryResult) -> tuple[tuple, ...]:
    return tuple((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)) for t in result.triples)
