"""A presentation as an OWL individual: its class and the property assertions of what was entered.

Which class and which properties comes from the graph (``check-inputs.rq``); the individual's
IRI is a name-based UUID (in the presentation class's namespace) of what was entered, so the same presentation always has the same IRI.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rdflib import URIRef
from rdflib.namespace import RDF

from .model import Presentation

@dataclass(frozen=True)
class InputSchema:
    """The presentation class and the property that states each kind of input."""

    presentation_class: URIRef
    feature: URIRef
    trigger: URIRef
    condition: URIRef

    @classmethod
    def from_row(cls, row: dict) -> "InputSchema":
        return cls(*(URIRef(row[k].value) for k in ("class", "feature", "trigger", "condition")))

    def individual(self, presentation: Presentation) -> URIRef:
        key = "|".join([",".join(presentation.query_args().get(k, [])) for k in ("feature", "trigger", "condition")])
        return URIRef(uuid.uuid5(uuid.uuid5(uuid.NAMESPACE_URL, str(self.presentation_class)), key).urn)

    def triples(self, presentation: Presentation) -> list[tuple]:
        me = self.individual(presentation)
        triples = [(me, RDF.type, self.presentation_class)]
        triples += [(me, self.feature, URIRef(f.iri)) for f in presentation.features]
        triples += [(me, self.trigger, URIRef(t.iri)) for t in presentation.triggers]
        if presentation.condition:
            triples.append((me, self.condition, URIRef(presentation.condition.iri)))
        return triples
