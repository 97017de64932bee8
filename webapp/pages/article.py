"""The article view (``/article``): the article's text with its structure, its claims highlighted
from their selectors, a note beside each highlight, and how much of the text the graph covers.

Everything comes from the store (``webapp/sparql/article-*.rq``) and from the text the selectors
select from (``kg.anchors.texts``): the article (a ``tw:Article`` with a ``dcterms:hasFormat``
text), its sections and their list items (segments anchored by ``oa:TextPositionSelector``), the
claims whose targets lie in that text. This module knows no section, claim or entity of the
article: it cuts the text where the data says, and counts (``webapp/pages/sentences.py``).
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field

import pyoxigraph as ox
from flask import url_for

from kg import anchors

from ..state import AppState, state
from . import SPARQL
from .entity import EntityEscalation, _escalations
from .sentences import sentences

#: A section's heading at this level when it is the article's title, one deeper otherwise.
TITLE_LEVEL = 2


class ArticleUnavailable(Exception):
    """The graph holds no article anchored in a text of this server, or its anchors do not match it."""


@dataclass
class Entity:
    """An entity a claim is about: the property that links them, and what it calls for (if anything)."""

    iri: ox.NamedNode
    role: ox.NamedNode
    escalations: list[EntityEscalation] = field(default_factory=list)


@dataclass
class Claim:
    iri: ox.NamedNode
    slug: str  # its id on the page: /article#<slug>
    start: int
    end: int
    exact: str
    prefix: str = ""
    suffix: str = ""
    kinds: list[ox.NamedNode] = field(default_factory=list)
    motivations: list[ox.NamedNode] = field(default_factory=list)
    about: list[Entity] = field(default_factory=list)
    sources: list[ox.NamedNode] = field(default_factory=list)


@dataclass
class Highlight:
    """One distinct span of the text, and every claim anchored there."""

    start: int
    end: int
    claims: list[Claim] = field(default_factory=list)


@dataclass(frozen=True)
class Piece:
    """A run of a block's text: inside a highlight (the innermost, ``highlight``; ``anchored``: the
    claims whose spans start here, each with its id), or outside any (``uncovered``: no claim covers
    it; whitespace between sentences is neither)."""

    text: str
    highlight: Highlight | None = None
    anchored: tuple[Claim, ...] = ()
    uncovered: bool = False


@dataclass
class Block:
    """A heading, a paragraph or a list item: a span of the text drawn as one element."""

    kind: str  # "heading", "paragraph" or "item"
    start: int
    end: int
    pieces: list[Piece] = field(default_factory=list)
    highlights: list[Highlight] = field(default_factory=list)
    level: int = TITLE_LEVEL


@dataclass
class Part:
    """A paragraph (one block) or a list (its items, in the text's order)."""

    kind: str  # "paragraph" or "list"
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Section:
    iri: ox.NamedNode
    heading: Block | None
    parts: list[Part] = field(default_factory=list)

    @property
    def blocks(self) -> list[Block]:
        """Its heading, paragraphs and list items, in the text's order."""
        return ([self.heading] if self.heading else []) + [b for p in self.parts for b in p.blocks]


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    claims: tuple[str, ...]  # the slugs of the claims that overlap it
    covered: bool  # every one of its characters lies in some claim's span


@dataclass
class Article:
    iri: ox.NamedNode
    title: str
    source: str  # the text's IRI (the selectors' oa:hasSource)
    text: str
    sections: list[Section]
    claims: list[Claim]
    highlights: list[Highlight]
    sentences: list[Sentence]
    _anchors: dict[str, str] = field(init=False, repr=False)

    @property
    def covered_characters(self) -> int:
        return len(set().union(*(range(c.start, c.end) for c in self.claims)))

    @property
    def covered_sentences(self) -> list[Sentence]:
        return [s for s in self.sentences if s.covered]

    @property
    def uncovered_sentences(self) -> list[Sentence]:
        return [s for s in self.sentences if not s.covered]

    def anchor(self, iri: str) -> str | None:
        """The claim's id on the page, if it is anchored in this article."""
        return self._anchors.get(iri)

    def __post_init__(self) -> None:
        self._anchors = {c.iri.value: c.slug for c in self.claims}


# ---------------------------------------------------------------- reading the store


def _int(term) -> int:
    return int(term.value)


def _slug(app_state: AppState, iri: str, taken: set[str]) -> str:
    """The claim's local name under the graph's namespace, or a fresh ``claim-<n>``: an id for the page."""
    namespace = str(app_state.store.vocab.entity_ns)
    slug = iri[len(namespace):] if iri.startswith(namespace) else ""
    number = len(taken)
    while not slug or slug in taken or not all(c.isalnum() or c in "-_." for c in slug):
        number += 1
        slug = f"claim-{number}"
    taken.add(slug)
    return slug


def _claims(app_state: AppState, source: ox.NamedNode, text: str) -> list[Claim]:
    store = app_state.store
    claims: dict[ox.NamedNode, Claim] = {}
    taken: set[str] = set()
    for row in SPARQL.run(store, "article-claims", text=source).rows:
        claim = claims.get(row["claim"])
        if claim is None:
            claim = claims[row["claim"]] = Claim(row["claim"], _slug(app_state, row["claim"].value, taken),
                                                 _int(row["start"]), _int(row["end"]), row["exact"].value,
                                                 row["prefix"].value if "prefix" in row else "",
                                                 row["suffix"].value if "suffix" in row else "")
        for name, values in (("kind", claim.kinds), ("motivation", claim.motivations)):
            if name in row and row[name] not in values:
                values.append(row[name])
    wrong = [c.iri.value for c in claims.values()
             if not 0 <= c.start <= c.end <= len(text) or text[c.start:c.end] != c.exact]
    if wrong:  # the build checks every anchor (kg/anchors.py); a store built from another text fails here
        raise ArticleUnavailable(f"the served graph's anchors do not match the text {source.value}: "
                                 + ", ".join(sorted(wrong)[:5]))
    inferred = ox.NamedNode(store.graph_iris["inferred"])
    escalations: dict[ox.NamedNode, list[EntityEscalation]] = {}
    for row in SPARQL.run(store, "article-claim-links", text=source).rows:
        claim = claims.get(row["claim"])
        if claim is None:
            continue
        if row["link"].value == "source":
            claim.sources.append(row["value"])
            continue
        entity = row["value"]
        if entity not in escalations:
            escalations[entity] = _escalations(
                SPARQL.run(store, "entity-types", entity=entity, inferredGraph=inferred).rows)
        claim.about.append(Entity(entity, row["role"], escalations[entity]))
    return sorted(claims.values(), key=lambda c: (c.start, c.end, c.slug))


def _highlights(claims: list[Claim]) -> list[Highlight]:
    spans: dict[tuple[int, int], Highlight] = {}
    for claim in claims:
        spans.setdefault((claim.start, claim.end), Highlight(claim.start, claim.end)).claims.append(claim)
    return list(spans.values())


# ---------------------------------------------------------------- cutting the text


def _pieces(text: str, start: int, end: int, highlights: list[Highlight]) -> list[Piece]:
    inside = [h for h in highlights if h.start < end and start < h.end]
    cuts = sorted({start, end} | {p for h in inside for p in (h.start, h.end) if start < p < end})
    pieces = []
    for a, b in itertools.pairwise(cuts):
        covering = [h for h in inside if h.start <= a and b <= h.end]
        if covering:
            innermost = min(covering, key=lambda h: h.end - h.start)
            anchored = tuple(c for h in covering if h.start == a for c in h.claims)
            pieces.append(Piece(text[a:b], innermost, anchored))
            continue
        run = text[a:b]
        core = run.strip()
        if not core:
            pieces.append(Piece(run))
            continue
        lead = len(run) - len(run.lstrip())
        pieces.extend(p for p in (Piece(run[:lead]), Piece(core, uncovered=True),
                                  Piece(run[lead + len(core):])) if p.text)
    return pieces


def _block(text: str, kind: str, start: int, end: int, highlights: list[Highlight], level: int = TITLE_LEVEL) -> Block:
    return Block(kind, start, end, _pieces(text, start, end, highlights),
                 [h for h in highlights if start <= h.start < end], level)


def _lines(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end:
        stop = text.find("\n", start, end)
        stop = end if stop == -1 else stop
        if text[start:stop].strip():
            yield start, stop
        start = stop + 1


def _section(text: str, title: str, row: dict, items: list[tuple[int, int]], highlights: list[Highlight]) -> Section:
    start, end = _int(row["start"]), _int(row["end"])
    heading = row["heading"].value if "heading" in row else ""
    section = Section(row["segment"], None)
    if heading and text.startswith(heading, start):
        section.heading = _block(text, "heading", start, start + len(heading), highlights,
                                 TITLE_LEVEL if heading == title else TITLE_LEVEL + 1)
        start += len(heading)
    for line_start, line_end in _lines(text, start, end):
        item = next(((a, b) for a, b in items if line_start <= a and b <= line_end), None)
        if item is None:
            section.parts.append(Part("paragraph", [_block(text, "paragraph", line_start, line_end, highlights)]))
            continue
        if not section.parts or section.parts[-1].kind != "list":
            section.parts.append(Part("list"))
        # the list marker before the item ("- ") is the list's, drawn as a bullet
        section.parts[-1].blocks.append(_block(text, "item", item[0], line_end, highlights))
    return section


def _sentences(text: str, sections: list[Section], claims: list[Claim]) -> list[Sentence]:
    covered = [False] * len(text)
    for claim in claims:
        covered[claim.start:claim.end] = [True] * (claim.end - claim.start)
    found = []
    for block in (b for s in sections for b in s.blocks):
        for a, b in sentences(text, block.start, block.end):
            slugs = tuple(c.slug for c in claims if c.start < b and a < c.end)
            found.append(Sentence(a, b, text[a:b], slugs, all(covered[a:b])))
    return found


def _read(app_state: AppState) -> Article:
    texts = anchors.texts(app_state.settings)
    rows = [r for r in SPARQL.run(app_state.store, "article-segments").rows if r["text"].value in texts]
    if not rows:
        raise ArticleUnavailable("the graph holds no article whose text this server has")
    article, source = rows[0]["article"], rows[0]["text"]
    rows = [r for r in rows if r["article"] == article]
    text = texts[source.value]
    title = rows[0]["title"].value if "title" in rows[0] else ""
    claims = _claims(app_state, source, text)
    highlights = _highlights(claims)
    items: dict[ox.NamedNode, list[tuple[int, int]]] = {}
    for row in rows:
        if row["parent"] != article:
            items.setdefault(row["parent"], []).append((_int(row["start"]), _int(row["end"])))
    sections = [_section(text, title, row, items.get(row["segment"], []), highlights)
                for row in rows if row["parent"] == article]
    return Article(article, title, source.value, text, sections, claims, highlights,
                   _sentences(text, sections, claims))


def _read_or_why(app_state: AppState) -> Article | str:
    try:
        return _read(app_state)
    except ArticleUnavailable as exc:
        return str(exc)


def article_view() -> Article:
    """The article view's model, computed once per served build (and so is why there is none)."""
    app_state = state()
    found = app_state.cache.once(("article",), lambda: _read_or_why(app_state))
    if isinstance(found, str):
        raise ArticleUnavailable(found)
    return found


def anchor_of(iri: str) -> str | None:
    """``/article#<slug>`` for a claim anchored in the article, else None (also without an article)."""
    try:
        slug = article_view().anchor(iri)
    except ArticleUnavailable:
        return None
    return url_for("article.page", _anchor=slug) if slug else None
