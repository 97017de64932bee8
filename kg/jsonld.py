"""Compact JSON-LD: the graph's prefixes as a JSON-LD context (published at ``BASE/context.jsonld``), and
triples written against it (``"@context"`` is that URL; ``tw:dystonia`` instead of the full IRI).

Deterministic: the same triples give the same bytes, in any process. rdflib writes the nodes in the order
of its (hash-randomised) sets and relabels blank nodes it parses, so the triples go in with their own
blank node labels (the store's, canonical) and every array but an ``@list`` is sorted afterwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import Graph, Literal

from .terms import rdflib_term

#: Where the context is published, under the graph's base IRI (the web app serves it).
CONTEXT_PATH = "context.jsonld"

_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


def context(prefixes: dict[str, str]) -> dict:
    """The JSON-LD context document: one term per prefix."""
    return {"@context": dict(sorted(prefixes.items()))}


def context_url(base_iri: str) -> str:
    """Where the context of a graph minted under ``base_iri`` is published (what ``@context`` names)."""
    return base_iri + CONTEXT_PATH


def compact(triples: Iterable[ox.Triple], prefixes: dict[str, str], context_url: str) -> bytes:
    """``triples`` as compact JSON-LD whose ``@context`` is ``context_url`` (the published ``context``)."""
    graph = Graph()
    for triple in triples:
        graph.add((rdflib_term(triple.subject), rdflib_term(triple.predicate), _object(triple.object)))
    document = json.loads(graph.serialize(format="json-ld", context=context(prefixes)["@context"],
                                          auto_compact=True))
    document = _ordered(document)
    document["@context"] = context_url
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


def _object(term):
    """An xsd:string is a plain literal (as N-Triples and Turtle write it), not one typed ``xsd:string``."""
    if isinstance(term, ox.Literal) and term.datatype == _XSD_STRING:
        return Literal(term.value)
    return rdflib_term(term)


def _sort_key(value) -> tuple[int, str]:
    """A node (or a reference to one) by its ``@id``, unique in its array; any other value by its JSON."""
    if isinstance(value, dict) and "@id" in value:
        return 0, value["@id"]
    return 1, json.dumps(value, ensure_ascii=False, sort_keys=True)


def _ordered(value, key: str | None = None):
    """``value`` with every array sorted (nodes by ``@id``), except an ``@list``'s: its order is data."""
    if isinstance(value, dict):
        return {k: _ordered(v, k) for k, v in value.items()}
    if isinstance(value, list):
        items = [_ordered(item) for item in value]
        return items if key == "@list" else sorted(items, key=_sort_key)
    return value
