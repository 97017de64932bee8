"""The W3C SPARQL 1.1 Protocol test suite, read from its manifest and run against the endpoint.

Each mf:ProtocolTest is a list of HTTP requests (ht: vocabulary) with the expected status
class, and for queries the expected format and boolean. The suite runs twice: through the
Flask test client and over real HTTP against a waitress server on loopback.

Our endpoint is read-only, so the update tests are run as what they are for us: every update
request must be refused with a 4xx, and the queries that check the update's effect must then
answer false (nothing changed).

The tests query graphs ``http://kasei.us/2009/09/sparql/data/dataN.rdf``: a store of our
own build also holds data1.nt..data3.nt under those names. Some tests name ``data0.rdf``,
which has no data file; since this endpoint refuses graphs it does not hold, that graph is
held empty.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Graph, Namespace
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS
from kg.store.oxigraph import OxigraphStore
from support import FIXTURES, LiveServer, make_app

SUITE = FIXTURES / "w3c" / "sparql11-protocol"  # a copy: see tests/fixtures/w3c/README.md
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
BOOLEAN_FORMATS = {"application/sparql-results+json": ox.QueryResultsFormat.JSON,
                   "application/sparql-results+xml": ox.QueryResultsFormat.XML}
TABULAR_FORMATS = {**BOOLEAN_FORMATS, "text/csv": ox.QueryResultsFormat.CSV,
                   "text/tab-separated-values": ox.QueryResultsFormat.TSV}


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    expected_status: frozenset[int]  # status classes: 2 for 2xx, ...
    expected_boolean: bool | None
    expected_format: str | None

    @property
    def parameters(self) -> dict[str, list[str]]:
        found = parse_qs(urlsplit(self.path).query)
        if self.body is not None and self.headers.get("content-type") == "application/x-www-form-urlencoded":
            for name, values in parse_qs(self.body.decode("utf-8")).items():
                found.setdefault(name, []).extend(values)
        return found


@dataclass(frozen=True)
class ProtocolTest:
    id: str
    name: str
    requests: list[Request]
    graphs: dict[str, Path] = field(default_factory=dict)

    @property
    def is_update(self) -> bool:
        return "update" in self.id  # update_*, bad_update_*, bad_multiple_updates


def _list(graph: Graph, node) -> list:
    return list(Collection(graph, node)) if node is not None else []


def _request(graph: Graph, node) -> Request:
    headers = {str(graph.value(h, HT.fieldName)).lower(): str(graph.value(h, HT.fieldValue))
               for h in _list(graph, graph.value(node, HT.headers))}
    body_node = graph.value(node, HT.body)
    body = None
    if body_node is not None:
        encoding = str(graph.value(body_node, CNT.characterEncoding) or "UTF-8")
        body = str(graph.value(body_node, CNT.chars)).encode(encoding)
    response = graph.value(node, HT.resp)
    statuses = frozenset(int(str(s).rsplit("StatusCode", 1)[1][0]) for s in graph.objects(response, MF.expectedStatus))
    boolean = graph.value(response, MF.expectedBoolean)
    fmt = graph.value(response, MF.expectedFormat)
    path = str(graph.value(node, HT.absolutePath))
    assert path.startswith("/sparql/"), path
    return Request(
        method=str(graph.value(node, HT.methodName)),
        path="/sparql" + path[len("/sparql/"):],  # the manifest says to map /sparql/ to our endpoint's path
        headers=headers,
        body=body,
        expected_status=statuses,
        expected_boolean=None if boolean is None else boolean.toPython(),
        expected_format=None if fmt is None else str(fmt),
    )


def load_manifest() -> list[ProtocolTest]:
    graph = Graph().parse(SUITE / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for node in _list(graph, graph.value(manifest, MF.entries)):
        if (node, RDF.type, MF.ProtocolTest) not in graph:
            continue
        action = graph.value(node, MF.action)
        graphs = {str(graph.value(d, RDFS.label)): SUITE / str(graph.value(d, UT.graph)).rsplit("/", 1)[1]
                  for d in graph.objects(node, UT.graphData)}
        tests.append(ProtocolTest(
            id=str(node).rsplit("#", 1)[1],
            name=str(graph.value(node, MF.name)),
            requests=[_request(graph, r) for r in _list(graph, graph.value(action, HT.requests))],
            graphs=graphs,
        ))
    return tests


TESTS = load_manifest()


def held_graphs(tests: list[ProtocolTest]) -> dict[str, Path | None]:
    """The suite's graphs with their data files, and (empty) any other graph a query names."""
    graphs: dict[str, Path | None] = {}
    for test in tests:
        graphs.update(test.graphs)
    for test in tests:
        for request in test.requests:
            params = request.parameters
            for iri in params.get("default-graph-uri", []) + params.get("named-graph-uri", []):
                graphs.setdefault(iri, None)
    return graphs


