"""The SPARQL 1.1 Protocol endpoint through the Flask test client: every status, media type and answer."""

from __future__ import annotations

import json
from xml.etree import ElementTree

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS
from support import ASSERTED, BROWSER, CAUSES, GRAPH, INFERRED, NHS_LABEL, ONTOLOGY, TOTAL, TW, make_app
from webapp.state import state_of

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
SRX = "{http://www.w3.org/2005/sparql-results#}"


def get(client, query, accept=None, **params):
    headers = {"Accept": accept} if accept else {}
    return client.get("/sparql", query_string={"query": query, **params}, headers=headers)


def bindings(response):
    return json.loads(response.data)["results"]["bindings"]


def count(client, query, **params):
    response = get(client, query, "application/sparql-results+json", **params)
    assert response.status_code == 200, response.data
    return int(bindings(response)[0]["n"]["value"])


# ------------------------------------------------------------------ the three ways to send a query


def test_get_select_answers_the_one_label_as_sparql_json(client):
    response = get(client, NHS_LABEL)
    assert response.status_code == 200
    assert response.mimetype == "application/sparql-results+json"
    assert json.loads(response.data) == {
        "head": {"vars": ["l"]},
        "results": {"bindings": [{"l": {"type": "literal", "value": "NHS", "xml:lang": "en"}}]},
    }


def test_post_form_and_post_direct_give_the_same_answer(client):
    form = client.post("/sparql", data={"query": NHS_LABEL})
    direct = client.post("/sparql", data=NHS_LABEL.encode(), content_type="application/sparql-query")
    direct_utf8 = client.post("/sparql", data=NHS_LABEL.encode(),
                              content_type="application/sparql-query; charset=UTF-8")
    for response in (form, direct, direct_utf8):
        assert response.status_code == 200
        assert bindings(response) == [{"l": {"type": "literal", "value": "NHS", "xml:lang": "en"}}]


def test_direct_post_takes_dataset_parameters_from_the_url(client):
    response = client.post(f"/sparql?default-graph-uri={GRAPH}inferred", data=COUNT.encode(),
                           content_type="application/sparql-query", headers={"Accept": "text/csv"})
    assert response.data == f"n\r\n{INFERRED}\r\n".encode()


def test_ask_true_and_false(client):
    true = get(client, "ASK { tw:dystonia a tw:RequiresProfessionalAttention }")
    false = get(client, "ASK { tw:dehydration a tw:RequiresProfessionalAttention }")
    assert true.mimetype == false.mimetype == "application/sparql-results+json"
    assert json.loads(true.data) == {"head": {}, "boolean": True}
    assert json.loads(false.data) == {"head": {}, "boolean": False}


# ------------------------------------------------------------------ content negotiation


@pytest.mark.parametrize("fmt", RESULT_FORMATS, ids=lambda f: f.name)
def test_every_result_format_by_accept(client, fmt):
    response = get(client, NHS_LABEL, fmt.media_type)
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    assert "Accept" in response.vary


def test_result_bodies_in_xml_csv_and_tsv(client):
    xml = ElementTree.fromstring(get(client, NHS_LABEL, "application/sparql-results+xml").data)
    literal = xml.find(f"{SRX}results/{SRX}result/{SRX}binding/{SRX}literal")
    assert (literal.text, literal.get("{http://www.w3.org/XML/1998/namespace}lang")) == ("NHS", "en")
    assert get(client, NHS_LABEL, "text/csv").data == b"l\r\nNHS\r\n"
    assert get(client, NHS_LABEL, "text/tab-separated-values").data == b'?l\n"NHS"@en\n'


def test_q_values_choose_the_format(client):
    assert get(client, NHS_LABEL, "text/csv;q=0.5, application/sparql-results+xml").mimetype == (
        "application/sparql-results+xml")
    assert get(client, NHS_LABEL, "application/sparql-results+json;q=0.1, text/tab-separated-values").mimetype == (
        "text/tab-separated-values")
    assert get(client, NHS_LABEL, "*/*").mimetype == "application/sparql-results+json"


def test_no_accept_header_gives_sparql_json(client):
    assert get(client, NHS_LABEL).mimetype == "application/sparql-results+json"


