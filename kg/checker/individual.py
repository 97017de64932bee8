"""A presentation as an OWL individual: its class and the property assertions of what was entered.

Which class and which properties comes from the graph (``check-inputs.rq``); the individual's
IRI is a name-based UUID (in the presentation class's namespace) of what was entered, so the same
presentation always has the same IRI. A symptom a person typed becomes a fresh individual of the
accompanying-symptom class, labelled with the text as typed (never looked up).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .model import Item, Presentation


@dataclass(frozen=True)
class InputSchema:
    """The presentation class, the property that states each kind of input, and the class of a typed symptom."""

    presentation_class: URIRef
    feature: URIRef
    trigger: URIRef
    condition: URIRef
    symptom_class: URIRef

    @classmethod
    def from_row(cls, row: dict) -> InputSchema:
        return cls(*(URIRef(row[k].value) for k in ("class", "feature", "trigger", "condition", "symptom")))

    @property
    def _namespace(self) -> uuid.UUID:
        return uuid.uuid5(uuid.NAMESPACE_URL, str(self.presentation_class))

    def symptom(self, text: str) -> Item:
        """The fresh individual for a symptom typed as ``text``."""
        iri = uuid.uuid5(self._namespace, "symptom\0" + text).urn
        return Item(iri, iri, text, kind=str(self.symptom_class))

    def individual(self, presentation: Presentation) -> URIRef:
        args = presentation.query_args()
        key = "|".join(["\0".join(args.get(k, [])) for k in ("feature", "trigger", "condition", "symptom")])
        return URIRef(uuid.uuid5(self._namespace, key).urn)

    def triples(self, presentation: Presentation) -> list[tuple]:
        me = self.individual(presentation)
        triples: list[tuple] = [(me, RDF.type, self.presentation_class)]
        triples += [(me, self.feature, URIRef(f.iri)) for f in presentation.stated_features]
        triples += [(me, self.trigger, URIRef(t.iri)) for t in presentation.triggers]
        if presentation.condition:
            triples.append((me, self.condition, URIRef(presentation.condition.iri)))
        for symptom in presentation.symptoms:
            triples += [(URIRef(symptom.iri), RDF.type, self.symptom_class),
                        (URIRef(symptom.iri), RDFS.label, Literal(symptom.label))]
        return triples
