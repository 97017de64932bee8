"""Namespaces and the IRIs of the named graphs, derived from the configured base."""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Namespace
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from .errors import UnknownChoice

VANN = Namespace("http://purl.org/vocab/vann/")
VOID = Namespace("http://rdfs.org/ns/void#")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
OA = Namespace("http://www.w3.org/ns/oa#")
PROV = Namespace("http://www.w3.org/ns/prov#")
CITO = Namespace("http://purl.org/spar/cito/")

#: The graphs whose union is the SPARQL default graph: every count and saved query reads these.
GRAPH_NAMES = ("ontology", "asserted", "inferred")
#: Graphs held, queryable by name (``GRAPH``, ``FROM``, ``FROM NAMED``) and downloadable, never part
#: of the default graph: what they hold is about the graph, not the article's knowledge (why the reasoner
#: concluded what it did; the SHACL shapes the data was validated with).
NAMED_ONLY_GRAPH_NAMES = ("justifications", "shapes")
ALL_GRAPH_NAMES = GRAPH_NAMES + NAMED_ONLY_GRAPH_NAMES


@dataclass(frozen=True)
class Vocabulary:
    """The IRIs one build mints: the entity namespace and the named graphs."""

    base_iri: str

    @property
    def entity_ns(self) -> Namespace:
        return Namespace(self.base_iri + "id/")

    def graph_iri(self, name: str) -> str:
        if name not in ALL_GRAPH_NAMES:
            raise UnknownChoice(f"unknown graph {name!r}; choose from {', '.join(ALL_GRAPH_NAMES)}")
        return self.base_iri + "graph/" + name

    @property
    def graph_iris(self) -> dict[str, str]:
        """Every graph a build holds, by name."""
        return {name: self.graph_iri(name) for name in ALL_GRAPH_NAMES}

    @property
    def default_graph_iris(self) -> list[str]:
        """The graphs whose union is the default graph."""
        return [self.graph_iri(name) for name in GRAPH_NAMES]

    @property
    def prefixes(self) -> dict[str, str]:
        """Prefixes for serialisations and pre-filled queries."""
        return {
            "tw": str(self.entity_ns),
            "rdf": str(RDF),
            "rdfs": str(RDFS),
            "owl": str(OWL),
            "xsd": str(XSD),
            "skos": str(SKOS),
            "dcterms": str(DCTERMS),
            "vann": str(VANN),
            "oa": str(OA),
            "prov": str(PROV),
            "cito": str(CITO),
        }

    def sparql_prologue(self) -> str:
        return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in self.prefixes.items())