@pytest.mark.parametrize("fmt", GRAPH_FORMATS, ids=lambda f: f.name)
def test_construct_in_every_rdf_format(client, fmt):
    response = get(client, "CONSTRUCT { tw:nhs rdfs:label ?l } WHERE { tw:nhs rdfs:label ?l }", fmt.media_type)
    assert response.status_code == 200
    assert response.mimetype == fmt.media_type
    triples = [quad.triple for quad in ox.parse(response.data, format=fmt.rdf_format)]
    assert triples == [ox.Triple(ox.NamedNode(TW + "nhs"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
                                 ox.Literal("NHS", language="en"))]


def test_construct_without_accept_is_turtle_and_describe_too(client):
    construct = get(client, "CONSTRUCT WHERE { tw:nhs a ?t }")
    describe = get(client, "DESCRIBE tw:nhs")
    assert construct.mimetype == describe.mimetype == "text/turtle"
    described = Graph().parse(data=describe.data, format="turtle")
    assert (URIRef(TW + "nhs"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
            Literal("NHS", lang="en")) in described


def test_relative_iris_resolve_against_the_endpoint(client):
    response = get(client, "CONSTRUCT { <s> <p> 1 } WHERE {}", "application/n-triples")
    assert response.data == (b'<https://w3id.org/twitch-kg/s> <https://w3id.org/twitch-kg/p> '
                             b'"1"^^<http://www.w3.org/2001/XMLSchema#integer> .\n')


@pytest.mark.parametrize("name, media_type", [("json", "application/sparql-results+json"),
                                              ("xml", "application/sparql-results+xml"),
                                              ("csv", "text/csv"), ("tsv", "text/tab-separated-values"),
                                              ("text/csv", "text/csv")])
def test_format_parameter_overrides_accept_for_results(client, name, media_type):
    response = get(client, NHS_LABEL, "application/sparql-results+json", format=name)
    assert (response.status_code, response.mimetype) == (200, media_type)


@pytest.mark.parametrize("name, media_type", [("turtle", "text/turtle"), ("ttl", "text/turtle"),
                                              ("nt", "application/n-triples"),
                                              ("jsonld", "application/ld+json"), ("json-ld", "application/ld+json"),
                                              ("json", "application/ld+json"), ("xml", "application/rdf+xml")])
def test_format_parameter_for_graphs(client, name, media_type):
    response = get(client, "CONSTRUCT WHERE { tw:nhs a ?t }", format=name)
    assert (response.status_code, response.mimetype) == (200, media_type)


def test_unknown_or_mismatched_format_parameter_is_400(client):
    bogus = get(client, NHS_LABEL, format="xlsx")
    mismatched = get(client, "CONSTRUCT WHERE { tw:nhs a ?t }", format="csv")
    assert bogus.status_code == mismatched.status_code == 400
    assert "choose from json, xml, csv, tsv" in bogus.get_data(as_text=True)
    assert "choose from turtle, nt, jsonld, xml" in mismatched.get_data(as_text=True)


def test_nothing_acceptable_is_406_listing_what_we_offer(client):
    select = get(client, NHS_LABEL, "image/png")
    construct = get(client, "CONSTRUCT WHERE { tw:nhs a ?t }", "application/sparql-results+json")
    assert select.status_code == construct.status_code == 406
    assert ("we offer application/sparql-results+json, application/sparql-results+xml, text/csv, "
            "text/tab-separated-values") in select.get_data(as_text=True)
    assert ("we offer text/turtle, application/n-triples, application/ld+json, application/rdf+xml"
            in construct.get_data(as_text=True))
    assert "Accept" in select.vary


# ------------------------------------------------------------------ the dataset


def test_default_graph_is_the_union_and_each_graph_is_named(client):
    assert count(client, COUNT) == TOTAL
    assert count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}inferred> {{ ?s ?p ?o }} }}") == INFERRED
    graphs = bindings(get(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"))
    assert [b["g"]["value"] for b in graphs] == [GRAPH + "asserted", GRAPH + "inferred", GRAPH + "justifications",
                                                 GRAPH + "ontology", GRAPH + "shapes"]


def test_default_graph_uri_changes_the_answer(client):
    assert count(client, COUNT, **{"default-graph-uri": GRAPH + "asserted"}) == ASSERTED
    assert count(client, COUNT,
                 **{"default-graph-uri": [GRAPH + "asserted", GRAPH + "inferred"]}) == ASSERTED + INFERRED
    dystonia = "ASK { tw:dystonia a tw:RequiresProfessionalAttention }"
    assert json.loads(get(client, dystonia, **{"default-graph-uri": GRAPH + "asserted"}).data)["boolean"] is False


def test_named_graph_uri_limits_graph_and_empties_the_default_graph(client):
    params = {"named-graph-uri": GRAPH + "inferred"}
    graphs = bindings(get(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", **params))
    assert [b["g"]["value"] for b in graphs] == [GRAPH + "inferred"]
    assert count(client, COUNT, **params) == 0


def test_from_clauses_are_honoured_and_the_protocol_overrides_them(client):
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}inferred> WHERE {{ ?s ?p ?o }}") == INFERRED
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}inferred> WHERE {{ ?s ?p ?o }}",
                 **{"default-graph-uri": GRAPH + "asserted"}) == ASSERTED
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM NAMED <{GRAPH}ontology> "
                         "WHERE { GRAPH ?g { ?s ?p ?o } }") == ONTOLOGY


