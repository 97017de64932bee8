"""SHACL validation with pySHACL: every violation named by node, property and rule.

The shapes check what the data states. pySHACL's RDFS inference runs first, so that a shape on
``tw:Cause`` applies to every kind of cause and a path follows sub-properties; but it runs over the
ontology *without* its ``rdfs:domain`` and ``rdfs:range`` axioms, which would otherwise type every
value of a property as the range's class and make ``sh:class`` checks pass whatever the value is.
"""

from __future__ import annotations

from pyshacl import validate as shacl_validate
from rdflib import Graph
from rdflib.namespace import RDF, RDFS

from .errors import ValidationFailed
from .namespaces import SH


def _short(term, graph: Graph) -> str:
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:
        return str(term)


def _describe(report: Graph, result) -> str:
    def value(pred):
        return report.value(result, pred)

    focus = _short(value(SH.focusNode), report)
    path = value(SH.resultPath)
    component = value(SH.sourceConstraintComponent)
    message = value(SH.resultMessage)
    parts = [f"node {focus}"]
    if path is not None:
        parts.append(f"property {_short(path, report)}")
    if component is not None:
        parts.append(f"rule {_short(component, report)}")
    return ", ".join(parts) + (f": {message}" if message else "")


def report(data: Graph, shapes: Graph, ontology: Graph) -> tuple[bool, Graph]:
    """pySHACL's verdict and its validation report graph (``sh:ValidationReport``, with a
    ``sh:ValidationResult`` per violation)."""
    hierarchy = Graph()
    for triple in ontology:
        if triple[1] not in (RDFS.domain, RDFS.range):
            hierarchy.add(triple)
    untouched = Graph()
    untouched += shapes  # pySHACL adds RDFS entailments to the shapes graph it is given: give it a copy
    conforms, graph, _text = shacl_validate(
        data_graph=hierarchy + data,
        shacl_graph=untouched,
        inference="rdfs",
        abort_on_first=False,
        allow_warnings=False,
    )
    return bool(conforms), graph


def violations(data: Graph, shapes: Graph, ontology: Graph) -> list[str]:
    """Readable lines, one per SHACL result, sorted; empty when the data conforms."""
    conforms, found = report(data, shapes, ontology)
    if conforms:
        return []
    found.namespace_manager = data.namespace_manager
    results = found.subjects(RDF.type, SH.ValidationResult)
    return sorted(_describe(found, r) for r in results)


def check(data: Graph, shapes: Graph, ontology: Graph) -> None:
    """Raise :class:`ValidationFailed` listing every violation, if there is one."""
    found = violations(data, shapes, ontology)
    if found:
        raise ValidationFailed(found)
