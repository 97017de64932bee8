"""What the checker answers, as plain values: the presentation, the reasoner's classes, the article's words."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Item:
    """A graph entity as shown to people: its IRI, its slug (the IRI's local name) and its label."""

    iri: str
    slug: str
    label: str
    kind: str | None = None  # for what a person typed (a fresh individual): its class's IRI

    def to_json(self) -> dict:
        return {"id": self.slug, "iri": self.iri, "label": self.label}


@dataclass(frozen=True)
class ClassInfo:
    item: Item
    definition: str = ""
    defined: bool = False
    need: Item | None = None

    def to_json(self) -> dict:
        return {**self.item.to_json(), "definition": self.definition}


@dataclass(frozen=True)
class Claim:
    """One statement of the article: its verbatim quote, mechanisms, and the sources it cites (maybe none)."""

    item: Item
    quote: str
    order: int = 0
    mechanisms: tuple[Item, ...] = ()
    sources: tuple[Item, ...] = ()

    def to_json(self) -> dict:
        return {
            "iri": self.item.iri,
            "quote": self.quote,
            "mechanisms": [m.to_json() for m in self.mechanisms],
            "sources": [s.to_json() for s in self.sources],
        }


@dataclass(frozen=True)
class Presentation:
    """What a person described: warning features, other symptoms (as typed), suspected triggers, a
    diagnosed condition."""

    features: tuple[Item, ...] = ()
    triggers: tuple[Item, ...] = ()
    condition: Item | None = None
    symptoms: tuple[Item, ...] = ()  # fresh individuals, labelled with what was typed

    @property
    def stated_features(self) -> tuple[Item, ...]:
        """Everything stated with the feature property: the chosen features, then the typed symptoms."""
        return self.features + self.symptoms

    def to_json(self) -> dict:
        return {
            "features": [f.to_json() for f in self.features],
            "symptoms": [s.label for s in self.symptoms],
            "triggers": [t.to_json() for t in self.triggers],
            "condition": self.condition.to_json() if self.condition else None,
        }

    def query_args(self) -> dict[str, list[str]]:
        """The permalink's query parameters (slugs, and the symptoms as typed)."""
        args = {"feature": [f.slug for f in self.features], "symptom": [s.label for s in self.symptoms],
                "trigger": [t.slug for t in self.triggers]}
        if self.condition:
            args["condition"] = [self.condition.slug]
        return args


@dataclass(frozen=True)
class Escalation:
    """An escalation need the reasoner concluded, through the class that escalates to it."""

    need: Item
    through: Item
    claim: Claim | None

    def to_json(self) -> dict:
        return {**self.need.to_json(), "class": self.through.to_json(),
                "claim": self.claim.to_json() if self.claim else None}


@dataclass(frozen=True)
class Reason:
    """Why the presentation is in a defined class: a stated value that satisfies its restriction."""

    cls: Item
    property: Item
    value: Item

    def to_json(self) -> dict:
        return {"class": self.cls.to_json(), "property": self.property.to_json(), "value": self.value.to_json()}


@dataclass(frozen=True)
class Criterion:
    """A "When to See a Doctor" criterion the presentation matched, with the features that matched it."""

    item: Item
    claim: Claim | None
    features: tuple[Item, ...]

    def to_json(self) -> dict:
        return {**self.item.to_json(), "claim": self.claim.to_json() if self.claim else None,
                "features": [f.to_json() for f in self.features]}


@dataclass(frozen=True)
class Attribution:
    """A stated trigger or condition and what the article says about it (through its cause if an example)."""

    item: Item
    claims: tuple[Claim, ...]
    example_of: Item | None = None

    def to_json(self) -> dict:
        return {**self.item.to_json(), "exampleOf": self.example_of.to_json() if self.example_of else None,
                "claims": [c.to_json() for c in self.claims]}


@dataclass(frozen=True)
class Answer:
    presentation: Presentation
    classes: tuple[ClassInfo, ...]
    escalations: tuple[Escalation, ...]
    reasons: tuple[Reason, ...]
    criteria: tuple[Criterion, ...]
    watch_for: tuple[Criterion, ...]  # with no escalation: every criterion, to watch for
    triggers: tuple[Attribution, ...]
    condition: Attribution | None
    serious_causes: tuple[Claim, ...]
    disclaimer: str
    reasoner: str
    links: dict = field(default_factory=dict)
    #: Per escalating class, its justification: an entered value, then the definitions (kg.checker.why.ClassWhy).
    why: tuple = ()

    @property
    def escalated(self) -> bool:
        return bool(self.escalations)

    @property
    def basis(self) -> str:
        """How the verdict was reached: an OWL entailment, or nothing entailed from what was entered."""
        return "entailment" if self.escalated else "closed-world"

    def to_json(self) -> dict:
        return {
            "presentation": self.presentation.to_json(),
            "escalated": self.escalated,
            "basis": self.basis,
            "escalations": [e.to_json() for e in self.escalations],
            "classes": [c.to_json() for c in self.classes],
            "reasons": [r.to_json() for r in self.reasons],
            "why": [w.to_json() for w in self.why],
            "article": {
                "criteria": [c.to_json() for c in self.criteria],
                "watchFor": [c.to_json() for c in self.watch_for],
                "triggers": [t.to_json() for t in self.triggers],
                "condition": self.condition.to_json() if self.condition else None,
                "seriousCauses": [c.to_json() for c in self.serious_causes],
                "disclaimer": self.disclaimer,
            },
            "reasoner": self.reasoner,
            **({"links": dict(self.links)} if self.links else {}),
        }


class Namer:
    """Items for IRIs: the slug is the local name under the entity namespace, the label the graph's."""

    def __init__(self, namespace: str, labels: dict[str, str]):
        self._namespace = namespace
        self._labels = labels
        self._made: dict[str, Item] = {}

    def __call__(self, iri: str) -> Item:
        item = self._made.get(iri)
        if item is None:
            slug = iri[len(self._namespace):] if iri.startswith(self._namespace) else iri
            item = self._made[iri] = Item(iri, slug, self._labels.get(iri, slug))
        return item
