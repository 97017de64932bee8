"""Ontology publishing (issue 17), against a real ``twitch-kg serve``: the ontology's IRI, its version
IRI and /ontology dereference to the whole ontology (documentation for a browser; Turtle, RDF/XML,
JSON-LD, N-Triples by Accept or by suffix) with Vary and Link headers."""

from __future__ import annotations

import html
import http.client
import re
from urllib.parse import urlsplit

import pytest
from rdflib import Graph

from linked_data import parse_jsonld
from support import BROWSER, ONTOLOGY, TW

#: (media type, suffix, rdflib parser) of every RDF serialisation the ontology is served in.
SERIALISATIONS = [
    ("text/turtle", "ttl", "turtle"),
    ("application/n-triples", "nt", "nt"),
    ("application/ld+json", "jsonld", "json-ld"),
    ("application/rdf+xml", "rdf", "xml"),
]
#: The ontology's IRI and its version IRI (ontology/twitch.ttl), as paths, and /ontology.
ONTOLOGY_PATHS = ["/ontology", "/id/ontology", "/id/ontology-2.0.0"]


def _raw(served, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    """A GET that does not follow redirects."""
    address = urlsplit(served.url)
    connection = http.client.HTTPConnection(address.hostname, address.port, timeout=60)
    connection.request("GET", path, headers=headers or {})
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


def _parsed(body: bytes, parser: str) -> Graph:
    if parser == "json-ld":
        return parse_jsonld(body.decode("utf-8"))
    return Graph().parse(data=body, format=parser)


def _links(header: str) -> dict[str, str]:
    """A Link header's rel=alternate targets, by media type."""
    found = {}
    for part in header.split(", "):
        target, *params = part.split("; ")
        assert 'rel="alternate"' in params, part
        media_type = next(p for p in params if p.startswith("type=")).split("=", 1)[1].strip('"')
        found[media_type] = target.strip("<>")
    return found


@pytest.mark.parametrize("path", ONTOLOGY_PATHS)
@pytest.mark.parametrize("media_type,suffix,parser", SERIALISATIONS)
def test_the_whole_ontology_by_accept(served, path, media_type, suffix, parser):
    status, headers, body = served.get(path, {"Accept": media_type})
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media_type
    assert "Accept" in headers["Vary"]
    assert headers["Content-Location"] == f"/ontology.{suffix}"
    assert len(_parsed(body, parser)) == ONTOLOGY
    links = _links(headers["Link"])
    assert links["text/html"] == "/ontology"
    assert {t: u for t, u in links.items() if t != "text/html"} == {
        t: f"/ontology.{s}" for t, s, _ in SERIALISATIONS if t != media_type}


@pytest.mark.parametrize("path", ONTOLOGY_PATHS)
@pytest.mark.parametrize("media_type,suffix,parser", SERIALISATIONS)
def test_the_whole_ontology_by_suffix(served, path, media_type, suffix, parser):
    status, headers, body = served.get(f"{path}.{suffix}", {"Accept": "text/html"})
    assert status == 200
    assert headers["Content-Type"].split(";")[0] == media_type
    assert "Content-Location" not in headers
    assert len(_parsed(body, parser)) == ONTOLOGY


def test_every_serialisation_holds_the_same_graph(served):
    from rdflib.compare import isomorphic

    graphs = [_parsed(served.get(f"/ontology.{suffix}")[2], parser) for _, suffix, parser in SERIALISATIONS]
    assert all(isomorphic(graphs[0], other) for other in graphs[1:])


def test_a_browser_at_ontology_gets_the_documentation_and_its_alternates(served):
    status, headers, body = served.get("/ontology", BROWSER)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "Accept" in headers["Vary"]
    assert _links(headers["Link"]) == {t: f"/ontology.{s}" for t, s, _ in SERIALISATIONS}
    assert b"<h1>twitch-kg: what causes muscle twitching</h1>" in body
    assert re.findall(rb'<link rel="alternate" type="([^"]+)" href="([^"]+)">', body) == [
        (t.encode(), f"/ontology.{s}".encode()) for t, s, _ in SERIALISATIONS]


@pytest.mark.parametrize("path", ["/id/ontology", "/id/ontology-2.0.0"])
def test_a_browser_at_the_ontology_iri_is_sent_to_the_documentation(served, path):
    response = _raw(served, path, BROWSER)
    assert response.status == 303
    assert response.headers["Location"] == "/ontology"
    assert "Accept" in response.headers["Vary"]


def test_no_accept_header_gets_the_documentation(served):
    assert _raw(served, "/ontology").headers["Content-Type"].startswith("text/html")
    assert _raw(served, "/id/ontology").status == 303


@pytest.mark.parametrize("path", ONTOLOGY_PATHS)
def test_an_unacceptable_accept_is_406_naming_the_formats(served, path):
    status, headers, body = served.get(path, {"Accept": "application/trig"})
    assert status == 406
    assert "Accept" in headers["Vary"]
    assert b"text/html, text/turtle, application/n-triples, application/ld+json, application/rdf+xml" in body


def test_an_unknown_suffix_is_404_naming_the_served_ones(served):
    status, _headers, body = served.get("/ontology.owlx", {"Accept": "text/plain"})
    assert status == 404
    assert b"/ontology.ttl (text/turtle)" in body and b"/ontology.rdf (application/rdf+xml)" in body


def test_a_revalidation_is_304(served):
    _status, headers, _body = served.get("/ontology.ttl")
    assert served.get("/ontology.ttl", {"If-None-Match": headers["ETag"]})[0] == 304


def test_a_prior_version_iri_is_not_the_current_ontology(served):
    """owl:priorVersion names 1.0.0, which this build does not serve: its IRI stays an entity page."""
    status, _headers, body = served.get("/id/ontology-1.0.0", {"Accept": "text/turtle"})
    assert status == 200
    described = _parsed(body, "turtle")
    assert len(described) == 1
    assert str(next(iter(described))[2]) == TW + "ontology-1.0.0"


# ---------------------------------------------------------------- the documentation at /ontology


@pytest.fixture(scope="module")
def documentation(served) -> str:
    status, _headers, body = served.get("/ontology", BROWSER)
    assert status == 200
    return body.decode()


def _text(fragment: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))


