"""The ontology page's model: the ontology's documentation, as Widoco and pyLODE write it.

Its header's metadata, our classes and properties as trees with their definitions, and one entry
per term of our namespace that the ontology graph declares (its anchor on the page, its definition,
its axioms as a Manchester syntax frame from :mod:`kg.manchester`), an index of them and the change
log the ontology states (its change notes and deprecated terms). From ``webapp/sparql/ontology-*.rq``
and the ontology graph; computed once per app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, SKOS

from kg.explain import graph_of
from kg.manchester import FRAME_KEYWORDS, Piece, Renderer

from ..state import state
from . import SPARQL
from .entity import is_true
from .hierarchy import TreeNode, forest


@dataclass
class Term:
    """One class or property: its definition and what the ontology says about it."""

    iri: str
    definition: str = ""
    kind: str = ""  # for properties: the OWL property type's IRI
    defined: bool = False  # a class with owl:equivalentClass (the reasoner fills it)
    need: str = ""  # the escalation need a defined class stands for
    parents: list[tuple[str, bool]] = field(default_factory=list)  # (IRI, inferred)
    domains: list[str] = field(default_factory=list)
    ranges: list[str] = field(default_factory=list)
    inverses: list[str] = field(default_factory=list)


@dataclass
class TermDoc:
    """One term's entry in the documentation."""

    iri: str
    anchor: str  # its id on the page: the IRI's local name (/ontology#Cause)
    kind: str  # the IRI of its OWL entity type (owl:Class, owl:ObjectProperty, ...)
    definition: str
    name: list[Piece]
    #: Its Manchester syntax frame: (keyword, the items of that section).
    frame: list[tuple[str, list[list[Piece]]]]
    deprecated: bool = False
    replaced_by: str | None = None

    @property
    def keyword(self) -> str:
        return FRAME_KEYWORDS[URIRef(self.kind)]


#: The sections of the documentation, in Widoco's order: (OWL entity type, heading).
KINDS = ((OWL.Class, "Classes"), (OWL.ObjectProperty, "Object properties"),
         (OWL.DatatypeProperty, "Data properties"), (OWL.AnnotationProperty, "Annotation properties"),
         (OWL.NamedIndividual, "Named individuals"))


@dataclass
class OntologyPage:
    header: dict
    classes: dict[str, Term]
    properties: dict[str, Term]
    class_tree: list[TreeNode]
    property_tree: list[TreeNode]
    #: The header's statements (property, values), in the order of ``ontology-metadata.rq``.
    metadata: list[tuple[ox.NamedNode, list]] = field(default_factory=list)
    #: The documented terms, by section (heading, terms sorted by label).
    documented: list[tuple[str, list[TermDoc]]] = field(default_factory=list)
    change_notes: list[str] = field(default_factory=list)

    @cached_property
    def by_iri(self) -> dict[str, TermDoc]:
        """Each documented term's entry, by IRI."""
        return {doc.iri: doc for _heading, docs in self.documented for doc in docs}

    @cached_property
    def anchors(self) -> dict[str, str]:
        """Each documented term's anchor on the page, by IRI."""
        return {iri: doc.anchor for iri, doc in self.by_iri.items()}

    @property
    def deprecated(self) -> list[TermDoc]:
        return [doc for _heading, docs in self.documented for doc in docs if doc.deprecated]


def _add(items: list, value) -> None:
    if value is not None and value not in items:
        items.append(value)


def _terms(rows, key: str) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for row in rows:
        term = terms.setdefault(row[key].value, Term(row[key].value))
        term.definition = row["definition"].value if "definition" in row else term.definition
        term.kind = row["kind"].value if "kind" in row else term.kind
        term.defined = term.defined or is_true(row.get("defined"))
        term.need = row["need"].value if "need" in row else term.need
        if "parent" in row:
            _add(term.parents, (row["parent"].value, is_true(row.get("inferred"))))
        _add(term.domains, row["domain"].value if "domain" in row else None)
        _add(term.ranges, row["range"].value if "range" in row else None)
        _add(term.inverses, row["inverse"].value if "inverse" in row else None)
    return terms


def _tree(terms: dict[str, Term]) -> list[TreeNode]:
    label = state().label
    edges = [(iri, parent, inferred) for iri, term in terms.items() for parent, inferred in term.parents]
    return forest(terms, edges, sort_key=lambda iri: label(iri).lower())


def _metadata(rows) -> list[tuple[ox.NamedNode, list]]:
    grouped: dict[ox.NamedNode, list] = {}
    for row in rows:
        grouped.setdefault(row["property"], []).append(row["value"])
    return list(grouped.items())


def _english(graph: Graph, subject, predicate) -> list[str]:
    """The English (or untagged) literal values of ``predicate``, sorted."""
    return sorted(str(v) for v in graph.objects(subject, predicate)
                  if isinstance(v, Literal) and v.language in (None, "en"))


def _documented(graph: Graph, namespace: str) -> list[tuple[str, list[TermDoc]]]:
    """One entry per IRI of ``namespace`` the ontology declares, under its first kind in :data:`KINDS`."""
    labels = state().labels
    renderer = Renderer(graph, lambda term: labels.get(str(term)), state().prefixes)
    seen: set[URIRef] = set()
    sections = []
    for kind, heading in KINDS:
        docs = []
        for term in graph.subjects(RDF.type, kind):
            if not isinstance(term, URIRef) or not term.startswith(namespace) or term in seen:
                continue
            seen.add(term)
            replaced_by = graph.value(term, DCTERMS.isReplacedBy)
            docs.append(TermDoc(
                iri=str(term), anchor=term[len(namespace):], kind=str(kind),
                definition=" ".join(_english(graph, term, SKOS.definition)), name=renderer.name_pieces(term),
                frame=renderer.frame(term), deprecated=graph.value(term, OWL.deprecated) == Literal(True),
                replaced_by=str(replaced_by) if replaced_by is not None else None))
        if docs:
            sections.append((heading, sorted(docs, key=lambda d: (state().label(d.iri).lower(), d.iri))))
    return sections


def _ontology_page() -> OntologyPage:
    store = state().store
    inferred = ox.NamedNode(store.graph_iris["inferred"])
    header_rows = SPARQL.run(store, "ontology-header").rows
    classes = _terms(SPARQL.run(store, "ontology-classes", inferredGraph=inferred).rows, "class")
    properties = _terms(SPARQL.run(store, "ontology-properties", inferredGraph=inferred).rows, "property")
    page = OntologyPage(header_rows[0] if header_rows else {}, classes, properties, _tree(classes),
                        _tree(properties))
    page.metadata = _metadata(SPARQL.run(store, "ontology-metadata").rows)
    graph = graph_of(store, ["ontology"])
    page.documented = _documented(graph, str(store.vocab.entity_ns))
    if page.header:
        page.change_notes = _english(graph, URIRef(page.header["ontology"].value), SKOS.changeNote)
    return page


def ontology_page() -> OntologyPage:
    return state().cache.once(("ontology-page",), _ontology_page)
