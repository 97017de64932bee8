"""Compact JSON-LD: the graph's prefixes as a JSON-LD context (published at ``BASE/context.jsonld``), and
triples written against it (``tw:dystonia`` instead of the full IRI).

The triples are written by pyoxigraph as expanded JSON-LD, whose value objects keep every literal
exactly (``{"@value": "1.0E0", "@type": "xsd:double"}``: no lexical form rewritten, no datatype lost,
no language direction dropped), then each IRI in an ``@id``, a property or a datatype is shortened to a
compact IRI ``prefix:suffix`` where a prefix of the context covers it, and a property's single value
is written alone rather than in an array. A context of prefixes only
expands them back to the same IRIs (JSON-LD 1.1 IRI expansion), so the document holds exactly the
triples given. Deterministic: the same triples in the same order give the same bytes; blank nodes
keep their labels.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import cast

import pyoxigraph as ox

#: Where the context is published, under the graph's base IRI (the web app serves it).
CONTEXT_PATH = "context.jsonld"
#: JSON-LD 1.1 uses a term as a prefix only if its IRI ends with one of these (a "simple term").
_GEN_DELIMS = tuple(":/?#[]@")


def context(prefixes: dict[str, str]) -> dict:
    """The JSON-LD context document: one term per prefix."""
    return {"@context": dict(sorted(prefixes.items()))}


def context_url(base_iri: str) -> str:
    """Where the context of a graph minted under ``base_iri`` is published."""
    return base_iri + CONTEXT_PATH


def compact(triples: Iterable[ox.Triple], prefixes: dict[str, str], context_ref: str | dict) -> bytes:
    """``triples`` as compact JSON-LD against the context of ``prefixes``; ``"@context"`` is
    ``context_ref``: the published context's URL, or the context itself (a document that needs
    nothing from the network)."""
    # given no output, pyoxigraph returns the bytes (its stubs say bytes | None)
    expanded = json.loads(cast(bytes, ox.serialize(triples, format=ox.RdfFormat.JSON_LD)))
    shorten = _Shortener(prefixes)
    nodes = [{shorten.key(key): shorten.values(key, value) for key, value in node.items()} for node in expanded]
    document = {"@context": context_ref, "@graph": nodes}
    return (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")


class _Shortener:
    """IRIs as compact IRIs, by the longest namespace that covers them."""

    def __init__(self, prefixes: dict[str, str]):
        usable = [(name, iri) for name, iri in prefixes.items() if iri.endswith(_GEN_DELIMS)]
        self._by_length = sorted(usable, key=lambda item: (-len(item[1]), item[0]))

    def iri(self, iri: str) -> str:
        if iri.startswith("_:"):
            return iri  # a blank node
        for name, namespace in self._by_length:
            if iri.startswith(namespace) and not iri[len(namespace):].startswith("//"):
                return f"{name}:{iri[len(namespace):]}"
        return iri

    def key(self, key: str) -> str:
        return key if key.startswith("@") else self.iri(key)

    def values(self, key: str, value):
        if key == "@id":
            return self.iri(value)
        items = [self._value(item) for item in value]
        return items[0] if len(items) == 1 else items  # one value: itself, as compaction writes it

    def _value(self, item: dict) -> dict:
        """A node reference (``@id``) or a value object (its ``@type`` is a datatype IRI)."""
        return {k: self.iri(v) if k in ("@id", "@type") else v for k, v in item.items()}
