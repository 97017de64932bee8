"""A synthetic graph of N articles that follows our ontology, for the scale benchmarks.

Each synthetic article is a copy of the real one (kg/data/*.ttl) with its own IRIs: every
individual the data minds (the article, its sections, causes, conditions, claims, sources,
warning features, ...) becomes ``tw:a{k}-{slug}``, while the ontology's classes, properties
and value individuals (prevalence, severity, ...) stay shared, so the shapes are exactly
those of kg/data. Each copy also gets the example presentations of the reasoning tests
(tests/fixtures/presentations.ttl), so the reasoner has escalation to conclude in every
article. String literals carry the article number, so the store holds N distinct texts,
not N references to one. Article 0 keeps the real IRIs and texts.

Nothing here knows a medical fact: it copies whatever kg/data holds.
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from kg.config import PROJECT_ROOT, Settings

PRESENTATIONS = PROJECT_ROOT / "tests" / "fixtures" / "presentations.ttl"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _triples(paths: list[Path]) -> list[ox.Triple]:
    found: list[ox.Triple] = []
    for path in paths:
        found.extend(q.triple for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    return found


def template(settings: Settings) -> tuple[list[ox.Triple], list[ox.Triple], set[str]]:
    """(ontology triples, one article's triples, the IRIs a copy renames)."""
    ontology = _triples([settings.ontology_file])
    article = _triples([*settings.data_files, PRESENTATIONS])
    defined = {t.subject.value for t in ontology if isinstance(t.subject, ox.NamedNode)}
    entity_ns = settings.base_iri + "id/"
    own = {
        t.subject.value for t in article
        if isinstance(t.subject, ox.NamedNode) and t.subject.value.startswith(entity_ns)
        and t.subject.value not in defined
    }
    return ontology, article, own


def _term_writer(term, own: set[str], entity_ns: str):
    """A function k -> the N-Triples text of ``term`` in article k."""
    text = str(term)
    if isinstance(term, ox.NamedNode) and term.value in own:
        slug = term.value[len(entity_ns):]
        return lambda k: text if k == 0 else f"<{entity_ns}a{k}-{slug}>"
    if isinstance(term, ox.Literal) and (term.language or term.datatype.value == XSD_STRING):
        return lambda k: text if k == 0 else str(ox.Literal(f"{term.value} [{k}]", language=term.language))
    return lambda k: text


def write_ntriples(settings: Settings, articles: int, out: Path) -> int:
    """Write the asserted triples of ``articles`` articles as N-Triples; returns how many."""
    _ontology, article, own = template(settings)
    entity_ns = settings.base_iri + "id/"
    writers = [tuple(_term_writer(t, own, entity_ns) for t in (x.subject, x.predicate, x.object)) for x in article]
    count = 0
    with out.open("w", encoding="utf-8") as handle:
        for k in range(articles):
            handle.write("".join(f"{s(k)} {p(k)} {o(k)} .\n" for s, p, o in writers))
            count += len(writers)
    return count


def write_ontology(settings: Settings, out: Path) -> int:
    ontology, _article, _own = template(settings)
    out.write_text("".join(f"{t} .\n" for t in ontology), encoding="utf-8")
    return len(ontology)


def triples_per_article(settings: Settings) -> int:
    return len(template(settings)[1])
