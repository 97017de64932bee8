"""Justifications: for each inferred statement, a minimal set of asserted axioms it follows from.

Protégé's explanation workbench answers "why is this entailed?" with a *justification* (Horridge):
a set of asserted axioms that entails the statement, with no proper subset that does. Black-box
search (remove an axiom, ask the reasoner again) costs a reasoner run per step; here a rule engine
keeps, for every fact it derives, the smallest sets of axioms it derived the fact from (why-provenance)
in one fixpoint. Its rules are OWL 2 RL's for the constructs an ontology like ours uses (domain,
range, sub- and equivalent classes and properties, inverses, intersection, union, someValuesFrom,
hasValue, oneOf), plus the sound rules that prove *non*-membership (disjoint classes, a functional
property's value among all-different individuals, union and intersection members, complements),
which RL lacks and a defined class such as ``Cause and not RequiresProfessionalAttention`` needs.
Class subsumption between named classes is read off a hypothetical member of each class.

The engine proposes; HermiT judges: :func:`kg.justify_check.verify` proves each justification
entails its statement and that none of its axioms can be left out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import product

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

Term = Node
Triple = tuple[Node, Node, Node]
Support = frozenset[int]

#: How many smallest supports a fact keeps (more are alternatives nobody reads; fewer could lose
#: the smallest justification of a fact derived from it).
KEEP = 3
#: Types that declare an entity rather than say something about it.
DECLARATION_TYPES = frozenset({OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                               OWL.NamedIndividual, OWL.Ontology, OWL.Restriction, RDFS.Datatype})
_TYPE = RDF.type  # looked up once: rdflib's namespace attributes cost a call each
_NOT = URIRef("urn:twitch-kg:justify:not")  # (x, _NOT, C): x is provably not a member of C
_HYPOTHESIS = "urn:twitch-kg:justify:member-of:"


@dataclass(frozen=True)
class Axiom:
    """One asserted axiom: its triples (a top-level triple and the blank-node structure it uses)."""

    triples: frozenset[Triple]


@dataclass
class Justifications:
    """The asserted axioms, and for each inferred statement the axioms of its smallest justification."""

    axioms: list[Axiom]
    declarations: list[Triple]
    #: Each statement's justifications (axiom numbers), the smallest first.
    found: dict[Triple, list[tuple[int, ...]]] = field(default_factory=dict)

    def of(self, statement: Triple) -> list[Axiom] | None:
        """The axioms of the statement's smallest justification (None: none was found)."""
        every = self.all_of(statement)
        return every[0] if every else None

    def all_of(self, statement: Triple) -> list[list[Axiom]]:
        """Every justification kept for the statement (at most ``KEEP``), the smallest first."""
        return [[self.axioms[i] for i in ids] for ids in self.found.get(statement, [])]


def split_axioms(asserted: Graph) -> tuple[list[Axiom], list[Triple], dict[BNode, int], dict[Triple, int]]:
    """The axioms of ``asserted`` (annotations and declarations apart), which axiom holds each blank
    node, and which axiom each top-level triple is."""
    annotation_properties = set(asserted.subjects(RDF.type, OWL.AnnotationProperty))
    referenced = {o for o in asserted.objects() if isinstance(o, BNode)}
    axioms: list[Axiom] = []
    declarations: list[Triple] = []
    holder: dict[BNode, int] = {}
    index: dict[Triple, int] = {}
    roots = [t for t in asserted if not isinstance(t[0], BNode) or t[0] not in referenced]
    for triple in sorted(roots, key=lambda t: tuple(map(str, t))):
        s, p, o = triple
        if p in annotation_properties or p in (RDFS.label, RDFS.comment, RDFS.seeAlso, RDFS.isDefinedBy):
            continue
        if isinstance(s, BNode):  # a root structure: owl:AllDisjointClasses, owl:AllDifferent, ...
            if p != RDF.type:
                continue
            structure = closure(asserted, s)
        elif p == RDF.type and o in DECLARATION_TYPES:
            declarations.append(triple)
            continue
        else:
            structure = {triple} | (closure(asserted, o) if isinstance(o, BNode) else set())
        number = len(axioms)
        axioms.append(Axiom(frozenset(structure)))
        index[triple] = number
        for t in structure:
            for node in (t[0], t[2]):
                if isinstance(node, BNode):
                    holder.setdefault(node, number)
    return axioms, declarations, holder, index


