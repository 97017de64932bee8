"""``twitch-kg explain``: why the reasoner concluded what it did about an entity, as justifications.

Reads the served build: its ontology, asserted and inferred graphs, and the justifications the build
found for the inferred statements (:mod:`kg.justification_graph`, from :mod:`kg.justify`); writes
them for a person (Manchester syntax, names by label: :mod:`kg.manchester`) or as a standalone OWL 2
ontology in Turtle that any tool can load and re-check.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .errors import KGError
from .justification_graph import read
from .justify import Axiom, Justifications, Triple, standalone
from .manchester import Renderer, Words, top_triple
from .store import GraphStore
from .terms import expand, rdflib_term


class NothingToExplain(KGError):
    """The statement is neither asserted nor inferred, or the subject is unknown."""


@dataclass
class Explanation:
    """What is explained: the statements (inferred ones only), with their justifications."""

    subject: URIRef
    statements: list[tuple]
    justifications: Justifications
    renderer: Renderer
    asserted: bool = False  # the one statement asked about is asserted: nothing to explain


def graph_of(store: GraphStore, names: list[str]) -> Graph:
    """The union of the store's graphs ``names``, as an rdflib graph."""
    graph = Graph()
    for triple in store.triples(names):
        graph.add((rdflib_term(triple.subject), rdflib_term(triple.predicate), rdflib_term(triple.object)))
    return graph


def _term(text: str, prefixes: dict[str, str]) -> URIRef:
    if text == "a":
        return RDF.type
    return URIRef(expand(text, prefixes))


def explain(store: GraphStore, subject: str, predicate: str | None = None, object_: str | None = None) -> Explanation:
    """The justifications of what is inferred about ``subject`` (or of one statement)."""
    prefixes = store.vocab.prefixes
    asserted, inferred, justifications, renderer = _read(store)
    s = _term(subject, prefixes)
    if (s, None, None) not in asserted and (s, None, None) not in inferred:
        raise NothingToExplain(f"{subject} is not the subject of any statement in the graph")
    if predicate is None:
        statements = sorted(inferred.triples((s, None, None)), key=lambda t: (str(t[1]), str(t[2])))
    else:
        statement = (s, _term(predicate, prefixes), _term(object_ or "", prefixes))
        if statement in asserted:
            return Explanation(s, [statement], Justifications([], []), renderer, asserted=True)
        if statement not in inferred:
            raise NothingToExplain(f"{subject} {predicate} {object_} is neither asserted nor inferred")
        statements = [statement]
    return Explanation(s, statements, justifications, renderer)


@dataclass(frozen=True)
class Step:
    """One axiom of a justification: in plain words, in Manchester syntax, and whether it is a fact
    about individuals (from the article's data) rather than a definition of the ontology."""

    words: Words
    axiom: str
    fact: bool
    #: The axiom's triples (its blank-node structure included), to re-check with a reasoner.
    triples: frozenset = field(default=frozenset(), compare=False, repr=False)
    #: For a fact: the article's claims it comes from, as (claim IRI, verbatim quote).
    quotes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Reason:
    """An inferred statement and the axioms of its smallest justification, facts first."""

    statement: Triple
    text: str
    words: Words
    steps: list[Step]


@dataclass
class Explained:
    """Every inferred statement of the graph with its justifications, by subject and, for types, by
    class (for pages)."""

    justifications: Justifications
    renderer: Renderer
    by_subject: dict[URIRef, list[Triple]]
    by_class: dict[URIRef, list[Triple]] = field(default_factory=dict)
    #: The article's claims about each entity, in the article's order: (claim IRI, quote).
    claims: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._terms = vocabulary_terms(self.justifications)

    def reasons(self, subject: str) -> list[Reason]:
        """Why each inferred statement about ``subject`` holds."""
        return [self.reason(statement) for statement in self.by_subject.get(URIRef(subject), [])]

    def member_reasons(self, cls: str) -> list[Reason]:
        """Why each individual inferred to be a member of ``cls`` is one."""
        return [self.reason(statement) for statement in self.by_class.get(URIRef(cls), [])]

    def reason(self, statement: Triple) -> Reason:
        render = self.renderer
        steps = steps_of(self.justifications.of(statement) or [], render, self._terms, self.claims)
        return Reason(statement, render.statement(statement), render.words({statement}), steps)


def vocabulary_terms(justifications: Justifications) -> set:
    """The classes and properties the justifications' ontology declares (what is not a fact's subject)."""
    kinds = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty}
    return {s for s, _, kind in justifications.declarations if kind in kinds}