def test_the_justifications_graph_is_named_only_and_reachable_by_from_graph_and_the_protocol(client):
    statements = "SELECT (COUNT(*) AS ?n) WHERE { ?s a rdf:Statement }"
    assert count(client, statements) == 0  # the default graph: ontology, asserted and inferred
    assert count(client, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{GRAPH}justifications> {{ ?s a rdf:Statement }} }}"
                 ) == INFERRED
    assert count(client, f"SELECT (COUNT(*) AS ?n) FROM <{GRAPH}justifications> WHERE {{ ?s a rdf:Statement }}"
                 ) == INFERRED
    assert count(client, statements, **{"default-graph-uri": GRAPH + "justifications"}) == INFERRED


@pytest.mark.parametrize("params, query", [
    ({"default-graph-uri": "http://example.org/elsewhere"}, COUNT),
    ({"named-graph-uri": "http://example.org/elsewhere"}, COUNT),
    ({}, "SELECT * FROM <http://example.org/elsewhere> WHERE { ?s ?p ?o }"),
    ({}, "SELECT * FROM NAMED <file:///etc/passwd> WHERE { ?s ?p ?o }"),
])
def test_a_graph_we_do_not_hold_is_400_naming_it_and_ours(client, params, query):
    response = get(client, query, **params)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    named = params.get("default-graph-uri") or params.get("named-graph-uri") or query.split("<")[1].split(">")[0]
    assert f"no graph <{named}>" in text
    assert f"<{GRAPH}ontology>, <{GRAPH}asserted>, <{GRAPH}inferred>" in text


# ------------------------------------------------------------------ bad requests


def test_malformed_query_is_400_with_line_and_column(client):
    one_line = get(client, "SELECT ?l WHERE { tw:nhs rdfs:label ?l ")
    two_lines = get(client, "SELECT ?l\nWHERE { ?s rdfs:label ?l ) }")
    assert one_line.status_code == two_lines.status_code == 400
    assert "error at 1:40" in one_line.get_data(as_text=True)
    assert "error at 2:" in two_lines.get_data(as_text=True)
    assert one_line.mimetype == "text/plain"


@pytest.mark.parametrize("query_string, message", [
    ("query=ASK%20%7B%7D&query=ASK%20%7B%7D", "carries 2 queries"),
    (f"default-graph-uri={GRAPH}asserted", "has no query"),
    ("query=%20%20", "The query is empty"),
])
def test_bad_get_is_400(client, query_string, message):
    response = client.get("/sparql?" + query_string)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)


def test_bad_posts_are_400(client):
    missing = client.post("/sparql", data={"default-graph-uri": GRAPH + "asserted"})
    both = client.post("/sparql?query=ASK%20%7B%7D", data=b"ASK {}", content_type="application/sparql-query")
    two_forms = client.post("/sparql?query=ASK%20%7B%7D", data={"query": "ASK {}"})
    not_utf8 = client.post("/sparql", data="ASK { ?s ?p \"é\" }".encode("latin-1"),
                           content_type="application/sparql-query")
    assert [r.status_code for r in (missing, both, two_forms, not_utf8)] == [400, 400, 400, 400]
    assert "not valid UTF-8" in not_utf8.get_data(as_text=True)


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/json",
                                          "application/sparql-query; charset=UTF-16",
                                          "application/x-www-form-urlencoded; charset=ISO-8859-1"])