def closure(graph: Graph, node: BNode) -> set[Triple]:
    """The triples of the blank-node structure below ``node``."""
    found: set[Triple] = set()
    pending = [node]
    seen = {node}
    while pending:
        current = pending.pop()
        for triple in graph.triples((current, None, None)):
            found.add(triple)
            if isinstance(triple[2], BNode) and triple[2] not in seen:
                seen.add(triple[2])
                pending.append(triple[2])
    return found


class _Engine:
    """Facts with their smallest supports (sets of axiom numbers), derived to a fixpoint."""

    def __init__(self, holder: dict[BNode, int], index: dict[Triple, int]):
        self.holder = holder
        self.index = index
        self.supports: dict[Triple, list[Support]] = {}
        self.changed = True

    # -- the axioms a structural triple belongs to
    def axiom_of(self, triple: Triple) -> Support:
        if triple in self.index:
            return frozenset({self.index[triple]})
        s = triple[0]
        if isinstance(s, BNode) and s in self.holder:
            return frozenset({self.holder[s]})
        return frozenset()

    def node_axiom(self, node: Term) -> Support:
        return frozenset({self.holder[node]}) if isinstance(node, BNode) and node in self.holder else frozenset()

    def add(self, fact: Triple, support: Support) -> None:
        known = self.supports.setdefault(fact, [])
        if any(kept <= support for kept in known):
            return
        kept = sorted([old for old in known if not support <= old] + [support],
                      key=lambda s: (len(s), sorted(s)))[:KEEP]
        if kept != known:
            known[:] = kept
            self.changed = True

    def combine(self, *groups: Iterable[Support]) -> list[Support]:
        return [frozenset().union(*parts) for parts in product(*groups)]


def _members(graph: Graph, node: Term, predicate: URIRef) -> list[Term]:
    head = graph.value(node, predicate)
    return list(Collection(graph, head)) if head is not None else []


def _run(engine: _Engine, graph: Graph) -> None:
    rules = _Rules(graph)
    while engine.changed:
        engine.changed = False
        index = _Index(engine.supports)
        for rule in rules.all:
            rule(engine, index)


class _Index:
    """The facts of one round, by predicate and, for types and non-types, by class."""

    def __init__(self, supports: dict[Triple, list[Support]]):
        self.by_predicate: dict[Term, list[tuple[Triple, list[Support]]]] = defaultdict(list)
        self.members: dict[Term, list[tuple[Term, list[Support]]]] = defaultdict(list)
        self.non_members: dict[Term, list[tuple[Term, list[Support]]]] = defaultdict(list)
        for fact, sup in supports.items():
            sup = list(sup)
            if fact[1] == _TYPE:
                self.members[fact[2]].append((fact[0], sup))
            elif fact[1] == _NOT:
                self.non_members[fact[2]].append((fact[0], sup))
            else:
                self.by_predicate[fact[1]].append((fact, sup))

    def get(self, predicate, default=()):
        return self.by_predicate.get(predicate, default)


