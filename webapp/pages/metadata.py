"""What the dataset says about itself, read from the ontology's header (``webapp/sparql/dataset-metadata.rq``):
title, description, licence, creators, contributors, publishers, dates, version, citation.

VoID, DCAT and the schema.org ``Dataset`` of the home page and ``/downloads`` all read it here, so the
values live in the Turtle and nowhere in the code.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib.namespace import DCTERMS, OWL

from ..state import AppState
from . import SPARQL

Value = ox.NamedNode | ox.Literal | ox.BlankNode


@dataclass(frozen=True)
class Agent:
    """A creator, contributor or publisher: an IRI (with its label, if the graph has one) or a name."""

    iri: str | None
    name: str | None


@dataclass
class Metadata:
    #: Each term of the header (``dcterms:creator``, …) and its values, in a stable order.
    values: dict[str, list[Value]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)  # an IRI value's label

    def first(self, term: str) -> Value | None:
        found = self.values.get(term)
        return found[0] if found else None

    def text(self, term: str) -> str | None:
        value = self.first(term)
        return value.value if value is not None else None

    def agents(self, term: str) -> list[Agent]:
        return [Agent(v.value, self.labels.get(v.value)) if isinstance(v, ox.NamedNode) else Agent(None, v.value)
                for v in self.values.get(term, []) if not isinstance(v, ox.BlankNode)]

    @property
    def title(self) -> str | None:
        return self.text(str(DCTERMS.title))

    @property
    def description(self) -> str | None:
        return self.text(str(DCTERMS.description))

    @property
    def licenses(self) -> list[str]:
        return [v.value for v in self.values.get(str(DCTERMS.license), []) if isinstance(v, ox.NamedNode)]

    @property
    def version(self) -> str | None:
        return self.text(str(OWL.versionInfo))


#: The header's terms a dataset description (VoID, DCAT) repeats about the dataset, as they are.
DESCRIBING = (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.creator, DCTERMS.contributor,
              DCTERMS.publisher, DCTERMS.created, DCTERMS.issued, DCTERMS.modified, DCTERMS.bibliographicCitation,
              DCTERMS.source)


def describing_triples(subject: ox.NamedNode, meta: Metadata) -> list[ox.Triple]:
    """The header's title, description, licence, agents, dates, citation and source, said of ``subject``."""
    return [ox.Triple(subject, ox.NamedNode(str(term)), value)
            for term in DESCRIBING for value in meta.values.get(str(term), [])
            if not isinstance(value, ox.BlankNode)]


def metadata(app_state: AppState) -> Metadata:
    """The header's metadata, read once per served build."""

    def read() -> Metadata:
        found = Metadata()
        for row in SPARQL.run(app_state.store, "dataset-metadata").rows:
            values = found.values.setdefault(row["property"].value, [])
            if row["value"] not in values:
                values.append(row["value"])
            if "label" in row and isinstance(row["value"], ox.NamedNode):
                found.labels.setdefault(row["value"].value, row["label"].value)
        return found

    return app_state.cache.once(("dataset-metadata",), read)
