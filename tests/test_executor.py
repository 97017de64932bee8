"""Queries in killable worker processes: timeouts stop the query, the pool recovers."""

from __future__ import annotations

import functools
import time

import pytest

from kg.executor import QueryTimeout, WorkerPool
from kg.graph import open_graph

CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def pool(settings, built):
    workers = WorkerPool(functools.partial(open_graph, settings, "memory"), size=2, timeout=2.0)
    yield workers
    workers.close()


def test_answers_like_the_store(pool, store):
    query = "SELECT ?s WHERE { ?c tw:claimCause tw:dystonia ; cito:citesAsEvidence ?s }"
    assert [r["s"].value for r in pool.run(query).rows] == [r["s"].value for r in store.query(query).rows]


def test_syntax_error_is_raised_as_such(pool):
    with pytest.raises(SyntaxError):
        pool.run("SELECT * WHERE { ?s ?p }")


def test_pathological_query_is_stopped_within_timeout_plus_one_second(pool):
    started = time.monotonic()
    with pytest.raises(QueryTimeout) as caught:
        pool.run(CROSS_PRODUCT, timeout=1.0)
    elapsed = time.monotonic() - started
    assert elapsed < 2.0
    assert str(caught.value).startswith("the query did not finish within the 1 s time limit and was stopped")


def test_other_queries_are_answered_while_one_runs_away(pool):
    import threading

    outcome = {}

    def runaway():
        try:
            pool.run(CROSS_PRODUCT, timeout=1.5)
        except QueryTimeout:
            outcome["runaway"] = "stopped"

    thread = threading.Thread(target=runaway)
    thread.start()
    time.sleep(0.2)
    started = time.monotonic()
    answer = pool.run("ASK { tw:nhs a tw:Source }")
    outcome["fast"] = (answer.boolean, time.monotonic() - started)
    thread.join()
    assert outcome["runaway"] == "stopped"
    assert outcome["fast"][0] is True
    assert outcome["fast"][1] < 1.0


def test_pool_recovers_after_a_kill(pool):
    restarts = pool.restarts
    with pytest.raises(QueryTimeout):
        pool.run(CROSS_PRODUCT, timeout=0.5)
    assert pool.restarts == restarts + 1
    deadline = time.monotonic() + 60
    answers = []
    while time.monotonic() < deadline and len(answers) < 4:
        answers.append(pool.run("ASK { tw:dystonia a tw:Cause }", timeout=30).boolean)
    assert answers == [True, True, True, True]


def test_row_limit_truncates(pool):
    result = pool.run("SELECT ?s WHERE { ?s ?p ?o }", row_limit=5)
    assert len(result.rows) == 5
    assert result.truncated is True


def test_workers_that_cannot_open_the_store_are_a_clear_error_and_leave_nothing_running(settings, tmp_path):
    from kg.executor import WorkersUnavailable
    from kg.store.oxigraph import OxigraphStore

    opener = functools.partial(OxigraphStore.reading, settings, str(tmp_path / "no-such-store"))
    before = {p.pid for p in __import__("multiprocessing").active_children()}
    with pytest.raises(WorkersUnavailable, match=r"^a query worker could not open the store$") as caught:
        WorkerPool(opener, size=2, timeout=2.0)
    assert caught.value.status == 503
    assert {p.pid for p in __import__("multiprocessing").active_children()} == before


def test_the_endpoint_says_503_when_workers_cannot_start(settings, store, monkeypatch):
    from kg.executor import WorkersUnavailable
    from webapp import create_app

    def cannot_start(*args, **kwargs):
        raise WorkersUnavailable("a query worker could not open the store")

    monkeypatch.setattr("webapp.state.create_pool", cannot_start)
    client = create_app({"TESTING": True}, settings=settings, store=store).test_client()
    response = client.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"})
    assert (response.status_code, response.mimetype) == (503, "text/plain")
    assert response.get_data(as_text=True).strip() == (
        "503 Service Unavailable: The query engine is not available right now (a query worker could not open "
        "the store); try again shortly.")