def _entry(page: str, anchor: str) -> str:
    return re.search(rf'<article class="term-doc" id="{anchor}".*?</article>', page, re.S).group(0)


def test_one_anchor_per_term_and_every_internal_link_lands(documentation):
    ids = re.findall(r'\bid="([^"]+)"', documentation)
    assert len(ids) == len(set(ids))
    entries = re.findall(r'<article class="term-doc" id="([^"]+)"', documentation)
    assert len(entries) == 38 + 35 + 4  # classes, properties (object, data, annotation), the TBox's individuals
    assert {"Cause", "hasSeverity", "needs", "escalatesTo", "more-serious"} <= set(entries)
    assert set(re.findall(r'href="#([^"]+)"', documentation)) <= set(ids)


def test_the_index_lists_every_term_by_kind(documentation):
    index = re.search(r'<nav class="term-index".*?</nav>', documentation, re.S).group(0)
    assert re.findall(r"<strong>([^<]*)</strong>", index) == [
        "Classes (38):", "Object properties (26):", "Data properties (3):", "Annotation properties (6):",
        "Named individuals (4):"]
    assert '<a href="#Cause">cause</a>' in index
    assert len(re.findall(r'<a href="#', index)) == 38 + 35 + 4


def test_within_the_page_a_documented_term_links_to_its_anchor(documentation):
    """Trees, signatures and axioms link to #anchors; only each entry's IRI and "its page" go to /id/."""
    anchors = set(re.findall(r'<article class="term-doc" id="([^"]+)"', documentation))
    outside_entries = re.sub(r'<p class="iri">.*?</p>', "", documentation)
    assert [a for a in re.findall(r'href="/id/([^"#]+)"', outside_entries) if a in anchors] == []
    cause = _entry(documentation, "Cause")
    assert '<a href="/id/Cause"><code>https://w3id.org/twitch-kg/id/Cause</code></a>' in cause
    assert '<a href="/id/Cause">its page</a>' in cause


def test_class_axioms_in_manchester_syntax(documentation):
    frame = re.search(r'<pre class="manchester">(.*?)</pre>', _entry(documentation, "RequiresProfessionalAttention"),
                      re.S).group(1)
    assert _text(frame) == (
        "Class: 'requires professional attention'\n"
        "    EquivalentTo: (cause and ('has severity' value 'more serious')) or 'neurological disorder' or "
        "'autoimmune disorder'\n"
        "    SubClassOf: needs value 'professional attention'")
    assert '<a href="#hasSeverity">&#39;has severity&#39;</a>' in frame
    assert '<a href="/id/professional-attention">' in frame  # an individual of the data: its own page
    not_placed = _text(re.search(r'<pre class="manchester">(.*?)</pre>',
                                 _entry(documentation, "NotPlacedAmongSeriousCauses"), re.S).group(1))
    assert not_placed == ("Class: 'not placed among the causes requiring professional attention'\n"
                          "    EquivalentTo: cause and not 'requires professional attention'")


