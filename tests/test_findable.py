"""Findable (issue 17): meta description and canonical link on every page, schema.org JSON-LD (Dataset on
the home page and /downloads; MedicalCause, MedicalCondition, MedicalSignOrSymptom on entity pages) checked
against a shipped schema.org release, /robots.txt and /sitemap.xml; every absolute URL from
TWITCH_KG_PUBLIC_URL, never from the Host header. Against a real `twitch-kg serve`."""

from __future__ import annotations

import json
import re
from html import unescape
from xml.etree import ElementTree

import pytest
from rdflib import RDF, URIRef

from linked_data import SCHEMA, parse_jsonld, unknown_schema_terms
from support import BROWSER, DISCLAIMER, SAVED_QUERIES, TW, Served
from webapp.urls import listening_url

PUBLIC = "https://kg.example.org/twitch"  # the public base URL the server is told
EVIL = {**BROWSER, "Host": "evil.example"}  # a Host header no absolute URL may come from
LICENCE = "https://creativecommons.org/licenses/by/4.0/"
#: A page of each type, as requested (its canonical URL is PUBLIC + this).
PAGES = ["/", "/id/dystonia", "/id/als", "/id/nhs", "/id/Cause", "/id/canCause", "/ontology", "/queries",
         "/queries/causes-by-source?source=tw:nhs", "/api", "/check", "/downloads", "/search?q=twitch",
         "/sparql", "/no-such-page"]


@pytest.fixture(scope="module")
def public(settings, built, tmp_path_factory):
    server = Served(settings, tmp_path_factory.mktemp("public"), TWITCH_KG_PUBLIC_URL=PUBLIC + "/")
    yield server
    assert server.terminate() == 0


def _html(server, path: str) -> str:
    status, _, body = server.get(path, EVIL)
    assert status == (404 if path == "/no-such-page" else 200), path
    return body.decode()


def _jsonld(html: str) -> list[dict]:
    return [json.loads(block) for block in
            re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, flags=re.S)]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_has_a_description_and_a_canonical_link_from_the_public_base(public, path):
    html = _html(public, path)
    descriptions = re.findall(r'<meta name="description" content="([^"]*)">', html)
    assert len(descriptions) == 1 and len(unescape(descriptions[0])) > 20, descriptions
    assert re.findall(r'<link rel="canonical" href="([^"]*)">', html) == [PUBLIC + path.replace("&", "&amp;")]
    assert "evil.example" not in html


def test_entity_and_saved_query_descriptions_are_their_own(public):
    assert '<meta name="description" content="Causes a given source is cited for: ' in _html(
        public, "/queries/causes-by-source")
    assert re.search(r'<meta name="description" content="dystonia: [^"]+">', _html(public, "/id/dystonia"))


@pytest.mark.parametrize("path", ["/", "/downloads"])
def test_home_and_downloads_embed_the_schema_org_dataset(public, path):
    [document] = _jsonld(_html(public, path))
    assert document["@context"] == "https://schema.org"
    graph = parse_jsonld(document)
    assert unknown_schema_terms(graph) == []
    dataset = URIRef(PUBLIC + "/.well-known/void#dataset")
    assert (dataset, RDF.type, SCHEMA.Dataset) in graph
    assert str(graph.value(dataset, SCHEMA.name)) == "twitch-kg: what causes muscle twitching"
    assert graph.value(dataset, SCHEMA.license) == URIRef(LICENCE)
    assert str(graph.value(dataset, SCHEMA.version)) == "2.0.0"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(graph.value(dataset, SCHEMA.dateModified)))
    assert graph.value(dataset, SCHEMA.isBasedOn) == URIRef(TW + "article")
    downloads = list(graph.objects(dataset, SCHEMA.distribution))
    urls = sorted(str(graph.value(d, SCHEMA.contentUrl)) for d in downloads)
    assert len(urls) == 6 * 6 + 1  # every graph (justifications and shapes included) in every format, and SSSOM
    assert PUBLIC + "/export/all.ttl" in urls and PUBLIC + "/export/mappings.sssom.tsv" in urls
    for d in downloads:
        assert (d, RDF.type, SCHEMA.DataDownload) in graph
        url = str(graph.value(d, SCHEMA.contentUrl))
        status, headers, _ = public.get(url.removeprefix(PUBLIC))
        assert status == 200
        assert headers["Content-Type"].split(";")[0] == str(graph.value(d, SCHEMA.encodingFormat))


