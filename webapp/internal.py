"""The app's own SPARQL, kept in ``webapp/sparql/*.rq`` (knowledge in data, logic in code)."""

from __future__ import annotations

from functools import lru_cache

from kg.resources import path
from kg.results import QueryResult
from kg.store import GraphStore

FOLDER = path("webapp", "sparql")


@lru_cache(maxsize=None)
def text(name: str) -> str:
    return (FOLDER / f"{name}.rq").read_text(encoding="utf-8")


def run(store: GraphStore, name: str, **bindings) -> QueryResult:
    """Run ``webapp/sparql/NAME.rq`` with variables pre-bound (SEP-0007 substitution)."""
    return store.query(text(name), substitutions=bindings or None)
