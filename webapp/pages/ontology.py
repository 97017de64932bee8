"""The ontology page's model: our classes and properties, their definitions and hierarchies.

From ``webapp/sparql/ontology-*.rq``; computed once per app.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

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
class OntologyPage:
    header: dict
    classes: dict[str, Term]
    properties: dict[str, Term]
    class_tree: list[TreeNode]
    property_tree: list[TreeNode]


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


def _ontology_page() -> OntologyPage:
    store = state().store
    inferred = ox.NamedNode(store.graph_iris["inferred"])
    header_rows = SPARQL.run(store, "ontology-header").rows
    classes = _terms(SPARQL.run(store, "ontology-classes", inferredGraph=inferred).rows, "class")
    properties = _terms(SPARQL.run(store, "ontology-properties", inferredGraph=inferred).rows, "property")
    return OntologyPage(header_rows[0] if header_rows else {}, classes, properties, _tree(classes), _tree(properties))


def ontology_page() -> OntologyPage:
    return state().cache.once(("ontology-page",), _ontology_page)
