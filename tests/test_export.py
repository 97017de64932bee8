"""Exports are deterministic, prefixed, and parse back into the same graph."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.compare import isomorphic

import kg.export
from kg import jsonld
from kg.export import export, export_format
from linked_data import parse_jsonld
from support import DEFAULT_GRAPHS, GRAPH, GRAPH_TRIPLES, TW

XSD = "http://www.w3.org/2001/XMLSchema#"


def _jsonld(store, content: bytes) -> Graph:
    """A JSON-LD export's triples (its context is inline: nothing to resolve)."""
    return parse_jsonld(content.decode("utf-8"))


def _offline(content: bytes) -> Graph:
    """The triples pyoxigraph reads from a JSON-LD document, with no way to load a remote context."""
    return Graph().parse(data=ox.serialize(ox.parse(content, ox.RdfFormat.JSON_LD), format=ox.RdfFormat.N_TRIPLES),
                         format="nt")


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


def test_jsonld_is_compact_with_the_published_context_inline(store, client):
    content = export(store, "asserted", export_format("jsonld"))
    document = json.loads(content)
    assert document["@context"] == jsonld.context(store.vocab.prefixes)["@context"] \
        == client.get("/context.jsonld").get_json()["@context"]
    assert document["@context"]["tw"] == TW
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
    assert json.loads(export(store, "inferred", export_format("jsonld")))["@context"]["tw"] == TW
    monkeypatch.setattr(kg.export, "COMPACT_JSONLD_LIMIT", inferred - 1)  # above it: expanded, no context
    content = export(store, "inferred", export_format("jsonld"))
    assert b"@context" not in content
    assert f'"@id":"{TW}'.encode() in content.replace(b" ", b"")
    turtle = Graph().parse(data=export(store, "inferred", export_format("turtle")), format="turtle")
    assert isomorphic(Graph().parse(data=content, format="json-ld"), turtle)


@pytest.mark.parametrize("graph", ["all", "justifications"])
def test_jsonld_is_read_offline_into_the_same_triples(store, graph):
    """A JSON-LD processor that cannot fetch anything (pyoxigraph without a loader) reads the export."""
    turtle = Graph().parse(data=export(store, graph, export_format("turtle")), format="turtle")
    assert isomorphic(_offline(export(store, graph, export_format("jsonld"))), turtle)


def test_compaction_keeps_every_literal_as_it_is():
    """No lexical form rewritten, no datatype, language or direction lost (rdflib's compaction did all four)."""
    subject, value = ox.NamedNode(TW + "x"), ox.NamedNode(TW + "value")
    literals = [ox.Literal("1.0E0", datatype=ox.NamedNode(XSD + "double")),
                ox.Literal("abc", datatype=ox.NamedNode(XSD + "integer")),
                ox.Literal("01", datatype=ox.NamedNode(XSD + "integer")),
                ox.Literal("0.10", datatype=ox.NamedNode(XSD + "float")),
                ox.Literal("2024-01-01Z", datatype=ox.NamedNode(XSD + "date")),
                ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean")),
                ox.Literal("tic", language="en-GB"),
                ox.Literal("plain"),
                ox.Literal("https://not.an.iri/", datatype=ox.NamedNode("https://example.org/own-type"))]
    triples = [ox.Triple(subject, value, literal) for literal in literals]
    content = jsonld.compact(triples, {"tw": TW, "xsd": XSD}, jsonld.context({"tw": TW, "xsd": XSD})["@context"])
    assert '"@type": "xsd:double"' in content.decode() and '"@id": "tw:x"' in content.decode()
    assert {quad.triple for quad in ox.parse(content, ox.RdfFormat.JSON_LD)} == set(triples)
