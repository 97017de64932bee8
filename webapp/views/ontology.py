"""The whole ontology, by content negotiation: at /ontology, at the ontology's IRI and at its version IRI.

A browser gets the documentation (``/ontology``; the ontology's IRI and version IRI answer 303 See
Other to it), an RDF client the ontology graph in Turtle, N-Triples, JSON-LD or RDF/XML, chosen by
the Accept header or forced by a suffix (``/ontology.ttl``, ``/id/ontology.rdf``), with ``Vary:
Accept`` and ``Link`` headers naming the other representations (``documents.py``). Which IRIs are
the ontology's is read from the graph (its ``owl:Ontology`` and that one's ``owl:versionIRI``).
"""

from __future__ import annotations

from flask import render_template

from kg.formats import GRAPH_FORMATS

from ..pages import SPARQL
from ..pages.exports import download
from ..pages.ontology import ontology_page
from ..state import state
from .documents import Document

ONTOLOGY = Document(
    "The ontology", "site.ontology",
    page=lambda: render_template("ontology.html", vocabulary=ontology_page(), formats=GRAPH_FORMATS),
    rdf=lambda fmt: download("ontology", fmt).content,
)


def iris() -> frozenset[str]:
    """The ontology's IRI and its version IRI, as the graph states them."""
    def read() -> frozenset[str]:
        rows = SPARQL.run(state().store, "ontology-header").rows
        return frozenset(row[name].value for row in rows for name in ("ontology", "versionIRI") if name in row)

    return state().cache.once(("ontology-iris",), read)
