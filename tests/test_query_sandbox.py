"""Queries in killable worker processes: timeouts stop the query, the pool recovers."""

from __future__ import annotations

import functools
import os
import signal
import threading

import pytest

from kg.graph import open_graph
from kg.query.errors import MalformedQuery, QueryFailed, QueryTimeout, WorkersUnavailable
from kg.query.sandbox import WorkerPool
from support import HANG_GUARD, PATHOLOGICAL, all_workers_idle, is_running, make_app, wait_for


@pytest.fixture(scope="module")
def pool(settings, built):
    workers = WorkerPool(functools.partial(open_graph, settings, "memory"), size=2, timeout=HANG_GUARD)
    yield workers
    workers.close()


def in_thread(call) -> tuple[threading.Thread, dict]:
    """``call()`` started on a thread; the dict gets its "result" or its "error"."""
    outcome = {}

    def run():
        try:
            outcome["result"] = call()
        except Exception as exc:  # the test asserts which
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


def test_answers_like_the_store(pool, store):
    query = "SELECT ?s WHERE { ?c tw:claimCause tw:dystonia ; cito:citesAsEvidence ?s }"
    assert [r["s"].value for r in pool.run(query).rows] == [r["s"].value for r in store.query(query).rows]


def test_a_malformed_query_is_raised_as_such(pool):
    with pytest.raises(MalformedQuery, match=r"^error at 1:25: expected one of "):
        pool.run("SELECT * WHERE { ?s ?p }")


def test_pathological_query_is_stopped_at_its_time_limit_by_killing_its_worker(pool):
    idle = all_workers_idle(pool)
    restarts, timeouts = pool.restarts, pool.timeouts
    thread, outcome = in_thread(lambda: pool.run(PATHOLOGICAL, timeout=1.0))
    thread.join(HANG_GUARD)
    assert not thread.is_alive(), "the runaway query was not stopped"
    assert isinstance(outcome.get("error"), QueryTimeout)
    assert str(outcome["error"]).startswith(
        "the query did not finish within the 1 s time limit and was stopped")
    (killed,) = idle - pool.idle_pids()  # the worker that evaluated it never came back
    assert not is_running(killed)
    assert pool.restarts == restarts + 1
    assert pool.timeouts == timeouts + 1  # counted for /metrics


def test_other_queries_are_answered_while_one_runs_away(pool):
    all_workers_idle(pool)
    runaway, outcome = in_thread(lambda: pool.run(PATHOLOGICAL, timeout=HANG_GUARD))
    (busy,) = wait_for(pool.busy_pids, "the runaway query taken by a worker")
    assert pool.run("ASK { tw:nhs a tw:Source }").boolean is True
    # answered while the runaway query was still being evaluated, on its own worker
    assert runaway.is_alive() and pool.busy_pids() == {busy}
    os.kill(busy, signal.SIGKILL)  # end the runaway now rather than at the guard
    runaway.join(HANG_GUARD)
    assert isinstance(outcome.get("error"), QueryFailed)
    assert str(outcome["error"]) == "the query engine stopped while evaluating this query; it cannot be answered"
    assert not is_running(busy)


def test_pool_recovers_after_a_kill(pool):
    all_workers_idle(pool)
    restarts = pool.restarts
    with pytest.raises(QueryTimeout):
        pool.run(PATHOLOGICAL, timeout=0.5)
    assert pool.restarts == restarts + 1
    answers = [pool.run("ASK { tw:dystonia a tw:Cause }").boolean for _ in range(4)]
    assert answers == [True, True, True, True]
    assert len(all_workers_idle(pool)) == 2  # the killed worker was replaced


def test_row_limit_truncates(pool):
    result = pool.run("SELECT ?s WHERE { ?s ?p ?o }", row_limit=5)
    assert len(result.rows) == 5
    assert result.truncated is True


def test_workers_that_cannot_open_the_store_are_a_clear_error_and_leave_nothing_running(settings, tmp_path,
                                                                                         monkeypatch):
    from kg.store.oxigraph import OxigraphStore

    started = []
    spawn = WorkerPool._spawn

    def spawn_and_record(self):
        worker = spawn(self)
        started.append(worker.process)
        return worker

    monkeypatch.setattr(WorkerPool, "_spawn", spawn_and_record)
    opener = functools.partial(OxigraphStore.reading, settings, str(tmp_path / "no-such-store"))
    with pytest.raises(WorkersUnavailable, match=r"^a query worker could not open the store$"):
        WorkerPool(opener, size=2, timeout=2.0)
    assert len(started) == 2
    assert [(process.is_alive(), is_running(process.pid)) for process in started] == [(False, False)] * 2


def test_the_endpoint_says_503_when_workers_cannot_start(settings, store, monkeypatch):
    def cannot_start(*args, **kwargs):
        raise WorkersUnavailable("a query worker could not open the store")

    monkeypatch.setattr("webapp.state.open_pool", cannot_start)
    client = make_app(settings, store).test_client()
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"})
    assert (response.status_code, response.mimetype) == (503, "text/plain")
    assert response.get_data(as_text=True).strip() == (
        "503 Service Unavailable: The query engine is not available right now (a query worker could not open "
        "the store); try again shortly.")


def test_close_stops_the_busy_workers_too_and_their_callers_are_told(settings, built):
    closing = WorkerPool(functools.partial(open_graph, settings, "memory"), size=2, timeout=HANG_GUARD)
    try:
        idle = all_workers_idle(closing)
        runaway, outcome = in_thread(lambda: closing.run(PATHOLOGICAL))
        (busy,) = wait_for(closing.busy_pids, "the runaway query taken by a worker")
    finally:
        closing.close()
    runaway.join(HANG_GUARD)
    assert isinstance(outcome.get("error"), QueryFailed)
    assert closing.closed
    assert not [pid for pid in idle | {busy} if is_running(pid)]
    assert closing.idle_pids() == frozenset()  # none kept or started again after the close
