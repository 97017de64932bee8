"""Running one query from an untrusted client: guard, dataset, then the engine in a killable worker.

The query is checked before any engine sees it (:mod:`.guard`), its dataset is the protocol's,
else its own ``FROM`` clauses, else every graph the store holds (:mod:`.dataset`), and, given a
pool, it is evaluated in a worker process that is killed at the time limit (:mod:`.sandbox`).
Everything that can go wrong is one of the kinds in :mod:`.errors`; the web app maps them to
HTTP statuses in one place.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..store import GraphStore
from . import guard
from .dataset import check_held, from_clauses
from .errors import QueryFailed, ShuttingDown
from .results import QueryResult
from .sandbox import WorkerPool

DEFAULT_TIMEOUT = 10.0
DEFAULT_ROW_LIMIT = 10_000
#: Characters of term text in one answer (about its size in memory and on the wire, in any format).
DEFAULT_BYTE_LIMIT = 8 * 2**20
#: Seconds a query may wait for a free worker before it is refused (503, Retry-After).
DEFAULT_QUEUE_SECONDS = 2.0


@dataclass(frozen=True)
class Limits:
    """What one untrusted query may cost."""

    timeout: float = DEFAULT_TIMEOUT
    row_limit: int | None = DEFAULT_ROW_LIMIT
    byte_limit: int | None = DEFAULT_BYTE_LIMIT
    queue_seconds: float = DEFAULT_QUEUE_SECONDS
    max_chars: int = guard.DEFAULT_MAX_CHARS
    max_depth: int = guard.DEFAULT_MAX_DEPTH


def run_untrusted(store: GraphStore, sparql: str, *, default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None, base_iri: str | None = None,
                  pool: WorkerPool | None = None, limits: Limits = Limits(),
                  arrival: float | None = None) -> QueryResult:
    """The answer to ``sparql`` over the protocol's dataset, else the query's FROM, else the store's
    default graph (with every graph held as a named graph),
    within ``limits.timeout`` of ``arrival`` (a ``time.monotonic()``, default now), waiting included.

    Raises a :class:`~kg.query.errors.QueryRefused` before any engine sees the query,
    :class:`~kg.query.errors.UnknownGraph`, :class:`~kg.query.errors.MalformedQuery`,
    :class:`~kg.query.errors.WorkersBusy`, :class:`~kg.query.errors.QueryTimeout`,
    :class:`~kg.query.errors.QueryOutOfMemory`, :class:`~kg.query.errors.QueryFailed`, or
    :class:`~kg.query.errors.ShuttingDown` when the pool was closed under it.
    """
    guard.check(sparql, max_chars=limits.max_chars, max_depth=limits.max_depth)
    if default_graphs is None and named_graphs is None:
        default_graphs, named_graphs = from_clauses(sparql, store.vocab.prefixes, base_iri)
    held = list(store.graph_iris.values())
    check_held(held, (default_graphs or []) + (named_graphs or []))
    options: dict[str, Any] = {
        "default_graphs": store.default_graph_iris if default_graphs is None else default_graphs,
        "named_graphs": held if named_graphs is None else named_graphs,
        "base_iri": base_iri,
        "row_limit": limits.row_limit,
        "byte_limit": limits.byte_limit,
    }
    if pool is None:
        return store.query(sparql, **options)
    try:
        return pool.run(sparql, timeout=limits.timeout, arrival=arrival, queue_timeout=limits.queue_seconds,
                        **options)
    except QueryFailed:
        if pool.closed:  # stopped by the server's shutdown, not by the query
            raise ShuttingDown("the server is shutting down and stopped this query; try again shortly") from None
        raise
