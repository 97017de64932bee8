"""``twitch-kg explain``: why the reasoner concluded what it did about an entity, as justifications.

Reads the served build (ontology, asserted and inferred graphs), finds the justifications of the
inferred statements asked about (:mod:`kg.justify`), and writes them for a person (Manchester
syntax, names by label: :mod:`kg.manchester`) or as a standalone OWL 2 ontology in Turtle that any
tool can load and re-check.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .errors import KGError
from .justify import Justifications, justify, standalone
from .manchester import Renderer
from .store import GraphStore
from .terms import expand


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


def read_graph(store: GraphStore, names: list[str]) -> Graph:
    """The named graphs ``names`` of ``store`` as one rdflib graph (for the renderer and the rules)."""
    from .checker.queries import rdflib_term

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
    asserted, inferred, renderer = _read(store)
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
    return Explanation(s, statements, justify(asserted, statements), renderer)


@dataclass
class Explained:
    """Every inferred statement of the graph with its justifications, by subject (for pages)."""

    justifications: Justifications
    renderer: Renderer
    by_subject: dict[URIRef, list[tuple]]

    def lines(self, subject: str) -> list[tuple[str, list[str]]]:
        """(the statement, the axioms of its smallest justification) for each inferred statement about
        ``subject``, in Manchester syntax by label."""
        found = []
        for statement in self.by_subject.get(URIRef(subject), []):
            axioms = self.justifications.of(statement) or []
            found.append((self.renderer.statement(statement),
                          sorted(self.renderer.axiom(axiom.triples) for axiom in axioms)))
        return found


def everything(store: GraphStore) -> Explained:
    """The justifications of every inferred statement (the rule engine, in process: a fraction of a second)."""
    asserted, graph, renderer = _read(store)
    inferred = sorted(graph, key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    by_subject: dict[URIRef, list[tuple]] = {}
    for statement in inferred:
        if isinstance(statement[0], URIRef):
            by_subject.setdefault(statement[0], []).append(statement)
    return Explained(justify(asserted, inferred), renderer, by_subject)


def _read(store: GraphStore) -> tuple[Graph, Graph, Renderer]:
    """The asserted graphs (ontology and data), the inferred graph, and a renderer naming by English label."""
    asserted = read_graph(store, ["ontology", "asserted"])
    labels = {str(x): str(label) for x, label in asserted.subject_objects(RDFS.label)
              if isinstance(label, Literal) and label.language in (None, "en")}
    renderer = Renderer(asserted, lambda term: labels.get(str(term)), store.vocab.prefixes)
    return asserted, read_graph(store, ["inferred"]), renderer


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
