"""A real Virtuoso (Debian's virtuoso-opensource), started by the ``virtuoso`` fixture on loopback
with its own temporary database: ``twitch-kg build --store sparql:URL`` loads the graphs into it,
and the command line and the web app read them back with the same answers as the memory store.
Writes go to the authenticated update endpoint; the servers only read."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

import kg.store.remote as remote
from kg.cli import main
from kg.errors import KGError
from kg.graph import open_graph
from kg.store.remote import RemoteStore, RemoteStoreError
from support import GRAPH, GRAPH_TRIPLES, HTML, INFERRED, PROFESSIONAL_ATTENTION, TW, make_app, select

SERIOUS = "SELECT ?x WHERE { ?x a tw:RequiresProfessionalAttention }"


@pytest.fixture(scope="module")
def loaded(virtuoso, settings, built, monkeypatch_module):
    """The build loaded through the command line, exactly as a deployment does it."""
    monkeypatch_module.setenv(remote.UPDATE_URL_ENV, virtuoso.update_url)
    assert main(["--build-dir", str(settings.build_dir), "build", "--store", virtuoso.spec]) == 0
    return virtuoso


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


@pytest.fixture(scope="module")
def reader(loaded, settings):
    """A store as a server opens it: the query URL only, no credentials."""
    return open_graph(settings, loaded.spec)


def test_build_loads_the_store_once(loaded, settings, built, cli):
    code, out, err = cli("--build-dir", str(settings.build_dir), "build", "--store", loaded.spec)
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == f"  store     {loaded.spec}: holds this build already"


def test_the_graphs_arrive_whole(reader, built):
    assert reader.loaded_hash() == built.artefact.input_hash
    assert {name: reader.count(name) for name in GRAPH_TRIPLES} == GRAPH_TRIPLES
    # the ontology's blank-node class expressions survive: the union under the defined class
    members = select(reader, "SELECT ?m WHERE { tw:RequiresProfessionalAttention owl:equivalentClass/owl:unionOf/"
                             "rdf:rest*/rdf:first ?m }")
    assert len(members) == 3
    assert len([m for m in members if m[0] in ("NeurologicalDisorder", "AutoimmuneDisorder")]) == 2


def test_no_staging_graph_is_left_behind(loaded):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } FILTER(STRSTARTS(STR(?g), 'urn:twitch-kg:')) }"
    request = urllib.request.Request(loaded.query_url + "?" + urllib.parse.urlencode({"query": query}),
                                     headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        graphs = [b["g"]["value"] for b in json.load(response)["results"]["bindings"]]
    assert graphs == [remote.MARKER]


def test_query_command_reads_the_store(loaded, settings, cli):
    code, out, err = cli("--store", loaded.spec, "--build-dir", str(settings.build_dir),
                          "query", "causes-without-source", "--format", "csv")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "cause,label,quote",
        f"{TW}dehydration,dehydration,Insufficient fluid intake can contribute to muscle spasms and twitching.",
    ]


def test_query_command_binds_a_parameter(loaded, settings, cli):
    code, out, err = cli("--store", loaded.spec, "query", "is-serious", "--param", "cause=tw:dystonia",
                          "--format", "json")
    assert (code, err) == (0, "")
    assert json.loads(out)["boolean"] is True


def test_export_command_reads_the_store(loaded, settings, cli):
    code, out, err = cli("--store", loaded.spec, "export", "--graph", "inferred", "--format", "nt")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert len(lines) == INFERRED
    assert (f"<{TW}dystonia> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> "
            f"<{TW}RequiresProfessionalAttention> .") in lines


def test_web_app_over_the_store(reader, settings):
    client = make_app(settings, reader).test_client()
    answer = client.get("/queries/causes-without-source.json")
    assert (answer.status_code, answer.mimetype) == (200, "application/sparql-results+json")
    assert [b["cause"]["value"] for b in answer.get_json()["results"]["bindings"]] == [TW + "dehydration"]
    page = client.get("/id/dystonia", headers=HTML)
    assert (page.status_code, page.mimetype) == (200, "text/html")
    assert "<h1>dystonia</h1>" in page.get_data(as_text=True)
    assert client.get("/id/no-such-thing", headers=HTML).status_code == 404


def test_two_servers_share_one_store(reader, loaded, settings):
    """Nothing is kept in the server: a second one on the same store answers the same."""
    other = open_graph(settings, loaded.spec)
    first = make_app(settings, reader).test_client()
    second = make_app(settings, other).test_client()
    for path in ("/queries/serious-causes.json", "/export/all.ttl"):
        assert first.get(path).data == second.get(path).data
    # the store says when its build was loaded, so validators agree between servers
    loaded_at = reader.loaded_at()
    assert loaded_at.tzinfo is not None and timedelta(0) <= datetime.now(UTC) - loaded_at < timedelta(hours=1)
    expected = format_datetime(loaded_at, usegmt=True)
    assert [c.get("/export/all.ttl").headers["Last-Modified"] for c in (first, second)] == [expected, expected]


def test_the_read_endpoint_cannot_write(loaded, settings, built):
    reader_only = RemoteStore(settings, loaded.query_url, update_url=loaded.query_url)
    with pytest.raises(RemoteStoreError, match=r"answered (401|403|500)"):
        reader_only.load(built.artefact)
    assert open_graph(settings, loaded.spec).loaded_hash() == built.artefact.input_hash


def test_a_load_in_small_requests_replaces_the_graphs(loaded, settings, built, monkeypatch):
    """Staged in many requests (blank nodes kept together), then swapped in: same graphs, nothing doubled."""
    monkeypatch.setattr(remote, "CHUNK", 50)
    store = RemoteStore(settings, loaded.query_url, update_url=loaded.update_url)
    store.load(built.artefact)
    assert {name: store.count(name) for name in GRAPH_TRIPLES} == GRAPH_TRIPLES
    assert len(select(store, SERIOUS)) == len(PROFESSIONAL_ATTENTION)


def test_a_load_through_the_graph_store_protocol(loaded, settings, built, monkeypatch):
    monkeypatch.setattr(remote, "GSP_CHUNK", 300)
    graph_store = loaded.update_url.replace("/sparql-auth", "/sparql-graph-crud-auth")
    store = RemoteStore(settings, loaded.query_url, update_url=loaded.update_url, graph_store_url=graph_store)
    store.load(built.artefact)
    assert {name: store.count(name) for name in GRAPH_TRIPLES} == GRAPH_TRIPLES
    assert len(select(store, SERIOUS)) == len(PROFESSIONAL_ATTENTION)


def test_a_replacement_is_staged_out_of_sight_then_swapped_in(loaded, settings, built, monkeypatch):
    """While a store that holds a build receives the next one, readers see the old build whole."""
    monkeypatch.setattr(remote, "CHUNK", 50)
    store = RemoteStore(settings, loaded.query_url, update_url=loaded.update_url)
    reader = RemoteStore(settings, loaded.query_url)
    seen, send = [], RemoteStore._insert

    def insert_then_look(self, lines_by_graph, blank_nodes):
        send(self, lines_by_graph, blank_nodes)
        seen.append((sorted(lines_by_graph), {name: reader.count(name) for name in GRAPH_TRIPLES},
                     reader.loaded_hash()))

    monkeypatch.setattr(RemoteStore, "_insert", insert_then_look)
    store.load(built.artefact)
    assert len(seen) > 10
    assert all(graph.startswith("urn:twitch-kg:staging:") for graphs, _, _ in seen for graph in graphs)
    assert {(json.dumps(counts), loaded_hash) for _, counts, loaded_hash in seen} == {
        (json.dumps(GRAPH_TRIPLES), built.artefact.input_hash)}
    assert {name: reader.count(name) for name in GRAPH_TRIPLES} == GRAPH_TRIPLES
    assert _graphs_in(loaded, "urn:twitch-kg:staging:") == []


def test_a_first_load_fills_the_graphs_in_place_and_marks_them_last(virtuoso, settings, built, tmp_path,
                                                                      monkeypatch):
    """No build yet: nothing reads the graphs (a server refuses a store without the marker), so the
    graphs are filled where they live, and the marker that lets servers in is written last."""
    import virtuoso as vt

    monkeypatch.setattr(remote, "CHUNK", 50)
    with vt.running_virtuoso(tmp_path / "empty", buffers=2_000) as empty:
        store = RemoteStore(settings, empty.query_url, update_url=empty.update_url)
        refused, send = [], RemoteStore._insert

        def insert_then_open(self, lines_by_graph, blank_nodes):
            send(self, lines_by_graph, blank_nodes)
            try:
                open_graph(settings, empty.spec)
            except KGError as error:
                refused.append((sorted(lines_by_graph), "holds no twitch-kg build" in str(error)))

        monkeypatch.setattr(RemoteStore, "_insert", insert_then_open)
        store.load(built.artefact)
        assert len(refused) > 10
        assert {graph for graphs, _ in refused for graph in graphs} == {GRAPH + name for name in GRAPH_TRIPLES}
        assert all(said for _, said in refused)
        assert open_graph(settings, empty.spec).loaded_hash() == built.artefact.input_hash
        assert {name: store.count(name) for name in GRAPH_TRIPLES} == GRAPH_TRIPLES


def test_a_refused_request_among_many_stops_the_load_and_keeps_the_build(loaded, settings, built, monkeypatch):
    """Requests go several at a time: the first refusal is the error, and readers keep the old build."""
    monkeypatch.setattr(remote, "GSP_CHUNK", 40)
    no_graph_store = loaded.update_url.replace("/sparql-auth", "/no-such-service")
    store = RemoteStore(settings, loaded.query_url, update_url=loaded.update_url, graph_store_url=no_graph_store)
    with pytest.raises(RemoteStoreError, match=r"^the SPARQL store at http://127\.0\.0\.1:\d+/sparql answered 404"):
        store.load(built.artefact)
    reader = RemoteStore(settings, loaded.query_url)
    assert reader.loaded_hash() == built.artefact.input_hash
    assert {name: reader.count(name) for name in GRAPH_TRIPLES} == GRAPH_TRIPLES


def test_running_servers_follow_a_new_build_without_a_restart(virtuoso, settings, built, tmp_path):
    """A build loaded while a server runs: within BUILD_CHECK_SECONDS its pages, downloads and labels
    are the new build's, not what it kept from the old one. (A second Virtuoso: this one changes.)"""
    import virtuoso as vt
    from kg import artefact as artefacts

    label = b'<https://w3id.org/twitch-kg/id/dehydration> <http://www.w3.org/2000/01/rdf-schema#label> "dehydration"@en'
    content = built.artefact.path.read_bytes()
    assert content.count(label) == 1
    relabelled = artefacts.write(tmp_path / "next-build", content.replace(label, label[:-4] + b' (relabelled)"@en'),
                                 {**built.artefact.manifest, "input_hash": "f" * 64})
    with vt.running_virtuoso(tmp_path / "changing", buffers=2_000) as changing:
        writer = RemoteStore(settings, changing.query_url, update_url=changing.update_url)
        writer.load(built.artefact)
        app = make_app(settings, open_graph(settings, changing.spec), BUILD_CHECK_SECONDS=0)
        client = app.test_client()
        before = client.get("/id/dehydration", headers=HTML).get_data(as_text=True)
        export_before = client.get("/export/asserted.nt")
        assert "<title>dehydration" in before and "(relabelled)" not in before
        writer.load(relabelled)
        after = client.get("/id/dehydration", headers=HTML).get_data(as_text=True)
        export_after = client.get("/export/asserted.nt")
        assert "<title>dehydration (relabelled)" in after
        assert export_after.headers["ETag"] != export_before.headers["ETag"]
        assert b'"dehydration (relabelled)"@en' in export_after.data
        assert b'"dehydration"@en' not in export_after.data
        assert '>dehydration (relabelled)<' in client.get("/", headers=HTML).get_data(as_text=True)


