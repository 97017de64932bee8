"""The checker: what was entered → a presentation individual → the reasoner's classes → the article's words."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph, URIRef

from ..explain import graph_of
from ..store import GraphStore
from . import hermit
from .choices import Choices, RejectedInput, choices
from .individual import InputSchema
from .knowledge import Knowledge
from .model import Answer, Item, Namer, Presentation
from .queries import CHECKS, rdflib_triples
from .rl import RuleReasoner
from .why import Definitions

#: The three kinds of input chosen from the graph, as the API names them: (singular, plural, query).
KINDS = (("feature", "features", "features"), ("trigger", "triggers", "triggers"),
         ("condition", "conditions", "conditions"))
#: Other symptoms are typed, not chosen: at most this many, each at most this long.
MAX_SYMPTOMS = 5
MAX_SYMPTOM_LENGTH = 100
#: The names of every input, as the web form and the command line name them.
INPUTS = ("feature", "symptom", "trigger", "condition")


@dataclass(frozen=True)
class Checker:
    """Everything a check needs, read from the store once; checking is then in-process and fast."""

    store: GraphStore
    options: dict[str, Choices]
    schema: InputSchema
    reasoner: RuleReasoner
    knowledge: Knowledge

    @classmethod
    def from_store(cls, store: GraphStore) -> Checker:
        labels: dict[str, str] = {}
        for row in CHECKS.run(store, "labels").rows:
            labels.setdefault(row["item"].value, row["label"].value)
        item_of = Namer(str(store.vocab.entity_ns), labels)
        options = {
            kind: choices(kind, plural, CHECKS.run(store, name).rows, store.vocab.prefixes, item_of)
            for kind, plural, name in KINDS
        }
        tbox = rdflib_triples(CHECKS.run(store, "tbox", graphs=["ontology"]))
        modules = {
            item.iri: rdflib_triples(CHECKS.run(store, "module", _item=ox.NamedNode(item.iri)))
            for choice in options.values() for item in choice.items
        }
        schema = InputSchema.from_row(CHECKS.run(store, "inputs").rows[0])
        knowledge = Knowledge.load(store, item_of)
        return cls(
            store=store,
            options=options,
            schema=schema,
            reasoner=RuleReasoner(tbox, modules),
            knowledge=knowledge,
        )

    # ------------------------------------------------------------ input

    def presentation(self, features=(), triggers=(), condition: str | None = None, symptoms=()) -> Presentation:
        """Resolve what a person entered: :class:`UnknownChoice` for a value the graph does not know,
        :class:`RejectedInput` for too many or too long symptoms, or for nothing entered at all."""
        typed = _symptoms(symptoms)
        if not (any(features) or any(triggers) or condition or typed):
            raise RejectedInput("nothing to check: enter at least one feature, symptom, trigger or condition")
        return Presentation(
            features=self.options["feature"].resolve_all(features),
            triggers=self.options["trigger"].resolve_all(triggers),
            condition=self.options["condition"].resolve(condition) if condition else None,
            symptoms=tuple(self.schema.symptom(text) for text in typed),
        )

    def options_json(self) -> dict:
        """The valid values of each kind of input, as the API lists them."""
        return {plural: [o.to_json() for o in self.options[kind].options] for kind, plural, _ in KINDS}

    # ------------------------------------------------------------ reasoning

    def individual(self, presentation: Presentation) -> tuple[URIRef, list[tuple]]:
        return self.schema.individual(presentation), self.schema.triples(presentation)

    def classify(self, presentation: Presentation) -> frozenset[str]:
        """The named classes the in-process OWL 2 RL reasoner puts the presentation in."""
        return self.classify_many([presentation])[presentation]

    def classify_many(self, presentations: list[Presentation]) -> dict[Presentation, frozenset[str]]:
        """The same for many presentations, in one run of the in-process reasoner."""
        cases = {self.schema.individual(p): self.schema.triples(p) for p in presentations}
        mentioned = {item.iri for p in presentations for item in _entered(p)}
        found = self.reasoner.classify_all(cases, mentioned)
        return {p: found[self.schema.individual(p)] for p in presentations}

    def classify_with_hermit(self, presentations: list[Presentation]) -> dict[Presentation, frozenset[str]]:
        """The same, by HermiT, for many presentations in one run (one JVM)."""
        cases = {self.schema.individual(p): self.schema.triples(p) for p in presentations}
        found = hermit.classify_all(self.store.settings, cases, self.reasoner.classes)
        return {p: found[self.schema.individual(p)] for p in presentations}

    # ------------------------------------------------------------ answering

    def check(self, presentation: Presentation, *, reasoner: str = "rl") -> Answer:
        """The reasoner's escalation for ``presentation`` and the article's words for why.

        ``reasoner`` is "rl" (the in-process fast path) or "hermit" (the reference, a JVM per call).
        """
        if reasoner == "hermit":
            return self.answer(presentation, self.classify_with_hermit([presentation])[presentation], hermit.NAME)
        return self.answer(presentation, self.classify(presentation), self.reasoner.name)

    def answer(self, presentation: Presentation, concluded: frozenset[str], reasoner_name: str) -> Answer:
        """The answer for a presentation the reasoner put in the classes ``concluded``."""
        stated = {
            str(self.schema.feature): presentation.stated_features,
            str(self.schema.trigger): presentation.triggers,
            str(self.schema.condition): (presentation.condition,) if presentation.condition else (),
        }
        answer = self.knowledge.explain(presentation, stated, concluded, reasoner_name, self.example_of)
        entered = [(self.knowledge.item(prop), value) for prop, values in stated.items() for value in values]
        return replace(answer, why=self.definitions.why(tuple(c.item for c in answer.classes), entered))

    @cached_property
    def definitions(self) -> Definitions:
        """The definitions' part of each answer's justification, found on first use (about a second)."""
        defined = sorted(iri for iri, info in self.knowledge.classes.items() if info.defined)
        logical = Graph()  # the asserted axioms without annotations and literals: the engine runs faster
        for triple in rdflib_triples(CHECKS.run(self.store, "tbox", graphs=["ontology", "asserted"])):
            logical.add(triple)
        labelled = graph_of(self.store, ["ontology", "asserted"])
        return Definitions(logical, labelled, self.schema, self.options, defined, self.store.vocab.prefixes)

    @cached_property
    def example_of(self) -> dict[str, Item]:
        return {o.item.iri: o.example_of for c in self.options.values() for o in c.options if o.example_of}


def _symptoms(texts) -> tuple[str, ...]:
    """Typed symptoms, whitespace collapsed, empty ones dropped, duplicates (ignoring case) dropped."""
    found: dict[str, str] = {}
    for text in texts:
        text = " ".join(str(text).split())
        if any(ord(c) < 32 or ord(c) == 127 for c in text):
            raise RejectedInput("a symptom may not contain control characters")
        if len(text) > MAX_SYMPTOM_LENGTH:
            raise RejectedInput(f"a symptom may be at most {MAX_SYMPTOM_LENGTH} characters long, "
                                f"not {len(text)}: describe it in fewer words")
        if text:
            found.setdefault(text.casefold(), text)
    if len(found) > MAX_SYMPTOMS:
        raise RejectedInput(f"give at most {MAX_SYMPTOMS} other symptoms, not {len(found)}")
    return tuple(found.values())


def _entered(presentation: Presentation) -> tuple[Item, ...]:
    return presentation.features + presentation.triggers + ((presentation.condition,) if presentation.condition else ())
