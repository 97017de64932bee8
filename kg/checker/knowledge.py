"""The article's words for an answer, read once from the graph (which is immutable while served).

Explaining is looking up: the reasoner decided which classes the presentation is in; this
module finds, in tables read by ``kg/sparql/check-*.rq``, the stated values that satisfy those
classes' restrictions, the criteria those values belong to, the claims (quotes, mechanisms,
sources) about each entered value, and what the article says about its more serious causes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .model import Answer, Attribution, Claim, ClassInfo, Criterion, Escalation, Item, Namer, Presentation, Reason
from .queries import CHECKS


def _order(row) -> int:
    return int(row["order"].value) if "order" in row else 0


@dataclass(frozen=True)
class Knowledge:
    item: Namer
    classes: dict[str, ClassInfo]
    reasons: dict[tuple[str, str], frozenset[str]]  # (class, stated property) -> satisfying values
    criteria: tuple[tuple[Item, tuple[str, ...], str | None], ...]  # criterion, its features, its open class
    claims: dict[str, tuple[Claim, ...]]  # subject -> claims about it, in the article's order
    serious_causes: tuple[Claim, ...]
    disclaimer: str

    @classmethod
    def load(cls, store, item_of: Namer) -> Knowledge:
        classes = {
            row["class"].value: ClassInfo(
                item_of(row["class"].value),
                row["definition"].value if "definition" in row else "",
                row["defined"].value == "true",
                item_of(row["need"].value) if "need" in row else None,
            )
            for row in CHECKS.run(store, "classes").rows
        }
        reasons: dict[tuple[str, str], set[str]] = defaultdict(set)
        for row in CHECKS.run(store, "reasons").rows:
            reasons[(row["class"].value, row["property"].value)].add(row["item"].value)
        features: dict[str, list[str]] = defaultdict(list)
        open_class: dict[str, str | None] = {}
        for row in CHECKS.run(store, "criteria").rows:
            features[row["criterion"].value].append(row["feature"].value)
            open_class[row["criterion"].value] = row["featureClass"].value if "featureClass" in row else None
        claims = _claims(CHECKS.run(store, "claims").rows, item_of)
        by_iri = {c.item.iri: c for subject in claims.values() for c in subject}
        serious = tuple(sorted((by_iri[row["claim"].value] for row in CHECKS.run(store, "serious-causes").rows),
                               key=lambda c: c.order))
        disclaimer = CHECKS.run(store, "disclaimer").rows
        return cls(
            item=item_of,
            classes=classes,
            reasons={k: frozenset(v) for k, v in reasons.items()},
            criteria=tuple((item_of(c), tuple(f), open_class[c]) for c, f in features.items()),
            claims=claims,
            serious_causes=serious,
            disclaimer=disclaimer[0]["text"].value if disclaimer else "",
        )

    # ------------------------------------------------------------ explaining one answer

    def explain(self, presentation: Presentation, stated: dict[str, tuple[Item, ...]], concluded: frozenset[str],
                reasoner: str, example_of: dict[str, Item]) -> Answer:
        """The answer for ``presentation``, which the reasoner put in the classes ``concluded``.

        ``stated`` maps each stating property's IRI to the values entered with it.
        """
        classes = tuple(sorted((self.classes[c] for c in concluded if c in self.classes and self.classes[c].defined),
                               key=lambda info: (info.need is None, info.item.label)))
        reasons = tuple(
            Reason(info.item, self.item(prop), value)
            for info in classes for prop, values in stated.items() for value in values
            if {value.iri, value.kind} & self.reasons.get((info.item.iri, prop), frozenset())
        )
        witnesses = {r.value for r in reasons}
        escalations: dict[str, Escalation] = {}
        for info in classes:
            if info.need is not None and info.need.iri not in escalations:
                escalations[info.need.iri] = Escalation(info.need, info.item, self._first_claim(info.need.iri))
        matched = tuple(
            Criterion(criterion, self._first_claim(criterion.iri), met)
            for criterion, met in self._criteria_met(presentation.stated_features) if witnesses.intersection(met)
        )
        return Answer(
            presentation=presentation,
            classes=classes,
            escalations=tuple(escalations.values()),
            reasons=reasons,
            criteria=matched,
            watch_for=() if escalations else tuple(
                Criterion(criterion, self._first_claim(criterion.iri), ()) for criterion, _f, _c in self.criteria),
            triggers=tuple(self._attribution(t, example_of) for t in presentation.triggers),
            condition=self._attribution(presentation.condition, example_of) if presentation.condition else None,
            serious_causes=self.serious_causes,
            disclaimer=self.disclaimer,
            reasoner=reasoner,
        )

    def _criteria_met(self, stated: tuple[Item, ...]):
        """Each criterion with the stated features that meet it: named ones, or members of its open class."""
        for criterion, features, open_class in self.criteria:
            yield criterion, tuple(f for f in stated if f.iri in features or (open_class and f.kind == open_class))

    def _first_claim(self, iri: str) -> Claim | None:
        found = self.claims.get(iri, ())
        return found[0] if found else None

    def _attribution(self, item: Item, example_of: dict[str, Item]) -> Attribution:
        parent = example_of.get(item.iri)
        claims = self.claims.get(item.iri, ()) + (self.claims.get(parent.iri, ()) if parent else ())
        return Attribution(item, tuple(dict.fromkeys(claims)), parent)


def _claims(rows, item_of) -> dict[str, tuple[Claim, ...]]:
    """Claims grouped by what they are about; one row per (subject, mechanism, source) in the result."""
    parts: dict[str, dict] = {}
    subjects: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        iri = row["claim"].value
        part = parts.setdefault(iri, {"quote": row["quote"].value, "order": _order(row),
                                      "mechanisms": {}, "sources": {}})
        for key, target in (("mechanism", "mechanisms"), ("source", "sources")):
            if key in row:
                part[target][row[key].value] = None
        if iri not in subjects[row["subject"].value]:
            subjects[row["subject"].value].append(iri)
    built = {
        iri: Claim(item_of(iri), p["quote"], p["order"], tuple(item_of(m) for m in p["mechanisms"]),
                   tuple(item_of(s) for s in p["sources"]))
        for iri, p in parts.items()
    }
    return {subject: tuple(sorted((built[c] for c in claims), key=lambda c: c.order))
            for subject, claims in subjects.items()}
