"""Ontology publishing (issue 17), against a real ``twitch-kg serve``: the ontology's IRI, its version
IRI and /ontology dereference to the whole ontology (documentation for a browser; Turtle, RDF/XML,
JSON-LD, N-Triples by Accept or by suffix) with Vary and Link headers."""

from __future__ import annotations

import http.client
from urllib.parse import urlsplit

import pytest
from rdflib import Graph

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