@pytest.mark.parametrize("slug,types", [
    ("dystonia", {"MedicalCause", "MedicalCondition"}),
    ("lack-of-sleep", {"MedicalCause"}),
    ("als", {"MedicalCondition"}),
    ("muscle-twitching", {"MedicalSignOrSymptom"}),
])
def test_medical_entities_are_marked_up_with_only_what_the_article_says(public, article_text, slug, types):
    [document] = _jsonld(_html(public, f"/id/{slug}"))
    graph = parse_jsonld(document)
    assert unknown_schema_terms(graph) == []
    entity = URIRef(TW + slug)
    assert {str(t).removeprefix(str(SCHEMA)) for t in graph.objects(entity, RDF.type)} == types
    assert graph.value(entity, SCHEMA.url) == URIRef(f"{PUBLIC}/id/{slug}")
    description = str(graph.value(entity, SCHEMA.description))
    for sentence in re.split(r"(?<=[.!?]) ", description):
        assert sentence in article_text  # the article's words, verbatim
    page = graph.value(entity, SCHEMA.subjectOf)
    assert (page, RDF.type, SCHEMA.MedicalWebPage) in graph
    assert graph.value(page, SCHEMA.isBasedOn) == URIRef(TW + "article")
    assert str(graph.value(graph.value(page, SCHEMA.usageInfo), SCHEMA.text)) == DISCLAIMER


def test_the_article_names_and_sources_of_a_condition(public):
    graph = parse_jsonld(_jsonld(_html(public, "/id/als"))[0])
    als = URIRef(TW + "als")
    assert str(graph.value(als, SCHEMA.alternateName)) == "ALS"
    assert graph.value(als, SCHEMA.sameAs) == URIRef("http://purl.obolibrary.org/obo/MONDO_0004976")
    page = graph.value(als, SCHEMA.subjectOf)
    assert set(graph.objects(page, SCHEMA.citation)) == {URIRef(TW + "als-association")}


@pytest.mark.parametrize("slug", ["nhs", "Cause", "canCause", "claim-dehydration"])
def test_other_entities_carry_no_medical_markup(public, slug):
    assert _jsonld(_html(public, f"/id/{slug}")) == []


def test_robots_txt_points_at_the_sitemap(public):
    status, headers, body = public.get("/robots.txt", EVIL)
    assert (status, headers["Content-Type"]) == (200, "text/plain; charset=utf-8")
    assert body.decode() == ("User-agent: *\nDisallow: /sparql?\nDisallow: /search\nDisallow: /check?\n"
                             f"Disallow: /api/check\n\nSitemap: {PUBLIC}/sitemap.xml\n")


def test_the_sitemap_lists_every_entity_page_and_saved_query(public, store):
    status, headers, body = public.get("/sitemap.xml", EVIL)
    assert (status, headers["Content-Type"]) == (200, "application/xml; charset=utf-8")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in ElementTree.fromstring(body).findall("s:url/s:loc", ns)]
    assert len(urls) == len(set(urls))
    assert all(url.startswith(PUBLIC + "/") for url in urls)
    assert {f"{PUBLIC}/queries/{name}" for name in SAVED_QUERIES} <= set(urls)
    described = {row["s"].value for row in store.query(
        "SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s) && STRSTARTS(STR(?s), STR(tw:))) "
        "FILTER NOT EXISTS { ?s owl:deprecated true } }").rows}
    # an IRI with a fragment (a claim's #target) is described on its page's IRI, which is listed
    assert {url for url in urls if url.startswith(PUBLIC + "/id/")} == {
        PUBLIC + "/id/" + iri.removeprefix(TW) for iri in described if "#" not in iri}
    assert len(urls) == 7 + len(SAVED_QUERIES) + len([iri for iri in described if "#" not in iri])
    for url in urls:
        assert public.get(url.removeprefix(PUBLIC), BROWSER)[0] == 200, url


def test_unset_the_public_base_is_where_the_server_listens(served):
    """TWITCH_KG_PUBLIC_URL unset: absolute URLs start with the address `twitch-kg serve` listens on
    (here http://127.0.0.1:PORT), still never with the Host header."""
    assert served.url.startswith("http://127.0.0.1:")
    html = _html(served, "/id/dystonia")
    assert re.findall(r'<link rel="canonical" href="([^"]*)">', html) == [served.url + "/id/dystonia"]
    robots = served.get("/robots.txt", EVIL)[2].decode()
    assert robots.endswith(f"\nSitemap: {served.url}/sitemap.xml\n")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = [loc.text for loc in ElementTree.fromstring(served.get("/sitemap.xml", EVIL)[2]).findall("s:url/s:loc", ns)]
    assert urls and all(url.startswith(served.url + "/") for url in urls)
    void = served.get("/.well-known/void", {**EVIL, "Accept": "text/turtle"})[2].decode()
    assert f"<{served.url}/sparql>" in void and "evil.example" not in void


@pytest.mark.parametrize(("host", "port", "expected"), [
    ("127.0.0.1", 8000, "http://127.0.0.1:8000/"),
    ("::1", 8080, "http://[::1]:8080/"),
    ("localhost", 5000, "http://localhost:5000/"),
    ("fe80::1%eth0", 8000, "http://[fe80::1%25eth0]:8000/"),  # a zone id, escaped (RFC 6874)
    ("0.0.0.0", 8000, None),  # a wildcard names no place: the graph's base IRI stays, with a warning
    ("::", 8000, None),
    ("", 8000, None),
])
def test_the_listening_url(host, port, expected):
    assert listening_url(host, port) == expected
