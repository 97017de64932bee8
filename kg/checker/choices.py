"""What a person may enter: the valid warning features, triggers and conditions, read from the graph.

Input is matched against each option's slug (``persistent-twitching``), its full or prefixed IRI
(``tw:persistent-twitching``), its label or alternative labels (``persistent``, ``ALS``), ignoring
case and treating spaces like hyphens, and, failing that, against the start of a slug or label
ending at a word boundary (``caffeine`` for ``caffeine-and-stimulants``) when exactly one option
starts so. Anything else is an :class:`UnknownChoice` naming the value and listing the valid ones.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import KGError
from .model import Item


class RejectedInput(KGError):
    """What a person entered cannot be checked: the message says why and what to enter instead."""


class UnknownChoice(RejectedInput):
    """An entered feature, trigger or condition that the graph does not know (or that is ambiguous)."""

    def __init__(self, kind: str, value: str, options: Choices, candidates: tuple[Item, ...] = ()):
        self.kind, self.value = kind, value
        self.valid = tuple(o.item.slug for o in options.options)
        if candidates:
            what = f"ambiguous {kind} {value!r}: it could be {', '.join(c.slug for c in candidates)}"
        else:
            what = f"unknown {kind} {value!r}"
        listing = ", ".join(f"{o.item.slug} ({o.item.label})" for o in options.options)
        super().__init__(f"{what}; valid {options.plural}: {listing}")


def normalise(text: str) -> str:
    return re.sub(r"[\s_]+", "-", text.strip().lower())


@dataclass(frozen=True)
class Option:
    item: Item
    aliases: tuple[str, ...]  # normalised: slug, labels, IRIs
    example_of: Item | None = None

    def to_json(self) -> dict:
        return {**self.item.to_json(), **({"exampleOf": self.example_of.to_json()} if self.example_of else {})}


@dataclass(frozen=True)
class Choices:
    """The options of one kind of input, in the article's order."""

    kind: str
    plural: str
    options: tuple[Option, ...]

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(o.item for o in self.options)

    def resolve(self, value: str) -> Item:
        key = normalise(value)
        exact = [o.item for o in self.options if key in o.aliases]
        if len(exact) == 1:
            return exact[0]
        starts = [o.item for o in self.options if key and any(a.startswith(key + "-") for a in o.aliases)]
        if len(starts) == 1 and not exact:
            return starts[0]
        raise UnknownChoice(self.kind, value, self, tuple(exact or starts) if len(exact or starts) > 1 else ())

    def resolve_all(self, values) -> tuple[Item, ...]:
        """Each value resolved, duplicates dropped, in the article's order."""
        chosen = {self.resolve(v) for v in values}
        return tuple(item for item in self.items if item in chosen)


def choices(kind: str, plural: str, rows, prefixes: dict[str, str], item_of) -> Choices:
    """Options from a ``check-*.rq`` result: one row per label/alternative label of each item."""
    found: dict[str, dict] = {}
    for row in rows:
        iri = row["item"].value
        entry = found.setdefault(iri, {"labels": [], "example_of": row.get("exampleOf")})
        for key in ("label", "alt"):
            if key in row:
                entry["labels"].append(row[key].value)
    options = []
    for iri, entry in found.items():
        item = item_of(iri)
        names = [item.slug, iri, *entry["labels"]]
        names += [f"{prefix}:{iri[len(ns):]}" for prefix, ns in prefixes.items() if iri.startswith(ns)]
        example_of = item_of(entry["example_of"].value) if entry["example_of"] is not None else None
        options.append(Option(item, tuple(dict.fromkeys(normalise(n) for n in names)), example_of))
    return Choices(kind, plural, tuple(options))
