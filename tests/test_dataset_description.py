"""FAIR dataset description (issue 17): VoID with the header's metadata and class/property partitions,
a DCAT description of the downloads (size, media type, SHA-256, date, licence), and an entity's RDF as
TriG/N-Quads that keeps the asserted/inferred split, and as compact JSON-LD against a published context.
Against real `twitch-kg serve` processes."""

from __future__ import annotations

import hashlib
import json

import pytest
from rdflib import RDF, RDFS, Dataset, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, XSD

from linked_data import SCHEMA, parse_jsonld, register_context
from support import GRAPH, TW, Served

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
BASE = "https://w3id.org/twitch-kg"  # the graph's base IRI: the published JSON-LD context is under it


def dataset_of(server) -> URIRef:
    """The dataset's IRI: under the server's public URL, unset here, so the address it listens on."""
    return URIRef(server.url + "/.well-known/void#dataset")
LICENCE = URIRef("https://creativecommons.org/licenses/by/4.0/")
#: What the enriched copy of the ontology adds to its header (the values are this test's own).
CREATOR, PUBLISHER = URIRef("https://example.org/people/ada"), "The twitch-kg test publishers"
HEADER = f"""
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/twitch-kg/id/ontology> dcterms:creator <{CREATOR}> ;
    dcterms:publisher "{PUBLISHER}" ;
    dcterms:created "2026-01-15"^^xsd:date ;
    dcterms:issued "2026-02-01"^^xsd:date ;
    dcterms:modified "2026-11-29"^^xsd:date .
<{CREATOR}> rdfs:label "Ada Example" .
"""


def _graph(server, path: str, accept: str = "text/turtle") -> Graph:
    status, _, body = server.get(path, {"Accept": accept})
    assert status == 200, (path, body[:200])
    return Graph().parse(data=body, format={"text/turtle": "turtle", "application/ld+json": "json-ld"}[accept])


@pytest.fixture(scope="module")
def void(served) -> Graph:
    return _graph(served, "/.well-known/void")


def test_void_class_partitions_count_each_classs_members(served, void, store):
    dataset_iri = dataset_of(served)
    partitions = list(void.objects(dataset_iri, VOID.classPartition))
    assert len(partitions) == int(void.value(dataset_iri, VOID.classes))
    by_class = {void.value(p, VOID["class"]): int(void.value(p, VOID.entities)) for p in partitions}
    causes = int(store.query("SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?c a tw:Cause }").rows[0]["n"].value)
    assert by_class[URIRef(TW + "Cause")] == causes == 12
    assert by_class[URIRef(TW + "RequiresProfessionalAttention")] == 7
    for partition in partitions:
        assert str(partition).startswith(served.url + "/.well-known/void#class-")


def test_void_property_partitions_count_each_predicates_triples(served, void, store):
    dataset_iri = dataset_of(served)
    partitions = list(void.objects(dataset_iri, VOID.propertyPartition))
    assert len(partitions) == int(void.value(dataset_iri, VOID.properties))
    by_property = {void.value(p, VOID.property): int(void.value(p, VOID.triples)) for p in partitions}
    labels = int(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s rdfs:label ?o }").rows[0]["n"].value)
    assert by_property[RDFS.label] == labels
    everything = int(store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows[0]["n"].value)
    assert sum(by_property.values()) == everything


def test_void_carries_the_headers_licence_and_source(served, void):
    dataset_iri = dataset_of(served)
    assert void.value(dataset_iri, DCTERMS.license) == LICENCE
    assert void.value(dataset_iri, DCTERMS.source) == URIRef(TW + "article")


# ---------------------------------------------------------------- DCAT


@pytest.fixture(scope="module")
def dcat(served) -> Graph:
    return _graph(served, "/downloads.ttl")


def test_dcat_describes_every_download_with_size_checksum_and_date(served, dcat):
    dataset_iri = dataset_of(served)
    assert (dataset_iri, RDF.type, DCAT.Dataset) in dcat
    assert dcat.value(dataset_iri, DCTERMS.license) == LICENCE
    distributions = list(dcat.objects(dataset_iri, DCAT.distribution))
    assert len(distributions) == 6 * 6 + 1  # every graph (justifications, shapes included) in every format, SSSOM
    for distribution in distributions:
        assert (distribution, RDF.type, DCAT.Distribution) in dcat
        assert dcat.value(distribution, DCAT.downloadURL) == distribution
        status, headers, body = served.get(str(distribution).removeprefix(served.url))
        assert status == 200, distribution
        size = dcat.value(distribution, DCAT.byteSize)
        assert (size.datatype, int(size)) == (XSD.nonNegativeInteger, len(body))
        assert dcat.value(distribution, DCAT.mediaType) == URIRef(
            "https://www.iana.org/assignments/media-types/" + headers["Content-Type"].split(";")[0])
        checksum = dcat.value(distribution, SPDX.checksum)
        assert dcat.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(dcat.value(checksum, SPDX.checksumValue)) == hashlib.sha256(body).hexdigest()
        modified = dcat.value(distribution, DCTERMS.modified)
        assert modified.datatype == XSD.dateTime
        assert modified.toPython().strftime("%a, %d %b %Y %H:%M:%S GMT") == headers["Last-Modified"]
        assert dcat.value(distribution, DCTERMS.license) == LICENCE


