"""The checker's own SPARQL, kept in ``kg/sparql/check-*.rq`` (the article's terms live there, not
here), and the triples of an answer as rdflib terms, which the in-process reasoner reads."""

from __future__ import annotations

from ..query.library import QueryLibrary
from ..query.results import QueryResult
from ..resources import path
from ..terms import rdflib_term

#: ``kg/sparql/check-NAME.rq``, run by name.
CHECKS = QueryLibrary(path("kg", "sparql"), prefix="check-")


def rdflib_triples(result: QueryResult) -> tuple[tuple, ...]:
    return tuple((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)) for t in result.triples)
