"""Compact JSON-LD: the graph's prefixes as a JSON-LD context (published at ``BASE/context.jsonld``), and
triples written against it (``"@context"`` is that URL; ``tw:dystonia`` instead of the full IRI)."""

from __future__ import annotations

import json

import pyoxigraph as ox
from rdflib import Graph

#: Where the context is published, under the graph's base IRI (the web app serves it).
CONTEXT_PATH = "context.jsonld"


def context(prefixes: dict[str, str]) -> dict:
    """The JSON-LD context document: one term per prefix."""
    return {"@context": dict(sorted(prefixes.items()))}


def compact(triples: list[ox.Triple], prefixes: dict[str, str], context_url: str) -> bytes:
    """``triples`` as compact JSON-LD whose ``@context`` is ``context_url`` (the published ``context``)."""
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    document = json.loads(graph.serialize(format="json-ld", context=context(prefixes)["@context"],
                                          auto_compact=True, sort_keys=True))
    document["@context"] = context_url
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
