"""Operating the server (webapp/operations.py, webapp/serve.py): health and readiness checks,
Prometheus metrics, request ids and one JSON log line per request, and a graceful SIGTERM; in the
app (Flask test client, buffered: a request is measured and logged once its body is sent, as a
server sends it) and against a real ``twitch-kg serve``."""

from __future__ import annotations

import io
import json
import logging
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

import kg
from support import (
    ASSERTED,
    GRAPH_TRIPLES,
    HANG_GUARD,
    HTML,
    PATHOLOGICAL,
    LiveServer,
    Served,
    is_running,
    make_app,
    samples,
    wait_for,
)
from webapp.operations import JSONFormatter, configure_logging, request_id_from
from webapp.state import state_of

#: What a person typed: it must reach neither the metrics nor the logs.
TYPED = "persistent-twitching-SECRET-7f3a"
ACCESS_FIELDS = {"time", "level", "logger", "method", "route", "status", "duration_ms", "bytes", "request_id"}


# ---------------------------------------------------------------- in the app


def test_healthz_answers_a_tiny_200(client):
    response = client.get("/healthz", buffered=True)
    assert (response.status_code, response.data) == (200, b"ok\n")


def test_readyz_is_200_when_the_store_answers(client):
    response = client.get("/readyz", buffered=True)
    assert (response.status_code, response.data) == (200, b"ready\n")


class FakeSparqlStore:
    """A SPARQL endpoint holding a build marker and answering ASK {}: enough for ``sparql:`` to open."""

    def __call__(self, environ, start_response):
        form = urllib.parse.parse_qs(environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0)).decode())
        query = form["query"][0]
        if "ASK" in query:
            body = {"head": {}, "boolean": True}
        else:
            body = {"head": {"vars": ["value"]},
                    "results": {"bindings": [{"value": {"type": "literal", "value": "b1"}}]}}
        start_response("200 OK", [("Content-Type", "application/sparql-results+json")])
        return [json.dumps(body).encode()]


def test_readyz_is_503_with_the_reason_when_a_sparql_store_is_unreachable(settings):
    from kg.store.remote import RemoteStore

    remote = LiveServer(FakeSparqlStore())
    store = RemoteStore(settings, remote.url + "/sparql", timeout=HANG_GUARD)
    client = make_app(settings, store).test_client()
    assert client.get("/readyz", buffered=True).status_code == 200
    remote.close()
    response = client.get("/readyz", buffered=True)
    assert response.status_code == 503
    assert response.data.decode().startswith(
        f"not ready: the store does not answer: cannot reach the SPARQL store at {remote.url}/sparql: ")
    assert client.get("/healthz", buffered=True).status_code == 200  # the process still answers


def test_readyz_is_503_while_the_query_workers_start_and_when_shutting_down(settings, store, monkeypatch):
    release = threading.Event()

    def slow_to_start(*args, **kwargs):
        release.wait(HANG_GUARD)
        return  # no pool (None): no workers, queries run in the server process

    monkeypatch.setattr("webapp.state.open_pool", slow_to_start)
    app = make_app(settings, store)
    served = state_of(app)
    served.warm_up()  # the workers start in the background, until released
    response = app.test_client().get("/readyz", buffered=True)
    assert (response.status_code, response.data) == (503, b"not ready: the query workers are starting\n")
    release.set()
    wait_for(lambda: served.workers_unready() is None, "the query workers started")
    served.close()
    response = app.test_client().get("/readyz", buffered=True)
    assert (response.status_code, response.data) == (503, b"not ready: the server is shutting down\n")


