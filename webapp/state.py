"""What the app holds for its lifetime: settings, the store, labels, and the saved queries."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import cached_property

from flask import current_app

from kg.config import Settings
from kg.executor import WorkersUnavailable
from kg.savedqueries import SavedQuery, load_all
from kg.store import GraphStore
from kg.terms import compact

from . import internal
from .execution import Limits, QueryError
from .isolation import create_pool


log = logging.getLogger(__name__)


@dataclass
class AppState:
    settings: Settings
    store: GraphStore
    saved_queries: dict[str, SavedQuery] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    query_workers: int = 2
    _pool: object = field(default=None, repr=False)
    _pool_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    #: When this app was made: the build's load time for a store that does not record one.
    started_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc).replace(microsecond=0))
    _warming: bool = field(default=False, repr=False)
    _pool_error: str | None = field(default=None, repr=False)
    _closed: bool = field(default=False, repr=False)

    @classmethod
    def create(cls, settings: Settings, store: GraphStore, config: dict | None = None) -> "AppState":
        config = config or {}
        limits = Limits(
            timeout=float(config.get("QUERY_TIMEOUT", 10.0)),
            row_limit=config.get("ROW_LIMIT", 10_000),
        )
        return cls(settings=settings, store=store, saved_queries=load_all(settings.queries_dir, settings.base_iri),
                   limits=limits, query_workers=int(config.get("QUERY_WORKERS", 2)))

    def query_pool(self):
        """The worker processes for untrusted queries, started on first use (None: run in-process).

        Workers that cannot start give a 503 (and are tried again on the next query), never an
        evaluation in-process without the time limit.
        """
        with self._pool_lock:
            if self._closed:
                raise QueryError(503, "Service Unavailable", "The server is shutting down; try again shortly.")
            if self._pool is None and self.query_workers > 0:
                try:
                    self._pool = create_pool(self.store, self.query_workers, self.limits.timeout) or False
                    self._pool_error = None
                except WorkersUnavailable as exc:
                    self._pool_error = str(exc)
                    log.error("query workers unavailable: %s", exc)
                    raise QueryError(503, "Service Unavailable",
                                     f"The query engine is not available right now ({exc}); try again shortly.") \
                        from None
            return self._pool or None

    def warm_up(self) -> None:
        """Start the query workers in the background, so the first query does not wait for them."""
        def start() -> None:
            try:
                self.query_pool()
            except QueryError:
                pass  # logged; the next query tries again
            finally:
                self._warming = False

        self._warming = True
        threading.Thread(target=start, daemon=True, name="twitch-kg-warm-up").start()

    def running_pool(self):
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

    @cached_property
    def labels(self) -> dict[str, str]:
        """The English label of every IRI that has one (the graph is immutable while served)."""
        found: dict[str, str] = {}
        for row in internal.run(self.store, "labels").rows:
            found.setdefault(row["s"].value, row["label"].value)
        return found

    @cached_property
    def disclaimer(self) -> str:
        rows = internal.run(self.store, "disclaimer").rows
        return rows[0]["text"].value if rows else ""

    def forget(self) -> None:
        """Drop what was read from the store (labels, disclaimer): read again on next use."""
        for name in ("labels", "disclaimer"):
            self.__dict__.pop(name, None)

    def label(self, iri: str) -> str:
        return self.labels.get(iri) or compact(iri, self.prefixes)

    def local_path(self, iri: str) -> str | None:
        """The path on this server that describes ``iri``, if we minted it."""
        if iri.startswith(self.base_iri) and len(iri) > len(self.base_iri):
            return "/" + iri[len(self.base_iri):]
        return None


def state() -> AppState:
    return current_app.extensions["twitch_kg"]