def test_dcat_is_the_rdf_twin_of_downloads(served, dcat):
    assert isomorphic(_graph(served, "/downloads"), dcat)  # by Accept
    assert isomorphic(_graph(served, "/downloads.jsonld", "application/ld+json"), dcat)
    status, _, body = served.get("/downloads", {"Accept": "text/html"})
    html = body.decode()
    assert status == 200
    assert f'<a href="{LICENCE}" rel="license">{LICENCE}</a>' in html
    assert '<a href="/downloads.ttl" type="text/turtle">.ttl</a>' in html
    assert served.get("/downloads.exe")[0] == 404
    assert served.get("/downloads", {"Accept": "image/png"})[0] == 406


# ---------------------------------------------------------------- an entity's quads


def test_an_entity_as_trig_and_nquads_keeps_the_asserted_inferred_split(served):
    status, headers, body = served.get("/id/dystonia.nq")
    assert (status, headers["Content-Type"]) == (200, "application/n-quads")
    quads = Dataset()
    quads.parse(data=body, format="nquads")
    asserted, inferred = quads.graph(URIRef(GRAPH + "asserted")), quads.graph(URIRef(GRAPH + "inferred"))
    needs = (URIRef(TW + "dystonia"), RDF.type, URIRef(TW + "RequiresProfessionalAttention"))
    assert needs in inferred and needs not in asserted
    assert (URIRef(TW + "claim-dystonia"), URIRef(TW + "claimCause"), URIRef(TW + "dystonia")) in asserted
    union = Graph()
    for graph in quads.graphs():
        union += graph
    assert isomorphic(union, Graph().parse(data=served.get("/id/dystonia.nt")[2], format="nt"))
    status, headers, trig = served.get("/id/dystonia", {"Accept": "application/trig"})
    assert (status, headers["Content-Type"], headers["Content-Location"]) == (200, "application/trig",
                                                                                "/id/dystonia.trig")
    from_trig = Dataset()
    from_trig.parse(data=trig, format="trig")
    assert {str(g.identifier) for g in from_trig.graphs() if len(g)} == {GRAPH + "asserted", GRAPH + "inferred"}


def test_a_class_keeps_its_ontology_graph(served):
    quads = Dataset()
    quads.parse(data=served.get("/id/Cause.nq")[2], format="nquads")
    ontology = quads.graph(URIRef(GRAPH + "ontology"))
    assert (URIRef(TW + "Cause"), URIRef(TW + "schemaOrgType"), URIRef("https://schema.org/MedicalCause")) in ontology


# ---------------------------------------------------------------- metadata from the ontology header


@pytest.fixture(scope="module")
def enriched(settings, tmp_path_factory):
    """A server over a build whose ontology header also names a creator, a publisher and dates."""
    folder = tmp_path_factory.mktemp("enriched")
    ontology = folder / "twitch.ttl"
    ontology.write_text(settings.ontology_file.read_text(encoding="utf-8") + HEADER, encoding="utf-8")
    server = Served(settings.with_(build_dir=folder / "build"), folder, TWITCH_KG_ONTOLOGY=str(ontology))
    yield server
    assert server.terminate() == 0


def test_void_dcat_and_schema_org_carry_the_headers_creator_publisher_and_dates(enriched):
    dataset_iri = dataset_of(enriched)
    expected = {DCTERMS.creator: CREATOR, DCTERMS.publisher: Literal(PUBLISHER),
                DCTERMS.created: Literal("2026-01-15", datatype=XSD.date),
                DCTERMS.issued: Literal("2026-02-01", datatype=XSD.date),
                DCTERMS.modified: Literal("2026-11-29", datatype=XSD.date), DCTERMS.license: LICENCE}
    for path in ("/.well-known/void", "/downloads.ttl"):
        described = _graph(enriched, path)
        assert {term: described.value(dataset_iri, term) for term in expected} == expected, path
    html = enriched.get("/", {"Accept": "text/html"})[2].decode()
    block = html.split('<script type="application/ld+json">', 1)[1].split("</script>", 1)[0]
    dataset = parse_jsonld(block)
    assert dataset.value(dataset_iri, SCHEMA.creator) == CREATOR
    assert str(dataset.value(CREATOR, SCHEMA.name)) == "Ada Example"
    assert str(dataset.value(dataset_iri, SCHEMA.publisher)) == PUBLISHER
    assert [str(dataset.value(dataset_iri, SCHEMA[p])) for p in ("dateCreated", "datePublished", "dateModified")] == [
        "2026-01-15", "2026-02-01", "2026-11-29"]


# ---------------------------------------------------------------- compact JSON-LD


def test_an_entitys_json_ld_is_compact_against_the_published_context(served):
    status, headers, body = served.get("/context.jsonld")
    assert (status, headers["Content-Type"]) == (200, "application/ld+json")
    context = json.loads(body)
    assert context["@context"]["tw"] == TW and context["@context"]["rdfs"] == str(RDFS)
    status, _, body = served.get("/id/als.jsonld")
    document = json.loads(body)
    assert document["@context"] == BASE + "/context.jsonld"  # by URL: the published context
    assert {"@language": "en", "@value": "ALS"} in [node.get("skos:altLabel") for node in document["@graph"]]
    assert any(node["@id"] == "tw:als" for node in document["@graph"])
    register_context(BASE + "/context.jsonld", context)
    expected = Graph().parse(data=served.get("/id/als.nt")[2], format="nt")
    assert isomorphic(parse_jsonld(document), expected)
