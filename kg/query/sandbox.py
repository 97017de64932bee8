"""Run untrusted queries where they can be stopped: worker processes that are killed on timeout.

Neither rdflib nor pyoxigraph can be interrupted from a thread, so a query from the public
endpoint runs in a worker process holding its own copy of the store. If it has not answered
within the timeout the worker is killed, the caller gets :class:`QueryTimeout`, and a fresh
worker is started in the background; other requests are served by the other workers meanwhile.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from ..errors import KGError
from .errors import MalformedQuery, QueryFailed, QueryTimeout, WorkersUnavailable
from .results import QueryResult

if TYPE_CHECKING:
    from ..store import GraphStore

_CONTEXT = multiprocessing.get_context("spawn")
STARTUP_TIMEOUT = 120.0


def _serve(conn, opener: Callable) -> None:
    """A worker's life: open the store once, then answer queries until told to stop."""
    store = opener()
    conn.send(("ready", None))
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        sparql, options = message
        try:
            conn.send(("ok", store.query(sparql, **options)))
        except MalformedQuery as exc:
            conn.send(("malformed", str(exc)))
        except Exception as exc:  # reported to the caller as a clear 4xx, never re-raised here
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes, each with the store that ``opener()`` (picklable) returns."""

    def __init__(self, opener: Callable, size: int = 2, timeout: float = 10.0):
        self.opener = opener
        self.size = size
        self.timeout = timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._busy: set[int] = set()  # the process ids of the workers evaluating a query now
        self._busy_lock = threading.Lock()
        self._closed = False
        self.restarts = 0  # workers replaced after a kill (time limit) or a crash
        self.timeouts = 0  # queries stopped at the time limit, or that found every worker busy that long
        workers = [self._spawn() for _ in range(size)]
        try:
            for worker in workers:
                self._await_ready(worker)
        except KGError:
            for worker in workers:
                worker.stop()
            raise
        for worker in workers:
            self._idle.put(worker)

    def _spawn(self) -> _Worker:
        parent, child = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_serve, args=(child, self.opener), daemon=True, name="twitch-kg-query")
        process.start()
        child.close()
        return _Worker(process, parent)

    @staticmethod
    def _await_ready(worker: _Worker) -> None:
        if not worker.conn.poll(STARTUP_TIMEOUT):
            worker.stop()
            raise WorkersUnavailable(f"a query worker did not start within {STARTUP_TIMEOUT:g} s")
        try:
            kind, _ = worker.conn.recv()
        except (EOFError, OSError):  # it died while opening the store: its error is on stderr
            kind = "dead"
        if kind != "ready":
            worker.stop()
            raise WorkersUnavailable("a query worker could not open the store")

    def _replace_in_background(self) -> None:
        def start():
            if self._closed:
                return
            worker = self._spawn()
            try:
                self._await_ready(worker)
            except (KGError, EOFError, OSError):
                worker.stop()
                return
            if self._closed:  # closed while it started: nobody will stop it later
                worker.stop()
                return
            self._idle.put(worker)

        self.restarts += 1
        threading.Thread(target=start, daemon=True, name="twitch-kg-respawn").start()

    def run(self, sparql: str, *, timeout: float | None = None, **options) -> QueryResult:
        """The query's result; QueryTimeout past ``timeout``; MalformedQuery for a malformed one."""
        limit = self.timeout if timeout is None else timeout
        deadline = time.monotonic() + limit
        worker: _Worker | None
        try:
            worker = self._idle.get(timeout=limit)
        except queue.Empty:
            with self._busy_lock:
                self.timeouts += 1
            raise QueryTimeout(f"every query worker stayed busy for {limit:g} s; try again later") from None
        pid = worker.process.pid
        with self._busy_lock:
            self._busy.add(pid)  # type: ignore[arg-type]  # a started process has a pid
        try:
            worker.conn.send((sparql, options))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                worker.stop()
                self._replace_in_background()
                worker = None
                with self._busy_lock:
                    self.timeouts += 1
                raise QueryTimeout(
                    f"the query did not finish within the {limit:g} s time limit and was stopped; "
                    "narrow it (fewer unbound patterns, a LIMIT) and try again"
                )
            kind, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            if worker is not None:
                worker.stop()
                self._replace_in_background()
                worker = None
            raise QueryFailed("the query engine stopped while evaluating this query; it cannot be answered") from None
        finally:
            with self._busy_lock:
                self._busy.discard(pid)
            if worker is not None:
                if self._closed:  # closed while it answered: stop it rather than keep it idle
                    worker.stop()
                else:
                    self._idle.put(worker)
        if kind == "ok":
            return payload
        if kind == "malformed":
            raise MalformedQuery(payload)
        raise QueryFailed(f"the query could not be evaluated: {payload}")

    def idle_pids(self) -> frozenset[int]:
        """The process ids of the workers ready for a query at this moment."""
        with self._idle.mutex:
            return frozenset(worker.process.pid for worker in self._idle.queue)

    def busy_pids(self) -> frozenset[int]:
        """The process ids of the workers evaluating a query at this moment."""
        with self._busy_lock:
            return frozenset(self._busy)

    @property
    def closed(self) -> bool:
        return self._closed

    def close(self) -> None:
        """Stop every worker: the idle ones, and those evaluating a query (their callers get
        :class:`QueryFailed`); none is started again."""
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                break
        for pid in self.busy_pids():
            try:
                os.kill(pid, signal.SIGKILL)  # its caller sees the pipe close, stops and joins it
            except ProcessLookupError:
                pass


def open_pool(store: GraphStore, size: int, timeout: float) -> WorkerPool | None:
    """``size`` workers over the served graph, opened as the store says a worker opens it; None for a
    store that evaluates remotely (it has no worker opener) or for ``size`` 0."""
    opener = store.worker_opener() if size > 0 else None
    return None if opener is None else WorkerPool(opener, size=size, timeout=timeout)
