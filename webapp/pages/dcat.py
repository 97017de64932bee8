"""The downloads as a DCAT catalogue (https://www.w3.org/TR/vocab-dcat-3/): the dataset (the same IRI as
VoID's) and one ``dcat:Distribution`` per download, with its byte size, media type, SHA-256 checksum
(``spdx:checksum``), licence and modification time. It is ``/downloads``' RDF twin."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, RDF, XSD

from kg.formats import Format

from ..state import AppState
from .exports import Download
from .metadata import describing_triples, metadata

DCAT = "http://www.w3.org/ns/dcat#"
SPDX = "http://spdx.org/rdf/terms#"
IANA = "https://www.iana.org/assignments/media-types/"
PREFIXES = {"dcat": DCAT, "spdx": SPDX, "dcterms": str(DCTERMS), "xsd": str(XSD)}


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _typed(value: str, datatype) -> ox.Literal:
    return ox.Literal(value, datatype=_n(str(datatype)))


def catalogue(app_state: AppState, dataset_iri: str, landing_page: str,
              url: Callable[[str, Format], str], downloads: list[Download]) -> list[ox.Triple]:
    """dcat:Dataset (the header's metadata) and its distributions, in the order of ``downloads``."""
    meta = metadata(app_state)
    dataset = _n(dataset_iri)
    triples = [ox.Triple(dataset, _n(str(RDF.type)), _n(DCAT + "Dataset")),
               ox.Triple(dataset, _n(DCAT + "landingPage"), _n(landing_page)),
               *describing_triples(dataset, meta)]
    licences = [_n(iri) for iri in meta.licenses]
    for number, item in enumerate(downloads, 1):
        distribution = _n(url(item.graph, item.format))
        checksum = ox.BlankNode(f"sha256-{number}")
        triples += [
            ox.Triple(dataset, _n(DCAT + "distribution"), distribution),
            ox.Triple(distribution, _n(str(RDF.type)), _n(DCAT + "Distribution")),
            ox.Triple(distribution, _n(str(DCTERMS.title)), ox.Literal(item.filename)),
            ox.Triple(distribution, _n(DCAT + "downloadURL"), distribution),
            ox.Triple(distribution, _n(DCAT + "accessURL"), distribution),
            ox.Triple(distribution, _n(DCAT + "mediaType"), _n(IANA + item.format.media_type)),
            ox.Triple(distribution, _n(DCAT + "byteSize"), _typed(str(item.size), XSD.nonNegativeInteger)),
            ox.Triple(distribution, _n(str(DCTERMS.modified)), _modified(item.last_modified)),
            *(ox.Triple(distribution, _n(str(DCTERMS.license)), licence) for licence in licences),
            ox.Triple(distribution, _n(SPDX + "checksum"), checksum),
            ox.Triple(checksum, _n(str(RDF.type)), _n(SPDX + "Checksum")),
            ox.Triple(checksum, _n(SPDX + "algorithm"), _n(SPDX + "checksumAlgorithm_sha256")),
            ox.Triple(checksum, _n(SPDX + "checksumValue"), _typed(item.sha256, XSD.hexBinary)),
        ]
    return triples


def _modified(when: datetime) -> ox.Literal:
    return _typed(when.isoformat().replace("+00:00", "Z"), XSD.dateTime)