class _Rules:
    """The rules, each reading the TBox once (its structure) and the current facts each round."""

    def __init__(self, g: Graph):
        self.g = g
        self.sub_class = [(c, d) for c, d in g.subject_objects(RDFS.subClassOf)]
        self.equivalent = [(c, d) for c, d in g.subject_objects(OWL.equivalentClass)]
        self.sub_property = [(p, q) for p, q in g.subject_objects(RDFS.subPropertyOf)]
        self.inverse = [(p, q) for p, q in g.subject_objects(OWL.inverseOf)]
        self.domain = [(p, c) for p, c in g.subject_objects(RDFS.domain)]
        self.range = [(p, c) for p, c in g.subject_objects(RDFS.range)]
        self.intersections = {n: _members(g, n, OWL.intersectionOf) for n in g.subjects(OWL.intersectionOf)}
        self.unions = {n: _members(g, n, OWL.unionOf) for n in g.subjects(OWL.unionOf)}
        self.one_of = {n: _members(g, n, OWL.oneOf) for n in g.subjects(OWL.oneOf)}
        self.complements = [(n, c) for n, c in g.subject_objects(OWL.complementOf)]
        self.has_value: dict[Term, tuple[Term, Term]] = {
            n: (p, v) for n, v in g.subject_objects(OWL.hasValue) if (p := g.value(n, OWL.onProperty)) is not None}
        self.some_values: dict[Term, tuple[Term, Term]] = {
            n: (p, c) for n, c in g.subject_objects(OWL.someValuesFrom)
            if (p := g.value(n, OWL.onProperty)) is not None}
        self.functional = set(g.subjects(_TYPE, OWL.FunctionalProperty))
        self.disjoint: list[tuple[Term, Term, Term | None]] = [
            (a, b, None) for a, b in g.subject_objects(OWL.disjointWith)]
        for node in g.subjects(RDF.type, OWL.AllDisjointClasses):
            members = _members(g, node, OWL.members)
            self.disjoint += [(a, b, node) for a in members for b in members if a != b]
        self.different: list[tuple[Term, Term, Term | None]] = []
        for node in g.subjects(_TYPE, OWL.AllDifferent):
            members = _members(g, node, OWL.distinctMembers) or _members(g, node, OWL.members)
            self.different += [(a, b, node) for a in members for b in members if a != b]
        self.different += [(a, b, None) for a, b in g.subject_objects(OWL.differentFrom)]
        self.negatable = self._negatable()
        self.all = (self.classes, self.properties, self.restrictions, self.negations)

    def _negatable(self) -> set[Term]:
        """The classes whose non-members matter: those a complement names, and what proving
        non-membership in them goes through (equivalents, union and intersection members,
        superclasses). Non-membership in any other class is never derived: it would lead nowhere."""
        wanted = {c for _node, c in self.complements}
        while True:
            grown = set(wanted)
            for c, d in self.equivalent:
                if c in wanted or d in wanted:
                    grown |= {c, d}
            for node, members in list(self.unions.items()) + list(self.intersections.items()):
                if node in wanted:
                    grown.update(members)
            for c, d in self.sub_class:
                if c in wanted:
                    grown.add(d)
            if grown == wanted:
                return wanted
            wanted = grown

    @staticmethod
    def _types(by: _Index, cls) -> list[tuple[Term, list[Support]]]:
        return by.members.get(cls, [])

    @staticmethod
    def _nots(by: _Index, cls) -> list[tuple[Term, list[Support]]]:
        return by.non_members.get(cls, [])

    @staticmethod
    def _in_every(e: _Engine, node: Term, per_member: list[list[tuple[Term, list[Support]]]], predicate: Term) -> None:
        """(x, predicate, node) for each x that every member's facts hold (all of an intersection's
        members: x is in it; none of a union's: x is not), from one support of each."""
        if not per_member:
            return
        holders = [dict(facts) for facts in per_member]
        for x in set.intersection(*(set(h) for h in holders)):
            for s in e.combine([e.node_axiom(node)], *(h[x] for h in holders)):
                e.add((x, predicate, node), s)

    def classes(self, e: _Engine, by) -> None:
        for c, d in self.sub_class:  # cax-sco
            ax = [e.axiom_of((c, RDFS.subClassOf, d))]
            for x, sup in self._types(by, c):
                for s in e.combine(sup, ax):
                    e.add((x, _TYPE, d), s)
        for c, d in self.equivalent:  # cax-eqc1, cax-eqc2
            ax = [e.axiom_of((c, OWL.equivalentClass, d))]
            for a, b in ((c, d), (d, c)):
                for x, sup in self._types(by, a):
                    for s in e.combine(sup, ax):
                        e.add((x, _TYPE, b), s)
        for node, members in self.intersections.items():  # cls-int1, cls-int2
            ax = [e.node_axiom(node)]
            self._in_every(e, node, [self._types(by, m) for m in members], _TYPE)
            for x, sup in self._types(by, node):
                for m in members:
                    for s in e.combine(sup, ax):
                        e.add((x, _TYPE, m), s)
        for node, members in self.unions.items():  # cls-uni
            ax = [e.node_axiom(node)]
            for m in members:
                for x, sup in self._types(by, m):
                    for s in e.combine(sup, ax):
                        e.add((x, _TYPE, node), s)
        for node, members in self.one_of.items():  # cls-oo
            for m in members:
                e.add((m, _TYPE, node), e.node_axiom(node))

    def properties(self, e: _Engine, by) -> None:
        for p, q in self.sub_property:  # prp-spo1
            ax = [e.axiom_of((p, RDFS.subPropertyOf, q))]
            for (x, _, y), sup in list(by.get(p, ())):
                for s in e.combine(sup, ax):
                    e.add((x, q, y), s)
        for p, q in self.inverse:  # prp-inv1, prp-inv2
            ax = [e.axiom_of((p, OWL.inverseOf, q))]
            for a, b in ((p, q), (q, p)):
                for (x, _, y), sup in list(by.get(a, ())):
                    for s in e.combine(sup, ax):
                        e.add((y, b, x), s)
        for rule, pairs in ((0, self.domain), (2, self.range)):  # prp-dom, prp-rng
            for p, c in pairs:
                ax = [e.axiom_of((p, RDFS.domain if rule == 0 else RDFS.range, c))]
                for fact, sup in list(by.get(p, ())):
                    if not isinstance(fact[rule], Literal):
                        for s in e.combine(sup, ax):
                            e.add((fact[rule], _TYPE, c), s)

    def restrictions(self, e: _Engine, by) -> None:
        for node, (p, v) in self.has_value.items():  # cls-hv1, cls-hv2
            ax = [e.node_axiom(node)]
            for x, sup in self._types(by, node):
                for s in e.combine(sup, ax):
                    e.add((x, p, v), s)
            for (x, _, y), sup in list(by.get(p, ())):
                if y == v:
                    for s in e.combine(sup, ax):
                        e.add((x, _TYPE, node), s)
        for node, (p, c) in self.some_values.items():  # cls-svf1 (and svf2 for owl:Thing)
            ax = [e.node_axiom(node)]
            members = None if c == OWL.Thing else dict(self._types(by, c))
            for (x, _, y), sup in list(by.get(p, ())):
                if members is None:
                    for s in e.combine(sup, ax):
                        e.add((x, _TYPE, node), s)
                elif y in members:
                    for s in e.combine(sup, members[y], ax):
                        e.add((x, _TYPE, node), s)

    def negations(self, e: _Engine, by) -> None:
        for a, b, node in self.disjoint:  # x in A, A disjoint with B: x not in B
            if b not in self.negatable:
                continue
            ax = [e.node_axiom(node) if node is not None else e.axiom_of((a, OWL.disjointWith, b))]
            for x, sup in self._types(by, a):
                for s in e.combine(sup, ax):
                    e.add((x, _NOT, b), s)
        for node, (p, v) in self.has_value.items():  # x p w, p functional, w different from v: x not in (p value v)
            if p not in self.functional or node not in self.negatable:
                continue
            functional = [e.axiom_of((p, _TYPE, OWL.FunctionalProperty))]
            for w, other, holder in self.different:
                if other != v:
                    continue
                differ = [e.node_axiom(holder) if holder is not None else e.axiom_of((w, OWL.differentFrom, v))]
                for (x, _, y), sup in list(by.get(p, ())):
                    if y == w:
                        for s in e.combine(sup, functional, differ):
                            e.add((x, _NOT, node), s)
        for c, d in self.sub_class:  # x not in D, C subclass of D: x not in C
            if c not in self.negatable:
                continue
            ax = [e.axiom_of((c, RDFS.subClassOf, d))]
            for x, sup in self._nots(by, d):
                for s in e.combine(sup, ax):
                    e.add((x, _NOT, c), s)
        for c, d in self.equivalent:
            ax = [e.axiom_of((c, OWL.equivalentClass, d))]
            for a, b in ((c, d), (d, c)):
                for x, sup in self._nots(by, a):
                    for s in e.combine(sup, ax):
                        e.add((x, _NOT, b), s)
        for node, members in self.intersections.items():  # one member excluded: the intersection is
            ax = [e.node_axiom(node)]
            for m in members:
                for x, sup in self._nots(by, m):
                    for s in e.combine(sup, ax):
                        e.add((x, _NOT, node), s)
        for node, members in self.unions.items():  # every member excluded: the union is
            self._in_every(e, node, [self._nots(by, m) for m in members], _NOT)
        for node, c in self.complements:  # not in C: in (not C); in (not C): not in C
            ax = [e.node_axiom(node)]
            for x, sup in self._nots(by, c):
                for s in e.combine(sup, ax):
                    e.add((x, _TYPE, node), s)
            for x, sup in self._types(by, node):
                for s in e.combine(sup, ax):
                    e.add((x, _NOT, c), s)


