"""The reference: HermiT (OWL 2 DL, through owlready2 and kg.reason) classifying many presentations in one run.

Slow (a JVM per call), so the web app never uses it; the agreement test and the benchmark
compare the fast path with it, and ``twitch-kg check --reasoner hermit`` offers it.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from .. import reason, sources
from ..config import Settings

NAME = "HermiT (OWL 2 DL, through owlready2)"


def classify_all(settings: Settings, cases: dict[URIRef, list[tuple]],
                 classes: frozenset) -> dict[URIRef, frozenset[str]]:
    """For each individual, the named classes HermiT puts it in, over the ontology and the article's data.

    ``cases`` maps each individual to its triples; all are reasoned together in one JVM.
    """
    graph: Graph = sources.load_ontology(settings) + sources.load_data(settings)
    for triples in cases.values():
        for triple in triples:
            graph.add(triple)
    inferred = reason.infer(graph)
    return {
        individual: frozenset(
            str(c) for c in set(graph.objects(individual, RDF.type)) | set(inferred.objects(individual, RDF.type))
            if c in classes
        )
        for individual in cases
    }