def test_a_store_that_cuts_answers_short_is_caught(virtuoso, settings, built, tmp_path):
    """Virtuoso cuts every answer at ResultSetMaxRows, silently for a CONSTRUCT: an export must not be short.
    (A second, small Virtuoso; the session one only makes the test skip where there is none.)"""
    import virtuoso as vt

    with vt.running_virtuoso(tmp_path / "small", buffers=2_000, max_rows=100) as small:
        store = RemoteStore(settings, small.query_url, update_url=small.update_url)
        store.load(built.artefact)
        assert store.query("SELECT * WHERE { ?s ?p ?o }").truncated is True
        with pytest.raises(RemoteStoreError, match=r"cut graph <https://w3id.org/twitch-kg/graph/asserted> short at "
                                                   r"\d+ triples; raise its result limit \(Virtuoso: \[SPARQL\] "
                                                   r"ResultSetMaxRows\)"):
            store.quads(["asserted"])


def test_an_empty_store_is_refused_with_the_command_to_fill_it(virtuoso, settings):
    other_base = settings.with_(base_iri="http://example.org/nothing-here/")
    with pytest.raises(KGError, match=r"holds no twitch-kg build .* load one with: twitch-kg --store sparql:"):
        open_graph(other_base, virtuoso.spec)


def test_an_unreachable_store_is_one_clear_line(settings, cli, unused_port):
    code, out, err = cli("--store", f"sparql:http://127.0.0.1:{unused_port}/sparql", "query", "causes")
    assert code == 2 and out == ""
    assert err.startswith(f"twitch-kg: error: cannot reach the SPARQL store at http://127.0.0.1:{unused_port}/sparql: ")
    assert err.count("\n") == 1


def _graphs_in(server, prefix: str) -> list[str]:
    """Every graph of the whole store (no dataset named) whose IRI starts with ``prefix``."""
    query = f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(STRSTARTS(STR(?g), '{prefix}')) }}"
    url = f"{server.query_url}?{urllib.parse.urlencode({'query': query})}"
    request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return [b["g"]["value"] for b in json.load(response)["results"]["bindings"]]
