"""The justifications of a build as RDF: the named graph ``<base>graph/justifications``.

Its shape, in standard vocabularies only (RDF reification, PROV-O, OWL's axiom reification)::

    <base>statement/H   a rdf:Statement ;                       # an inferred statement
        rdf:subject S ; rdf:predicate P ; rdf:object O ;
        prov:wasDerivedFrom <base>justification/H-1, … .        # its justifications, the smallest is -1
    <base>justification/H-1   a prov:Collection ;
        prov:hadMember <base>axiom/A, … .                      # the asserted axioms it follows from
    <base>axiom/A   a owl:Axiom ;
        owl:annotatedSource X ; owl:annotatedProperty Y ; owl:annotatedTarget Z ;
        rdfs:label "the axiom in Manchester syntax"@en .

``H`` and ``A`` are hashes of the statement and of the axiom's canonical triples, so an IRI names
the same statement or axiom in every build. Each axiom's own triples are in the graph too (its
blank-node class expressions copied, apart from every other axiom's), so that the reification's
target can be followed, and the graph loaded into an OWL tool holds the axioms, labelled.
"""

from __future__ import annotations

import hashlib

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .errors import KGError
from .justify import Axiom, Justifications, Triple, closure, justify, split_axioms
from .manchester import Renderer, top_triple
from .namespaces import PROV, Vocabulary


def _digest(lines: list[str]) -> str:
    return hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()[:16]


def _statement_digest(statement: Triple) -> str:
    return _digest([" ".join(term.n3() for term in statement)])


def _axiom_digest(axiom: Axiom) -> str:
    graph = Graph()
    for triple in axiom.triples:
        graph.add(triple)
    return _digest(to_canonical_graph(graph).serialize(format="nt").splitlines())


class _Writer:
    def __init__(self, justifications: Justifications, renderer: Renderer, vocab: Vocabulary):
        self.justifications = justifications
        self.renderer = renderer
        self.base = vocab.base_iri
        self.graph = Graph()
        self.written: dict[int, URIRef] = {}

    def axiom(self, number: int) -> URIRef:
        if number in self.written:
            return self.written[number]
        axiom = self.justifications.axioms[number]
        node = URIRef(f"{self.base}axiom/{_axiom_digest(axiom)}")
        copies: dict[BNode, BNode] = {}

        def copy(term):
            return copies.setdefault(term, BNode()) if isinstance(term, BNode) else term

        for s, p, o in axiom.triples:
            self.graph.add((copy(s), p, copy(o)))
        source, prop, target = top_triple(axiom.triples)
        g = self.graph
        g.add((node, RDF.type, OWL.Axiom))
        g.add((node, OWL.annotatedSource, copy(source)))
        g.add((node, OWL.annotatedProperty, prop))
        g.add((node, OWL.annotatedTarget, copy(target)))
        g.add((node, RDFS.label, Literal(self.renderer.axiom(axiom.triples), lang="en")))
        self.written[number] = node
        return node

    def statement(self, statement: Triple, supports: list[tuple[int, ...]]) -> None:
        digest = _statement_digest(statement)
        node = URIRef(f"{self.base}statement/{digest}")
        g = self.graph
        g.add((node, RDF.type, RDF.Statement))
        for predicate, term in zip((RDF.subject, RDF.predicate, RDF.object), statement, strict=True):
            g.add((node, predicate, term))
        for rank, ids in enumerate(supports, 1):
            justification = URIRef(f"{self.base}justification/{digest}-{rank}")
            g.add((node, PROV.wasDerivedFrom, justification))
            g.add((justification, RDF.type, PROV.Collection))
            for number in ids:
                g.add((justification, PROV.hadMember, self.axiom(number)))


def justification_graph(asserted: Graph, inferred: Graph, vocab: Vocabulary) -> Graph:
    """The justifications of every inferred statement the rules derive (see :mod:`kg.justify`), as RDF."""
    statements = sorted(inferred, key=lambda t: tuple(map(str, t)))
    justifications = justify(asserted, statements)
    writer = _Writer(justifications, Renderer.by_label(asserted, asserted, vocab.prefixes), vocab)
    for statement in statements:
        if statement in justifications.found:
            writer.statement(statement, justifications.found[statement])
    return writer.graph


def read(graph: Graph, asserted: Graph) -> Justifications:
    """The justifications written by :func:`justification_graph`, read back (their axioms' blank nodes
    are the graph's), with the declarations of ``asserted`` for standalone ontologies."""
    axioms: list[Axiom] = []
    numbers: dict[Node, int] = {}
    result = Justifications(axioms, split_axioms(asserted)[1])
    for node in graph.subjects(RDF.type, RDF.Statement):
        statement = tuple(_value(graph, node, p) for p in (RDF.subject, RDF.predicate, RDF.object))
        assert len(statement) == 3
        supports = []
        for justification in graph.objects(node, PROV.wasDerivedFrom):
            ids = []
            for member in graph.objects(justification, PROV.hadMember):
                if member not in numbers:
                    numbers[member] = len(axioms)
                    axioms.append(Axiom(frozenset(_axiom_triples(graph, member))))
                ids.append(numbers[member])
            supports.append((str(justification), tuple(sorted(ids))))
        result.found[statement] = [ids for _, ids in sorted(supports, key=lambda x: (len(x[1]), x[0]))]
    return result


def _value(graph: Graph, node: Node, predicate: URIRef) -> Node:
    value = graph.value(node, predicate)
    if value is None:
        raise KGError(f"the justifications graph is malformed: {node} has no {predicate}")
    return value


def _axiom_triples(graph: Graph, axiom: Node) -> set[Triple]:
    source = _value(graph, axiom, OWL.annotatedSource)
    target = _value(graph, axiom, OWL.annotatedTarget)
    triples = {(source, _value(graph, axiom, OWL.annotatedProperty), target)}
    for node in (source, target):
        if isinstance(node, BNode):
            triples |= closure(graph, node)
    return triples
