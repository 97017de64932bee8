"""Hardening: nothing leaves the server, nothing is read from disk, limits hold, bad input never 500s."""

from __future__ import annotations

import json
import os
import signal
import threading
import urllib.error
import urllib.parse
import urllib.request

import pytest

from kg.build import build
from kg.errors import ValidationFailed
from support import (
    FIXTURES,
    HANG_GUARD,
    HTML,
    PATHOLOGICAL,
    LiveServer,
    all_workers_idle,
    is_running,
    make_app,
    wait_for,
)
from webapp.state import state_of


def outbound_queries(url: str, secret: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{url}/> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND(<{url}/> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ SERVICE <{url}/> {{ ?s ?p ?o }} }} }}",
        f"SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <{url}/> {{ ?s ?p ?o }} }} }} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE <{url}/> {{ ?s ?p ?o }} }}",
        f"select * where {{ sErViCe <{url}/> {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"SELECT * FROM <file://{secret}> WHERE {{ ?s ?p ?o }}",
        f"SELECT * FROM NAMED <file://{secret}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
        f"LOAD <{url}/data.ttl>",
        f"LOAD <file://{secret}>",
    ]


def test_no_query_makes_the_server_connect_out_or_read_files(client, listener, tmp_path):
    secret = tmp_path / "secret.ttl"
    secret.write_text('<urn:secret> <urn:is> "TOP-SECRET-VALUE" .\n')
    for query in outbound_queries(f"http://127.0.0.1:{listener.port}", str(secret)):
        response = client.get("/sparql", query_string={"query": query},
                              headers={"Accept": "application/sparql-results+json"})
        assert response.status_code in (400, 403), query
        assert b"TOP-SECRET-VALUE" not in response.data
        for way in ("form", "direct"):
            if way == "form":
                response = client.post("/sparql", data={"query": query})
            else:
                response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
            assert response.status_code in (400, 403), query
            assert b"TOP-SECRET-VALUE" not in response.data
    assert listener.connections_before_a_last_one() == 0


def test_service_refusal_says_why(client):
    response = client.get("/sparql",
                          query_string={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"})
    assert response.status_code == 400
    assert b"SERVICE (federated query) is not allowed on this endpoint" in response.data


@pytest.mark.parametrize("request_kind,payload", [
    ("update-param", "DROP ALL"),
    ("update-body", "INSERT DATA { <urn:a> <urn:b> <urn:c> }"),
    ("query-param", "DROP ALL"),
    ("query-param", "ASK {} ; DROP ALL"),
    ("query-param", "CLEAR DEFAULT"),
    ("query-param", "LOAD <http://127.0.0.1:9/x>"),
    ("query-param", "DELETE WHERE { ?s ?p ?o }"),
    ("query-body", "INSERT { ?s a <urn:x> } WHERE { ?s ?p ?o }"),
])
def test_updates_in_any_form_change_nothing(client, store, request_kind, payload):
    before = store.count()
    if request_kind == "update-param":
        response = client.post("/sparql", data={"update": payload})
    elif request_kind == "update-body":
        response = client.post("/sparql", data=payload.encode(), content_type="application/sparql-update")
    elif request_kind == "query-param":
        response = client.get("/sparql", query_string={"query": payload})
    else:
        response = client.post("/sparql", data=payload.encode(), content_type="application/sparql-query")
    assert response.status_code == 403
    assert b"read-only" in response.data
    assert store.count() == before


def _server(settings, store, **config):
    """A real server with these settings, its query workers started."""
    app = make_app(settings, store, QUERY_WORKERS=2, **config)
    state_of(app).query_pool()
    return LiveServer(app)


@pytest.fixture(scope="module")
def strict_server(settings, store):
    """A real server whose queries may run 1 s and return 5 rows."""
    server = _server(settings, store, QUERY_TIMEOUT=1.0, ROW_LIMIT=5)
    yield server
    server.close()


@pytest.fixture(scope="module")
def patient_server(settings, store):
    """A real server whose time limit is only a guard: a query runs until the test ends it."""
    server = _server(settings, store, QUERY_TIMEOUT=HANG_GUARD)
    yield server
    server.close()


def _get(url: str, accept: str = "application/sparql-results+json") -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    try:
        with urllib.request.urlopen(request, timeout=2 * HANG_GUARD) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def _query_url(server: LiveServer, query: str) -> str:
    return server.url + "/sparql?" + urllib.parse.urlencode({"query": query})


def _workers(server: LiveServer):
    return state_of(server.app).query_pool()


def test_pathological_query_gets_503_at_the_time_limit_and_its_worker_is_killed(strict_server):
    pool = _workers(strict_server)
    idle = all_workers_idle(pool)
    status, _, body = _get(_query_url(strict_server, PATHOLOGICAL))
    assert status == 503
    assert body.startswith(b"503 Service Unavailable: the query did not finish within the 1 s time limit")
    (killed,) = idle - pool.idle_pids()
    assert not is_running(killed)


def test_other_queries_are_served_while_a_pathological_one_runs(patient_server):
    pool = _workers(patient_server)
    outcome = {}
    slow = threading.Thread(target=lambda: outcome.setdefault("slow", _get(_query_url(patient_server, PATHOLOGICAL))))
    slow.start()
    (busy,) = wait_for(pool.busy_pids, "the pathological query taken by a worker")
    fast = _get(_query_url(patient_server, "ASK { tw:nhs a tw:Source }"))
    assert fast[0] == 200 and json.loads(fast[2]) == {"head": {}, "boolean": True}
    # served while the pathological query was still being evaluated
    assert slow.is_alive() and pool.busy_pids() == {busy}
    os.kill(busy, signal.SIGKILL)  # end it now rather than at the guard
    slow.join(HANG_GUARD)
    status, _, body = outcome["slow"]
    assert (status, body.decode().strip()) == (
        400, "400 Query failed: the query engine stopped while evaluating this query; it cannot be answered")


def test_row_cap_truncates_and_says_so(strict_server):
    url = strict_server.url + "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"})
    status, headers, body = _get(url, "text/csv")
    assert status == 200
    assert headers["X-SPARQL-MaxRows"] == "5"
    assert len(body.decode().strip().splitlines()) == 1 + 5
    status, _, page = _get(url, "text/html")
    assert b"The answer was cut at the row limit of 5 rows" in page


