"""The API (issue 17): /api/openapi.json with one path per saved query, generated from the .rq headers,
validated by openapi-spec-validator; the /api page; grlc's enumerate on a real server."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from openapi_spec_validator import validate as validate_openapi

from kg.config import PROJECT_ROOT
from kg.query.saved import load_all
from support import BROWSER, SAVED_QUERIES, TW, make_app

SAVED = load_all(PROJECT_ROOT / "queries")
#: The hand-written paths: the checker's, this description, and the editor's completions.
HAND_WRITTEN_PATHS = {"/api/check", "/api/check/options", "/check", "/api/openapi.json", "/api/complete"}
SOURCES = ["tw:als-association", "tw:healthline", "tw:medical-news-today", "tw:medlineplus", "tw:nhs",
           "tw:provided-reference", "tw:webmd"]  # sorted by IRI
RESULT_MEDIA = ["text/html", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
                "text/tab-separated-values"]
GRAPH_MEDIA = ["text/html", "text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml"]


@pytest.fixture(scope="module")
def spec(served):
    status, headers, body = served.get("/api/openapi.json")
    assert (status, headers["Content-Type"]) == (200, "application/json")
    return json.loads(body)


def test_the_description_validates_and_has_one_path_per_saved_query(spec):
    validate_openapi(spec)
    assert set(spec["paths"]) == HAND_WRITTEN_PATHS | {f"/queries/{name}" for name in SAVED_QUERIES}
    assert spec["info"]["title"] == "twitch-kg API: saved queries and the presentation checker"


def test_a_saved_query_operation_comes_from_its_header(spec):
    operation = spec["paths"]["/queries/causes-by-source"]["get"]
    saved = SAVED["causes-by-source"]
    assert operation["operationId"] == "query-causes-by-source"
    assert operation["summary"] == "Causes a given source is cited for"
    assert operation["description"].startswith(saved.description + "\n\nA SELECT query")
    assert operation["tags"] == ["saved queries", "sources", "causes"]
    assert operation["parameters"] == [{
        "name": "source", "in": "query", "required": False,
        "description": "the source, as an IRI or a prefixed name such as tw:nhs",
        "schema": {"type": "string", "enum": SOURCES, "default": "tw:webmd"}}]
    assert list(operation["responses"]["200"]["content"]) == RESULT_MEDIA
    assert set(operation["responses"]) == {"200", "400", "406"}


def test_response_media_types_follow_the_query_form(spec):
    paths = spec["paths"]
    assert list(paths["/queries/cause-neighbourhood"]["get"]["responses"]["200"]["content"]) == GRAPH_MEDIA
    assert list(paths["/queries/is-serious"]["get"]["responses"]["200"]["content"]) == RESULT_MEDIA
    # an open IRI parameter: no enum
    assert paths["/queries/is-serious"]["get"]["parameters"][0]["schema"] == {
        "type": "string", "minLength": 1, "default": "tw:dystonia"}
    assert paths["/queries/causes"]["get"]["parameters"] == []


def test_every_enum_value_answers_and_a_value_outside_is_400(served, spec):
    values = spec["paths"]["/queries/causes-by-source"]["get"]["parameters"][0]["schema"]["enum"]
    for value in values:
        status, _, body = served.get(f"/queries/causes-by-source.csv?source={value}")
        assert status == 200 and body.count(b"\r\n") >= 2, value  # a header and at least one cause
    status, headers, body = served.get("/queries/causes-by-source.csv?source=tw:nope")
    assert (status, headers["Content-Type"]) == (400, "text/plain; charset=utf-8")
    assert body.decode() == ("400 Bad Request: parameter 'source': 'tw:nope' is not among its values in the "
                             f"graph, which are: {', '.join(SOURCES)}\n")


def test_typed_parameters_and_defaults(settings, store, tmp_path):
    (tmp_path / "typed.rq").write_text(
        "#+ summary: Typed\n#+ tags: demo\n#+ parameters:\n#+   n: how many\n"
        "#+ defaults:\n#+   n: 3\n#+   flag: true\n#+   when: 2024-02-29\n#+   x: 1.5\n"
        "SELECT ?_n_integer ?_flag_boolean ?_when_date ?_x_decimal ?_text WHERE {}\n")
    spec = make_app(settings.with_(queries_dir=tmp_path), store).test_client().get("/api/openapi.json").get_json()
    validate_openapi(spec)
    params = {p["name"]: p for p in spec["paths"]["/queries/typed"]["get"]["parameters"]}
    assert {name: (p["required"], p["schema"]) for name, p in params.items()} == {
        "n": (False, {"type": "integer", "default": 3}),
        "flag": (False, {"type": "boolean", "default": True}),
        "when": (False, {"type": "string", "format": "date", "default": "2024-02-29"}),
        "x": (False, {"type": "number", "default": 1.5}),
        "text": (True, {"type": "string"}),
    }
    assert params["n"]["description"] == "how many"
    assert params["text"]["description"] == "a plain literal"


def test_the_api_page_reads_the_description(served, spec):
    status, headers, body = served.get("/api", BROWSER)
    assert (status, headers["Content-Type"]) == (200, "text/html; charset=utf-8")
    html = body.decode()
    # server-rendered: no script of its own (no Swagger UI), only the site's header search of every page
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/search.js" defer>']
    assert '<a href="/api/openapi.json"><code>/api/openapi.json</code></a>' in html
    listed = re.findall(r'<li><a href="#([^"]+)"><code>(GET|POST) ([^<]+)</code></a>', html)
    assert {path for _, _, path in listed} == set(spec["paths"])
    section = html.split('id="query-causes-by-source"', 1)[1].split("</section>", 1)[0]
    assert '<a href="/queries/causes-by-source">try it</a>' in section
    assert "One of: " + ", ".join(f"<code>{v}</code>" for v in SOURCES) in section
    assert "<code>text/csv</code>" in section


def test_the_saved_query_page_offers_the_values_and_refuses_others(served):
    status, _, body = served.get("/queries/causes-by-source?source=tw:nope", BROWSER)
    html = unescape(body.decode())
    assert status == 400
    assert ("parameter 'source': 'tw:nope' is not among its values in the graph, which are: "
            + ", ".join(SOURCES)) in html
    assert re.findall(r'<option value="([^"]+)"', html) == SOURCES


def test_an_open_parameter_outside_the_graph_gets_a_notice_beside_the_empty_answer(served):
    status, _, body = served.get("/queries/cause-neighbourhood?cause=tw:nope", BROWSER)
    html = body.decode()
    assert status == 200
    assert ('<p class="notice" role="status"><code>tw:nope</code> (parameter <code>cause</code>) is not in the '
            "graph: the answer below says nothing about it.</p>") in html
    assert "0 triples" in html
    status, _, body = served.get("/queries/cause-neighbourhood?cause=tw:dystonia", BROWSER)
    assert status == 200 and 'class="notice"' not in body.decode()


def test_the_command_line_refuses_a_value_outside_the_graph(cli):
    code, out, err = cli("query", "causes-by-source", "--param", "source=tw:nope")
    assert (code, out) == (2, "")
    assert err == ("twitch-kg: error: parameter 'source': 'tw:nope' is not among its values in the graph, which are: "
                   f"{', '.join(SOURCES)}\n")
    code, out, _ = cli("query", "causes-by-source", "--param", "source=tw:nhs", "--format", "csv")
    assert code == 0 and f"{TW}nhs" in out
