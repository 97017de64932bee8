"""The result and RDF formats we speak: names, media types, file extensions."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .errors import UnknownChoice


@dataclass(frozen=True)
class Format:
    name: str
    media_type: str
    extension: str
    rdf_format: ox.RdfFormat | None = None


#: Formats of SELECT and ASK results.
RESULT_FORMATS = (
    Format("json", "application/sparql-results+json", "srj"),
    Format("xml", "application/sparql-results+xml", "srx"),
    Format("csv", "text/csv", "csv"),
    Format("tsv", "text/tab-separated-values", "tsv"),
)

#: Formats of RDF graphs (CONSTRUCT/DESCRIBE results and exports).
GRAPH_FORMATS = (
    Format("turtle", "text/turtle", "ttl", ox.RdfFormat.TURTLE),
    Format("nt", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES),
    Format("jsonld", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD),
    Format("xml", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML),
)

#: Formats of datasets (several named graphs).
DATASET_FORMATS = (
    Format("trig", "application/trig", "trig", ox.RdfFormat.TRIG),
    Format("nquads", "application/n-quads", "nq", ox.RdfFormat.N_QUADS),
)

#: Aliases people type for graph formats.
GRAPH_ALIASES = {"ttl": "turtle", "ntriples": "nt", "json-ld": "jsonld", "rdfxml": "xml", "rdf": "xml", "owl": "xml"}


#: The graph's cross-references as an SSSOM mapping table (not RDF: kg/sssom.py writes it).
SSSOM = Format("sssom", "text/tab-separated-values", "sssom.tsv")


def by_name(formats: tuple[Format, ...], name: str) -> Format:
    for fmt in formats:
        if fmt.name == name:
            return fmt
    raise UnknownChoice(f"unknown format {name!r}; choose from {', '.join(f.name for f in formats)}")


def by_extension(formats: tuple[Format, ...], extension: str) -> Format | None:
    return next((f for f in formats if f.extension == extension), None)


def by_media_type(formats: tuple[Format, ...], media_type: str) -> Format | None:
    return next((f for f in formats if f.media_type == media_type), None)