def test_unsupported_body_media_type_is_415(client, content_type):
    response = client.post("/sparql", data=b"ASK {}", headers={"Content-Type": content_type} if content_type else {})
    assert response.status_code == 415
    assert "UTF-8" in response.get_data(as_text=True) or "application/sparql-query" in response.get_data(as_text=True)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(client, method):
    response = client.open("/sparql?query=ASK%20%7B%7D", method=method)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) == {"GET", "HEAD", "POST", "OPTIONS"}


# ------------------------------------------------------------------ read-only


@pytest.mark.parametrize("send", [
    lambda c: c.get("/sparql", query_string={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data={"update": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data=b"CLEAR ALL", content_type="application/sparql-update"),
    lambda c: c.post("/sparql", data=b"DROP ALL", content_type="application/sparql-update; charset=UTF-16"),
    lambda c: c.get("/sparql", query_string={"query": "CLEAR ALL"}),
    lambda c: c.post("/sparql", data={"query": "INSERT DATA { tw:x rdfs:label \"x\" }"}),
    lambda c: c.post("/sparql", data=b"DELETE WHERE { ?s ?p ?o }", content_type="application/sparql-query"),
], ids=["get-update", "form-update", "direct-update", "direct-update-utf16", "update-as-query", "insert-as-form-query",
        "delete-as-direct-query"])
def test_updates_are_refused_and_change_nothing(client, store, send):
    before = store.count()
    response = send(client)
    assert response.status_code == 403
    assert "read-only" in response.get_data(as_text=True)
    assert store.count() == before == TOTAL


# ------------------------------------------------------------------ CORS and headers


def test_options_preflight_is_204_with_cors_headers(client):
    response = client.options("/sparql", headers={"Origin": "https://example.org",
                                                  "Access-Control-Request-Method": "POST",
                                                  "Access-Control-Request-Headers": "Content-Type"})
    assert response.status_code == 204
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "Content-Type" in response.headers["Access-Control-Allow-Headers"]


def test_results_carry_cors_and_vary(client):
    response = get(client, NHS_LABEL)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert response.headers["Vary"] == "Accept, Accept-Encoding"
    assert get(client, "ASK {").headers["Vary"] == "Accept, Accept-Encoding"


# ------------------------------------------------------------------ service description


def service_description(client, accept):
    return client.get("/sparql", headers={"Accept": accept} if accept else {})


@pytest.mark.parametrize("accept, media_type, rdf_format", [
    (None, "text/turtle", "turtle"),
    ("*/*", "text/turtle", "turtle"),
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml;q=0.9, text/html;q=0.1", "application/rdf+xml", "xml"),
    ("application/n-triples", "application/n-triples", "nt"),
])
def test_bare_get_is_the_service_description_for_rdf_clients(client, accept, media_type, rdf_format):
    response = service_description(client, accept)
    assert (response.status_code, response.mimetype) == (200, media_type)
    described = Graph().parse(data=response.data, format=rdf_format)
    service = URIRef("https://w3id.org/twitch-kg/sparql")
    assert (service, RDF.type, SD.Service) in described
    assert (service, SD.endpoint, service) in described
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in described
    # the default graph is the union of three of the graphs held, not of all (the justifications are named only)
    assert (service, SD.feature, SD.UnionDefaultGraph) not in described
    assert set(described.objects(service, SD.resultFormat)) == {
        FORMATS[n] for n in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                             "Turtle", "N-Triples", "JSON-LD", "RDF_XML")}
    dataset = described.value(service, SD.defaultDataset)
    default_graph = described.value(dataset, SD.defaultGraph)
    assert (default_graph, RDF.type, SD.Graph) in described
    assert str(described.value(default_graph, RDFS.comment)) == (
        f"The union of the named graphs <{GRAPH}ontology>, <{GRAPH}asserted>, <{GRAPH}inferred>.")
    names = {described.value(g, SD.name) for g in described.objects(dataset, SD.namedGraph)}
    assert names == {URIRef(GRAPH + n) for n in ("ontology", "asserted", "inferred", "justifications", "shapes")}


def test_service_description_by_format_parameter(client):
    response = client.get("/sparql?format=jsonld", headers=BROWSER)
    assert (response.status_code, response.mimetype) == (200, "application/ld+json")


def test_service_description_not_acceptable_is_406(client):
    response = service_description(client, "application/sparql-results+json")
    assert response.status_code == 406
    assert "text/turtle" in response.get_data(as_text=True)


# ------------------------------------------------------------------ the query page (no JavaScript needed)


def page(client, query=None, **params):
    query_string = {"query": query, **params} if query is not None else params
    return client.get("/sparql", query_string=query_string, headers=BROWSER)


def test_bare_get_from_a_browser_is_the_query_page(client, app):
    response = page(client)
    assert (response.status_code, response.mimetype) == (200, "text/html")
    text = response.get_data(as_text=True)
    assert '<form class="sparql-query" method="get" action="/sparql">' in text
    assert f"PREFIX tw: &lt;{TW}&gt;" in text
    assert "PREFIX rdfs: &lt;http://www.w3.org/2000/01/rdf-schema#&gt;" in text
    assert '<script src="/static/sparql.js" defer></script>' in text
    assert "should not be considered medical advice" in text  # the disclaimer, from base.html
    for name in state_of(app).saved_queries:
        assert f'<option value="{name}"' in text


def test_results_as_an_html_table_with_links_and_labels(client):
    response = page(client, "SELECT ?source ?label WHERE { BIND(tw:nhs AS ?source) ?source rdfs:label ?label }")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert "<th>?source</th><th>?label</th>" in text
    assert '<a href="/id/nhs" title="https://w3id.org/twitch-kg/id/nhs">NHS</a>' in text
    assert '<span class="literal">NHS</span> <span class="muted tag">@en</span>' in text
    assert "1 row\n" in text


def test_html_page_links_every_download_format_and_the_permalink(client):
    query = "SELECT ?l WHERE { tw:nhs rdfs:label ?l }"
    text = page(client, query).get_data(as_text=True)
    for fmt in RESULT_FORMATS:
        assert f"&amp;format={fmt.name}\" download=\"results.{fmt.extension}\"" in text
    download = client.get(f"/sparql?query={query.replace(' ', '+').replace('{', '%7B').replace('}', '%7D')}&format=csv",
                          headers=BROWSER)
    assert (download.mimetype, download.data) == ("text/csv", b"l\r\nNHS\r\n")
    assert '<a href="/sparql?query=SELECT+?l+WHERE+%7B+tw:nhs+rdfs:label+?l+%7D">Permalink</a>' in text


def test_html_page_keeps_the_dataset_in_links_and_the_form(client):
    text = page(client, COUNT, **{"default-graph-uri": GRAPH + "inferred"}).get_data(as_text=True)
    assert f"<td><span class=\"literal\">{INFERRED}</span> <span class=\"muted tag\">xsd:integer</span></td>" in text
    assert f'<input type="hidden" name="default-graph-uri" value="{GRAPH}inferred">' in text
    assert "format=csv&amp;default-graph-uri=https://w3id.org/twitch-kg/graph/inferred\"" in text


def test_ask_and_construct_in_html(client):
    ask = page(client, "ASK { tw:dystonia a tw:RequiresProfessionalAttention }").get_data(as_text=True)
    construct = page(client, "CONSTRUCT { tw:nhs rdfs:label ?l } WHERE { tw:nhs rdfs:label ?l }").get_data(as_text=True)
    assert '<p class="ask-answer">true</p>' in ask
    assert "<th>subject</th><th>predicate</th><th>object</th>" in construct
    assert "&amp;format=turtle" in construct and "&amp;format=jsonld" in construct


def test_errors_are_shown_on_the_page_with_their_status(client):
    malformed = page(client, "SELECT ?l WHERE { tw:nhs rdfs:label ?l ")
    assert (malformed.status_code, malformed.mimetype) == (400, "text/html")
    text = malformed.get_data(as_text=True)
    assert "error at 1:40" in text
    assert ">SELECT ?l WHERE { tw:nhs rdfs:label ?l </textarea>" in text
    unknown = page(client, COUNT, **{"default-graph-uri": "http://example.org/elsewhere"})
    assert unknown.status_code == 400
    assert "no graph &lt;http://example.org/elsewhere&gt;" in unknown.get_data(as_text=True)
    update = page(client, "CLEAR ALL")
    assert update.status_code == 403
    assert "read-only" in update.get_data(as_text=True)


def test_terms_are_escaped_and_only_web_iris_become_links(client):
    text = page(client, 'SELECT ?x ?y WHERE { BIND(<javascript:alert(1)> AS ?x) '
                        'BIND("<script>alert(1)</script>" AS ?y) }').get_data(as_text=True)
    assert 'href="javascript:' not in text
    assert "<script>alert(1)</script>" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text


@pytest.fixture()
def saved_client(settings, store, tmp_path):
    (tmp_path / "labels-of-sources.rq").write_text(
        "#+ summary: Labels of the sources\nSELECT ?source ?label WHERE { ?source a tw:Source ; rdfs:label ?label }\n",
        encoding="utf-8")
    return make_app(settings.with_(queries_dir=tmp_path), store).test_client()


def test_saved_queries_fill_the_select_and_load_without_javascript(saved_client):
    text = page(saved_client).get_data(as_text=True)
    assert ('<option value="labels-of-sources" data-sparql="#+ summary: Labels of the sources\n'
            'SELECT ?source ?label WHERE { ?source a tw:Source ; rdfs:label ?label }\n">'
            'Labels of the sources</option>') in text
    loaded = page(saved_client, saved="labels-of-sources").get_data(as_text=True)
    assert ('<textarea id="query" name="query" spellcheck="false" autocapitalize="off" rows="16">'
            "#+ summary: Labels of the sources\n"
            "SELECT ?source ?label WHERE { ?source a tw:Source ; rdfs:label ?label }\n</textarea>") in loaded
    missing = page(saved_client, saved="no-such-query")
    assert missing.status_code == 404
    assert "There is no saved query named &#39;no-such-query&#39;." in missing.get_data(as_text=True)


@pytest.mark.parametrize("query, accept, start", [
    ('SELECT ?x WHERE { BIND("a\\u0001b" AS ?x) }', "application/sparql-results+xml",
     "this answer holds the character U+0001, which XML 1.0 cannot carry, so it cannot be written as xml"),
    ('CONSTRUCT { <urn:a> <urn:b> "a\\u0001b" } WHERE {}', "application/rdf+xml",
     "this answer holds the character U+0001, which XML 1.0 cannot carry"),
    ("CONSTRUCT { <urn:a> <urn:b> <<( <urn:s> <urn:p> <urn:o> )>> } WHERE {}", "application/ld+json",
     "this answer cannot be written as "),
])
def test_an_answer_the_format_cannot_carry_is_406_not_500(client, query, accept, start):
    """Issue 12, items 7 and 8: a control character made XML not well-formed; an RDF 1.2 triple
    term as JSON-LD was a 500. The same answer in a format that carries it is a 200."""
    response = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert response.status_code == 406
    assert start in response.get_data(as_text=True)
    other = client.get("/sparql", query_string={"query": query},
                       headers={"Accept": "application/n-triples, application/sparql-results+json"})
    assert other.status_code == 200


def test_a_406_echoes_a_bounded_accept_header(client):
    """Issue 12, item 8: the 406 echoed a 260 KB Accept header whole."""
    accept = "x/" + "y" * 260_000
    response = client.get("/sparql", query_string={"query": "ASK {}"}, headers={"Accept": accept})
    assert response.status_code == 406
    assert len(response.data) < 1000 and "(260002 characters)" in response.get_data(as_text=True)


def test_a_capped_construct_holds_distinct_triples(store):
    """Issue 12, item 8: a CONSTRUCT capped at the row limit counted repeated triples (9,806 distinct of 10,000)."""
    sparql = "CONSTRUCT { ?c a tw:Cause } WHERE { ?c a tw:Cause . ?x ?p ?o }"  # each triple once per (?x ?p ?o)
    result = store.query(sparql, row_limit=20)
    assert len(result.triples) == len(set(result.triples)) == len(CAUSES) and result.truncated is False


def test_absolute_urls_come_from_the_public_url_never_the_host_header(settings, store):
    """Issue 12, item 8: `Host: evil.example` was reflected into VoID and the service description."""
    for config, expected in (({}, "https://w3id.org/twitch-kg/"), ({"PUBLIC_URL": "https://kg.example.org/"},
                                                                   "https://kg.example.org/")):
        client = make_app(settings, store, **config).test_client()
        for path in ("/sparql", "/.well-known/void"):
            body = client.get(path, headers={"Host": "evil.example", "Accept": "text/turtle"}).get_data(as_text=True)
            assert "evil.example" not in body
            assert f"<{expected}sparql>" in body
