"""OWL axioms and class expressions in Manchester syntax, names shown by label (as Protégé shows them).

One renderer for everything that shows an axiom to a person: the explanations of ``twitch-kg
explain`` and the ontology's documentation (``/ontology``). Names with a label are written as the
label (in single quotes when it has spaces, as Manchester syntax quotes labels); others as prefixed
names.

Everything is rendered first as *pieces*: keywords and punctuation (``str``) and the named terms
(:class:`Name`, which know their IRI), so that a page can link every name; :func:`text` joins them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from .terms import compact

Triple = tuple
#: Plain words: ("text", words) and ("term", IRI) segments, so a page can link each named entity.
Words = list[tuple[str, str]]


def top_triple(triples: frozenset[Triple] | set[Triple]) -> Triple:
    """An axiom's top-level triple: the one whose subject is no object inside its structure (for a
    structure with a blank-node root, such as ``owl:AllDisjointClasses``, the root's type)."""
    inner = {t[2] for t in triples if isinstance(t[2], BNode)}
    roots = [t for t in triples if t[0] not in inner]
    return min(roots, key=lambda t: (isinstance(t[0], BNode), t[1] != RDF.type, str(t)))


def _text(text: str) -> Words:
    return [("text", text)]


@dataclass(frozen=True)
class Name:
    """A named term in rendered Manchester syntax: its IRI and how it is written."""

    iri: URIRef
    text: str


Piece = str | Name


def text(pieces: Iterable[Piece]) -> str:
    return "".join(p.text if isinstance(p, Name) else p for p in pieces)


def _joined(parts: Iterable[list[Piece]], separator: str) -> list[Piece]:
    out: list[Piece] = []
    for number, part in enumerate(parts):
        if number:
            out.append(separator)
        out.extend(part)
    return out


#: Property characteristics (``rdf:type`` of a property) and their Manchester keywords.
CHARACTERISTICS = {OWL.FunctionalProperty: "Functional", OWL.InverseFunctionalProperty: "InverseFunctional",
                   OWL.TransitiveProperty: "Transitive", OWL.SymmetricProperty: "Symmetric",
                   OWL.AsymmetricProperty: "Asymmetric", OWL.ReflexiveProperty: "Reflexive",
                   OWL.IrreflexiveProperty: "Irreflexive"}

#: The frame keyword of each kind of entity.
FRAME_KEYWORDS = {OWL.Class: "Class:", OWL.ObjectProperty: "ObjectProperty:", OWL.DatatypeProperty: "DataProperty:",
                  OWL.AnnotationProperty: "AnnotationProperty:", OWL.NamedIndividual: "Individual:"}