# ------------------------------------------------------------------ the manifest itself


def test_the_manifest_has_the_whole_suite():
    ids = [t.id for t in TESTS]
    assert len(ids) == 34
    assert sum(1 for t in TESTS if t.is_update) == 14
    assert sum(1 for t in TESTS if t.id.startswith("bad_") and not t.is_update) == 7
    assert sum(1 for t in TESTS if t.id.startswith("query_")) == 13
    assert held_graphs(TESTS) == {
        "http://kasei.us/2009/09/sparql/data/data1.rdf": SUITE / "data1.nt",
        "http://kasei.us/2009/09/sparql/data/data2.rdf": SUITE / "data2.nt",
        "http://kasei.us/2009/09/sparql/data/data3.rdf": SUITE / "data3.nt",
        "http://kasei.us/2009/09/sparql/data/data0.rdf": None,
    }


# ------------------------------------------------------------------ one store and app holding the suite's graphs


@pytest.fixture(scope="module")
def w3c_store(settings, built):
    store = OxigraphStore(settings, path=None)
    store.load(built.artefact)
    for iri, source in held_graphs(TESTS).items():
        store.add_graph(iri, source)
    return store


@pytest.fixture(scope="module")
def w3c_app(settings, w3c_store):
    return make_app(settings, w3c_store)


@dataclass(frozen=True)
class Answer:
    status: int
    media_type: str
    body: bytes


def _via_test_client(app):
    client = app.test_client()

    def send(request: Request) -> Answer:
        response = client.open(request.path, method=request.method, headers=request.headers, data=request.body)
        return Answer(response.status_code, response.mimetype, response.data)

    return send


def _via_http(server: LiveServer):
    def send(request: Request) -> Answer:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            connection.request(request.method, request.path, body=request.body, headers=request.headers)
            response = connection.getresponse()
            body = response.read()
            media_type = (response.getheader("Content-Type") or "").split(";")[0].strip()
            return Answer(response.status, media_type, body)
        finally:
            connection.close()

    return send


@pytest.fixture(scope="module", params=["test-client", "http"])
def send(request, w3c_app):
    if request.param == "test-client":
        yield _via_test_client(w3c_app)
        return
    server = LiveServer(w3c_app)
    yield _via_http(server)
    server.close()


# ------------------------------------------------------------------ the checks


def size(store) -> int:
    """Quads in every graph the store holds, ours and the suite's."""
    return len(store.quads(list(store.graph_iris)))


def check_format(request: Request, answer: Answer) -> None:
    if request.expected_format == "boolean":
        assert answer.media_type in BOOLEAN_FORMATS, answer.media_type
        parsed = ox.parse_query_results(answer.body, format=BOOLEAN_FORMATS[answer.media_type])
        assert isinstance(parsed, ox.QueryBoolean)
        if request.expected_boolean is not None:
            assert bool(parsed) is request.expected_boolean
    elif request.expected_format == "tabular":
        assert answer.media_type in {f.media_type for f in RESULT_FORMATS}, answer.media_type
        parsed = ox.parse_query_results(answer.body, format=TABULAR_FORMATS[answer.media_type])
        assert isinstance(parsed, ox.QuerySolutions)
        list(parsed)
    elif request.expected_format == "RDF":
        fmt = next((f for f in GRAPH_FORMATS if f.media_type == answer.media_type), None)
        assert fmt is not None, answer.media_type
        list(ox.parse(answer.body, format=fmt.rdf_format))


@pytest.mark.parametrize("test", [t for t in TESTS if not t.is_update], ids=lambda t: t.id)
def test_query_and_bad_request(send, w3c_store, test):
    before = size(w3c_store)
    for request in test.requests:
        answer = send(request)
        assert answer.status // 100 in request.expected_status, (answer.status, answer.body[:300])
        check_format(request, answer)
    assert size(w3c_store) == before


@pytest.mark.parametrize("test", [t for t in TESTS if t.is_update], ids=lambda t: t.id)
def test_updates_are_refused_and_change_nothing(send, w3c_store, test):
    before = size(w3c_store)
    for request in test.requests:
        answer = send(request)
        if request.expected_format is None:  # the update itself
            assert answer.status // 100 == 4, (answer.status, answer.body[:300])
            continue
        # the query that checks the update's effect: answered, and false since nothing changed
        assert answer.status // 100 == 2, (answer.status, answer.body[:300])
        assert request.expected_boolean is True
        check_format(replace(request, expected_boolean=False), answer)
    assert size(w3c_store) == before
    data1 = send(Request("GET", "/sparql?query=ASK%20%7B%20GRAPH%20%3Chttp%3A%2F%2Fkasei.us%2F2009%2F09%2Fsparql%2Fdata"
                                "%2Fdata1.rdf%3E%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D",
                         {}, None, frozenset({2}), True, "boolean"))
    assert data1.body == b'{"head": {}, "boolean": true}'
