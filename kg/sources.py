"""Read the Turtle inputs into rdflib graphs, minted in the configured namespace."""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, URIRef

from .config import SOURCE_BASE, Settings
from .errors import InputError


def _rebase_term(term, base_iri: str):
    if isinstance(term, URIRef) and str(term).startswith(SOURCE_BASE):
        return URIRef(base_iri + str(term)[len(SOURCE_BASE):])
    return term


def rebase(graph: Graph, base_iri: str) -> Graph:
    """The same graph with IRIs of the source namespace moved under ``base_iri``."""
    if base_iri == SOURCE_BASE:
        return graph
    moved = Graph()
    for s, p, o in graph:
        moved.add((_rebase_term(s, base_iri), _rebase_term(p, base_iri), _rebase_term(o, base_iri)))
    return moved


def parse_turtle(paths: list[Path], base_iri: str) -> Graph:
    """One graph from Turtle files; a missing or malformed file names itself."""
    graph = Graph()
    for path in paths:
        if not path.is_file():
            raise InputError(f"input file not found: {path}")
        try:
            graph.parse(path, format="turtle")
        except Exception as exc:  # rdflib raises several parser exception types
            raise InputError(f"{path}: not valid Turtle: {exc}") from exc
    return rebase(graph, base_iri)


def load_ontology(settings: Settings) -> Graph:
    return parse_turtle([settings.ontology_file], settings.base_iri)


def load_data(settings: Settings) -> Graph:
    return parse_turtle(settings.data_files, settings.base_iri)


def load_shapes(settings: Settings) -> Graph:
    return parse_turtle([settings.shapes_file], settings.base_iri)
