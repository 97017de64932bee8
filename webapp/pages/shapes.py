"""The SHACL shapes' page and the validation report's page: their models.

The shapes are shown as they are written (Turtle, every IRI linked, one anchor per shape); the report
is pySHACL's validation of the served build (the data against the shapes, as ``twitch-kg build``
validates it), computed once per served build and kept in the app's cache.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD

from kg import validate
from kg.explain import graph_of
from kg.manchester import Name, Piece
from kg.namespaces import SH
from kg.terms import compact

from ..state import state

#: How deep nested blank nodes are written before "[ … ]" (the shapes nest three levels at most).
MAX_DEPTH = 6


def shapes_graph() -> Graph:
    """The shapes the served build was validated with: its named-only graph ``…/graph/shapes``."""
    return state().cache.once(("shapes-graph",), lambda: graph_of(state().store, ["shapes"]))


def as_triples(graph: Graph) -> list[ox.Triple]:
    """An rdflib graph as pyoxigraph triples (to serialise it as every other answer is)."""
    return [quad.triple for quad in ox.parse(graph.serialize(format="nt", encoding="utf-8"),
                                             format=ox.RdfFormat.N_TRIPLES)]


# ---------------------------------------------------------------- the shapes, as Turtle with links


class _Writer:
    """Turtle of one subject's statements, as pieces: prefixed names (linked), literals, nested
    blank nodes and lists."""

    def __init__(self, graph: Graph, prefixes: dict[str, str]):
        self.graph = graph
        self.prefixes = prefixes

    def term(self, node, depth: int) -> list[Piece]:
        if isinstance(node, URIRef):
            name = compact(str(node), self.prefixes)
            # SHACL's and RDF's own terms are the syntax: only the names they constrain are links
            return [name] if str(node).startswith((str(SH), str(RDF))) else [Name(node, name)]
        if isinstance(node, Literal):
            if node.datatype in (XSD.integer, XSD.decimal, XSD.boolean):
                return [str(node)]
            if node.datatype == XSD.string:  # as a store gives it back: the same literal as a plain string
                node = Literal(str(node))
            return [node.n3(self.graph.namespace_manager)]
        if depth >= MAX_DEPTH:
            return ["[ … ]"]
        if self.graph.value(node, RDF.first) is not None:
            items = list(Collection(self.graph, node))
            out: list[Piece] = ["( "]
            for item in items:
                out += [*self.term(item, depth + 1), " "]
            return [*out, ")"]
        return ["[ ", *self.statements(node, depth + 1, " ; "), " ]"]

    def statements(self, subject, depth: int, separator: str) -> list[Piece]:
        out: list[Piece] = []
        pairs = sorted(self.graph.predicate_objects(subject),
                       key=lambda po: (po[0] != RDF.type, po[0] != SH.path, compact(str(po[0]), self.prefixes),
                                       str(po[1])))
        for number, (predicate, value) in enumerate(pairs):
            if number:
                out.append(separator)
            out += ["a" if predicate == RDF.type else compact(str(predicate), self.prefixes), " ",
                    *self.term(value, depth)]
        return out


@dataclass
class ShapeDoc:
    iri: str
    anchor: str
    comments: list[str]
    turtle: list[Piece]
    targets: list[str] = field(default_factory=list)


@dataclass
class ShapesPage:
    shapes: list[ShapeDoc]

    @property
    def anchors(self) -> dict[str, str]:
        return {shape.iri: shape.anchor for shape in self.shapes}


def _anchor(iri: str) -> str:
    namespace = str(state().store.vocab.entity_ns)
    return iri[len(namespace):] if iri.startswith(namespace) else iri.rsplit("/", 1)[-1].rsplit("#", 1)[-1]


def _shapes_page() -> ShapesPage:
    graph = shapes_graph()
    writer = _Writer(graph, state().prefixes | {"sh": str(SH)})
    docs = []
    for shape in sorted(set(graph.subjects(RDF.type, SH.NodeShape)), key=str):
        if not isinstance(shape, URIRef):
            continue
        comments = sorted(str(c) for c in graph.objects(shape, RDFS.comment))
        turtle = [Name(shape, compact(str(shape), writer.prefixes)), "\n    ",
                  *writer.statements(shape, 0, " ;\n    "), " ."]
        targets = sorted(str(t) for t in graph.objects(shape, SH.targetClass))
        docs.append(ShapeDoc(str(shape), _anchor(str(shape)), comments, turtle, targets))
    return ShapesPage(docs)


def shapes_page() -> ShapesPage:
    return state().cache.once(("shapes-page",), _shapes_page)


def shape_anchor(iri: str) -> str | None:
    """The anchor on /shapes of the shape ``iri``, if it is one."""
    return shapes_page().anchors.get(iri)


# ---------------------------------------------------------------- the validation report


@dataclass(frozen=True)
class Result:
    """One ``sh:ValidationResult``."""

    focus: str
    path: str
    severity: str
    component: str
    shape: str
    message: str
    value: str


@dataclass
class Validation:
    conforms: bool
    report: Graph
    results: list[Result]
    shapes: int
    data_triples: int


def results(report: Graph) -> list[Result]:
    """The report's results, sorted by focus node, path and constraint."""
    prefixes = state().prefixes | {"sh": str(SH)}

    def text(node) -> str:
        if node is None:
            return ""
        if isinstance(node, URIRef):
            return compact(str(node), prefixes)
        if isinstance(node, BNode):
            inverse = report.value(node, SH.inversePath)  # a path's inverse, as SPARQL writes it
            return "^" + text(inverse) if inverse is not None else "(a blank node)"
        return str(node)

    found = [Result(focus=text(report.value(r, SH.focusNode)), path=text(report.value(r, SH.resultPath)),
                    severity=text(report.value(r, SH.resultSeverity)),
                    component=text(report.value(r, SH.sourceConstraintComponent)),
                    shape=text(report.value(r, SH.sourceShape)), message=text(report.value(r, SH.resultMessage)),
                    value=text(report.value(r, SH.value)))
             for r in report.subjects(RDF.type, SH.ValidationResult)]
    return sorted(found, key=lambda r: (r.focus, r.path, r.component, r.message))


def _validation() -> Validation:
    store = state().store
    data = graph_of(store, ["asserted"])
    graph = shapes_graph()
    conforms, report = validate.report(data, graph, graph_of(store, ["ontology"]))
    return Validation(conforms, report, results(report), len(set(graph.subjects(RDF.type, SH.NodeShape))), len(data))


def validation() -> Validation:
    """pySHACL's report on the served build, once per served build."""
    return state().cache.once(("validation",), _validation)
