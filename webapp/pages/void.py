"""The VoID description of the dataset (https://www.w3.org/TR/void/), as RDF triples."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, XSD

from kg.export import EXPORT_GRAPHS
from kg.namespaces import VOID

from ..state import AppState
from . import SPARQL
from .exports import EXTENSIONS

PREFIXES = {"void": str(VOID), "dcterms": str(DCTERMS), "xsd": str(XSD)}


@dataclass(frozen=True)
class Links:
    """The absolute URLs the description points at, made by the view (it knows the host)."""

    dataset: str
    sparql_endpoint: str
    dump: Callable[[str, str], str]  # (graph, extension) → URL


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _v(term: str) -> ox.NamedNode:
    return ox.NamedNode(str(VOID) + term)


def _count(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_n(str(XSD.integer)))


def _first_row(result) -> dict:
    return result.rows[0] if result.rows else {}


def description(app_state: AppState, links: Links, counts: dict[str, int]) -> list[ox.Triple]:
    # counts: triples per download ("all" and each graph), as pages.exports.download_counts gives them
    """void:Dataset with title, licence, endpoint, dumps, URI space, statistics, examples,
    and one void:subset per named graph (the graph's own IRI) with its triple count."""
    store = app_state.store
    space = str(store.vocab.entity_ns)
    dataset = _n(links.dataset)
    header = _first_row(SPARQL.run(store, "ontology-header"))
    stats = _first_row(SPARQL.run(store, "void-counts"))
    triples = [
        ox.Triple(dataset, _n(str(RDF.type)), _v("Dataset")),
        ox.Triple(dataset, _v("sparqlEndpoint"), _n(links.sparql_endpoint)),
        ox.Triple(dataset, _v("uriSpace"), ox.Literal(space)),
        ox.Triple(dataset, _v("vocabulary"), _n(space)),
        ox.Triple(dataset, _v("triples"), _count(counts["all"])),
    ]
    for key, field in (("title", "title"), ("description", "description"), ("license", "license")):
        if key in header:
            triples.append(ox.Triple(dataset, _n(str(DCTERMS) + field), header[key]))
    for key in ("entities", "classes", "properties"):
        if key in stats:
            triples.append(ox.Triple(dataset, _v(key), _count(int(stats[key].value))))
    for row in SPARQL.run(store, "void-examples").rows:
        triples.append(ox.Triple(dataset, _v("exampleResource"), row["example"]))
    for graph in EXPORT_GRAPHS:
        node = dataset if graph == "all" else _n(store.graph_iris[graph])
        if node is not dataset:
            triples += [
                ox.Triple(dataset, _v("subset"), node),
                ox.Triple(node, _n(str(RDF.type)), _v("Dataset")),
                ox.Triple(node, _n(str(DCTERMS.title)), ox.Literal(f"the {graph} graph", language="en")),
                ox.Triple(node, _v("triples"), _count(counts[graph])),
            ]
        triples += [ox.Triple(node, _v("dataDump"), _n(links.dump(graph, ext))) for ext in EXTENSIONS]
    return triples