def test_metrics_by_route_template_with_the_store_the_cache_and_the_build(settings, store, built):
    app = make_app(settings, store, QUERY_WORKERS=0)
    client = app.test_client()
    assert client.get("/id/dystonia", headers=HTML, buffered=True).status_code == 200
    assert client.get("/id/no-such-thing", headers=HTML, buffered=True).status_code == 404
    assert client.get("/no/such/page", buffered=True).status_code == 404
    response = client.get("/metrics", buffered=True)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/plain; version=")
    found = samples(response.get_data(as_text=True))
    assert found[("twitch_kg_http_requests_total", (("method", "GET"), ("route", "/id/<path:slug>"),
                                                    ("status", "200")))] == 1
    assert found[("twitch_kg_http_requests_total", (("method", "GET"), ("route", "/id/<path:slug>"),
                                                    ("status", "404")))] == 1
    assert found[("twitch_kg_http_requests_total", (("method", "GET"), ("route", "(unmatched)"),
                                                    ("status", "404")))] == 1
    assert found[("twitch_kg_http_request_duration_seconds_count", (("method", "GET"),
                                                                    ("route", "/id/<path:slug>")))] == 2
    for graph, count in GRAPH_TRIPLES.items():
        assert found[("twitch_kg_store_triples", (("graph", graph),))] == count
    assert found[("twitch_kg_build_info", (("build_hash", built.artefact.input_hash),
                                           ("version", kg.__version__)))] == 1
    assert found[("twitch_kg_store_up", ())] == 1
    assert found[("twitch_kg_build_loaded_timestamp_seconds", ())] > 0
    assert found[("twitch_kg_query_workers", (("state", "busy"),))] == 0
    for name in ("twitch_kg_query_worker_restarts_total", "twitch_kg_query_timeouts_total",
                 "twitch_kg_query_refusals_total"):
        assert found[(name, ())] == 0
    hits = found[("twitch_kg_answer_cache_lookups_total", (("outcome", "hit"),))]
    misses = found[("twitch_kg_answer_cache_lookups_total", (("outcome", "miss"),))]
    assert hits + misses > 0
    client.get("/id/dystonia", headers=HTML, buffered=True)
    again = samples(client.get("/metrics", buffered=True).get_data(as_text=True))
    assert again[("twitch_kg_answer_cache_lookups_total", (("outcome", "hit"),))] > hits  # asked again: kept


def test_metrics_show_nothing_a_person_typed(client):
    client.get("/sparql", query_string={"query": f'SELECT * WHERE {{ ?s ?p "{TYPED}" }}'},
               headers={"Accept": "application/sparql-results+json"}, buffered=True)
    client.get("/search", query_string={"q": TYPED}, buffered=True)
    client.get(f"/check?feature={TYPED}", buffered=True)
    client.get(f"/{TYPED}/page", buffered=True)
    client.get(f"/id/{TYPED}", buffered=True)
    text = client.get("/metrics", buffered=True).get_data(as_text=True)
    assert "twitch_kg_http_requests_total" in text
    assert TYPED not in text and "SELECT" not in text


def test_each_app_has_its_own_metrics(settings, store):
    first = make_app(settings, store).test_client()
    second = make_app(settings, store).test_client()
    first.get("/healthz", buffered=True)
    assert 'route="/healthz"' in first.get("/metrics", buffered=True).get_data(as_text=True)
    assert 'route="/healthz"' not in second.get("/metrics", buffered=True).get_data(as_text=True)


def test_metrics_can_be_turned_off(settings, store, monkeypatch):
    monkeypatch.setenv("TWITCH_KG_METRICS", "0")
    client = make_app(settings, store).test_client()
    assert client.get("/metrics", buffered=True).status_code == 404
    assert client.get("/healthz", buffered=True).status_code == 200


@pytest.mark.parametrize("sent,kept", [
    ("abc-123", True),
    ("0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", True),
    ("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f", False),  # ';' is not a safe character
    ("x" * 129, False),
    ("a b", False),
    ("<script>", False),
    ("", False),
])
def test_a_request_id_from_the_proxy_is_kept_only_if_safe(client, sent, kept):
    response = client.get("/healthz", headers={"X-Request-Id": sent} if sent else {}, buffered=True)
    returned = response.headers["X-Request-Id"]
    if kept:
        assert returned == sent
    else:
        assert returned != sent and len(returned) == 32 and int(returned, 16) >= 0  # a new one, uuid4 hex