def steps_of(axioms: list[Axiom], renderer: Renderer, terms: set,
             claims: dict[str, list[tuple[str, str]]] | None = None) -> list[Step]:
    """The axioms of a justification as steps: the facts (about individuals) first, each with the
    article's claims it comes from (``claims`` by entity), then the definitions."""
    steps = []
    for axiom in axioms:
        subject, _p, value = top_triple(axiom.triples)
        fact = isinstance(subject, URIRef) and subject not in terms
        quotes = _sources(claims or {}, str(subject), str(value)) if fact else ()
        steps.append(Step(renderer.words(axiom.triples), renderer.axiom(axiom.triples), fact, axiom.triples,
                          quotes))
    return sorted(steps, key=lambda step: (not step.fact, step.axiom))


def _sources(claims: dict[str, list[tuple[str, str]]], subject: str, value: str) -> tuple[tuple[str, str], ...]:
    """The claims a fact about ``subject`` comes from: those about both it and ``value`` if any, else
    those about the subject."""
    about = claims.get(subject, [])
    both = [c for c in about if c in claims.get(value, [])]
    return tuple(both or about)


def claims_by_entity(store: GraphStore) -> dict[str, list[tuple[str, str]]]:
    """The article's claims about each entity, in its order (the checker's query: one set of words)."""
    from .checker.queries import CHECKS

    found: dict[str, list[tuple[str, str]]] = {}
    for row in CHECKS.run(store, "claims").rows:
        claim = (row["claim"].value, row["quote"].value)
        listed = found.setdefault(row["subject"].value, [])
        if claim not in listed:
            listed.append(claim)
    return found


def everything(store: GraphStore) -> Explained:
    """The justifications of every inferred statement, as the build wrote them."""
    _asserted, graph, justifications, renderer = _read(store)
    inferred = sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    by_subject: dict[URIRef, list[Triple]] = {}
    by_class: dict[URIRef, list[Triple]] = {}
    classes = {s for s, _, kind in justifications.declarations if kind == OWL.Class}
    for statement in inferred:
        s, p, o = statement
        if isinstance(s, URIRef):
            by_subject.setdefault(s, []).append(statement)
            if p == RDF.type and isinstance(o, URIRef) and s not in classes:
                by_class.setdefault(o, []).append(statement)
    return Explained(justifications, renderer, by_subject, by_class, claims_by_entity(store))


def _read(store: GraphStore) -> tuple[Graph, Graph, Justifications, Renderer]:
    """The asserted graphs (ontology and data), the inferred graph, the build's justifications, and a
    renderer of their axioms naming by English label."""
    asserted = graph_of(store, ["ontology", "asserted"])
    written = graph_of(store, ["justifications"])
    renderer = Renderer.by_label(written, asserted, store.vocab.prefixes)
    return asserted, graph_of(store, ["inferred"]), read(written, asserted), renderer


def as_text(explanation: Explanation) -> str:
    """Each statement, then each of its justifications: numbered axioms in Manchester syntax."""
    render = explanation.renderer
    if explanation.asserted:
        return f"{render.statement(explanation.statements[0])}\n  asserted, nothing to explain\n"
    if not explanation.statements:
        return f"nothing is inferred about {render.name(explanation.subject)}\n"
    lines = []
    for statement in explanation.statements:
        lines.append(f"{render.statement(statement)}")
        every = explanation.justifications.all_of(statement)
        if not every:
            lines.append("  (no justification found by the rules: HermiT concluded it)")
        for number, axioms in enumerate(every, 1):
            lines.append(f"  because ({number} of {len(every)}):")
            lines.extend(f"    - {text}" for text in sorted(render.axiom(axiom.triples) for axiom in axioms))
        lines.append("")
    return "\n".join(lines)


def as_owl(explanation: Explanation) -> bytes:
    """The one statement's smallest justification as a standalone OWL 2 ontology, in Turtle."""
    if len(explanation.statements) != 1 or explanation.asserted:
        raise KGError("--format turtle writes the justification of one inferred statement: "
                      "give SUBJECT PREDICATE OBJECT")
    statement = explanation.statements[0]
    graph = standalone(explanation.justifications, statement)
    digest = hashlib.sha256(" ".join(map(str, statement)).encode("utf-8")).hexdigest()[:16]
    ontology = URIRef(f"urn:twitch-kg:justification:{digest}")
    graph.add((ontology, RDF.type, OWL.Ontology))
    graph.add((ontology, RDFS.comment, Literal(
        f"A justification of {explanation.renderer.statement(statement)}: the asserted axioms it follows from, "
        "and no fewer.", lang="en")))
    for prefix, iri in explanation.renderer.prefixes.items():
        graph.bind(prefix, iri)
    return graph.serialize(format="turtle", encoding="utf-8")
