"""The checker's "Why" as a justification: what was entered, plus the definitions it meets.

The definitions' part is found once per served build, with the checker: for every value a person
can enter (each option of each kind of input, and one typed symptom), a hypothetical presentation
stating that value alone joins the asserted graph, and the rule engine (:mod:`kg.justify`) justifies
each defined class such a presentation falls in. What is left once the hypothetical's own facts are
taken out is what makes that value escalate: the ontology's definitions and the article's facts about
the value. An answer puts it after what was entered; no reasoner runs per request.
"""

from __future__ import annotations

from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from ..explain import Step, steps_of, vocabulary_terms
from ..justify import justify
from ..manchester import Renderer
from .choices import Choices
from .individual import InputSchema
from .model import Item, Presentation, Reason


@dataclass(frozen=True)
class ClassWhy:
    """Why the presentation is in one defined class: the entered value it follows from, then the
    definitions and facts that make that value count (a justification, facts of the article first)."""

    cls: Item
    entered: Reason
    steps: tuple[Step, ...]

    def to_json(self) -> dict:
        return {"class": self.cls.to_json(), "entered": self.entered.to_json(),
                "steps": [{"words": [list(w) for w in s.words], "axiom": s.axiom, "fact": s.fact}
                          for s in self.steps]}


class Definitions:
    """For (defined class, value entered or the class of a typed one): the rest of a justification."""

    def __init__(self, asserted: Graph, labelled: Graph, schema: InputSchema, options: dict[str, Choices],
                 classes: list[str], prefixes: dict[str, str]):
        """``asserted``: the asserted axioms (annotations may be left out); ``labelled``: where the labels are."""
        hypotheses: dict[URIRef, tuple[str, Presentation]] = {}
        for kind, choice in options.items():
            for item in choice.items:
                hypotheses[schema.individual(_stating(kind, item))] = (item.iri, _stating(kind, item))
        typed = Presentation(symptoms=(schema.symptom("a symptom the article does not name"),))
        hypotheses[schema.individual(typed)] = (str(schema.symptom_class), typed)
        graph = Graph()
        for triple in asserted:
            graph.add(triple)
        own: dict[URIRef, set] = {}
        for me, (_key, presentation) in hypotheses.items():
            own[me] = set(schema.triples(presentation))
            for triple in own[me]:
                graph.add(triple)
        statements = [(me, RDF.type, URIRef(c)) for me in hypotheses for c in classes]
        found = justify(graph, statements)
        renderer = Renderer.by_label(graph, labelled, prefixes)
        terms = vocabulary_terms(found)
        self._steps: dict[tuple[str, str], tuple[Step, ...]] = {}
        for statement in statements:
            me, _, cls = statement
            every = [[a for a in axioms if not a.triples & own[me]] for axioms in found.all_of(statement)]
            if not every:
                continue
            rest = min(every, key=len)  # the fewest axioms besides what was entered
            self._steps[(str(cls), hypotheses[me][0])] = tuple(steps_of(rest, renderer, terms))

    def why(self, classes: tuple[Item, ...], entered: list[tuple[Item, Item]]) -> tuple[ClassWhy, ...]:
        """For each of ``classes``, its smallest justification through one of the ``entered``
        (property, value) pairs alone; a class that no one value puts the presentation in has none."""
        found = []
        for cls in classes:
            candidates = []
            for prop, value in entered:
                steps = self._steps.get((cls.iri, value.iri))
                if steps is None and value.kind:
                    steps = self._steps.get((cls.iri, value.kind))
                if steps is not None:
                    candidates.append((len(steps), ClassWhy(cls, Reason(cls, prop, value), steps)))
            if candidates:
                found.append(min(candidates, key=lambda c: c[0])[1])
        return tuple(found)


def _stating(kind: str, item: Item) -> Presentation:
    if kind == "condition":
        return Presentation(condition=item)
    return Presentation(triggers=(item,)) if kind == "trigger" else Presentation(features=(item,))

