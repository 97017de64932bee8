"""What the IRI of one entity answers: its RDF description and the model of its page.

Everything comes from ``webapp/sparql/entity-*.rq``; this module only groups rows. It knows
no entity, class or property of the article: labels, definitions, types, links and claims
are whatever the graph holds.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TypedDict

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from kg import explain
from kg.store import GraphStore

from ..state import AppState
from . import SPARQL, diagram

#: What a slug may look like: the characters our IRIs are minted with, at most 200 of them.
SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]{0,199}")

#: How many neighbours a page's picture shows on each side.
PICTURE_LIMIT = 40


def valid_slug(slug: str) -> bool:
    return SLUG.fullmatch(slug) is not None and ".." not in slug


def is_true(term) -> bool:
    return isinstance(term, ox.Literal) and term.value == "true"


class _EntityAndInferred(TypedDict):
    """The bindings of the queries about an entity that tell asserted from inferred."""

    entity: ox.NamedNode
    inferredGraph: ox.NamedNode


@dataclass(frozen=True)
class Kind:
    exists: bool
    is_class: bool
    is_property: bool


def kind(store: GraphStore, iri: str) -> Kind:
    rows = SPARQL.run(store, "entity-kind", entity=ox.NamedNode(iri)).rows
    row = rows[0] if rows else {}
    return Kind(is_true(row.get("exists")), is_true(row.get("isClass")), is_true(row.get("isProperty")))


def replacement(store: GraphStore, iri: str) -> str | None:
    """The IRI that replaces a deprecated term (owl:deprecated, dcterms:isReplacedBy), if any."""
    rows = SPARQL.run(store, "entity-replacement", entity=ox.NamedNode(iri)).rows
    return rows[0]["replacement"].value if rows else None


def description(store: GraphStore, iri: str) -> list[ox.Triple]:
    """The entity's triples (as subject, with its blank-node closure, and as object)."""
    triples = SPARQL.run(store, "entity-describe", entity=ox.NamedNode(iri)).triples
    return sorted(set(triples), key=str)


def blank_closure(triples: list[ox.Triple], iri: str) -> list[ox.Triple]:
    """The triples that spell out the entity's class axioms: those from the entity to a blank
    node, and those of every blank node reachable from there through blank nodes."""
    by_subject: dict[ox.BlankNode, list[ox.Triple]] = {}
    for t in triples:
        if isinstance(t.subject, ox.BlankNode):
            by_subject.setdefault(t.subject, []).append(t)
    found = [t for t in triples if t.subject == ox.NamedNode(iri) and isinstance(t.object, ox.BlankNode)]
    todo = [t.object for t in found if isinstance(t.object, ox.BlankNode)]  # (all of them are)
    seen = set(todo)
    while todo:
        for t in by_subject.get(todo.pop(), []):
            found.append(t)
            if isinstance(t.object, ox.BlankNode) and t.object not in seen:
                seen.add(t.object)
                todo.append(t.object)
    return found


def as_turtle(triples: list[ox.Triple], prefixes: dict[str, str]) -> str:
    """Readable Turtle (blank nodes and lists nested, as rdflib writes them), without prefix lines."""
    if not triples:
        return ""
    graph = Graph()
    for prefix, namespace in prefixes.items():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    text = graph.serialize(format="turtle")
    return "\n".join(line for line in text.splitlines() if not line.startswith("@prefix")).strip()


# ---------------------------------------------------------------- the page


@dataclass(frozen=True)
class Value:
    """One linked term (IRI, literal or blank node) and whether only the reasoner concluded it."""

    term: object
    inferred: bool = False


@dataclass
class Group:
    """The values of one predicate."""

    predicate: ox.NamedNode
    values: list[Value] = field(default_factory=list)


@dataclass
class EntityClaim:
    iri: ox.NamedNode
    quote: str = ""
    section: object = None
    roles: list[ox.NamedNode] = field(default_factory=list)
    sources: list[ox.NamedNode] = field(default_factory=list)


@dataclass(frozen=True)
class EntityEscalation:
    """A defined class the reasoner put the entity in, and the escalation need it stands for."""

    type: ox.NamedNode
    need: ox.NamedNode
    inferred: bool


@dataclass
class EntityPage:
    iri: str
    label: str
    kind: Kind
    alt_labels: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    types: list[Value] = field(default_factory=list)
    axioms: str = ""  # the class's axioms (their triples, in Turtle)
    #: Why the reasoner concluded each inferred statement about the entity (its smallest justification).
    why: list[explain.Reason] = field(default_factory=list)
    #: For a class: why each individual the reasoner put in it is a member.
    why_members: list[explain.Reason] = field(default_factory=list)
    picture: diagram.Picture | None = None
    escalations: list[EntityEscalation] = field(default_factory=list)
    outgoing: list[Group] = field(default_factory=list)
    incoming: list[Group] = field(default_factory=list)
    claims: list[EntityClaim] = field(default_factory=list)
    xrefs: list[Group] = field(default_factory=list)
    subclasses: list[Value] = field(default_factory=list)
    instances: list[Value] = field(default_factory=list)
    used_in: list[ox.NamedNode] = field(default_factory=list)
    usage: list[tuple[object, object, bool]] = field(default_factory=list)

    @property
    def asserted_types(self) -> list[Value]:
        return [t for t in self.types if not t.inferred]

    @property
    def inferred_types(self) -> list[Value]:
        return [t for t in self.types if t.inferred]


def _values(rows, name: str) -> list[Value]:
    """The ``name`` column of ``rows`` as values, each term once (first seen wins)."""
    seen: dict[object, Value] = {}
    for row in rows:
        seen.setdefault(row[name], Value(row[name], is_true(row.get("inferred"))))
    return list(seen.values())


