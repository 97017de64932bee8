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
from .metadata import describing_triples, metadata

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


def _partitions(store, dataset: ox.NamedNode) -> list[ox.Triple]:
    """One void:classPartition per class (void:class, void:entities) and one void:propertyPartition
    per predicate (void:property, void:triples), over the union of the graphs; each partition is named
    by a fragment of the description (``#class-1``, ``#property-1``, in the order of their IRIs)."""
    document = dataset.value.partition("#")[0]
    triples = []
    for number, row in enumerate(SPARQL.run(store, "void-class-partitions").rows, 1):
        node = _n(f"{document}#class-{number}")
        triples += [ox.Triple(dataset, _v("classPartition"), node), ox.Triple(node, _v("class"), row["class"]),
                    ox.Triple(node, _v("entities"), _count(int(row["entities"].value)))]
    for number, row in enumerate(SPARQL.run(store, "void-property-partitions").rows, 1):
        node = _n(f"{document}#property-{number}")
        triples += [ox.Triple(dataset, _v("propertyPartition"), node),
                    ox.Triple(node, _v("property"), row["property"]),
                    ox.Triple(node, _v("triples"), _count(int(row["triples"].value)))]
    return triples


def description(app_state: AppState, links: Links, counts: dict[str, int]) -> list[ox.Triple]:
    """void:Dataset with the ontology header's title, description, licence, creators, publishers and
    dates, endpoint, dumps, URI space, statistics, examples, class and property partitions, and one
    void:subset per named graph (the graph's own IRI) with its triple count; ``counts``: triples per
    download ("all", the default graph, and each graph), as ``pages.exports.download_counts`` gives them."""
    store = app_state.store
    space = str(store.vocab.entity_ns)
    dataset = _n(links.dataset)
    stats = _first_row(SPARQL.run(store, "void-counts"))
    triples = [
        ox.Triple(dataset, _n(str(RDF.type)), _v("Dataset")),
        ox.Triple(dataset, _v("sparqlEndpoint"), _n(links.sparql_endpoint)),
        ox.Triple(dataset, _v("uriSpace"), ox.Literal(space)),
        ox.Triple(dataset, _v("vocabulary"), _n(space)),
        ox.Triple(dataset, _v("triples"), _count(counts["all"])),
    ]
    triples += describing_triples(dataset, metadata(app_state))
    for key in ("entities", "classes", "properties"):
        if key in stats:
            triples.append(ox.Triple(dataset, _v(key), _count(int(stats[key].value))))
    for row in SPARQL.run(store, "void-examples").rows:
        triples.append(ox.Triple(dataset, _v("exampleResource"), row["example"]))
    triples += _partitions(store, dataset)
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
