"""Running one user query: the dataset it asks for, the graphs we hold, the engine's answer.

Everything a query execution needs is a plain argument (text, graph IRIs, base IRI) and
everything it returns is a :class:`~kg.results.QueryResult`, so :func:`run_query` can be
moved into a worker process without touching the HTTP layer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg import sparqlguard
from kg.errors import KGError
from kg.executor import QueryFailed, QueryTimeout, WorkerPool
from kg.results import QueryResult, sparql_error_message
from kg.store import GraphStore

_FROM = re.compile(r"\bFROM\b", re.IGNORECASE)


class QueryError(KGError):
    """A query (or protocol request) we will not answer; ``status`` is the HTTP status."""

    def __init__(self, status: int, title: str, message: str):
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


def read_only() -> QueryError:
    return QueryError(403, "Forbidden", "This SPARQL endpoint is read-only: SPARQL Update requests are refused "
                                        "and nothing was changed.")


@dataclass(frozen=True)
class Limits:
    """What one untrusted query may cost."""

    timeout: float = 10.0
    row_limit: int | None = 10_000
    max_chars: int = sparqlguard.DEFAULT_MAX_CHARS
    max_depth: int = sparqlguard.DEFAULT_MAX_DEPTH


def run_query(store: GraphStore, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, base_iri: str | None = None,
              pool: WorkerPool | None = None, limits: Limits = Limits()) -> QueryResult:
    """The answer to ``sparql`` over the protocol's dataset, else the query's FROM, else all we hold.

    The query is checked before any engine sees it (no SERVICE, no update, size and nesting
    caps) and, given a ``pool``, evaluated in a worker process that is killed at the timeout.
    Raises :class:`QueryError`: 400 for a refused or malformed query or a graph we do not hold,
    403 for an update, 413 for an over-long query, 503 when the time limit is reached.
    """
    guard(sparql, limits)
    if default_graphs is None and named_graphs is None and _FROM.search(sparql):
        default_graphs, named_graphs = sparqlguard.dataset(sparql, store.vocab.prefixes, base_iri)
    check_graphs_held(store, (default_graphs or []) + (named_graphs or []))
    held = list(store.graph_iris.values())
    options = {
        "default_graphs": held if default_graphs is None else default_graphs,
        "named_graphs": held if named_graphs is None else named_graphs,
        "base_iri": base_iri,
        "row_limit": limits.row_limit,
    }
    try:
        if pool is None:
            return store.query(sparql, **options)
        return pool.run(sparql, timeout=limits.timeout, **options)
    except SyntaxError as exc:
        raise QueryError(400, "Malformed query", sparql_error_message(exc)) from None
    except QueryTimeout as exc:
        raise QueryError(503, "Service Unavailable", str(exc)) from None
    except QueryFailed as exc:
        if pool is not None and pool.closed:  # stopped by the server's shutdown, not by the query
            raise QueryError(503, "Service Unavailable", "the server is shutting down and stopped this query; "
                                                         "try again shortly") from None
        raise QueryError(400, "Query failed", str(exc)) from None


def guard(sparql: str, limits: Limits) -> None:
    """Refuse, before parsing, what must never reach an engine."""
    try:
        sparqlguard.check(sparql, max_chars=limits.max_chars, max_depth=limits.max_depth)
    except sparqlguard.QueryRejected as exc:
        titles = {403: "Forbidden", 413: "Payload Too Large"}
        if exc.status == 403:
            raise read_only() from None
        raise QueryError(exc.status, titles.get(exc.status, "Query refused"), str(exc)) from None


def check_graphs_held(store: GraphStore, iris: list[str]) -> None:
    held = list(store.graph_iris.values())
    for iri in iris:
        if iri not in held:
            raise QueryError(400, "Unknown graph", f"This endpoint holds no graph <{iri}>; the graphs it holds are: "
                                                   + ", ".join(f"<{g}>" for g in held) + ".")