def test_property_and_individual_axioms_in_manchester_syntax(documentation):
    def frame(anchor):
        return _text(re.search(r'<pre class="manchester">(.*?)</pre>', _entry(documentation, anchor), re.S).group(1))

    assert frame("hasSeverity") == ("ObjectProperty: 'has severity'\n    Characteristics: Functional\n"
                                    "    Domain: cause\n    Range: severity")
    assert frame("about") == "ObjectProperty: about\n    Domain: claim\n    SubPropertyOf: 'has body'"
    assert frame("benign") == ("Individual: 'not among the more serious'\n    Types: severity\n"
                               "    DifferentFrom: 'common (our reading)',\n        'less common',\n"
                               "        'more serious'")


#: The metadata LOV and FOOPS! look for, as the page shows it: (property, the values' text).
METADATA = [
    ("dcterms:title", "twitch-kg: what causes muscle twitching"),
    ("owl:versionInfo", "2.0.0"),
    ("owl:priorVersion", "https://w3id.org/twitch-kg/id/ontology-1.0.0"),
    ("dcterms:issued", "2026-11-29"),
    ("dcterms:modified", "2026-11-29"),
    ("dcterms:created", "2026-11-25"),
    ("dcterms:creator", "twitch-kg project https://w3id.org/twitch-kg/id/twitch-kg-project"),
    ("dcterms:publisher", "twitch-kg project https://w3id.org/twitch-kg/id/twitch-kg-project"),
    ("dcterms:license", "https://creativecommons.org/licenses/by/4.0/"),
    ("dcterms:bibliographicCitation", ("twitch-kg project. twitch-kg: what causes muscle twitching (ontology), "
                                       "version 2.0.0. 2026. https://w3id.org/twitch-kg/id/ontology-2.0.0")),
    ("dcterms:language", "en"),
    ("vann:preferredNamespacePrefix", "tw"),
    ("vann:preferredNamespaceUri", "https://w3id.org/twitch-kg/id/"),
]


def test_the_metadata_lov_and_foops_look_for(documentation):
    block = re.search(r'<dl class="metadata">(.*?)</dl>', documentation, re.S).group(1)
    shown = {_text(dt).strip(): " ".join(_text(dd).split())
             for dt, dd in re.findall(r"<dt>(.*?)</dt>\s*<dd>(.*?)</dd>", block, re.S)}
    for prop, value in METADATA:
        assert shown[prop] == value, (prop, shown.get(prop))
    assert shown["owl:versionIRI"] == "https://w3id.org/twitch-kg/id/ontology-2.0.0"
    assert "the ontology's IRI answers with the one your client asks for" in " ".join(_text(documentation).split())
    assert documentation.count('<a href="/ontology.ttl" type="text/turtle">Turtle') == 1


def test_the_change_log(documentation):
    changes = re.search(r'<section class="changes".*?</section>', documentation, re.S).group(0)
    assert "2.0.0 (2026-11-29): the model reviewed as an ontologist would review it." in changes
    deprecated = re.findall(r'<li><span class="term"><a href="#(\w+)">', changes)
    assert deprecated == ["citesSource", "escalatesTo", "hasExample", "isExampleOf"]
    assert 'replaced by <span class="term"><a href="#needs">needs</a></span>' in changes


@pytest.mark.parametrize("slug", ["Cause", "hasSeverity", "benign"])
def test_a_term_page_links_to_its_anchor(served, slug):
    _status, _headers, body = served.get(f"/id/{slug}", BROWSER)
    assert f'<a href="/ontology#{slug}">the ontology</a>' in body.decode()


def test_a_page_of_the_data_does_not(served):
    _status, _headers, body = served.get("/id/dystonia", BROWSER)
    assert "/ontology#" not in body.decode()


def test_a_term_page_shows_its_axioms_in_manchester_syntax_linked_to_pages(served):
    _status, _headers, body = served.get("/id/hasSeverity", BROWSER)
    axioms = re.search(r'<section class="axioms">(.*?)</section>', body.decode(), re.S).group(1)
    frame = re.search(r'<pre class="manchester">(.*?)</pre>', axioms, re.S).group(1)
    assert _text(frame) == ("ObjectProperty: 'has severity'\n    Characteristics: Functional\n"
                            "    Domain: cause\n    Range: severity")
    assert '<a href="/id/Cause">cause</a>' in frame  # elsewhere than /ontology, a term links to its page
