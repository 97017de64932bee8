"""Real SPARQL clients against the endpoint over HTTP on loopback: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

from urllib.error import HTTPError

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, POSTDIRECTLY, TURTLE, URLENCODED, XML, SPARQLWrapper

from support import GRAPH, INFERRED, NHS_LABEL, TOTAL, TW

NHS = URIRef(TW + "nhs")


@pytest.fixture()
def wrapper(live_server):
    return SPARQLWrapper(live_server.url + "/sparql")


def test_sparqlwrapper_select_json(wrapper):
    wrapper.setQuery(NHS_LABEL)
    wrapper.setReturnFormat(JSON)
    result = wrapper.query()
    assert result.info()["content-type"] == "application/sparql-results+json"
    assert result.convert()["results"]["bindings"] == [{"l": {"type": "literal", "value": "NHS", "xml:lang": "en"}}]


def test_sparqlwrapper_ask(wrapper):
    wrapper.setReturnFormat(JSON)
    wrapper.setQuery("ASK { tw:dystonia a tw:RequiresProfessionalAttention }")
    assert wrapper.queryAndConvert()["boolean"] is True
    wrapper.setQuery("ASK { tw:dehydration a tw:RequiresProfessionalAttention }")
    assert wrapper.queryAndConvert()["boolean"] is False


def test_sparqlwrapper_construct_as_turtle(wrapper):
    wrapper.setQuery("CONSTRUCT { tw:nhs rdfs:label ?l } WHERE { tw:nhs rdfs:label ?l }")
    wrapper.setReturnFormat(TURTLE)
    result = wrapper.query()
    assert result.info()["content-type"].startswith("text/turtle")
    graph = Graph().parse(data=result.convert(), format="turtle")
    assert set(graph) == {(NHS, RDFS.label, Literal("NHS", lang="en"))}


def test_sparqlwrapper_xml_results(wrapper):
    wrapper.setQuery(NHS_LABEL)
    wrapper.setReturnFormat(XML)
    document = wrapper.queryAndConvert()
    literals = document.getElementsByTagName("literal")
    assert [(n.firstChild.data, n.getAttribute("xml:lang")) for n in literals] == [("NHS", "en")]


@pytest.mark.parametrize("request_method", [URLENCODED, POSTDIRECTLY])
def test_sparqlwrapper_post(wrapper, request_method):
    wrapper.setMethod(POST)
    wrapper.setRequestMethod(request_method)
    wrapper.setQuery(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}inferred> {{ ?s ?p ?o }} }}")
    wrapper.setReturnFormat(JSON)
    assert wrapper.queryAndConvert()["results"]["bindings"][0]["n"]["value"] == str(INFERRED)


def test_sparqlwrapper_update_is_refused(wrapper, store):
    wrapper.setMethod(POST)
    wrapper.setQuery("CLEAR ALL")  # SPARQLWrapper sends it as an update= form parameter
    with pytest.raises(HTTPError) as raised:
        wrapper.query()
    assert raised.value.code == 403
    assert b"read-only" in raised.value.read()
    assert store.count() == TOTAL


@pytest.fixture()
def remote(live_server):
    return SPARQLStore(query_endpoint=live_server.url + "/sparql")


def test_rdflib_sparqlstore_select(remote):
    graph = Graph(store=remote)
    rows = list(graph.query(f"SELECT ?l WHERE {{ <{TW}nhs> rdfs:label ?l }}"))
    assert rows == [(Literal("NHS", lang="en"),)]


def test_rdflib_sparqlstore_ask_and_construct(remote):
    graph = Graph(store=remote)
    assert graph.query(f"ASK {{ <{TW}dystonia> a <{TW}RequiresProfessionalAttention> }}").askAnswer is True
    constructed = graph.query(f"CONSTRUCT {{ <{TW}nhs> rdfs:label ?l }} WHERE {{ <{TW}nhs> rdfs:label ?l }}").graph
    assert set(constructed) == {(NHS, RDFS.label, Literal("NHS", lang="en"))}


def test_rdflib_sparqlstore_triples_and_a_named_graph_as_default(remote):
    assert set(Graph(store=remote).objects(NHS, RDFS.label)) == {Literal("NHS", lang="en")}
    inferred = Graph(store=remote, identifier=URIRef(GRAPH + "inferred"))
    rows = list(inferred.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"))
    assert rows == [(Literal(INFERRED),)]
