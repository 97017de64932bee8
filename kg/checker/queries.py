"""The checker's own SPARQL, kept in ``kg/sparql/check-*.rq`` (the article's terms live there, not
here), and the rdflib terms the in-process reasoner reads."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef

from ..query.library import QueryLibrary
from ..query.results import QueryResult
from ..resources import path

#: ``kg/sparql/check-NAME.rq``, run by name.
CHECKS = QueryLibrary(path("kg", "sparql"), prefix="check-")


def rdflib_term(term):
    """The rdflib term for a pyoxigraph one (the in-process reasoner reads rdflib terms)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return Literal(term.value, lang=term.language, datatype=None if term.language else term.datatype.value)


def rdflib_triples(result: QueryResult) -> tuple[tuple, ...]:
    return tuple((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)) for t in result.triples)