class Renderer:
    """Renders the axioms and class expressions of ``graph`` (which holds their blank-node structure)."""

    def __init__(self, graph: Graph, label: Callable[[URIRef], str | None], prefixes: dict[str, str]):
        self.graph = graph
        self.label = label
        self.prefixes = prefixes

    @classmethod
    def by_label(cls, structures: Graph, labelled: Graph, prefixes: dict[str, str]) -> Renderer:
        """A renderer of the axioms whose blank-node structures ``structures`` holds, naming each
        entity by its English (or untagged) label in ``labelled``."""
        labels = {str(x): str(label) for x, label in labelled.subject_objects(RDFS.label)
                  if isinstance(label, Literal) and label.language in (None, "en")}
        return cls(structures, lambda term: labels.get(str(term)), prefixes)

    # ---------------------------------------------------------------- names and expressions

    def name(self, term) -> str:
        return text(self.name_pieces(term))

    def name_pieces(self, term) -> list[Piece]:
        if isinstance(term, Literal):
            return [self.literal(term)]
        if isinstance(term, BNode):
            return self.expression_pieces(term)
        if term == OWL.Thing:
            return [Name(term, "Thing")]
        label = self.label(term)
        if label:
            return [Name(term, f"'{label}'" if " " in label else label)]
        return [Name(term, compact(str(term), self.prefixes))]

    def literal(self, value: Literal) -> str:
        """Manchester syntax's literals: integers and decimals bare, strings quoted (with their
        language), any other datatype as a typed literal with a prefixed name."""
        lexical = str(value)
        if value.datatype in (XSD.integer, XSD.decimal):
            return lexical
        quoted = '"' + lexical.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if value.language:
            return f"{quoted}@{value.language}"
        if value.datatype in (None, XSD.string):
            return quoted
        return f"{quoted}^^{compact(str(value.datatype), self.prefixes)}"

    def _list(self, node) -> list:
        head = node if node is not None else RDF.nil
        return list(Collection(self.graph, head))

    def expression(self, node, nested: bool = False) -> str:
        """A class expression (a named class or a blank-node structure)."""
        return text(self.expression_pieces(node, nested))

    def expression_pieces(self, node, nested: bool = False) -> list[Piece]:
        if not isinstance(node, BNode):
            return self.name_pieces(node)
        g = self.graph
        found: list[Piece] | None = None
        for predicate, joiner in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or ")):
            members = g.value(node, predicate)
            if members is not None:
                found = _joined((self.expression_pieces(m, nested=True) for m in self._list(members)), joiner)
        if found is None and (g.value(node, OWL.complementOf)) is not None:
            return ["not ", *self.expression_pieces(g.value(node, OWL.complementOf), nested=True)]
        if found is None and (g.value(node, OWL.oneOf)) is not None:
            return ["{", *_joined((self.name_pieces(m) for m in self._list(g.value(node, OWL.oneOf))), ", "), "}"]
        if found is None and (g.value(node, OWL.onProperty)) is not None:
            found = self._restriction(node, g.value(node, OWL.onProperty))
        if found is None:
            return ["(an anonymous class)"]
        return ["(", *found, ")"] if nested else found

    def _restriction(self, node: BNode, prop) -> list[Piece] | None:
        g = self.graph
        on = self.name_pieces(prop)
        for predicate, keyword in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only"), (OWL.hasValue, "value")):
            target = g.value(node, predicate)
            if target is not None:
                filler = self.name_pieces(target) if predicate == OWL.hasValue \
                    else self.expression_pieces(target, nested=True)
                return [*on, f" {keyword} ", *filler]
        for (plain, qualified), keyword in (((OWL.minCardinality, OWL.minQualifiedCardinality), "min"),
                                            ((OWL.maxCardinality, OWL.maxQualifiedCardinality), "max"),
                                            ((OWL.cardinality, OWL.qualifiedCardinality), "exactly")):
            count = g.value(node, plain)
            if count is not None:
                return [*on, f" {keyword} {count}"]
            count = g.value(node, qualified)
            if count is not None:
                qualifier = g.value(node, OWL.onClass) or g.value(node, OWL.onDataRange) or OWL.Thing
                return [*on, f" {keyword} {count} ", *self.expression_pieces(qualifier, nested=True)]
        if g.value(node, OWL.hasSelf) is not None:
            return [*on, " Self"]
        return None

    # ---------------------------------------------------------------- axioms

    def axiom(self, triples: frozenset[Triple] | set[Triple]) -> str:
        """One axiom: its top-level triple (the one whose subject is not inside its structure)."""
        return text(self.axiom_pieces(triples))

    def axiom_pieces(self, triples: frozenset[Triple] | set[Triple]) -> list[Piece]:
        s, p, o = top_triple(triples)
        if isinstance(s, BNode):
            return self._structure(s, o)
        n = self.name_pieces
        simple = {
            RDFS.subClassOf: "SubClassOf:", OWL.equivalentClass: "EquivalentTo:", OWL.disjointWith: "DisjointWith:",
            RDFS.subPropertyOf: "SubPropertyOf:", OWL.inverseOf: "InverseOf:", OWL.equivalentProperty: "EquivalentTo:",
            RDFS.domain: "Domain:", RDFS.range: "Range:", OWL.sameAs: "SameAs:", OWL.differentFrom: "DifferentFrom:",
        }
        if p in simple:
            target = self.expression_pieces(o) if p in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith,
                                                        RDFS.domain, RDFS.range) else n(o)
            return [*n(s), f" {simple[p]} ", *target]
        if p == RDF.type:
            characteristic = CHARACTERISTICS.get(o)
            if characteristic:
                return [*n(s), f" Characteristics: {characteristic}"]
            return [*n(s), " Type: ", *self.expression_pieces(o)]
        return [*n(s), " ", *n(p), " ", *n(o)]

    def _structure(self, node: BNode, kind) -> list[Piece]:
        g = self.graph
        if kind == OWL.AllDisjointClasses:
            classes = self._list(g.value(node, OWL.members))
            return ["DisjointClasses: ", *_joined((self.expression_pieces(m) for m in classes), ", ")]
        if kind == OWL.AllDifferent:
            members = g.value(node, OWL.distinctMembers) or g.value(node, OWL.members)
            return ["DifferentIndividuals: ", *_joined((self.name_pieces(m) for m in self._list(members)), ", ")]
        return ["(an axiom this renderer does not know)"]

    def statement(self, triple: Triple) -> str:
        """An entailed statement, as the axiom it would be if it were asserted."""
        return self.axiom({triple})

    # ---------------------------------------------------------------- plain words

    def _part(self, node) -> Words:
        if isinstance(node, URIRef) and node != OWL.Thing:
            return [("term", str(node))]
        if isinstance(node, Literal):
            return [("text", str(node))]
        return [("text", self.expression(node))]

    def _listed(self, nodes: list) -> Words:
        words: Words = []
        for i, node in enumerate(nodes):
            words += ([("text", ", ")] if i else []) + self._part(node)
        return words

    def words(self, triples: frozenset[Triple] | set[Triple]) -> Words:
        """One axiom in plain English (class expressions stay in Manchester syntax), for a reader
        who does not read OWL; :meth:`axiom` gives the same axiom exactly."""
        s, p, o = top_triple(triples)
        x, t = self._part, _text
        if isinstance(s, BNode):
            if o == OWL.AllDisjointClasses:
                classes = self._list(self.graph.value(s, OWL.members))
                return t("nothing belongs to more than one of: ") + self._listed(classes)
            members = self.graph.value(s, OWL.distinctMembers) or self.graph.value(s, OWL.members)
            return t("these are all different: ") + self._listed(self._list(members))
        if p == RDF.type and o in CHARACTERISTICS:
            if o == OWL.FunctionalProperty:
                return t("a thing has at most one ") + x(s)
            return x(s) + t(f" is {CHARACTERISTICS[o].lower()}")
        # "belongs to": grammatical whatever a class's label is ("cause", "requires professional attention");
        # "satisfies:" before a class expression ("needs value 'consult a doctor'")
        joins = " belongs to " if isinstance(o, URIRef) else " satisfies: "
        phrases = {
            RDF.type: lambda: x(s) + t(joins) + x(o),
            RDFS.subClassOf: lambda: t("whatever belongs to ") + x(s) + t(joins) + x(o),
            OWL.equivalentClass: lambda: x(s) + t(" is defined as: ") + x(o),
            OWL.disjointWith: lambda: t("nothing belongs to both ") + x(s) + t(" and ") + x(o),
            RDFS.domain: lambda: t("whatever has a value for ") + x(s) + t(" belongs to ") + x(o),
            RDFS.range: lambda: t("every value of ") + x(s) + t(" belongs to ") + x(o),
            RDFS.subPropertyOf: lambda: t("every ") + x(s) + t(" link is also a ") + x(o) + t(" link"),
            OWL.inverseOf: lambda: x(s) + t(" is the inverse of ") + x(o),
            OWL.sameAs: lambda: x(s) + t(" is the same as ") + x(o),
            OWL.differentFrom: lambda: x(s) + t(" is not ") + x(o),
        }
        if p in phrases:
            return phrases[p]()
        return x(s) + t(" ") + x(p) + t(" ") + x(o)

    # ---------------------------------------------------------------- frames (the ontology's documentation)

    def frame(self, term: URIRef) -> list[tuple[str, list[list[Piece]]]]:
        """What the graph states about the named class, property or individual ``term``, as the
        sections of its Manchester syntax frame: (keyword, its items), in the syntax's order;
        annotations left out (a page shows them as text)."""
        g = self.graph
        types = set(g.objects(term, RDF.type))
        sections: list[tuple[str, list]] = []
        if OWL.Class in types:
            sections += self._class_frame(term)
        if types & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            sections += self._property_frame(term, types)
        if OWL.NamedIndividual in types:
            sections += self._individual_frame(term, types)
        return [(keyword, items) for keyword, items in sections if items]

    def _pairs(self, term: URIRef, predicate: URIRef, symmetric: bool = False) -> list:
        found = list(self.graph.objects(term, predicate))
        if symmetric:
            found += [s for s in self.graph.subjects(predicate, term) if s not in found]
        return found

    def _sorted(self, items: Iterable[list[Piece]]) -> list[list[Piece]]:
        return sorted(items, key=lambda pieces: text(pieces).strip("'").lower())

    def _co_members(self, term: URIRef, kind: URIRef, lists: tuple[URIRef, ...]) -> list:
        """The other members of every ``kind`` axiom (AllDisjointClasses, AllDifferent) ``term`` is in."""
        found = []
        for node in self.graph.subjects(RDF.type, kind):
            members = next((self._list(m) for p in lists if (m := self.graph.value(node, p)) is not None), [])
            if term in members:
                found += [m for m in members if m != term and m not in found]
        return found

    def _class_frame(self, term: URIRef) -> list[tuple[str, list]]:
        equivalent = [self.expression_pieces(o) for o in self._pairs(term, OWL.equivalentClass, symmetric=True)]
        parents = [self.expression_pieces(o) for o in self._pairs(term, RDFS.subClassOf)]
        disjoint = self._pairs(term, OWL.disjointWith, symmetric=True)
        disjoint += [m for m in self._co_members(term, OWL.AllDisjointClasses, (OWL.members,)) if m not in disjoint]
        union = self.graph.value(term, OWL.disjointUnionOf)
        return [
            ("EquivalentTo:", equivalent),
            ("SubClassOf:", self._sorted(parents)),
            ("DisjointWith:", self._sorted(self.expression_pieces(o) for o in disjoint)),
            ("DisjointUnionOf:", [self.expression_pieces(m) for m in self._list(union)] if union else []),
        ]

    def _property_frame(self, term: URIRef, types: set) -> list[tuple[str, list]]:
        g = self.graph
        chains = [_joined((self.name_pieces(p) for p in self._list(chain)), " o ")
                  for chain in g.objects(term, OWL.propertyChainAxiom)]
        return [
            ("Characteristics:", [[CHARACTERISTICS[t]] for t in sorted(types & set(CHARACTERISTICS))]),
            ("Domain:", self._sorted(self.expression_pieces(o) for o in g.objects(term, RDFS.domain))),
            ("Range:", self._sorted(self.expression_pieces(o) for o in g.objects(term, RDFS.range))),
            ("SubPropertyOf:", self._sorted(self.name_pieces(o) for o in g.objects(term, RDFS.subPropertyOf))),
            ("EquivalentTo:", self._sorted(self.name_pieces(o)
                                           for o in self._pairs(term, OWL.equivalentProperty, symmetric=True))),
            ("DisjointWith:", self._sorted(self.name_pieces(o)
                                           for o in self._pairs(term, OWL.propertyDisjointWith, symmetric=True))),
            ("InverseOf:", self._sorted(self.name_pieces(o) for o in self._pairs(term, OWL.inverseOf, symmetric=True))),
            ("SubPropertyChain:", chains),
        ]

    def _individual_frame(self, term: URIRef, types: set) -> list[tuple[str, list]]:
        g = self.graph
        relations = set(g.subjects(RDF.type, OWL.ObjectProperty)) | set(g.subjects(RDF.type, OWL.DatatypeProperty))
        facts = [[*self.name_pieces(p), " ", *self.name_pieces(o)]
                 for p, o in g.predicate_objects(term) if p in relations]
        different = self._pairs(term, OWL.differentFrom, symmetric=True)
        different += [m for m in self._co_members(term, OWL.AllDifferent, (OWL.distinctMembers, OWL.members))
                      if m not in different]
        return [
            ("Types:", self._sorted(self.expression_pieces(t) for t in types if t != OWL.NamedIndividual)),
            ("Facts:", self._sorted(facts)),
            ("SameAs:", self._sorted(self.name_pieces(o) for o in self._pairs(term, OWL.sameAs, symmetric=True))),
            ("DifferentFrom:", self._sorted(self.name_pieces(o) for o in different)),
        ]
