"""The SHACL shapes (/shapes) and the build's validation report (/validation), issue 17, against a real
``twitch-kg serve``: pages for browsers, RDF by Accept and by suffix, a shape's IRI sent to its anchor."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import quote

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from support import BROWSER, GRAPH, NODE_SHAPES, SHAPE_TRIPLES, TOTAL, TW
from test_ontology_publishing import SERIALISATIONS, _links, _raw

SH = "http://www.w3.org/ns/shacl#"


@pytest.mark.parametrize("media_type,suffix,parser", SERIALISATIONS)
def test_the_shapes_as_rdf_by_accept_and_by_suffix(served, media_type, suffix, parser):
    status, headers, body = served.get("/shapes", {"Accept": media_type})
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in headers["Vary"] and headers["Content-Location"] == f"/shapes.{suffix}"
    shapes = Graph().parse(data=body, format=parser)
    assert len(shapes) == SHAPE_TRIPLES
    assert len(set(shapes.subjects(RDF.type, URIRef(SH + "NodeShape")))) == NODE_SHAPES
    assert _links(headers["Link"])["text/html"] == "/shapes"
    status, headers, body = served.get(f"/shapes.{suffix}")
    assert status == 200 and len(Graph().parse(data=body, format=parser)) == SHAPE_TRIPLES


@pytest.fixture(scope="module")
def shapes_page(served) -> str:
    status, headers, body = served.get("/shapes", BROWSER)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    return body.decode()


def test_the_shapes_page_has_one_anchor_per_shape(shapes_page):
    anchors = re.findall(r'<article class="term-doc shape" id="([^"]+)"', shapes_page)
    assert len(anchors) == NODE_SHAPES
    assert {"LabelledShape", "CauseShape", "ClaimShape", "AnchoredShape"} <= set(anchors)
    ids = re.findall(r'\bid="([^"]+)"', shapes_page)
    assert len(ids) == len(set(ids))
    assert set(re.findall(r'href="#([^"]+)"', shapes_page)) <= set(ids)
    assert re.findall(r'<link rel="alternate" type="([^"]+)" href="([^"]+)">', shapes_page) == [
        (t, f"/shapes.{s}") for t, s, _ in SERIALISATIONS]


def test_a_shape_is_shown_as_written_with_its_names_linked(shapes_page):
    claim = re.search(r'<article class="term-doc shape" id="ClaimShape".*?</article>', shapes_page, re.S).group(0)
    turtle = html.unescape(re.sub(r"<[^>]+>", "", re.search(r'<pre class="turtle">(.*?)</pre>', claim, re.S).group(1)))
    assert turtle.startswith("tw:ClaimShape\n    a sh:NodeShape ;\n")
    assert ("sh:property [ sh:path oa:hasTarget ; sh:class oa:SpecificResource ; sh:maxCount 1 ; sh:message "
            '"a claim needs exactly one target: the span of the article it quotes" ; sh:minCount 1 ; '
            "sh:node tw:AnchoredShape ]") in turtle
    assert turtle.endswith("sh:targetClass tw:Claim .")
    assert '<a href="#AnchoredShape">tw:AnchoredShape</a>' in claim  # another shape: its anchor
    assert '<a href="/id/Claim">tw:Claim</a>' in claim  # a term: its page
    assert "shacl#" not in claim  # SHACL's own terms are the syntax, not links


@pytest.mark.parametrize("shape", ["LabelledShape", "CauseShape"])
def test_a_shape_iri_is_sent_to_its_anchor(served, shape):
    response = _raw(served, f"/id/{shape}", BROWSER)
    assert response.status == 303
    assert response.headers["Location"] == f"/shapes#{shape}"


def test_an_unknown_name_is_still_404(served):
    assert served.get("/id/NoSuchShape", BROWSER)[0] == 404


def test_the_validation_report_page(served):
    status, headers, body = served.get("/validation", BROWSER)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    page = html.unescape(re.sub(r"\s+", " ", body.decode()))
    assert '<p class="verdict conforms"><strong>Conforms: every shape is met (0 results).</strong></p>' in page
    assert "its 1,172 asserted triples against the" in page
    assert f">{NODE_SHAPES} SHACL shapes</a>" in page
    assert "<table" not in page


@pytest.mark.parametrize("media_type,suffix,parser", SERIALISATIONS)
def test_the_validation_report_graph(served, media_type, suffix, parser):
    for path, headers in ((f"/validation.{suffix}", {}), ("/validation", {"Accept": media_type})):
        status, answered, body = served.get(path, headers)
        assert status == 200 and answered["Content-Type"].split(";")[0] == media_type
        report = Graph().parse(data=body, format=parser)
        (node,) = report.subjects(RDF.type, URIRef(SH + "ValidationReport"))
        assert report.value(node, URIRef(SH + "conforms")) == Literal(True)
        assert len(report) == 2


def test_unknown_suffixes_and_unacceptable_types(served):
    assert served.get("/shapes.owlx")[0] == 404
    assert served.get("/validation.csv")[0] == 404
    assert served.get("/validation", {"Accept": "application/trig"})[0] == 406


def test_a_report_with_results_is_listed_result_by_result(app):
    """What /validation lists when data does not conform (a served build always does: the build stops)."""
    from flask import render_template

    from kg import validate
    from kg.explain import graph_of
    from webapp.pages.shapes import Validation, results, shapes_graph
    from webapp.state import state_of

    with app.test_request_context():
        store = state_of(app).store
        data = Graph().parse(data=f"<{TW}nowhere> a <{TW}Cause> .", format="turtle")
        conforms, report = validate.report(data, shapes_graph(), graph_of(store, ["ontology"]))
        found = results(report)
        page = render_template("validation.html", report=Validation(conforms, report, found, NODE_SHAPES, 1),
                               formats=(), format_names={})
    assert "<strong>Does not conform: 5 results.</strong>" in page
    assert len(re.findall(r"<tr><td><code>tw:nowhere</code></td>", page)) == 5
    assert "<td><code>^tw:claimCause</code></td>" in page
    assert conforms is False
    assert [(r.focus, r.path, r.component) for r in found] == [
        ("tw:nowhere", "^tw:claimCause", "sh:MinCountConstraintComponent"),
        ("tw:nowhere", "skos:definition", "sh:MinCountConstraintComponent"),
        ("tw:nowhere", "tw:canCause", "sh:MinCountConstraintComponent"),
        ("tw:nowhere", "tw:hasPrevalence", "sh:MinCountConstraintComponent"),
        ("tw:nowhere", "tw:hasSeverity", "sh:MinCountConstraintComponent"),
    ]
    assert {r.severity for r in found} == {"sh:Violation"}
    assert [r.message for r in found[:2]] == ["a cause needs the article's claim about it",
                                             "a cause needs the article's definition"]


@pytest.mark.parametrize("path", ["/shapes.ttl", "/validation", "/ontology.jsonld", "/id/ontology"])
def test_a_script_on_another_site_may_read_them(served, path):
    _status, headers, _body = served.get(path, {"Accept": "text/turtle", "Origin": "https://example.org"})
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "Link" in headers["Access-Control-Expose-Headers"]


# ---------------------------------------------------------------- the shapes, a named-only graph of the build


def _count(served, query: str) -> int:
    status, _headers, body = served.get("/sparql?query=" + quote(query), {"Accept": "application/sparql-results+json"})
    assert status == 200, body
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_the_shapes_are_a_named_graph_outside_the_default_graph(served):
    shapes = f"{GRAPH}shapes"
    assert _count(served, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == TOTAL  # unchanged
    assert _count(served, f"SELECT (COUNT(*) AS ?n) WHERE {{ ?s a <{SH}NodeShape> }}") == 0
    assert _count(served, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{shapes}> {{ ?s ?p ?o }} }}") == SHAPE_TRIPLES
    assert _count(served, f"SELECT (COUNT(*) AS ?n) FROM <{shapes}> WHERE {{ ?s a <{SH}NodeShape> }}") == NODE_SHAPES


def test_the_shapes_graph_iri_dereferences_to_its_download(served):
    response = _raw(served, "/graph/shapes", {"Accept": "text/turtle"})
    assert response.status == 303 and response.headers["Location"] == "/export/shapes.ttl"
    status, _headers, body = served.get("/export/shapes.ttl")
    assert status == 200 and len(Graph().parse(data=body, format="turtle")) == SHAPE_TRIPLES


def test_the_shapes_page_names_its_graph(shapes_page):
    assert f"They are the named graph <a href=\"/graph/shapes\"><code>{GRAPH}shapes</code></a>" in shapes_page
