"""What the app holds for its lifetime: settings, the store, the saved queries, the query workers,
and one cache of what is computed from the store (cleared, in one call, when a new build lands)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, TypeVar

from flask import Flask, current_app

from kg.config import Settings
from kg.query.choices import Choices, choices
from kg.query.errors import ShuttingDown, WorkersBusy, WorkersUnavailable
from kg.query.sandbox import WorkerPool, open_pool
from kg.query.saved import SavedQuery, load_all
from kg.query.untrusted import Limits
from kg.store import GraphStore
from kg.store.cache import AnswerCache
from kg.terms import compact

from .pages import SPARQL

if TYPE_CHECKING:
    from .freshness import BuildWatch

log = logging.getLogger(__name__)

#: A query worker resident by this much more than when it started is replaced after its answer (the
#: memory a large answer leaves behind in a process is not given back to the system in full).
RECYCLE_GROWTH = 64 * 2**20

#: The query page keeps the answers of this many queries (whole, up to the row limit) for their next
#: pages and sort orders, least recently used first out, and at most this many rows and characters in all.
KEPT_ANSWERS = 8
KEPT_ROWS = 50_000
KEPT_BYTES = 32 * 2**20

T = TypeVar("T")
_EXTENSION = "twitch_kg"


class Cache:
    """Values computed once from the served graph (labels, page models, downloads, the checker).

    The graph is immutable while served, so a value holds until :meth:`clear`, which a new build
    of a shared store calls (``webapp/freshness.py``).
    """

    def __init__(self) -> None:
        self._values: dict[tuple, object] = {}
        self._lock = threading.RLock()  # re-entrant: one value may need another

    def once(self, key: tuple, compute: Callable[[], T]) -> T:
        """``compute()`` the first time ``key`` is asked for, the kept value after."""
        if key in self._values:
            return self._values[key]  # type: ignore[return-value]
        with self._lock:
            if key not in self._values:
                self._values[key] = compute()
            return self._values[key]  # type: ignore[return-value]

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


@dataclass
class AppState:
    settings: Settings
    store: GraphStore
    saved_queries: dict[str, SavedQuery] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    query_workers: int = 2
    worker_memory: int | None = None  # bytes of address space per query worker
    query_slots: threading.BoundedSemaphore = field(default_factory=lambda: threading.BoundedSemaphore(4))
    cache: Cache = field(default_factory=Cache)
    #: The answers of the query page's queries, kept for their next pages (``webapp/paging.py``).
    answers: AnswerCache = field(default_factory=lambda: kept_answers(Limits()))
    #: For a shared store: the build it held when last looked at (``webapp/freshness.py``).
    build_watch: BuildWatch | None = None
    #: When this app was made: the build's load time for a store that does not record one.
    started_at: datetime = field(default_factory=lambda: datetime.now(UTC).replace(microsecond=0))
    _pool: WorkerPool | Literal[False] | None = field(default=None, repr=False)  # False: none, or closed
    _pool_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _warming: bool = field(default=False, repr=False)
    _pool_error: str | None = field(default=None, repr=False)
    _closed: bool = field(default=False, repr=False)

    @classmethod
    def create(cls, settings: Settings, store: GraphStore, config: Mapping) -> AppState:
        limits = Limits(timeout=float(config["QUERY_TIMEOUT"]), row_limit=config["ROW_LIMIT"],
                        byte_limit=config["ANSWER_BYTES"], queue_seconds=float(config["QUEUE_SECONDS"]))
        workers = int(config["QUERY_WORKERS"])
        return cls(settings=settings, store=store, saved_queries=load_all(settings.queries_dir, settings.base_iri),
                   limits=limits, answers=kept_answers(limits), query_workers=workers,
                   worker_memory=int(config["WORKER_MEMORY_MB"]) * 2**20,
                   query_slots=threading.BoundedSemaphore(max(1, workers) + int(config["QUERY_QUEUE"])))

    @contextmanager
    def query_slot(self) -> Iterator[None]:
        """A place among the queries running or waiting for a worker; :class:`WorkersBusy` if there is
        none, at once (so queries never hold every server thread, and pages never wait behind them)."""
        if not self.query_slots.acquire(blocking=False):
            raise WorkersBusy("as many queries as this server takes are running or waiting already; "
                              "try again shortly")
        try:
            yield
        finally:
            self.query_slots.release()

    def forget(self) -> None:
        """Drop what was computed from the store and the answers kept (a new build landed)."""
        self.cache.clear()
        self.answers.clear()

    def query_pool(self) -> WorkerPool | None:
        """The worker processes for untrusted queries, started on first use (None: run in-process).

        Workers that cannot start raise :class:`WorkersUnavailable` (and are tried again on the next
        query), never an evaluation in-process without the time limit.
        """
        with self._pool_lock:
            if self._closed:
                raise ShuttingDown("The server is shutting down; try again shortly.")
            if self._pool is None and self.query_workers > 0:
                try:
                    self._pool = open_pool(self.store, self.query_workers, self.limits.timeout,
                                           memory_limit=self.worker_memory,
                                           recycle_rss=RECYCLE_GROWTH) \
                        or False
                    self._pool_error = None
                except WorkersUnavailable as exc:
                    self._pool_error = str(exc)
                    log.error("query workers unavailable: %s", exc)
                    raise WorkersUnavailable(f"The query engine is not available right now ({exc}); "
                                             "try again shortly.") from None
            return self._pool or None

    def warm_up(self) -> None:
        """Start the query workers in the background, so the first query does not wait for them."""
        def start() -> None:
            try:
                self.query_pool()
            except (WorkersUnavailable, ShuttingDown):
                pass  # logged; the next query tries again
            finally:
                self._warming = False

        self._warming = True
        threading.Thread(target=start, daemon=True, name="twitch-kg-warm-up").start()

    def running_pool(self) -> WorkerPool | None:
        """The query workers if they have been started (never starts them)."""
        return self._pool or None

    def workers_unready(self) -> str | None:
        """Why the query workers cannot take a query now, or None (also when they start on first use)."""
        if self._closed:
            return "the server is shutting down"
        if self._warming and self._pool is None:
            return "the query workers are starting"
        if self._pool_error and self._pool is None:
            return f"the query workers could not start: {self._pool_error}"
        return None

    def close(self) -> None:
        """Stop the query workers (those evaluating a query too); no new ones are started."""
        with self._pool_lock:
            self._closed = True
            pool, self._pool = self._pool, False
        if pool:
            pool.close()

    @property
    def prefixes(self) -> dict[str, str]:
        return self.store.vocab.prefixes

    @property
    def base_iri(self) -> str:
        return self.settings.base_iri

    @property
    def labels(self) -> dict[str, str]:
        """The English label of every IRI that has one."""
        return self.cache.once(("labels",), self._read_labels)

    def _read_labels(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for row in SPARQL.run(self.store, "labels").rows:
            found.setdefault(row["s"].value, row["label"].value)
        return found

    @property
    def disclaimer(self) -> str:
        return self.cache.once(("disclaimer",), self._read_disclaimer)

    def _read_disclaimer(self) -> str:
        rows = SPARQL.run(self.store, "disclaimer").rows
        return rows[0]["text"].value if rows else ""

    def choices(self, saved: SavedQuery) -> Choices:
        """The values of a saved query's enumerated parameters, read from the graph once."""
        return self.cache.once(("choices", saved.name), lambda: choices(saved, self.store))

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or compact(iri, self.prefixes)

    def local_path(self, iri: str) -> str | None:
        """The path on this server that describes ``iri``, if we minted it."""
        if iri.startswith(self.base_iri) and len(iri) > len(self.base_iri):
            return "/" + iri[len(self.base_iri):]
        return None


def kept_answers(limits: Limits) -> AnswerCache:
    """The bounded store of whole answers the query page pages through (one execution per query)."""
    rows = min(limits.row_limit or KEPT_ROWS, KEPT_ROWS)
    return AnswerCache(KEPT_ANSWERS, max_items=rows, total_items=KEPT_ROWS, max_bytes=KEPT_BYTES,
                       total_bytes=KEPT_BYTES)


def attach(app: Flask, app_state: AppState) -> None:
    app.extensions[_EXTENSION] = app_state


def state_of(app: Flask) -> AppState:
    return app.extensions[_EXTENSION]


def state() -> AppState:
    """The state of the app serving the current request."""
    return state_of(current_app)
