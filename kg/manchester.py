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


class Renderer:
    """Renders the axioms and class expressions of ``graph`` (which holds their blank-node structure)."""

    def __init__(self, graph: Graph, label: Callable[[URIRef], str | None], prefixes: dict[str, str]):
        self.graph = graph
        self.label = label
        self.prefixes = prefixes

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
        inner = {t[2] for t in triples if isinstance(t[2], BNode)}
        roots = sorted((t for t in triples if t[0] not in inner), key=lambda t: (isinstance(t[0], BNode), str(t)))
        s, p, o = roots[0]
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
            characteristic = {OWL.FunctionalProperty: "Functional", OWL.InverseFunctionalProperty: "InverseFunctional",
                              OWL.TransitiveProperty: "Transitive", OWL.SymmetricProperty: "Symmetric",
                              OWL.AsymmetricProperty: "Asymmetric", OWL.ReflexiveProperty: "Reflexive",
                              OWL.IrreflexiveProperty: "Irreflexive"}.get(o)
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