def test_request_ids_are_minted_fresh():
    assert request_id_from(None) != request_id_from(None)


def test_one_access_log_line_per_request_without_query_string_headers_or_health_checks(client, caplog):
    with caplog.at_level(logging.INFO, logger="twitch_kg.access"):
        client.get("/healthz", buffered=True)
        client.get("/readyz", buffered=True)
        client.get(f"/search?q={TYPED}", headers={"X-Request-Id": "req-42", "Authorization": f"Bearer {TYPED}",
                                                   "Cookie": f"session={TYPED}"}, buffered=True)
    records = [r for r in caplog.records if r.name == "twitch_kg.access"]
    assert len(records) == 1
    (record,) = records
    assert record.access["route"] == "/search" and record.access["request_id"] == "req-42"
    assert record.access["method"] == "GET" and record.access["status"] == 200
    assert record.access["bytes"] > 0 and record.access["duration_ms"] >= 0
    line = JSONFormatter().format(record)
    assert set(json.loads(line)) == ACCESS_FIELDS
    assert TYPED not in line and TYPED not in record.getMessage()


def test_health_checks_can_be_logged(settings, store, caplog):
    client = make_app(settings, store, LOG_HEALTH_CHECKS="1").test_client()
    with caplog.at_level(logging.INFO, logger="twitch_kg.access"):
        client.get("/healthz", buffered=True)
    assert [r.access["route"] for r in caplog.records if r.name == "twitch_kg.access"] == ["/healthz"]


def test_json_log_lines_carry_the_message_and_the_exception():
    stream = io.StringIO()
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        configure_logging("json", "warning", stream)
        logging.getLogger("twitch_kg.test").info("not logged: below the level")
        try:
            raise ValueError("boom")
        except ValueError:
            logging.getLogger("twitch_kg.test").exception("it failed")
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
    (line,) = stream.getvalue().splitlines()
    logged = json.loads(line)
    assert (logged["level"], logged["logger"], logged["message"]) == ("error", "twitch_kg.test", "it failed")
    assert logged["exception"].endswith("ValueError: boom")


def test_the_answer_cache_counts_hits_and_misses():
    from kg.query.results import QueryResult
    from kg.store.cache import AnswerCache

    cache = AnswerCache(4)
    key = AnswerCache.key("ASK {}", None, None, None, None, None)
    assert cache.get(key) is None
    cache.put(key, QueryResult("ask", boolean=True))
    assert cache.get(key).boolean is True
    assert (cache.hits, cache.misses) == (1, 1)


# ---------------------------------------------------------------- graceful stop, in process


def test_a_stop_refuses_new_connections_and_lets_the_request_in_flight_finish():
    from waitress.server import create_server

    from webapp.serve import GracefulServer

    entered, release = threading.Event(), threading.Event()

    def slow_app(environ, start_response):
        entered.set()
        release.wait(HANG_GUARD)
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"finished\n"]

    server = create_server(slow_app, host="127.0.0.1", port=0, threads=2, asyncore_use_poll=True)
    port = server.effective_port
    graceful = GracefulServer(server, grace=HANG_GUARD)
    running = threading.Thread(target=graceful.run)
    running.start()
    answer = {}

    def ask():
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=HANG_GUARD) as response:
            answer["in flight"] = (response.status, response.read())

    client = threading.Thread(target=ask)
    client.start()
    assert entered.wait(HANG_GUARD)
    graceful.stop()

    def refused():
        try:
            socket.create_connection(("127.0.0.1", port), timeout=HANG_GUARD).close()
        except ConnectionRefusedError:
            return True
        return False

    wait_for(refused, "new connections refused once the stop is asked for")
    assert running.is_alive()  # still serving the request in flight
    release.set()
    client.join(HANG_GUARD)
    running.join(HANG_GUARD)
    assert not running.is_alive()
    assert answer["in flight"] == (200, b"finished\n")


# ---------------------------------------------------------------- a real twitch-kg serve


