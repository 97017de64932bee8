"""Run untrusted queries where they can be stopped: worker processes that are killed on timeout.

Neither rdflib nor pyoxigraph can be interrupted from a thread, so a query from the public
endpoint runs in a worker process that opens the store read-only. The time limit runs from the
query's arrival: a query waits for a free worker at most ``queue_timeout`` seconds
(:class:`WorkersBusy`), and if it has not answered by the deadline its worker is killed
(:class:`QueryTimeout`). A worker's address space is capped (``memory_limit``): a query that needs
more kills it (:class:`QueryOutOfMemory`). A killed worker, or one left large by an answer
(``recycle_rss``), is replaced in the background; other requests use the other workers meanwhile.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import queue
import resource
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING

from .. import heap
from ..errors import KGError
from .errors import MalformedQuery, QueryFailed, QueryOutOfMemory, QueryTimeout, WorkersBusy, WorkersUnavailable
from .results import QueryResult

if TYPE_CHECKING:
    from ..store import GraphStore

_CONTEXT = multiprocessing.get_context("spawn")
STARTUP_TIMEOUT = 120.0
RESPAWN_ATTEMPTS = 5
log = logging.getLogger(__name__)


def _statm(pid: int | str, field: int) -> int | None:
    """Field ``field`` of ``/proc/PID/statm`` in bytes (0: address space, 1: resident); None elsewhere."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[field]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def _resident(pid: int | None) -> int | None:
    """A process's resident memory in bytes (Linux ``/proc``; elsewhere None)."""
    return None if pid is None else _statm(pid, 1)


