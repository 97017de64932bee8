"""Web Annotation anchors checked against the texts they select from.

Every resource with an ``oa:hasSource`` that is one of the project's texts (a ``*.txt`` file of
the data folder, identified as the base IRI plus its file name) must be selected consistently:
a ``TextPositionSelector``'s slice of the text equals the ``oa:exact`` of the resource's
``TextQuoteSelector``, and the quote's ``oa:prefix`` and ``oa:suffix`` stand right before and
after it. Offsets count Unicode code points from 0, as the Web Annotation model says. A build
whose anchors do not match its text stops, like one whose data violates the SHACL shapes.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import RDF

from .config import Settings
from .errors import ValidationFailed
from .namespaces import OA


def texts(settings: Settings) -> dict[str, str]:
    """The project's texts by the IRI that identifies them."""
    return {settings.base_iri + path.name: path.read_text(encoding="utf-8") for path in settings.text_files}


def _literal(graph: Graph, node, prop) -> str | None:
    value = graph.value(node, prop)
    return None if value is None else str(value)


def _problems(graph: Graph, resource, text: str) -> list[str]:
    selectors = list(graph.objects(resource, OA.hasSelector))
    quotes = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph]
    positions = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph]
    if len(quotes) != 1 or len(positions) != 1:
        return [f"needs one TextQuoteSelector and one TextPositionSelector, has {len(quotes)} and {len(positions)}"]
    exact = _literal(graph, quotes[0], OA.exact) or ""
    prefix = _literal(graph, quotes[0], OA.prefix) or ""
    suffix = _literal(graph, quotes[0], OA.suffix) or ""
    start_value, end_value = (graph.value(positions[0], p) for p in (OA.start, OA.end))
    if start_value is None or end_value is None:
        return ["its TextPositionSelector needs oa:start and oa:end"]
    start, end = int(str(start_value)), int(str(end_value))  # their lexical forms
    if not 0 <= start <= end <= len(text):
        return [f"positions {start}-{end} lie outside the text ({len(text)} code points)"]
    found = []
    if text[start:end] != exact:
        found.append(f"the text at {start}-{end} is {text[start:end][:60]!r}, not its oa:exact {exact[:60]!r}")
    if text[max(0, start - len(prefix)):start] != prefix:
        found.append(f"its oa:prefix {prefix!r} does not stand before position {start}")
    if text[end:end + len(suffix)] != suffix:
        found.append(f"its oa:suffix {suffix!r} does not stand after position {end}")
    return found


def mismatches(graph: Graph, sources: dict[str, str]) -> list[str]:
    """One line per anchor that does not match its text, sorted; empty when all match."""
    found = []
    for resource, source in graph.subject_objects(OA.hasSource):
        text = sources.get(str(source))
        if text is None:
            found.append(f"node {resource}: oa:hasSource {source} is none of the project's texts")
            continue
        found.extend(f"node {resource}: {problem}" for problem in _problems(graph, resource, text))
    return sorted(found)


def check(graph: Graph, settings: Settings) -> None:
    """Raise :class:`ValidationFailed` listing every anchor that does not match its text."""
    found = mismatches(graph, texts(settings))
    if found:
        raise ValidationFailed(found, what="text anchors")