def test_served_health_readiness_and_metrics(served):
    status, _, body = served.get("/healthz")
    assert (status, body) == (200, b"ok\n")
    served.ready()
    status, headers, body = served.get("/metrics")
    assert status == 200 and headers["Content-Type"].startswith("text/plain; version=")
    found = samples(body.decode())
    assert found[("twitch_kg_store_triples", (("graph", "asserted"),))] == ASSERTED
    assert found[("twitch_kg_query_workers", (("state", "idle"),))] == 2  # ready: both workers started
    assert found[("twitch_kg_http_requests_total", (("method", "GET"), ("route", "/readyz"), ("status", "200")))] >= 1


def test_served_json_access_log(served):
    status, headers, _ = served.get(f"/search?q={TYPED}", {"X-Request-Id": "served-log-1",
                                                           "Authorization": f"Bearer {TYPED}"})
    assert status == 200 and headers["X-Request-Id"] == "served-log-1"
    served.get("/healthz", {"X-Request-Id": "served-health-1"})
    (line,) = wait_for(lambda: [entry for entry in served.lines() if entry.get("request_id") == "served-log-1"],
                       "the request's access-log line")
    assert set(line) == ACCESS_FIELDS
    assert (line["logger"], line["method"], line["route"], line["status"]) == (
        "twitch_kg.access", "GET", "/search", 200)
    assert line["bytes"] > 0
    text = served.log.read_text()
    assert TYPED not in text and "served-health-1" not in text


def _served_copies(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("twitch-kg-served-*"))


def test_sigterm_during_a_slow_query_answers_it_stops_the_workers_and_exits_0(settings, built, tmp_path):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    server = Served(settings, tmp_path, "--log-format", "json", TMPDIR=str(temporary),
                    TWITCH_KG_QUERY_TIMEOUT=str(HANG_GUARD), TWITCH_KG_SHUTDOWN_SECONDS="1")
    try:
        server.ready()
        workers = server.children()
        assert len(workers) == 2
        (copy,) = _served_copies(temporary)  # the graph the workers read, copied once
        assert copy.startswith(f"twitch-kg-served-{server.process.pid}-")
        answer = {}
        slow = threading.Thread(target=lambda: answer.setdefault("slow", server.get(
            "/sparql?" + urllib.parse.urlencode({"query": PATHOLOGICAL}), {"Accept": "text/csv"})))
        slow.start()
        wait_for(lambda: server.metric("twitch_kg_query_workers", state="busy") == 1, "the slow query running")
        assert server.terminate() == 0
        slow.join(HANG_GUARD)
        status, _, body = answer["slow"]
        assert (status, body.decode().strip()) == (
            503, "503 Service Unavailable: the server is shutting down and stopped this query; try again shortly")
        assert not [pid for pid in workers if is_running(pid)]
        assert _served_copies(temporary) == []  # issue 12: SIGTERM left the temporary copy behind
        messages = [line.get("message") for line in server.lines() if line["logger"] == "twitch_kg.serve"]
        assert messages == ["shutting down: 1 request(s) in flight, waiting at most 1 s",
                            "shutting down: 1 request(s) still running after 1 s; stopping them", "stopped"]
    finally:
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def test_a_copy_left_by_a_killed_server_is_removed_by_the_next(settings, built, tmp_path):
    """Issue 12: a server killed outright (SIGKILL) cannot remove its copy; the next one does."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    first = Served(settings, tmp_path, TMPDIR=str(temporary))
    try:
        first.ready()
        (left,) = _served_copies(temporary)
    finally:
        first.process.kill()
        first.process.wait(HANG_GUARD)
        first.process.stdout.close()
    assert _served_copies(temporary) == [left]
    second = Served(settings, tmp_path, TMPDIR=str(temporary))
    try:
        second.ready()
        (copy,) = _served_copies(temporary)
        assert copy != left and copy.startswith(f"twitch-kg-served-{second.process.pid}-")
    finally:
        assert second.terminate() == 0
    assert _served_copies(temporary) == []
