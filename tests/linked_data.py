"""JSON-LD in tests without the network: the one place a context URL is resolved, from shipped copies.

``parse_jsonld`` replaces every ``@context`` URL it knows with a local document before rdflib reads the
JSON-LD (rdflib would otherwise fetch it); an unknown URL is an error, never a fetch. The schema.org
release the site's markup is checked against is ``tests/fixtures/schemaorg/`` (with its licence).
"""

from __future__ import annotations

import json
from functools import cache

from rdflib import RDF, RDFS, Graph, Namespace, URIRef

from support import FIXTURES

SCHEMA = Namespace("https://schema.org/")
SCHEMA_RELEASE = FIXTURES / "schemaorg" / "schemaorg-current-https.ttl"


@cache
def schema_vocabulary() -> Graph:
    return Graph().parse(SCHEMA_RELEASE, format="turtle")


@cache
def schema_terms() -> tuple[frozenset[URIRef], frozenset[URIRef]]:
    """(types, properties) of the shipped schema.org release."""
    vocab = schema_vocabulary()
    types = frozenset(s for s in vocab.subjects(RDF.type, RDFS.Class) if isinstance(s, URIRef))
    properties = frozenset(s for s in vocab.subjects(RDF.type, RDF.Property) if isinstance(s, URIRef))
    return types, properties


@cache
def _schema_context() -> dict:
    """The context for ``https://schema.org``, made from the shipped release: its vocabulary, and the
    properties whose values are URLs (not also text) read as IRIs."""
    vocab = schema_vocabulary()
    context: dict = {"@vocab": str(SCHEMA)}
    for prop in vocab.subjects(SCHEMA.rangeIncludes, SCHEMA.URL):
        if (prop, SCHEMA.rangeIncludes, SCHEMA.Text) not in vocab:  # Text or URL (encodingFormat) stays text
            context[str(prop).removeprefix(str(SCHEMA))] = {"@type": "@id"}
    return {"@context": context}


#: Every context URL the tests may meet, and where its document comes from (a function: read on use).
CONTEXTS = {
    "https://schema.org": _schema_context,
    "https://schema.org/": _schema_context,
    "http://schema.org": _schema_context,
    "http://schema.org/": _schema_context,
}


def register_context(url: str, document: dict) -> None:
    """Make ``url`` resolve to ``document`` (e.g. a context this site publishes, read from the server)."""
    CONTEXTS[url] = lambda: document


def _resolved(node):
    if isinstance(node, list):
        return [_resolved(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key == "@context":
            out[key] = _context(value)
        else:
            out[key] = _resolved(value)
    return out


def _context(value):
    if isinstance(value, list):
        return [_context(item) for item in value]
    if isinstance(value, str):
        if value not in CONTEXTS:
            raise AssertionError(f"JSON-LD context {value!r} has no shipped copy (tests/linked_data.py)")
        return CONTEXTS[value]()["@context"]
    return value


def parse_jsonld(document: str | dict | list, base: str | None = None) -> Graph:
    """The RDF of a JSON-LD document, its context URLs resolved from the shipped copies."""
    data = json.loads(document) if isinstance(document, str) else document
    return Graph().parse(data=json.dumps(_resolved(data)), format="json-ld", base=base)


def unknown_schema_terms(graph: Graph) -> list[str]:
    """Every schema.org type or property ``graph`` uses that the shipped release does not define."""
    types, properties = schema_terms()
    unknown = set()
    for _s, p, o in graph:
        if str(p).startswith(str(SCHEMA)) and p not in properties:
            unknown.add(str(p))
        if p == RDF.type and str(o).startswith(str(SCHEMA)) and o not in types:
            unknown.add(str(o))
    return sorted(unknown)
