"""The SPARQL 1.1 Service Description of the endpoint, as RDF triples."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib.namespace import RDF, RDFS

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS
from kg.namespaces import SD

FORMATS = "http://www.w3.org/ns/formats/"

#: The W3C format IRIs (https://www.w3.org/ns/formats/) of the media types we serve.
FORMAT_IRIS = {
    "application/sparql-results+json": "SPARQL_Results_JSON",
    "application/sparql-results+xml": "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    "text/tab-separated-values": "SPARQL_Results_TSV",
    "text/turtle": "Turtle",
    "application/n-triples": "N-Triples",
    "application/ld+json": "JSON-LD",
    "application/rdf+xml": "RDF_XML",
}

PREFIXES = {"sd": str(SD), "formats": FORMATS}


def _iri(term) -> ox.NamedNode:
    return ox.NamedNode(str(term))


def service_description(endpoint: str, graph_iris: list[str], default_graph_iris: list[str]) -> list[ox.Triple]:
    """``endpoint`` as an sd:Service: read-only SPARQL 1.1 Query, our formats, our dataset: every graph
    held is a named graph; the default graph is the union of ``default_graph_iris`` (not of all of
    them, so no ``sd:UnionDefaultGraph``), which its comment says."""
    service, dataset, default_graph = ox.NamedNode(endpoint), ox.BlankNode(), ox.BlankNode()
    a = _iri(RDF.type)
    triples = [
        ox.Triple(service, a, _iri(SD.Service)),
        ox.Triple(service, _iri(SD.endpoint), service),
        ox.Triple(service, _iri(SD.supportedLanguage), _iri(SD.SPARQL11Query)),
    ]
    for fmt in RESULT_FORMATS + GRAPH_FORMATS:
        triples.append(ox.Triple(service, _iri(SD.resultFormat), ox.NamedNode(FORMATS + FORMAT_IRIS[fmt.media_type])))
    triples += [
        ox.Triple(service, _iri(SD.defaultDataset), dataset),
        ox.Triple(dataset, a, _iri(SD.Dataset)),
        ox.Triple(dataset, _iri(SD.defaultGraph), default_graph),
        ox.Triple(default_graph, a, _iri(SD.Graph)),
        ox.Triple(default_graph, _iri(RDFS.comment), ox.Literal(
            "The union of the named graphs " + ", ".join(f"<{iri}>" for iri in default_graph_iris) + ".",
            language="en")),
    ]
    for iri in graph_iris:
        named = ox.BlankNode()
        triples += [
            ox.Triple(dataset, _iri(SD.namedGraph), named),
            ox.Triple(named, a, _iri(SD.NamedGraph)),
            ox.Triple(named, _iri(SD.name), ox.NamedNode(iri)),
        ]
    return triples