def justify(asserted: Graph, inferred: Iterable[Triple]) -> Justifications:
    """A justification for each of the ``inferred`` statements the rules can derive from ``asserted``."""
    axioms, declarations, holder, index = split_axioms(asserted)
    engine = _Engine(holder, index)
    for triple, number in index.items():
        if not isinstance(triple[0], BNode):
            engine.add(triple, frozenset({number}))
    inferred = list(inferred)
    subsumed = {s for s, p, _o in inferred if p == RDFS.subClassOf}
    for cls in subsumed:  # a hypothetical member of the class: what it is, the class is a subclass of
        engine.add((URIRef(_HYPOTHESIS + str(cls)), RDF.type, cls), frozenset())
    _run(engine, asserted)
    result = Justifications(axioms, declarations)
    for statement in inferred:
        s, p, o = statement
        key = (URIRef(_HYPOTHESIS + str(s)), RDF.type, o) if p == RDFS.subClassOf else statement
        supports = engine.supports.get(key)
        if supports:
            result.found[statement] = [tuple(sorted(support)) for support in supports]
    return result


def complement_members(tbox: Graph, facts: Iterable[Triple]) -> set[Triple]:
    """The memberships in complement classes (``x a [owl:complementOf C]``) that the non-membership
    rules prove from ``tbox`` (the ontology's axioms) and ``facts`` (types and property values),
    and ``facts`` does not hold.

    OWL 2 RL has no rule that concludes a complement's member, so a defined class such as
    ``Cause and not RequiresProfessionalAttention`` gets none from an RL reasoner; given these, it
    gets them by its ordinary intersection and equivalence rules. The negation rules read ``facts``
    as they are: give them closed under OWL 2 RL (types over the class hierarchy).
    """
    rules = _Rules(tbox)
    complements = {node for node, _c in rules.complements}
    read_types = complements | {a for a, b, _node in rules.disjoint if b in rules.negatable}
    read_values = {p for node, (p, _v) in rules.has_value.items() if p in rules.functional and node in rules.negatable}
    engine = _Engine({}, {})
    given = set()
    for triple in facts:  # only what the negation rules read: the rest would only slow each round
        if triple[2] in read_types if triple[1] == _TYPE else triple[1] in read_values:
            given.add(triple)
            engine.add(triple, frozenset())
    while engine.changed:
        engine.changed = False
        rules.negations(engine, _Index(engine.supports))
    return {t for t in engine.supports if t[1] == _TYPE and t[2] in complements and t not in given}