def _groups(rows, predicate: str, value: str) -> list[Group]:
    """Rows grouped by ``predicate`` (first-seen order), each value once."""
    grouped: dict[ox.NamedNode, list] = {}
    for row in rows:
        grouped.setdefault(row[predicate], []).append(row)
    return [Group(key, _values(members, value)) for key, members in grouped.items()]


def _header(page: EntityPage, rows) -> None:
    texts: dict[str, list[str]] = {}
    for row in rows:
        texts.setdefault(row["kind"].value, []).append(row["text"].value)
    page.label = (texts.get("label") or [page.label])[0]
    page.alt_labels = [t for t in texts.get("altLabel", []) if t != page.label]
    page.definitions = texts.get("definition", [])
    page.comments = texts.get("comment", [])
    page.notes = texts.get("note", [])


def _claims(rows) -> list[EntityClaim]:
    claims: dict[ox.NamedNode, EntityClaim] = {}
    for row in rows:
        claim = claims.setdefault(row["claim"], EntityClaim(row["claim"]))
        claim.quote = row["quote"].value if "quote" in row else claim.quote
        claim.section = row.get("section", claim.section)
        if row["role"] not in claim.roles:
            claim.roles.append(row["role"])
        if "source" in row and row["source"] not in claim.sources:
            claim.sources.append(row["source"])
    return list(claims.values())


def _escalations(rows) -> list[EntityEscalation]:
    return [EntityEscalation(row["type"], row["need"], is_true(row.get("inferred"))) for row in rows if "need" in row]


def page(app_state: AppState, iri: str, entity_kind: Kind) -> EntityPage:
    """Everything the entity's HTML page shows."""
    store = app_state.store
    entity = ox.NamedNode(iri)
    inferred = ox.NamedNode(store.graph_iris["inferred"])
    both = _EntityAndInferred(entity=entity, inferredGraph=inferred)
    result = EntityPage(iri=iri, label=app_state.label(iri), kind=entity_kind)
    _header(result, SPARQL.run(store, "entity-header", entity=entity).rows)
    type_rows = SPARQL.run(store, "entity-types", **both).rows
    result.types = _values(type_rows, "type")
    result.escalations = _escalations(type_rows)
    result.outgoing = _groups(SPARQL.run(store, "entity-outgoing", **both).rows, "p", "o")
    result.incoming = _groups(SPARQL.run(store, "entity-incoming", **both).rows, "p", "s")
    result.claims = _claims(SPARQL.run(store, "entity-claims", entity=entity).rows)
    result.xrefs = _groups(SPARQL.run(store, "entity-xrefs", entity=entity).rows, "relation", "target")
    if entity_kind.is_class:
        result.subclasses = _values(SPARQL.run(store, "entity-subclasses", **both).rows, "sub")
        result.instances = _values(SPARQL.run(store, "entity-instances", **both).rows, "instance")
        result.used_in = [row["owner"] for row in SPARQL.run(store, "entity-used-in", entity=entity).rows]
    if entity_kind.is_property:
        result.usage = [(row["s"], row["o"], is_true(row.get("inferred")))
                        for row in SPARQL.run(store, "entity-usage", **both).rows]
    result.axioms = as_turtle(blank_closure(description(store, iri), iri), app_state.prefixes)
    explained = app_state.cache.once(("justifications",), lambda: explain.everything(store))
    result.why = explained.reasons(iri)
    if entity_kind.is_class:
        result.why_members = explained.member_reasons(iri)
    result.picture = neighbourhood(app_state, result)
    return result


# ---------------------------------------------------------------- the picture


def neighbourhood(app_state: AppState, entity_page: EntityPage) -> diagram.Picture | None:
    """The entity in the middle, what links to it on the left, what it links to on the right."""
    label = app_state.label
    centre = entity_page.iri
    nodes = {centre: diagram.Node(centre, entity_page.label, 1, shape="box", tone="focus",
                                  title=(entity_page.definitions or [entity_page.label])[0])}
    edges: list[diagram.Edge] = []

    def add(other, predicate: str, incoming: bool, inferred: bool) -> None:
        if not isinstance(other, ox.NamedNode) or other.value == centre:
            return
        layer = 0 if incoming else 2
        if other.value not in nodes:
            if sum(1 for n in nodes.values() if n.layer == layer) >= PICTURE_LIMIT:
                return
            nodes[other.value] = diagram.Node(other.value, label(other.value), layer,
                                              tone="inferred" if inferred else "neutral")
        source, target = (other.value, centre) if incoming else (centre, other.value)
        edges.append(diagram.Edge(source, target, label(predicate), "inferred" if inferred else "neutral"))

    type_predicate, subclass_predicate = str(RDF.type), str(RDFS.subClassOf)
    for value in entity_page.types:
        add(value.term, type_predicate, False, value.inferred)
    for group in entity_page.outgoing:
        for value in group.values:
            add(value.term, group.predicate.value, False, value.inferred)
    for value in entity_page.subclasses:
        add(value.term, subclass_predicate, True, value.inferred)
    for value in entity_page.instances:
        add(value.term, type_predicate, True, value.inferred)
    for group in entity_page.incoming:
        for value in group.values:
            add(value.term, group.predicate.value, True, value.inferred)
    if not edges:
        return None
    legend = [("focus", entity_page.label), ("neutral", "asserted"), ("inferred", "inferred by the reasoner")]
    return diagram.layered("neighbourhood", f"The neighbourhood of {entity_page.label}", list(nodes.values()),
                           edges, anchor=1, legend=legend)
