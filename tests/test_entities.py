"""Entity IRIs dereference: HTML pages for browsers, RDF for RDF clients, 4xx for bad names."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, RDF, RDFS

from kg.artefact import Artefact
from linked_data import parse_jsonld, register_context
from support import BROWSER, CAUSES, GRAPH, HTML, make_app
from support import TW as TW_IRI

TW = Namespace(TW_IRI)


def _turtle(client, path, **headers):
    response = client.get(path, headers={"Accept": "text/turtle", **headers})
    assert response.status_code == 200
    return Graph().parse(data=response.data, format="turtle")


# ---------------------------------------------------------------- the HTML page


def test_dystonia_page_shows_label_quote_source_and_inferred_types(client):
    response = client.get("/id/dystonia", headers=HTML)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    html = response.get_data(as_text=True)
    assert "<h1>dystonia</h1>" in html
    assert "<blockquote>A group of rare conditions causing involuntary muscle spasms.</blockquote>" in html
    assert '<a href="/id/nhs">NHS</a>' in html
    inferred = re.search(r'<p class="inferred-types">(.*?)</p>', html, re.S).group(1)
    assert ('<span class="term inferred"><a href="/id/RequiresProfessionalAttention">'
            'requires professional attention</a></span>') in inferred
    assert '<a href="/id/Cause">cause</a>' in inferred
    asserted = re.search(r'<p class="asserted-types">(.*?)</p>', html, re.S).group(1)
    assert '<span class="term"><a href="/id/MovementDisorder">movement disorder</a></span>' in asserted
    assert "RequiresProfessionalAttention" not in asserted


def test_the_escalation_the_reasoner_concluded_is_highlighted(client):
    html = client.get("/id/dystonia", headers=HTML).get_data(as_text=True)
    verdict = re.search(r'<p class="verdict escalate escalation inferred">(.*?)</p>', html, re.S).group(1)
    assert "The reasoner concludes:" in verdict
    assert ('<strong class="need"><span class="term"><a href="/id/professional-attention">'
            'professional attention</a></span></strong>') in verdict


def test_a_common_cause_has_no_escalation(client):
    html = client.get("/id/dehydration", headers=HTML).get_data(as_text=True)
    assert "verdict escalate" not in html
    assert "<blockquote>Insufficient fluid intake can contribute to muscle spasms and twitching.</blockquote>" in html
    assert '<span class="muted">the article cites none</span>' in html


def test_page_lists_outgoing_links_by_predicate_label(client):
    html = client.get("/id/dystonia", headers=HTML).get_data(as_text=True)
    row = re.search(r'<th scope="row"><span class="term"><a href="/id/hasSeverity">has severity</a></span></th>'
                    r'<td>(.*?)</td>', html)
    assert row.group(1) == '<span class="term"><a href="/id/more-serious">more serious</a></span>'


def test_page_lists_incoming_links_by_predicate_label(client):
    html = client.get("/id/more-serious", headers=HTML).get_data(as_text=True)
    row = re.search(r'<tr><td>(.*?)</td><th scope="row"><span class="term"><a href="/id/hasSeverity">'
                    r'has severity</a></span> → this</th>', html).group(1)
    assert re.findall(r'href="/id/([^"]+)"', row) == [
        "neurological-disorders", "autoimmune-disorders", "benign-fasciculation-syndrome", "dystonia", "pinched-nerve",
    ]


def test_alternative_labels_and_editorial_note(client):
    html = client.get("/id/isaacs-syndrome", headers=HTML).get_data(as_text=True)
    assert "<h1>Isaacs syndrome</h1>" in html
    assert '<span class="alt-label">Isaac syndrome</span>' in html
    assert "The article writes &#34;Isaac syndrome&#34;" in html


def test_cross_references_link_to_obo_purls(client):
    html = client.get("/id/muscle-twitching", headers=HTML).get_data(as_text=True)
    assert ('<li>skos:exactMatch: '
            '<a href="http://purl.obolibrary.org/obo/HP_0002380" rel="noopener noreferrer external">'
            '<code>http://purl.obolibrary.org/obo/HP_0002380</code></a></li>') in html
    assert '<span class="alt-label">fasciculations</span>' in html


def test_a_source_page_lists_the_claims_citing_it(client):
    html = client.get("/id/nhs", headers=HTML).get_data(as_text=True)
    assert re.findall(r"<blockquote>(.*?)</blockquote>", html) == [
        "This condition involves long-lasting twitches and cramps due to overactive nerves.",
        "A group of rare conditions causing involuntary muscle spasms.",
    ]


def test_class_page_lists_subclasses_and_instances(client):
    html = client.get("/id/Cause", headers=HTML).get_data(as_text=True)
    subclasses = re.search(r'<p class="subclasses">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r'href="/id/([^"]+)"', subclasses) == [
        "LifestyleFactor", "MedicationSideEffect", "NotPlacedAmongSeriousCauses", "PsychologicalFactor",
        "UnderlyingMedicalCondition",
    ]
    instances = re.search(r'<p class="instances">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r'href="/id/([^"]+)"', instances) == CAUSES
    assert instances.count('class="term inferred"') == len(CAUSES)  # every cause is a Cause by inference
    used_in = re.search(r'<p class="used-in">(.*?)</p>', html, re.S).group(1)
    assert re.findall(r'href="/id/([^"]+)"', used_in) == [
        "NotPlacedAmongSeriousCauses", "RequiresProfessionalAttention"]


def test_class_page_marks_inferred_subclasses(client):
    html = client.get("/id/Presentation", headers=HTML).get_data(as_text=True)
    subclasses = re.search(r'<p class="subclasses">(.*?)</p>', html, re.S).group(1)
    assert subclasses == ('<span class="term inferred"><a href="/id/NeedsDoctorConsultation">'
                          "needs a doctor&#39;s consultation</a></span>, "
                          '<span class="term inferred"><a href="/id/NeedsProfessionalAttention">'
                          "needs professional attention</a></span>")


def test_defined_class_page_shows_its_axiom(client):
    html = client.get("/id/RequiresProfessionalAttention", headers=HTML).get_data(as_text=True)
    axioms = re.search(r"<pre>(.*?)</pre>", html, re.S).group(1)
    assert axioms.startswith("tw:RequiresProfessionalAttention rdfs:subClassOf [ a owl:Restriction ;")
    assert "owl:equivalentClass [ a owl:Class ;" in axioms
    assert "owl:hasValue tw:more-serious" in axioms and "owl:hasValue tw:professional-attention" in axioms
    assert "owl:someValuesFrom tw:RequiresProfessionalAttention" not in axioms  # no longer defined by itself


def test_property_page_lists_its_use(client):
    html = client.get("/id/hasSeverity", headers=HTML).get_data(as_text=True)
    usage = re.search(r'<section class="usage">(.*?)</section>', html, re.S).group(1)
    rows = re.findall(r'<tr><td>.*?href="/id/([^"]+)".*?</td><td>.*?href="/id/([^"]+)".*?</td></tr>', usage)
    assert len(rows) == len(CAUSES)
    assert ("dystonia", "more-serious") in rows
    assert ("dehydration", "benign") in rows


def test_page_has_a_neighbourhood_picture_with_links(client):
    html = client.get("/id/dystonia", headers=HTML).get_data(as_text=True)
    svg = re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" id="neighbourhood".*?</svg>', html,
                    re.S).group(0)
    assert '<g class="node" data-href="/id/muscle-spasms">' in svg
    assert '<g class="node" data-href="/id/RequiresProfessionalAttention">' in svg
    assert "<a " not in svg  # role="img": the links are in the list after it (issue 15)
    assert '<a href="/id/muscle-spasms">muscle spasms</a>' in html.split("</svg>")[1]
    assert ">can cause</text>" in svg
    assert client.get("/id/dystonia", headers=HTML).get_data(as_text=True) == html  # deterministic


def test_html_response_advertises_the_rdf_alternates(client):
    response = client.get("/id/dystonia", headers=HTML)
    assert response.headers["Vary"] == "Accept, Accept-Encoding"
    assert response.headers["Link"] == (
        '</id/dystonia.ttl>; rel="alternate"; type="text/turtle", '
        '</id/dystonia.nt>; rel="alternate"; type="application/n-triples", '
        '</id/dystonia.jsonld>; rel="alternate"; type="application/ld+json", '
        '</id/dystonia.rdf>; rel="alternate"; type="application/rdf+xml", '
        '</id/dystonia.trig>; rel="alternate"; type="application/trig", '
        '</id/dystonia.nq>; rel="alternate"; type="application/n-quads"'
    )


# ---------------------------------------------------------------- RDF by content negotiation


def test_turtle_by_content_negotiation(client):
    response = client.get("/id/dystonia", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert response.headers["Vary"] == "Accept, Accept-Encoding"
    assert response.headers["Content-Location"] == "/id/dystonia.ttl"
    assert response.headers["Link"].startswith('</id/dystonia>; rel="alternate"; type="text/html", ')
    graph = Graph().parse(data=response.data, format="turtle")
    assert (TW.dystonia, TW.hasSeverity, TW["more-serious"]) in graph
    assert (TW.dystonia, RDF.type, TW.RequiresProfessionalAttention) in graph  # inferred
    assert (TW["claim-dystonia"], TW.claimCause, TW.dystonia) in graph  # incoming
    assert (TW.dystonia, RDFS.label, Literal("dystonia", lang="en")) in graph


@pytest.mark.parametrize("accept,media_type", [
    ("application/ld+json", "application/ld+json"),
    ("application/n-triples", "application/n-triples"),
    ("application/rdf+xml", "application/rdf+xml"),
    ("text/html;q=0.5, application/ld+json", "application/ld+json"),
    ("text/turtle;q=0.9, text/html;q=0.1", "text/turtle"),
    ("application/rdf+xml;q=0.2, text/turtle;q=0.8", "text/turtle"),
    (BROWSER["Accept"], "text/html"),
    ("*/*", "text/html"),
])
def test_q_values_choose_the_format(client, accept, media_type):
    response = client.get("/id/als", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type


def test_nothing_acceptable_is_406(client):
    response = client.get("/id/als", headers={"Accept": "image/png"})
    assert response.status_code == 406
    assert b"text/turtle" in response.data


@pytest.mark.parametrize("suffix,media_type,rdflib_format", [
    ("ttl", "text/turtle", "turtle"),
    ("jsonld", "application/ld+json", "json-ld"),
    ("nt", "application/n-triples", "nt"),
    ("rdf", "application/rdf+xml", "xml"),
])
def test_suffix_forces_the_format(client, suffix, media_type, rdflib_format):
    response = client.get(f"/id/dystonia.{suffix}", headers=HTML)
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert response.headers["Vary"] == "Accept-Encoding"  # the suffix, not Accept, chooses the format
    if rdflib_format == "json-ld":  # compact: its @context is the published one, resolved from the server
        register_context("https://w3id.org/twitch-kg/context.jsonld", client.get("/context.jsonld").get_json())
        parsed = parse_jsonld(response.get_data(as_text=True))
    else:
        parsed = Graph().parse(data=response.data, format=rdflib_format)
    assert isomorphic(parsed, _turtle(client, "/id/dystonia"))


def test_description_includes_the_blank_node_closure_of_class_axioms(client, store):
    graph = _turtle(client, "/id/RequiresProfessionalAttention")
    (expression,) = graph.objects(TW.RequiresProfessionalAttention, OWL.equivalentClass)
    (members,) = graph.objects(expression, OWL.unionOf)
    assert len(list(graph.items(members))) == 3
    # the same as the store's own concise bounded description plus the incoming triples
    triples = set()
    for sparql in ("DESCRIBE tw:RequiresProfessionalAttention",
                   ("CONSTRUCT { ?s ?p tw:RequiresProfessionalAttention } "
                    "WHERE { ?s ?p tw:RequiresProfessionalAttention }")):
        triples.update(store.query(sparql).triples)
    expected = Graph().parse(data=ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES), format="nt")
    assert len(graph) == len(expected) == 36
    assert isomorphic(graph, expected)


def test_head_request(client):
    response = client.head("/id/als", headers=HTML)
    assert response.status_code == 200
    assert response.data == b""


# ---------------------------------------------------------------- errors


def test_unknown_entity_is_404(client):
    response = client.get("/id/nope", headers=HTML)
    assert response.status_code == 404
    assert "No such entity" in response.get_data(as_text=True)
    assert client.get("/id/nope.ttl").status_code == 404
    assert client.get("/id/nope", headers={"Accept": "text/turtle"}).status_code == 404


def test_a_real_suffix_on_a_known_entity_twice_is_404(client):
    assert client.get("/id/dystonia.ttl.ttl").status_code == 404


@pytest.mark.parametrize("path", [
    "/id/..", "/id/a%00b", "/id/" + "a" * 5000, "/id/a%20b", "/id/a/b", "/id/%2e%2e/etc", "/id/../etc/passwd",
    "/id/.ttl", "/id/-x", "/id/%3Cscript%3E",
])
def test_bad_entity_names_are_400(client, path):
    response = client.get(path, headers=HTML)
    assert response.status_code == 400
    assert "Bad entity name" in response.get_data(as_text=True)


def test_empty_entity_name_is_404(client):
    assert client.get("/id/").status_code == 404


# ---------------------------------------------------------------- graph IRIs


@pytest.mark.parametrize("name", ["ontology", "asserted", "inferred"])
def test_graph_iris_redirect_to_their_download(client, name):
    response = client.get(f"/graph/{name}")
    assert response.status_code == 303
    assert response.headers["Location"] == f"/export/{name}.ttl"


def test_graph_iri_redirect_follows_accept(client):
    response = client.get("/graph/asserted", headers={"Accept": "application/trig"})
    assert response.status_code == 303
    assert response.headers["Location"] == "/export/asserted.trig"


def test_unknown_graph_iri_is_404(client):
    response = client.get("/graph/nope")
    assert response.status_code == 404
    assert b"ontology, asserted, inferred" in response.data


# ---------------------------------------------------------------- only http(s) IRIs become links


def test_href_filter_refuses_non_web_iris(app):
    from webapp.filters import href

    with app.test_request_context():
        assert href("javascript:alert(1)") is None
        assert href("JavaScript:alert(1)") is None
        assert href("data:text/html,<script>alert(1)</script>") is None
        assert href("https://w3id.org/twitch-kg/id/als") == "/id/als"
        assert href("http://purl.obolibrary.org/obo/HP_0002380") == "http://purl.obolibrary.org/obo/HP_0002380"


@pytest.fixture(scope="module")
def crafted_client(settings, built, tmp_path_factory):
    """An app over the real graph plus statements whose objects are javascript: and data: IRIs."""
    from kg.store.oxigraph import OxigraphStore

    asserted = f"<{GRAPH}asserted>"
    extra = (
        f"<{TW.dystonia}> <http://www.w3.org/2004/02/skos/core#exactMatch> <javascript:alert(1)> {asserted} .\n"
        f"<{TW.dystonia}> <{TW.canCause}> <javascript:alert(2)> {asserted} .\n"
        f"<javascript:alert(3)> <{TW.canCause}> <{TW.dystonia}> {asserted} .\n"
        f"<{TW.dystonia}> <{TW.hasMechanism}> <data:text/html,evil> {asserted} .\n"
    )
    path = tmp_path_factory.mktemp("crafted") / "crafted.nq"
    path.write_bytes(built.artefact.path.read_bytes() + extra.encode())
    store = OxigraphStore(settings, path=None)
    store.load(Artefact(path, {"input_hash": "crafted"}))
    return make_app(settings, store).test_client()


def test_javascript_iris_in_the_graph_never_become_links(crafted_client):
    html = crafted_client.get("/id/dystonia", headers=HTML).get_data(as_text=True)
    assert "javascript:alert(1)" in html  # shown, as text
    assert "javascript:alert(2)" in html
    assert "javascript:alert(3)" in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs
    # "#content" is the skip link to the page's main content (issue 15)
    assert not [h for h in hrefs if not h.startswith(("/", "http://", "https://")) and h != "#content"]
    assert "<code>javascript:alert(1)</code>" in html


# ---------------------------------------------------------------- the model of 2.0.0 on the pages


def test_a_renamed_term_redirects_permanently_to_its_replacement(client):
    response = client.get("/id/escalatesTo", headers=HTML)
    assert response.status_code == 301 and response.headers["Location"].endswith("/id/needs")
    assert client.get("/id/escalatesTo.ttl").headers["Location"].endswith("/id/needs.ttl")
    # replaced by a standard term (not a page of ours): the deprecated term's own page says so
    page = client.get("/id/citesSource", headers=HTML)
    assert page.status_code == 200 and "http://purl.org/spar/cito/citesAsEvidence" in page.get_data(as_text=True)


def test_the_als_page_shows_the_articles_words_and_source(client):
    """Item 7: ALS's page quotes the article and names the ALS Association."""
    html = client.get("/id/als", headers=HTML).get_data(as_text=True)
    assert re.findall(r"<blockquote>(.*?)</blockquote>", html) == [
        "Conditions like amyotrophic lateral sclerosis (ALS) can manifest with muscle twitching as a symptom."]
    assert 'href="/id/als-association"' in html
    assert 'href="/id/NeurologicalDisorder"' in html


def test_a_common_cause_page_shows_the_proven_placement(client):
    html = client.get("/id/dehydration", headers=HTML).get_data(as_text=True)
    assert 'href="/id/NotPlacedAmongSeriousCauses"' in html