# ---------------------------------------------------------------- HermiT, the judge

#: The built-in vocabularies: their terms mean the same in every copy and are never renamed.
#: Statements per HermiT run: classification grows faster than the number of copies, so several
#: smaller runs beat one large one (measured: 235 statements, 19 s in batches of 30 to 80, 37 s in one).
VERIFY_BATCH = 40
_BUILT_IN = (str(OWL), str(RDF), str(RDFS), "http://www.w3.org/2001/XMLSchema#")


@dataclass(frozen=True)
class Verdict:
    """What HermiT says of one justification: it entails the statement, and which of its axioms
    could be left out (none, for a minimal one)."""

    statement: Triple
    entailed: bool
    removable: tuple[int, ...]

    @property
    def holds(self) -> bool:
        return self.entailed and not self.removable


def standalone(justifications: Justifications, statement: Triple) -> Graph:
    """The justification of ``statement`` as an OWL 2 ontology of its own: exactly its axioms, plus
    the declarations of the entities they name (so any tool can load it and re-check it)."""
    axioms = justifications.of(statement) or []
    return _ontology([t for axiom in axioms for t in axiom.triples], justifications.declarations)


def _ontology(triples: list[Triple], declarations: list[Triple]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    named = {x for t in triples for x in t if isinstance(x, URIRef) and not str(x).startswith(_BUILT_IN)}
    for triple in declarations:
        if triple[0] in named:
            graph.add(triple)
    return graph


def verify(justifications: Justifications, statements: Iterable[Triple] | None = None,
           batch: int = VERIFY_BATCH) -> list[Verdict]:
    """HermiT's verdict on each justification (default: all), ``batch`` statements per reasoner run.

    Every check (a justification; the same without one of its axioms) becomes a copy of its axioms
    with every name made unique to the copy, so that the copies cannot interact; HermiT classifies
    them all at once, and each copy is read back alone.
    """
    chosen = list(justifications.found if statements is None else statements)
    verdicts: list[Verdict] = []
    for start in range(0, len(chosen), batch):
        verdicts += _verify_batch(justifications, chosen[start:start + batch])
    return verdicts


def _verify_batch(justifications: Justifications, chosen: list[Triple]) -> list[Verdict]:
    from .reason import entailed_closure

    checks: list[tuple[Triple, int | None]] = []
    union = Graph()
    for statement in chosen:
        ids = justifications.found[statement][0]
        for left_out in (None, *ids):
            copy = len(checks)
            checks.append((statement, left_out))
            kept = [t for i in ids if i != left_out for t in justifications.axioms[i].triples]
            for triple in _ontology(kept, justifications.declarations):
                union.add(_renamed(triple, copy))
    entailed = entailed_closure(union)
    holds: dict[Triple, bool] = {}
    removable: dict[Triple, list[int]] = defaultdict(list)
    for copy, (statement, left_out) in enumerate(checks):
        found = _renamed(statement, copy) in entailed
        if left_out is None:
            holds[statement] = found
        elif found:
            removable[statement].append(left_out)
    return [Verdict(s, holds[s], tuple(removable[s])) for s in chosen]


def _renamed(triple: Triple, copy: int) -> Triple:
    def rename(term: Term) -> Term:
        if isinstance(term, URIRef) and not str(term).startswith(_BUILT_IN):
            return URIRef(f"{term}--copy{copy}")
        if isinstance(term, BNode):
            return BNode(f"{term}c{copy}")
        return term

    s, p, o = triple
    return rename(s), rename(p), rename(o)
