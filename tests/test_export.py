"""Exports are deterministic, prefixed, and parse back into the same graph."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

from kg.export import export, export_format
from support import DEFAULT_GRAPHS, GRAPH, GRAPH_TRIPLES


def _artefact_graph(built, graph_iris, names):
    dataset = Dataset()
    dataset.parse(built.artefact.path, format="nquads")
    union = Graph()
    for name in names:
        for triple in dataset.graph(URIRef(graph_iris[name])):
            union.add(triple)
    return union


@pytest.mark.parametrize("graph", ["all", "ontology", "asserted", "inferred"])
@pytest.mark.parametrize("fmt,rdflib_format",
                         [("turtle", "turtle"), ("nt", "nt"), ("jsonld", "json-ld"), ("xml", "xml")])
def test_export_parses_back_into_the_same_graph(store, built, graph, fmt, rdflib_format):
    names = ["ontology", "asserted", "inferred"] if graph == "all" else [graph]
    content = export(store, graph, export_format(fmt))
    parsed = Graph().parse(data=content, format=rdflib_format)
    assert isomorphic(parsed, _artefact_graph(built, store.graph_iris, names))


def test_trig_keeps_the_named_graphs(store, built):
    dataset = Dataset()
    dataset.parse(data=export(store, "all", export_format("trig")), format="trig")
    names = {str(g.identifier) for g in dataset.graphs() if len(g)}
    assert names == set(store.default_graph_iris) == {GRAPH + name for name in DEFAULT_GRAPHS}  # "all"


def test_turtle_is_prefixed_and_readable(store):
    text = export(store, "asserted", export_format("turtle")).decode()
    assert text.startswith("@prefix ")
    assert "@prefix tw: <https://w3id.org/twitch-kg/id/> ." in text
    assert 'tw:dehydration a ' in text


def test_export_is_deterministic(store):
    first = export(store, "all", export_format("turtle"))
    assert export(store, "all", export_format("turtle")) == first


def test_counts_match_the_manifest(store, built):
    for name in ("ontology", "asserted", "inferred"):
        assert store.count(name) == built.counts[name] == GRAPH_TRIPLES[name]
