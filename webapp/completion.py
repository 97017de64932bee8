"""What the query editor and the header search offer while typing, read from the served graph.

The vocabulary (classes, properties, the properties used with each class, every IRI's names,
definition and most specific types) is read once per build by our own SPARQL
(``webapp/sparql/complete-*.rq``) into the app's cache, so it is right on every store; a request
then only filters it. Where the cursor is (after ``a``, in a predicate's place, …) comes from
:mod:`kg.query.context`. Matching names is typo-tolerant (rapidfuzz), so "twiching" finds "twitching".
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process, utils

from kg.query.context import Place
from kg.terms import compact, expand

from .pages import SPARQL
from .state import AppState

#: Suggestions in one answer at most.
MAX_SUGGESTIONS = 50
#: A name matches typed text (typo-tolerant) when rapidfuzz's score reaches this (of 100).
FUZZY_CUTOFF = 75
#: Namespaces of the languages themselves: a type there (owl:NamedIndividual) is shown only when the
#: term has no other.
LANGUAGE_NAMESPACES = ("http://www.w3.org/2002/07/owl#", "http://www.w3.org/2000/01/rdf-schema#",
                       "http://www.w3.org/1999/02/22-rdf-syntax-ns#")


@dataclass
class Described:
    """What we know to show of one IRI."""

    iri: str
    label: str = ""
    alt: list[str] = field(default_factory=list)
    definition: str = ""
    types: list[str] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [self.label, *self.alt] if self.label else list(self.alt)


@dataclass
class Vocabulary:
    prefixes: dict[str, str]
    classes: list[str]
    properties: list[str]
    class_properties: dict[str, list[str]]
    described: dict[str, Described]

    def about(self, iri: str) -> Described:
        return self.described.get(iri) or Described(iri)


def vocabulary(app_state: AppState) -> Vocabulary:
    """The served graph's vocabulary, read once per build (the app's cache)."""
    return app_state.cache.once(("completion-vocabulary",), lambda: _read(app_state))


def _read(app_state: AppState) -> Vocabulary:
    store = app_state.store
    classes = sorted(row["term"].value for row in SPARQL.run(store, "complete-classes").rows)
    properties = sorted(row["term"].value for row in SPARQL.run(store, "complete-properties").rows)
    used: dict[str, list[str]] = {}
    for row in SPARQL.run(store, "complete-class-properties").rows:
        used.setdefault(row["class"].value, []).append(row["property"].value)
    described: dict[str, Described] = {}
    comments: dict[str, str] = {}
    for row in SPARQL.run(store, "complete-descriptions").rows:
        iri, kind, text = row["term"].value, row["kind"].value, row["text"].value
        found = described.setdefault(iri, Described(iri))
        if kind == "label" and not found.label:
            found.label = text
        elif kind in ("label", "alt") and text not in found.alt and text != found.label:
            found.alt.append(text)
        elif kind == "definition" and not found.definition:
            found.definition = text
        elif kind == "comment":
            comments.setdefault(iri, text)
    for iri, text in comments.items():
        described[iri].definition = described[iri].definition or text
    types: dict[str, list[str]] = {}
    for row in SPARQL.run(store, "complete-types").rows:
        types.setdefault(row["term"].value, []).append(row["type"].value)
    for iri, found_types in types.items():
        own = [t for t in found_types if not t.startswith(LANGUAGE_NAMESPACES)]
        described.setdefault(iri, Described(iri)).types = sorted(own or found_types)
    return Vocabulary(dict(app_state.prefixes), classes, properties,
                      {c: sorted(set(p)) for c, p in used.items()}, described)


@dataclass(frozen=True)
class Suggestion:
    text: str  # what the editor inserts
    iri: str
    label: str
    definition: str
    type: str  # "prefix", "class", "property", or the entity's most specific type's label
    score: float

    def json(self) -> dict:
        return {"text": self.text, "iri": self.iri, "label": self.label, "definition": self.definition,
                "type": self.type}


#: What each place in a query takes.
KINDS = ("prefix", "class", "property", "entity")


def suggest(vocab: Vocabulary, place: Place, token: str, limit: int = 20,
            kind: str | None = None) -> tuple[str, list[Suggestion]]:
    """(what the place takes, or ``kind`` when given: one of :data:`KINDS`; the best suggestions for
    ``token``: the prefixes it may begin first, when it has no colon yet)."""
    kind = kind or {"prefix": "prefix", "class": "class", "predicate": "property"}.get(place.kind, "entity")
    if token.startswith(("?", "$")):
        return kind, []  # a variable: the user names it
    bare = ":" not in token and not token.startswith("<")
    found = _prefixes(vocab, token) if bare and (token or kind == "prefix") else []
    if kind == "class":
        found += _ranked(vocab, vocab.classes, token, "class")
    elif kind == "property":
        found += _ranked(vocab, properties_for(vocab, place), token, "property")
    elif kind == "entity":
        found += _ranked(vocab, list(vocab.described), token, None)
    return kind, found[:limit]


def properties_for(vocab: Vocabulary, place: Place) -> list[str]:
    """The properties used with the subject's classes when they are known (and have members), else all."""
    used: set[str] = set()
    for written in place.subject_classes:
        used.update(vocab.class_properties.get(expand(written, vocab.prefixes), ()))
    return sorted(used) if used else vocab.properties