def test_request_body_over_one_megabyte_is_413(client):
    response = client.post("/sparql", data=("#" + "x" * 1_100_000).encode(), content_type="application/sparql-query")
    assert response.status_code == 413


def test_over_long_query_is_413_before_parsing(client):
    query = "SELECT * WHERE { ?s ?p ?o } #" + "x" * 150_000
    response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
    assert response.status_code == 413
    assert b"the query is 150,029 characters long; the limit is 100,000" in response.data


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
    "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
])
def test_deep_nesting_is_refused_before_parsing(client, query):
    response = client.post("/sparql", data=query.encode(), content_type="application/sparql-query")
    assert response.status_code == 400
    assert b"the query nests brackets 500" in response.data


def test_failed_rebuild_leaves_the_served_graph_and_artefact(settings, store, built, tmp_path):
    import shutil

    before_count = store.count()
    before_bytes = built.artefact.path.read_bytes()
    data = tmp_path / "data"
    shutil.copytree(settings.data_dir, data)
    shutil.copy(FIXTURES / "broken-cause.ttl", data / "broken-cause.ttl")
    with pytest.raises(ValidationFailed):
        build(settings.with_(data_dir=data), force=True)
    assert store.count() == before_count
    assert built.artefact.path.read_bytes() == before_bytes


PAGES = ["/", "/sparql", "/queries", "/ontology", "/downloads", "/check", "/id/dystonia", "/search?q=nerve"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_forbids_inline_script_and_sniffing(client, path):
    response = client.get(path, headers=HTML)
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert b"<script>" not in response.data


def test_external_links_open_without_opener(client):
    import re

    html = client.get("/id/dystonia", headers=HTML).get_data(as_text=True)
    external = re.findall(r'<a [^>]*href="https?://[^"]*"[^>]*>', html)
    assert external, "the dystonia page links its cross-references"
    for tag in external:
        assert re.search(r'rel="[^"]*noopener', tag), tag


def test_no_redirect_leaves_the_site(client):
    for path in ("/graph/asserted", "/graph/inferred", "//evil.example/", "/id/..%2F..%2Fevil", "/sparql/"):
        response = client.get(path)
        if response.status_code in (301, 302, 303, 307, 308):
            location = response.headers["Location"]
            assert location.startswith("/") and not location.startswith("//"), (path, location)
