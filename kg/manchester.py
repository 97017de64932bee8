"""OWL axioms and class expressions in Manchester syntax, names shown by label (as Protégé shows them).

One renderer for everything that shows an axiom to a person: the explanations of ``twitch-kg
explain`` and, later, the ontology's documentation. Names with a label are written as the label
(in single quotes when it has spaces, as Manchester syntax quotes labels); others as prefixed names.
"""

from __future__ import annotations

from collections.abc import Callable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from .terms import compact

Triple = tuple
#: Plain words: ("text", words) and ("term", IRI) segments, so a page can link each named entity.
Words = list[tuple[str, str]]

_CHARACTERISTICS = {OWL.FunctionalProperty: "Functional", OWL.InverseFunctionalProperty: "InverseFunctional",
                    OWL.TransitiveProperty: "Transitive", OWL.SymmetricProperty: "Symmetric",
                    OWL.AsymmetricProperty: "Asymmetric", OWL.ReflexiveProperty: "Reflexive",
                    OWL.IrreflexiveProperty: "Irreflexive"}


def top_triple(triples: frozenset[Triple] | set[Triple]) -> Triple:
    """An axiom's top-level triple: the one whose subject is no object inside its structure (for a
    structure with a blank-node root, such as ``owl:AllDisjointClasses``, the root's type)."""
    inner = {t[2] for t in triples if isinstance(t[2], BNode)}
    roots = [t for t in triples if t[0] not in inner]
    return min(roots, key=lambda t: (isinstance(t[0], BNode), t[1] != RDF.type, str(t)))


def _text(text: str) -> Words:
    return [("text", text)]


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
        if isinstance(term, Literal):
            return term.n3()
        if isinstance(term, BNode):
            return self.expression(term)
        if term == OWL.Thing:
            return "Thing"
        label = self.label(term)
        if label:
            return f"'{label}'" if " " in label else label
        return compact(str(term), self.prefixes)

    def _list(self, node) -> list:
        head = node if node is not None else RDF.nil
        return list(Collection(self.graph, head))

    def expression(self, node, nested: bool = False) -> str:
        """A class expression (a named class or a blank-node structure)."""
        if not isinstance(node, BNode):
            return self.name(node)
        g = self.graph
        text = None
        for predicate, joiner in ((OWL.intersectionOf, " and "), (OWL.unionOf, " or ")):
            members = g.value(node, predicate)
            if members is not None:
                text = joiner.join(self.expression(m, nested=True) for m in self._list(members))
        if text is None and (g.value(node, OWL.complementOf)) is not None:
            return "not " + self.expression(g.value(node, OWL.complementOf), nested=True)
        if text is None and (g.value(node, OWL.oneOf)) is not None:
            return "{" + ", ".join(self.name(m) for m in self._list(g.value(node, OWL.oneOf))) + "}"
        if text is None and (g.value(node, OWL.onProperty)) is not None:
            on = self.name(g.value(node, OWL.onProperty))
            for predicate, keyword in ((OWL.someValuesFrom, "some"), (OWL.allValuesFrom, "only"),
                                       (OWL.hasValue, "value")):
                target = g.value(node, predicate)
                if target is not None:
                    filler = self.name(target) if predicate == OWL.hasValue else self.expression(target, nested=True)
                    text = f"{on} {keyword} {filler}"
        if text is None:
            return "(an anonymous class)"
        return f"({text})" if nested else text

    # ---------------------------------------------------------------- axioms

    def axiom(self, triples: frozenset[Triple] | set[Triple]) -> str:
        """One axiom: its top-level triple (the one whose subject is not inside its structure)."""
        s, p, o = top_triple(triples)
        if isinstance(s, BNode):
            return self._structure(s, o)
        n = self.name
        simple = {
            RDFS.subClassOf: "SubClassOf:", OWL.equivalentClass: "EquivalentTo:", OWL.disjointWith: "DisjointWith:",
            RDFS.subPropertyOf: "SubPropertyOf:", OWL.inverseOf: "InverseOf:", OWL.equivalentProperty: "EquivalentTo:",
            RDFS.domain: "Domain:", RDFS.range: "Range:", OWL.sameAs: "SameAs:", OWL.differentFrom: "DifferentFrom:",
        }
        if p in simple:
            target = self.expression(o) if p in (RDFS.subClassOf, OWL.equivalentClass, OWL.disjointWith,
                                                 RDFS.domain, RDFS.range) else n(o)
            return f"{n(s)} {simple[p]} {target}"
        if p == RDF.type:
            characteristic = _CHARACTERISTICS.get(o)
            if characteristic:
                return f"{n(s)} Characteristics: {characteristic}"
            return f"{n(s)} Type: {self.expression(o)}"
        return f"{n(s)} {n(p)} {n(o)}"

    def _structure(self, node: BNode, kind) -> str:
        g = self.graph
        if kind == OWL.AllDisjointClasses:
            return "DisjointClasses: " + ", ".join(self.expression(m) for m in self._list(g.value(node, OWL.members)))
        if kind == OWL.AllDifferent:
            members = g.value(node, OWL.distinctMembers) or g.value(node, OWL.members)
            return "DifferentIndividuals: " + ", ".join(self.name(m) for m in self._list(members))
        return "(an axiom this renderer does not know)"

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
        if p == RDF.type and o in _CHARACTERISTICS:
            if o == OWL.FunctionalProperty:
                return t("a thing has at most one ") + x(s)
            return x(s) + t(f" is {_CHARACTERISTICS[o].lower()}")
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