def _prefixes(vocab: Vocabulary, token: str) -> list[Suggestion]:
    return [Suggestion(f"{name}:", namespace, namespace, "", "prefix", 100.0)
            for name, namespace in sorted(vocab.prefixes.items()) if name.startswith(token)]


def _ranked(vocab: Vocabulary, iris: Iterable[str], token: str, kind: str | None) -> list[Suggestion]:
    """``iris`` whose local name starts with ``token``'s (best), whose label, alternative label or local
    name contains it, or is close to it (typos: rapidfuzz, in one call over all the names), best first."""
    namespace, typed = _split(token.strip(), vocab.prefixes)
    wanted = typed.lower()
    scores: dict[str, float] = {}
    fuzzy: list[tuple[str, str]] = []  # (name, iri) of the terms not matched otherwise
    for iri in iris:
        if namespace is not None and not iri.startswith(namespace):
            continue
        local = _local_name(iri, compact(iri, vocab.prefixes))
        names = [*vocab.about(iri).names, local]
        if not wanted:
            scores[iri] = 50.0
        elif local.lower().startswith(wanted):  # the exact case, then the shortest name, first
            scores[iri] = 100.0 + (1 if local.startswith(typed) else 0) + 1 / (1 + len(local))
        elif any(wanted in name.lower() for name in names):
            scores[iri] = 90.0
        else:
            fuzzy.extend((name, iri) for name in names if name)
    if fuzzy:
        for _name, score, index in process.extract(typed, [name for name, _iri in fuzzy], scorer=fuzz.WRatio,
                                                   processor=utils.default_process, score_cutoff=FUZZY_CUTOFF,
                                                   limit=None):
            iri = fuzzy[index][1]
            scores[iri] = max(scores.get(iri, 0.0), float(score) * 0.85)
    found = [_suggestion(vocab, iri, compact(iri, vocab.prefixes), kind, score) for iri, score in scores.items()]
    found.sort(key=lambda s: (-s.score, s.text.lower()))
    return found


def _local_name(iri: str, text: str) -> str:
    """``Cause`` of ``tw:Cause``; of an IRI without a prefix, what follows its last ``/`` or ``#``."""
    if not text.startswith("<"):
        return text.partition(":")[2]
    return iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _split(typed: str, prefixes: dict[str, str]) -> tuple[str | None, str]:
    """(the namespace a prefixed name's prefix stands for, or None; the text to match)."""
    if typed.startswith("<"):
        return typed[1:].rstrip(">") or None, ""
    prefix, sep, local = typed.partition(":")
    if sep and prefix in prefixes:
        return prefixes[prefix], local
    return None, typed


def _suggestion(vocab: Vocabulary, iri: str, text: str, kind: str | None, score: float) -> Suggestion:
    about = vocab.about(iri)
    shown = kind or ", ".join(vocab.about(t).label or compact(t, vocab.prefixes) for t in about.types) or "entity"
    return Suggestion(text, iri, about.label or text, about.definition, shown, score)


def search(vocab: Vocabulary, text: str, limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    """Entities whose label, alternative label or local name matches ``text`` (typo-tolerant), best first."""
    return _ranked(vocab, list(vocab.described), text, None)[:limit]
