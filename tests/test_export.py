"""Exports are deterministic, prefixed, and parse back into the same graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

import kg.export
from kg import jsonld
from kg.export import export, export_format
from linked_data import parse_jsonld, register_context
from support import DEFAULT_GRAPHS, GRAPH, GRAPH_TRIPLES, TW

CONTEXT_URL = "https://w3id.org/twitch-kg/context.jsonld"


def _jsonld(store, content: bytes) -> Graph:
    """A JSON-LD export's triples, its @context resolved from the context the site publishes."""
    register_context(CONTEXT_URL, jsonld.context(store.vocab.prefixes))
    return parse_jsonld(content.decode("utf-8"))


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
    parsed = _jsonld(store, content) if fmt == "jsonld" else Graph().parse(data=content, format=rdflib_format)
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


# ---------------------------------------------------------------- JSON-LD: compact, against the published context


@pytest.mark.parametrize("graph", ["all", "ontology", "asserted", "inferred", "justifications", "shapes"])
def test_jsonld_holds_the_turtle_exports_triples(store, graph):
    turtle = Graph().parse(data=export(store, graph, export_format("turtle")), format="turtle")
    parsed = _jsonld(store, export(store, graph, export_format("jsonld")))
    assert len(parsed) == len(turtle) == GRAPH_TRIPLES.get(graph, sum(GRAPH_TRIPLES[g] for g in DEFAULT_GRAPHS))
    assert isomorphic(parsed, turtle)


def test_jsonld_is_compact_against_the_published_context(store):
    content = export(store, "asserted", export_format("jsonld"))
    document = json.loads(content)
    assert document["@context"] == CONTEXT_URL
    text = content.decode("utf-8")
    assert '"@id": "tw:dehydration"' in text
    assert f'"@id": "{TW}dehydration"' not in text
    keys = {key for node in document["@graph"] for key in node}
    assert "rdfs:label" in keys
    assert not [key for key in keys if key.startswith("http")]  # every property by its compact IRI
    assert content == export(store, "asserted", export_format("jsonld"))


def test_jsonld_is_the_same_bytes_in_every_process(settings, built, store):
    """rdflib's sets are hash-ordered and PYTHONHASHSEED differs per process: the export must not show it."""
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TWITCH_KG_BUILD_DIR": str(settings.build_dir)}
        done = subprocess.run([sys.executable, "-m", "kg.cli", "--store", "memory", "export", "--format", "jsonld"],
                              env=env, capture_output=True, check=True, timeout=120)
        outputs.add(done.stdout)
    assert outputs == {export(store, "all", export_format("jsonld"))}


def test_a_graph_above_the_limit_is_streamed_expanded(store, monkeypatch):
    inferred = GRAPH_TRIPLES["inferred"]
    monkeypatch.setattr(kg.export, "COMPACT_JSONLD_LIMIT", inferred)  # at the limit: compact
    assert json.loads(export(store, "inferred", export_format("jsonld")))["@context"] == CONTEXT_URL
    monkeypatch.setattr(kg.export, "COMPACT_JSONLD_LIMIT", inferred - 1)  # above it: expanded, no context
    content = export(store, "inferred", export_format("jsonld"))
    assert b"@context" not in content
    assert f'"@id":"{TW}'.encode() in content.replace(b" ", b"")
    turtle = Graph().parse(data=export(store, "inferred", export_format("turtle")), format="turtle")
    assert isomorphic(Graph().parse(data=content, format="json-ld"), turtle)
