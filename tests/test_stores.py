"""Everything above the store answers the same on every store: memory, oxigraph:PATH and
sparql:URL (a real Virtuoso, tests/virtuoso.py). Each check runs on all three with the
same expected answer; the saved queries, entity pages and presentation checks are compared
with the memory store's answers, row for row and byte for byte."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import RDF, Graph, URIRef
from rdflib.compare import isomorphic

from kg.checker import Checker
from kg.config import load_settings
from kg.export import export, export_format
from kg.query.errors import MalformedQuery
from kg.query.saved import load_all
from kg.store import open_store
from kg.store.remote import RemoteStore
from linked_data import parse_jsonld
from support import (
    ASSERTED,
    CITATIONS,
    DEFAULT_GRAPHS,
    GRAPH,
    GRAPH_TRIPLES,
    HTML,
    INFERRED,
    PROFESSIONAL_ATTENTION,
    SAVED_QUERIES,
    TOTAL,
    TW,
    make_app,
    select,
)


@pytest.fixture(scope="module", params=["memory", "oxigraph", "sparql"])
def any_store(request, settings, built, tmp_path_factory):
    """The real build in each kind of store, loaded the way ``twitch-kg build --store`` loads it."""
    if request.param == "sparql":
        server = request.getfixturevalue("virtuoso")
        store = RemoteStore(settings, server.query_url, update_url=server.update_url)
    elif request.param == "oxigraph":
        store = open_store(f"oxigraph:{tmp_path_factory.mktemp('oxigraph')}", settings)
    else:
        store = open_store("memory", settings)
    store.load(built.artefact)
    return store


@pytest.fixture(scope="module")
def app_on(settings, any_store):
    return make_app(settings, any_store)


# ---------------------------------------------------------------- the store itself


def test_it_holds_the_build(any_store, built):
    assert any_store.loaded_hash() == built.artefact.input_hash
    assert {name: any_store.count(name) for name in GRAPH_TRIPLES} == GRAPH_TRIPLES
    assert any_store.count() == TOTAL


def test_seventeen_attributions(any_store):
    rows = select(any_store,
                  "SELECT (COUNT(*) AS ?n) WHERE { ?claim tw:claimCause ?cause ; cito:citesAsEvidence ?source }")
    assert rows == [(str(CITATIONS),)]


def test_the_reasoner_put_the_serious_causes_and_their_examples_in_the_defined_class(any_store):
    rows = select(any_store, "SELECT ?x WHERE { ?x a tw:RequiresProfessionalAttention } ORDER BY ?x")
    assert rows == [(slug,) for slug in PROFESSIONAL_ATTENTION]


def test_the_justifications_are_a_named_graph_kept_out_of_the_default_graph(any_store):
    assert select(any_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == [(str(TOTAL),)]
    statements = "SELECT (COUNT(*) AS ?n) WHERE { ?s a rdf:Statement }"
    assert select(any_store, statements) == [("0",)]
    named = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}justifications> {{ ?s a rdf:Statement }} }}"
    assert select(any_store, named) == [(str(INFERRED),)]


def test_graph_restriction(any_store):
    rows = select(any_store, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g")
    assert rows == [(GRAPH + name, str(n)) for name, n in sorted(GRAPH_TRIPLES.items())]
    inferred = f"SELECT ?x WHERE {{ GRAPH <{GRAPH}inferred> {{ ?x a tw:RequiresProfessionalAttention }} }} ORDER BY ?x"
    assert select(any_store, inferred) == [(slug,) for slug in PROFESSIONAL_ATTENTION]
    asserted = f"SELECT ?x WHERE {{ GRAPH <{GRAPH}asserted> {{ ?x a tw:RequiresProfessionalAttention }} }}"
    assert select(any_store, asserted) == []


def test_protocol_datasets(any_store):
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert any_store.query(count, default_graphs=[GRAPH + "asserted"]).rows[0]["n"].value == str(ASSERTED)
    assert any_store.query(count, default_graphs=[]).rows[0]["n"].value == "0"
    named = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    rows = any_store.query(named, named_graphs=[GRAPH + "inferred"]).rows
    assert [r["g"].value for r in rows] == [GRAPH + "inferred"]


def test_ask_construct_and_malformed(any_store):
    assert any_store.query("ASK { tw:dystonia a tw:RequiresProfessionalAttention }").boolean is True
    assert any_store.query("ASK { tw:dehydration a tw:RequiresProfessionalAttention }").boolean is False
    graph = any_store.query("CONSTRUCT { ?c cito:citesAsEvidence ?s } "
                            "WHERE { tw:claim-dystonia cito:citesAsEvidence ?s . BIND(tw:claim-dystonia AS ?c) }")
    assert [str(t) for t in graph.triples] == [
        f"<{TW}claim-dystonia> <http://purl.org/spar/cito/citesAsEvidence> <{TW}nhs>"]
    with pytest.raises(MalformedQuery):
        any_store.query("SELECT * WHERE { ?s ?p }")


def test_row_limit(any_store):
    result = any_store.query("SELECT ?s WHERE { ?s a tw:Cause } ORDER BY ?s", row_limit=3)
    assert [r["s"].value[len(TW):] for r in result.rows] == ["autoimmune-disorders", "benign-fasciculation-syndrome",
                                                              "caffeine-and-stimulants"]
    assert result.truncated is True


# ---------------------------------------------------------------- binding values


SUBSTITUTED = [
    # (query, substitutions, expected rows or boolean)
    ("SELECT ?_x ?label WHERE { ?_x rdfs:label ?label }", {"_x": ox.NamedNode(TW + "dystonia")},
     [(f"{TW}dystonia", "dystonia")]),
    ("SELECT ?_x (COUNT(?s) AS ?n) WHERE { ?c cito:citesAsEvidence ?_x ; tw:claimCause ?s } GROUP BY ?_x",
     {"_x": ox.NamedNode(TW + "nhs")}, [(f"{TW}nhs", "2")]),
    ("SELECT ?_q ?x WHERE { ?x rdfs:label ?l FILTER(STR(?l) = ?_q) }", {"_q": ox.Literal("dystonia")},
     [("dystonia", f"{TW}dystonia")]),
    ("SELECT ?_q ?x WHERE { OPTIONAL { ?x rdfs:label ?_q } }", {"_q": ox.Literal('x" } ; DROP ALL ; #\\u0022')},
     [('x" } ; DROP ALL ; #\\u0022', None)]),
    ("ASK { ?_x a tw:RequiresProfessionalAttention }", {"_x": ox.NamedNode(TW + "als")}, True),
    ("ASK { ?_x a tw:RequiresProfessionalAttention }", {"_x": ox.NamedNode(TW + "exercise")}, False),
]


@pytest.mark.parametrize("sparql, bound, expected", SUBSTITUTED)
def test_bound_values_are_data_never_text(any_store, sparql, bound, expected):
    result = any_store.query(sparql, substitutions=bound)
    if isinstance(expected, bool):
        assert result.boolean is expected
    else:
        assert [tuple(r[v].value if v in r else None for v in result.variables) for r in result.rows] == expected


def test_bound_construct_and_its_short_form(any_store):
    bound = {"_c": ox.NamedNode(TW + "claim-dystonia")}
    for sparql in ("CONSTRUCT { ?_c cito:citesAsEvidence ?s } WHERE { ?_c cito:citesAsEvidence ?s }",
                   "CONSTRUCT WHERE { ?_c cito:citesAsEvidence ?s }"):
        triples = any_store.query(sparql, substitutions=bound).triples
        assert [str(t) for t in triples] == [
            f"<{TW}claim-dystonia> <http://purl.org/spar/cito/citesAsEvidence> <{TW}nhs>"]


def test_an_unprojected_bound_variable_is_refused_alike(any_store):
    with pytest.raises(MalformedQuery, match=r"\?_x in its SELECT projection"):
        any_store.query("SELECT ?label WHERE { ?_x rdfs:label ?label }", substitutions={"_x": ox.NamedNode(TW + "als")})


# ---------------------------------------------------------------- exports


@pytest.mark.parametrize("graph", ["all", "asserted", "inferred", "ontology"])
def test_exports_hold_the_same_triples(any_store, store, graph):
    ours = Graph().parse(data=export(any_store, graph, export_format("turtle")), format="turtle")
    reference = Graph().parse(data=export(store, graph, export_format("turtle")), format="turtle")
    assert len(ours) == (TOTAL if graph == "all" else GRAPH_TRIPLES[graph])
    assert isomorphic(ours, reference)


def test_exports_are_deterministic(any_store):
    first = export(any_store, "all", export_format("turtle"))
    assert export(any_store, "all", export_format("turtle")) == first
    assert first.startswith(b"@prefix ")
    compact = export(any_store, "all", export_format("jsonld"))
    assert export(any_store, "all", export_format("jsonld")) == compact
    assert compact.startswith(b'{\n  "@context": {\n    "cito": "http://purl.org/spar/cito/",\n')


def test_jsonld_export_holds_the_same_triples(any_store, store):
    ours = parse_jsonld(export(any_store, "all", export_format("jsonld")).decode("utf-8"))
    reference = Graph().parse(data=export(store, "all", export_format("turtle")), format="turtle")
    assert len(ours) == TOTAL
    assert isomorphic(ours, reference)


def test_trig_keeps_the_graph_names(any_store):
    dataset = ox.Dataset(ox.parse(export(any_store, "all", export_format("trig")), ox.RdfFormat.TRIG))
    assert {q.graph_name.value for q in dataset} == {GRAPH + name for name in DEFAULT_GRAPHS}  # "all": the default
    assert len(dataset) == TOTAL


# ---------------------------------------------------------------- everything above the store


def _rows(result):
    if result.kind == "ask":
        return result.boolean
    if result.is_graph:
        return sorted(str(t) for t in result.triples)
    return result.variables, [tuple(str(r.get(v)) for v in result.variables) for r in result.rows]


SAVED = sorted(load_all(load_settings().queries_dir))


def test_there_are_saved_queries():
    assert SAVED == SAVED_QUERIES


@pytest.mark.parametrize("name", SAVED)
def test_saved_query_answers_as_on_the_memory_store(any_store, store, settings, name):
    query = load_all(settings.queries_dir, settings.base_iri)[name]
    bound = query.bindings({}, store.vocab.prefixes)
    expected = _rows(store.query(query.sparql, substitutions=bound))
    assert _rows(any_store.query(query.sparql, substitutions=bound)) == expected


@pytest.mark.parametrize("path", ["/id/dystonia", "/id/RequiresProfessionalAttention", "/id/claim-lack-of-sleep",
                                  "/queries/causes-by-source?source=tw%3Anhs"])
def test_pages_are_the_same(app_on, client, path):
    ours = app_on.test_client().get(path, headers=HTML)
    reference = client.get(path, headers=HTML)
    assert (ours.status_code, ours.mimetype) == (200, "text/html")
    assert ours.get_data(as_text=True) == reference.get_data(as_text=True)


def test_entity_turtle_is_the_same(app_on, client):
    ours = app_on.test_client().get("/id/dystonia", headers={"Accept": "text/turtle"})
    reference = client.get("/id/dystonia", headers={"Accept": "text/turtle"})
    assert (ours.status_code, ours.mimetype) == (200, "text/turtle")
    parsed = Graph().parse(data=ours.data, format="turtle")
    assert (URIRef(TW + "dystonia"), RDF.type, URIRef(TW + "RequiresProfessionalAttention")) in parsed
    assert isomorphic(parsed, Graph().parse(data=reference.data, format="turtle"))


def test_presentation_check_is_the_same(any_store, checker):
    ours, reference = Checker.from_store(any_store), checker
    cases = [(["with-weakness"], ["caffeine"], None), ([], ["dehydration"], None), (["worsening"], [], "pinched nerve"),
             ([], [], "ALS")]
    for features, triggers, condition in cases:
        answer = ours.check(ours.presentation(features, triggers, condition)).to_json()
        assert answer == reference.check(reference.presentation(features, triggers, condition)).to_json()
    escalated = ours.check(ours.presentation(["with-weakness"], ["caffeine"])).to_json()
    assert escalated["escalated"] is True


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv"])
def test_the_sparql_endpoint_answers_the_same(app_on, client, accept):
    """Through /sparql (on embedded stores, in the query workers: a snapshot, or the version folder read-only)."""
    query = "SELECT ?cause WHERE { ?cause a tw:RequiresProfessionalAttention , tw:Cause } ORDER BY ?cause"
    ours = app_on.test_client().get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    reference = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert (ours.status_code, ours.mimetype) == (200, accept)
    assert ours.data == reference.data
    if accept == "text/csv":
        # the five less common, more serious causes (ALS and Isaacs syndrome are conditions, not causes)
        assert ours.get_data(as_text=True).split() == ["cause"] + [
            TW + name for name in ["autoimmune-disorders", "benign-fasciculation-syndrome", "dystonia",
                                   "neurological-disorders", "pinched-nerve"]]
