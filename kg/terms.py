"""Short, readable renderings of RDF terms for tables and pages."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef


def compact(iri: str, prefixes: dict[str, str]) -> str:
    """``tw:als`` for an IRI under a known prefix, else the IRI in angle brackets."""
    for prefix, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace):
            local = iri[len(namespace):]
            if all(c.isalnum() or c in "-_." for c in local):
                return f"{prefix}:{local}"
    return f"<{iri}>"


def expand(text: str, prefixes: dict[str, str]) -> str:
    """The full IRI for ``prefix:local`` or ``<iri>``; other text is returned unchanged."""
    text = text.strip()
    if text.startswith("<") and text.endswith(">"):
        return text[1:-1]
    prefix, sep, local = text.partition(":")
    if sep and prefix in prefixes and not local.startswith("//"):
        return prefixes[prefix] + local
    return text


def display(term, prefixes: dict[str, str]) -> str:
    if isinstance(term, ox.NamedNode):
        return compact(term.value, prefixes)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def rdflib_term(term):
    """The rdflib term for a pyoxigraph one (its blank node label kept)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    return Literal(term.value, lang=term.language, datatype=None if term.language else term.datatype.value)
