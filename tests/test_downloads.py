"""Downloads (/downloads, /export/<graph>.<ext>) and the VoID description (/.well-known/void)."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from email.utils import parsedate_to_datetime

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic

# No XSD at module level: pytest's fixture discovery looks up ``_mock_name`` on every module-level
# name, and rdflib's XSD namespace warns about each name it does not define. Literal(int) is an
# xsd:integer.
from rdflib.namespace import DCTERMS, RDF

from linked_data import parse_jsonld
from support import GRAPH_TRIPLES, HTML, INFERRED, TOTAL, page_files
from support import TW as TW_IRI

VOID = Namespace("http://rdfs.org/ns/void#")
TW = Namespace(TW_IRI)
GRAPHS = ("all", "ontology", "asserted", "inferred", "justifications", "shapes")
MEDIA_TYPES = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
}
RDFLIB_FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "rdf": "xml", "trig": "trig", "nq": "nquads"}


@pytest.fixture()
def cli_export(cli_bytes):
    def run(graph: str, fmt: str) -> bytes:
        code, out, _err = cli_bytes("export", "--graph", graph, "--format", fmt)
        assert code == 0
        return out

    return run


# ---------------------------------------------------------------- the page


def test_downloads_page_links_every_graph_in_every_format(client):
    response = client.get("/downloads")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    links = re.findall(r'<a href="(/export/[^"]+)" type="([^"]+)" download>', html)
    assert sorted(links) == sorted((f"/export/{g}.{e}", t) for g in GRAPHS for e, t in MEDIA_TYPES.items())
    assert f'<td class="count">{TOTAL}</td>' in html
    assert f'<td class="count">{INFERRED}</td>' in html


@pytest.fixture(scope="module")
def files(app):
    return page_files(app.test_client().get("/downloads").get_data(as_text=True))


def test_the_page_lists_every_file_offered(files):
    expected = [f"{g}.{e}" for g in GRAPHS for e in MEDIA_TYPES] + ["mappings.sssom.tsv"]
    assert list(files) == expected
    assert {link for link, *_ in files.values()} == {f"/export/{name}" for name in expected}


def test_each_files_size_and_sha256_are_those_of_the_bytes_served(client, files):
    for name, (link, size, shown, exact, sha256, _date) in files.items():
        served = client.get(link).data
        assert int(size) == len(served) == int(exact.replace(",", "")), name
        assert sha256 == hashlib.sha256(served).hexdigest(), name
        assert re.fullmatch(r"[\d.]+ (Bytes|kB|MB)", shown), shown


def test_each_files_date_is_its_last_modified(client, files):
    for name, (link, *_rest, date) in files.items():
        served = parsedate_to_datetime(client.get(link).headers["Last-Modified"])
        assert datetime.fromisoformat(date) == served, name


def test_a_size_is_shown_readably(files):
    _link, size, shown, exact, *_ = files["all.ttl"]
    kilobytes = int(size) / 1000
    assert shown == f"{kilobytes:.1f} kB"
    assert exact == f"{int(size):,}"


# ---------------------------------------------------------------- exports


def test_export_all_ttl_is_what_the_cli_writes(client, cli_export):
    response = client.get("/export/all.ttl")
    assert response.status_code == 200
    expected = cli_export("all", "turtle")
    assert response.data == expected
    assert isomorphic(Graph().parse(data=response.data, format="turtle"), Graph().parse(data=expected, format="turtle"))


@pytest.mark.parametrize("graph", GRAPHS)
@pytest.mark.parametrize("ext", list(MEDIA_TYPES))
def test_every_export(client, graph, ext):
    response = client.get(f"/export/{graph}.{ext}")
    assert response.status_code == 200
    assert response.mimetype == MEDIA_TYPES[ext]
    assert response.headers["Content-Disposition"] == f'attachment; filename="twitch-kg-{graph}.{ext}"'
    assert re.fullmatch(r'"[0-9a-f]{64}"', response.headers["ETag"])
    assert response.headers["Last-Modified"].endswith(" GMT")
    triples = TOTAL if graph == "all" else GRAPH_TRIPLES[graph]
    if ext in ("trig", "nq"):
        dataset = Dataset()
        dataset.parse(data=response.data, format=RDFLIB_FORMATS[ext])
        assert sum(len(g) for g in dataset.graphs() if len(g)) == triples
    elif ext == "jsonld":  # compact, the published context inline: nothing to resolve
        assert len(parse_jsonld(response.get_data(as_text=True))) == triples
    else:
        parsed = Graph().parse(data=response.data, format=RDFLIB_FORMATS[ext])
        assert len(parsed) == triples


def test_same_bytes_as_the_cli_for_a_dataset_format(client, cli_export):
    assert client.get("/export/asserted.trig").data == cli_export("asserted", "trig")
    assert client.get("/export/inferred.nq").data == cli_export("inferred", "nquads")


def test_jsonld_download_is_the_clis_compact_jsonld(client, cli_export):
    response = client.get("/export/all.jsonld")
    assert response.data == cli_export("all", "jsonld")
    assert response.get_json()["@context"] == client.get("/context.jsonld").get_json()["@context"]
    assert '"@id": "tw:dehydration"' in response.get_data(as_text=True)
    turtle = Graph().parse(data=client.get("/export/all.ttl").data, format="turtle")
    assert isomorphic(parse_jsonld(response.get_data(as_text=True)), turtle)


def test_conditional_get_with_etag_is_304(client):
    first = client.get("/export/asserted.ttl")
    etag = first.headers["ETag"]
    again = client.get("/export/asserted.ttl", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == etag
    changed = client.get("/export/asserted.ttl", headers={"If-None-Match": '"not-it"'})
    assert changed.status_code == 200
    assert changed.data == first.data


def test_conditional_get_with_last_modified_is_304(client):
    first = client.get("/export/ontology.nt")
    again = client.get("/export/ontology.nt", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert again.status_code == 304


def test_etags_differ_between_graphs_and_formats(client):
    tags = {client.get(f"/export/{g}.{e}").headers["ETag"] for g in ("all", "asserted") for e in ("ttl", "nt")}
    assert len(tags) == 4


@pytest.mark.parametrize("path", ["/export/nope.ttl", "/export/all.exe", "/export/all", "/export/.ttl",
                                  "/export/../all.ttl", "/export/all.ttl/x", "/export/" + "a" * 3000 + ".ttl"])
def test_unknown_download_is_404_listing_the_valid_ones(client, path):
    response = client.get(path, headers=HTML)
    assert response.status_code == 404
    text = response.get_data(as_text=True)
    assert ("graphs: all, ontology, asserted, inferred, justifications, shapes; "
            "extensions: ttl, nt, jsonld, rdf, trig, nq") in text


# ---------------------------------------------------------------- VoID


@pytest.fixture(scope="module")
def void(app):
    response = app.test_client().get("/.well-known/void")
    assert response.status_code == 200
    assert response.mimetype == "text/turtle"
    assert response.headers["Vary"] == "Accept, Accept-Encoding"
    return Graph().parse(data=response.data, format="turtle")


DATASET = URIRef("https://w3id.org/twitch-kg/.well-known/void#dataset")


def test_void_dataset_header(void):
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert void.value(DATASET, DCTERMS.title) == Literal("twitch-kg: what causes muscle twitching", lang="en")
    assert void.value(DATASET, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert void.value(DATASET, VOID.sparqlEndpoint) == URIRef("https://w3id.org/twitch-kg/sparql")
    assert void.value(DATASET, VOID.uriSpace) == Literal(TW_IRI)


def test_void_triples_count_is_the_stores(void, store):
    assert void.value(DATASET, VOID.triples) == Literal(TOTAL)
    assert store.count() == len(store.triples(["ontology", "asserted", "inferred"])) == TOTAL


def test_void_statistics(void, store):
    def count(sparql):
        return int(store.query(sparql).rows[0]["n"].value)

    entities = count('SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER(STRSTARTS(STR(?s), STR(tw:))) }')
    classes = count("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?x a ?c }")
    assert int(void.value(DATASET, VOID.entities)) == entities
    assert int(void.value(DATASET, VOID.classes)) == classes
    assert entities > 100 and classes >= 33


def test_void_subsets_per_named_graph(void, store):
    subsets = set(void.objects(DATASET, VOID.subset))
    assert subsets == {URIRef(iri) for iri in store.graph_iris.values()}
    for name, iri in store.graph_iris.items():
        assert void.value(URIRef(iri), VOID.triples) == Literal(GRAPH_TRIPLES[name])
        assert URIRef(f"https://w3id.org/twitch-kg/export/{name}.ttl") in set(void.objects(URIRef(iri), VOID.dataDump))


def test_void_data_dumps(void):
    dumps = {str(d) for d in void.objects(DATASET, VOID.dataDump)}
    assert dumps == {f"https://w3id.org/twitch-kg/export/all.{e}" for e in MEDIA_TYPES}


def test_void_example_resources(void):
    examples = set(void.objects(DATASET, VOID.exampleResource))
    assert examples == {TW["muscle-twitching"], TW["lack-of-sleep"], TW["medication-side-effects"], TW.exercise}


def test_void_dumps_resolve(client, void):
    for dump in void.objects(DATASET, VOID.dataDump):
        assert client.get("/" + str(dump).removeprefix("https://w3id.org/twitch-kg/")).status_code == 200


@pytest.mark.parametrize("accept,media_type,rdflib_format", [
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml;q=0.9, text/turtle;q=0.1", "application/rdf+xml", "xml"),
])
def test_void_is_negotiable(client, void, accept, media_type, rdflib_format):
    response = client.get("/.well-known/void", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert isomorphic(Graph().parse(data=response.data, format=rdflib_format), void)


def test_void_not_acceptable_is_406(client):
    response = client.get("/.well-known/void", headers={"Accept": "image/png"})
    assert response.status_code == 406