def _serve(conn, opener: Callable, memory_limit: int | None = None) -> None:
    """A worker's life: open the store once, cap its address space at what it holds then plus
    ``memory_limit`` (the store's own threads and maps vary by machine, so the cap is on what a query
    adds), then answer queries until told to stop, or until a query runs it out of memory: then it
    says so (or the engine aborts) and the worker exits."""
    os.environ["RUST_BACKTRACE"] = "0"  # an engine that runs out of memory says so in one line
    store = opener()
    held = _statm("self", 0)  # the address space it holds with the store open
    if memory_limit and held is not None:
        resource.setrlimit(resource.RLIMIT_AS, (held + memory_limit, resource.RLIM_INFINITY))
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
            answer = store.query(sparql, **options)
            conn.send(("ok", answer))
            if answer.size() >= heap.LARGE:
                del answer
                heap.trim()
        except MemoryError:
            conn.send(("memory", None))
            return
        except MalformedQuery as exc:
            conn.send(("malformed", str(exc)))
        except Exception as exc:  # reported to the caller as a clear 4xx, never re-raised here
            conn.send(("error", f"{type(exc).__name__}: {exc}"))


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    ready_rss: int = 0  # resident bytes once it had opened the store

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(timeout=5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes, each with the store that ``opener()`` (picklable) returns."""

    def __init__(self, opener: Callable, size: int = 2, timeout: float = 10.0, *,
                 memory_limit: int | None = None, recycle_rss: int | None = None):
        self.opener = opener
        self.size = size
        self.timeout = timeout
        self.memory_limit = memory_limit  # bytes of address space a query may add to its worker (None: no cap)
        self.recycle_rss = recycle_rss  # a worker grown by more than this (resident) after an answer is replaced
        self.refusals = 0  # queries refused because every worker stayed busy for as long as they may wait
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._busy: set[int] = set()  # the process ids of the workers evaluating a query now
        self._busy_lock = threading.Lock()
        self._closed = False
        self.restarts = 0  # workers replaced after a kill (time limit) or a crash
        self.timeouts = 0  # queries stopped at the time limit
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
        process = _CONTEXT.Process(target=_serve, args=(child, self.opener, self.memory_limit), daemon=True,
                                   name="twitch-kg-query")
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
        worker.ready_rss = _resident(worker.process.pid) or 0

    def _replace_in_background(self) -> None:
        def start():
            for attempt in range(RESPAWN_ATTEMPTS):  # a failed start is tried again: never a pool short of a worker
                if self._closed:
                    return
                if attempt:
                    time.sleep(attempt)
                worker = self._spawn()
                try:
                    self._await_ready(worker)
                except (KGError, EOFError, OSError):
                    worker.stop()
                    continue
                if self._closed:  # closed while it started: nobody will stop it later
                    worker.stop()
                    return
                self._idle.put(worker)
                return
            log.error("a query worker could not be restarted after %d attempts", RESPAWN_ATTEMPTS)

        self.restarts += 1
        threading.Thread(target=start, daemon=True, name="twitch-kg-respawn").start()

    def run(self, sparql: str, *, timeout: float | None = None, arrival: float | None = None,
            queue_timeout: float | None = None, **options) -> QueryResult:
        """The query's result, within ``timeout`` seconds of ``arrival`` (a ``time.monotonic()``; default:
        now), of which at most ``queue_timeout`` waiting for a worker.

        Raises :class:`WorkersBusy`, :class:`QueryTimeout`, :class:`QueryOutOfMemory`,
        :class:`MalformedQuery` or :class:`QueryFailed`.
        """
        limit = self.timeout if timeout is None else timeout
        deadline = (time.monotonic() if arrival is None else arrival) + limit
        wait = max(0.0, deadline - time.monotonic())
        if queue_timeout is not None:
            wait = min(wait, queue_timeout)
        worker: _Worker | None
        try:
            worker = self._idle.get(timeout=wait)
        except queue.Empty:
            with self._busy_lock:
                self.refusals += 1
            raise WorkersBusy(f"every query worker is busy (waited {wait:g} s for one); try again shortly") from None
        pid = worker.process.pid
        with self._busy_lock:
            self._busy.add(pid)  # type: ignore[arg-type]  # a started process has a pid
        kind, payload = "", None
        try:
            worker.conn.send((sparql, options))
            if not worker.conn.poll(max(0.0, deadline - time.monotonic())):
                self._replace(worker)
                worker = None
                with self._busy_lock:
                    self.timeouts += 1
                raise QueryTimeout(
                    f"the query did not finish within the {limit:g} s time limit and was stopped; "
                    "narrow it (fewer unbound patterns, a LIMIT) and try again"
                )
            kind, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            died_of_memory = worker is not None and self._died_of_memory(worker)
            if worker is not None:
                self._replace(worker)
                worker = None
            if died_of_memory:
                raise self._out_of_memory() from None
            raise QueryFailed("the query engine stopped while evaluating this query; it cannot be answered") from None
        finally:
            with self._busy_lock:
                self._busy.discard(pid)
            if worker is not None:
                if self._closed:  # closed while it answered: stop it rather than keep it idle
                    worker.stop()
                elif kind == "memory" or self._grown(worker):
                    self._replace(worker)
                else:
                    self._idle.put(worker)
        if kind == "ok":
            return payload
        if kind == "malformed":
            raise MalformedQuery(payload)
        if kind == "memory":
            raise self._out_of_memory()
        raise QueryFailed(f"the query could not be evaluated: {payload}")

    def _replace(self, worker: _Worker) -> None:
        worker.stop()
        self._replace_in_background()

    def _out_of_memory(self) -> QueryOutOfMemory:
        megabytes = (self.memory_limit or 0) // 2**20
        return QueryOutOfMemory(f"the query needed more memory than a query worker may use ({megabytes:,} MB) "
                                "and was stopped; narrow it (fewer unbound patterns, no GROUP_CONCAT or ORDER BY "
                                "over everything, a LIMIT) and try again")

    def _died_of_memory(self, worker: _Worker) -> bool:
        """A worker under a memory cap that aborted (the engine aborts when an allocation fails)."""
        if not self.memory_limit:
            return False
        worker.process.join(timeout=5)
        return worker.process.exitcode == -signal.SIGABRT

    def _grown(self, worker: _Worker) -> bool:
        """Whether a worker is resident by more than ``recycle_rss`` past what it was when ready."""
        if not self.recycle_rss or worker.process.pid is None:
            return False
        resident = _resident(worker.process.pid)
        return resident is not None and resident - worker.ready_rss > self.recycle_rss

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


def open_pool(store: GraphStore, size: int, timeout: float, *, memory_limit: int | None = None,
              recycle_rss: int | None = None) -> WorkerPool | None:
    """``size`` workers over the served graph, opened as the store says a worker opens it; None for a
    store that evaluates remotely (it has no worker opener) or for ``size`` 0."""
    opener = store.worker_opener() if size > 0 else None
    if opener is None:
        return None
    return WorkerPool(opener, size=size, timeout=timeout, memory_limit=memory_limit, recycle_rss=recycle_rss)
