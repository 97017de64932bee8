"""Fuzzing with hypothesis: random and mutated input never gets a 500, a traceback, a path or a host name."""

from __future__ import annotations

import socket
import urllib.parse

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from kg.config import PROJECT_ROOT
from support import HANG_GUARD, HTML, make_app

PIECES = [
    "SELECT", "*", "WHERE", "{", "}", "?s", "?p", "?o", "tw:dystonia", "FILTER", "(", ")", "REGEX(?o, \"a+\")",
    '"a"', "OPTIONAL", "UNION", "GRAPH", "<http://example.org/x>", "LIMIT", "10", ".", ";", "ASK", "CONSTRUCT",
    "DESCRIBE", "SERVICE", "\\u0053", "#", "\n", "'", '"""', "@en", "^^", "xsd:integer", "VALUES", "BIND", "AS",
    "COUNT(*)", "GROUP BY", "ORDER BY", "DESC", "rdfs:label", "a", "tw:Cause", "FROM", "NAMED", "PREFIX x:",
    "<file:///etc/passwd>", "\u00e9", "\x00", "%", "EXISTS", "NOT", "MINUS", "STR(?o)", "LANG(?o)",
]
SEEDS = [
    "SELECT ?c ?l WHERE { ?c a tw:Cause ; rdfs:label ?l } ORDER BY ?l",
    "ASK { tw:dystonia a tw:RequiresProfessionalAttention }",
    "CONSTRUCT { ?c rdfs:label ?l } WHERE { ?c a tw:Source ; rdfs:label ?l }",
    "SELECT ?s (COUNT(?c) AS ?n) WHERE { ?c cito:citesAsEvidence ?s } GROUP BY ?s",
]
ACCEPTS = [
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
    "text/turtle", "application/ld+json", "text/html", "*/*", "application/json;q=0.1, text/html;q=0",
    "image/png", "", "text/*;q=0.5, */*;q=0.1", "application/rdf+xml;q=abc",
]


def _mutate(seed: str, edits: list[tuple[int, int, str]]) -> str:
    text = seed
    for position, length, insert in edits:
        position %= len(text) + 1
        text = text[:position] + insert + text[position + length:]
    return text


queries = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(PIECES), max_size=30).map(" ".join),
    st.builds(_mutate, st.sampled_from(SEEDS),
              st.lists(st.tuples(st.integers(0, 200), st.integers(0, 5), st.sampled_from([*PIECES, "", "{", "}"])),
                       max_size=5)),
)
headers_text = st.one_of(st.sampled_from(ACCEPTS),
                         st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60))

SECRETS = [str(PROJECT_ROOT), socket.gethostname(), "Traceback", 'File "']


@pytest.fixture(scope="module")
def fuzz_client(settings, store):
    # the time limit only guards against a hang: a 503 at it would fail assert_clean on a busy machine
    app = make_app(settings, store, QUERY_TIMEOUT=HANG_GUARD)
    return app.test_client()


def assert_clean(response, sent: tuple[str, ...] = ()) -> None:
    """No 5xx, and nothing of the machine in the body: ``sent`` is what the client sent, which an
    error may echo (a hostname such as "vm" can also be two letters a client typed)."""
    assert response.status_code < 500, (response.status_code, response.data[:300])
    body = response.get_data(as_text=True)
    echoed = " ".join(sent).lower()
    for secret in SECRETS:
        assert secret not in body or secret.lower() in echoed, secret
    if response.status_code >= 400:
        assert len(body.strip()) > 0


FUZZ = hsettings(max_examples=120, deadline=None,
                 suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FUZZ
@given(query=queries, accept=headers_text)
def test_sparql_get(fuzz_client, query, accept):
    assert_clean(fuzz_client.get("/sparql", query_string={"query": query}, headers={"Accept": accept}),
                 sent=(query, accept))


@FUZZ
@given(body=st.one_of(queries.map(lambda q: q.encode("utf-8", "surrogatepass")), st.binary(max_size=200)),
       content_type=st.one_of(st.sampled_from([
           "application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update",
           "text/plain", "application/sparql-query; charset=utf-16", "multipart/form-data", ""]), headers_text),
       accept=headers_text)
def test_sparql_post(fuzz_client, body, content_type, accept):
    assert_clean(fuzz_client.post("/sparql", data=body, headers={"Content-Type": content_type, "Accept": accept}),
                 sent=(content_type, accept, body.decode("utf-8", "replace") if isinstance(body, bytes) else body))


@FUZZ
@given(segment=st.one_of(
    st.text(max_size=300),
    st.sampled_from(["..", "../..", "%00", "%ff%fe", "a" * 5000, ".ttl", "dystonia.exe", "dystonia.ttl.ttl",
                     "%2e%2e%2f"]),
), prefix=st.sampled_from(["/id/", "/export/", "/queries/", "/graph/", "/", "/static/"]), accept=headers_text)
def test_paths(fuzz_client, segment, prefix, accept):
    path = prefix + (segment if "%" in segment else urllib.parse.quote(segment, safe=""))
    assert_clean(fuzz_client.get(path, headers={"Accept": accept}), sent=(segment, accept))


@FUZZ
@given(name=st.sampled_from(["cause-profile", "causes-by-source", "entity-types", "is-serious", "cause-neighbourhood",
                             "causes"]),
       ext=st.sampled_from(["", ".json", ".csv", ".tsv", ".ttl", ".xml", ".bogus"]),
       params=st.dictionaries(st.sampled_from(["cause", "source", "entity", "n", "x"]),
                              st.one_of(st.text(max_size=80),
                                        st.sampled_from(["tw:dystonia", "<javascript:alert(1)>", "12", "tw:", ":", "<>",
                                                         "\"x\"@en"])),
                              max_size=3))
def test_saved_query_parameters(fuzz_client, name, ext, params):
    assert_clean(fuzz_client.get(f"/queries/{name}{ext}", query_string=params, headers=HTML),
                 sent=tuple(params) + tuple(params.values()))


@FUZZ
@given(features=st.lists(st.one_of(st.text(max_size=40), st.sampled_from(["persistent-twitching", "with-pain", ""])),
                         max_size=4),
       trigger=st.text(max_size=40), condition=st.text(max_size=40),
       body=st.one_of(st.text(max_size=120), st.sampled_from(['{"features": 3}', '{"features": ["persistent"]}', "[]",
                                                              "null", '{"condition": {}}'])))
def test_checker_inputs(fuzz_client, features, trigger, condition, body):
    query = [("feature", f) for f in features] + [("trigger", trigger), ("condition", condition)]
    assert_clean(fuzz_client.get("/check?" + urllib.parse.urlencode(query), headers=HTML),
                 sent=tuple(v for _k, v in query))
    assert_clean(fuzz_client.post("/api/check", data=body.encode("utf-8", "surrogatepass"),
                                  content_type="application/json"),
                 sent=(body,))


# ---------------------------------------------------------------- issue 12: the second round of attacks

FORMAT_NAMES = ["json", "xml", "csv", "tsv", "turtle", "nt", "jsonld", "rdfxml", "nq", "trig", "n3"]


@FUZZ
@given(depth=st.integers(1, 6_000), opener=st.sampled_from(['[', '{"features": ', '{"a": [']))
def test_deeply_nested_json_to_the_checker_is_a_4xx(fuzz_client, depth, opener):
    """Item 7: JSON nested 5,000 deep was a 500 (RecursionError is not a ValueError)."""
    closer = {"[": "]", '{"features": ': "}", '{"a": [': "]}"}[opener]
    body = opener * depth + "1" + closer * depth
    response = fuzz_client.post("/api/check", data=body, content_type="application/json")
    assert_clean(response)
    assert 400 <= response.status_code < 500


@FUZZ
@given(operator=st.sampled_from(["+1", "*1", "-1", "/1", " && true", " || false", " = 1", "<1"]),
       count=st.integers(1, 9_000), wrapped=st.booleans())
def test_long_operator_chains_are_refused_or_answered_never_a_crash(fuzz_client, operator, count, wrapped):
    """Item 5: 7,000 '+' at nesting depth 2 segfaulted the engine."""
    head = "true" if "&" in operator or "|" in operator else "1"
    expression = f"({head}{operator * count})" if wrapped else f"{head}{operator * count}"
    response = fuzz_client.get("/sparql", query_string={"query": f"ASK {{ FILTER({expression}) }}"},
                               headers={"Accept": "application/sparql-results+json"})
    assert_clean(response)
    assert response.status_code in (200, 400, 413)


@FUZZ
@given(fmt=st.sampled_from(FORMAT_NAMES), form=st.sampled_from([
    "SELECT ?t WHERE { BIND(<<( tw:dystonia rdfs:label \"x\" )>> AS ?t) }",
    "CONSTRUCT { tw:dystonia tw:about <<( tw:dystonia rdfs:label \"x\" )>> } WHERE {}",
    "CONSTRUCT { tw:dystonia rdfs:comment ?v } WHERE { BIND(CONCAT(\"a\", CODEPOINT_PLACEHOLDER, \"b\") AS ?v) }",
    "SELECT ?v WHERE { BIND(CONCAT(\"a\", CODEPOINT_PLACEHOLDER, \"b\") AS ?v) }",
]), codepoint=st.one_of(st.integers(0, 0x1F), st.sampled_from([0x7F, 0xFFFE, 0xFFFF, 0x85, 0x2028])))
def test_triple_terms_and_control_characters_in_every_format(fuzz_client, fmt, form, codepoint):
    """Items 7 and 8: a triple term asked for as JSON-LD was a 500; a literal with U+0001 made XML
    results and RDF/XML not well-formed. Each format answers (well-formed) or says 406."""
    query = form.replace("CODEPOINT_PLACEHOLDER", f"\"\\\\u{codepoint:04X}\"".replace("\\\\", "\\"))
    response = fuzz_client.get("/sparql", query_string={"query": query, "format": fmt})
    assert_clean(response, sent=(query, fmt))
    assert response.status_code in (200, 400, 406), (response.status_code, response.data[:200])
    if response.status_code == 200 and "xml" in response.mimetype:
        from xml.dom.minidom import parseString

        parseString(response.data)  # well-formed, or it raises


@FUZZ
@given(host=st.one_of(st.sampled_from(["evil.example", "evil.example:666", "[::1]", "a" * 300, "evil.example/x?y"]),
                      st.from_regex(r"[a-z0-9-]{1,40}", fullmatch=True).map(lambda name: f"evil-{name}.invalid")),
       path=st.sampled_from(["/.well-known/void", "/sparql", "/sitemap.xml", "/robots.txt", "/"]))
def test_a_hostile_host_header_is_never_written_into_an_answer(fuzz_client, host, path):
    """Item 8: Host: evil.example was reflected into VoID and the service description."""
    response = fuzz_client.get(path, headers={"Host": host, "Accept": "text/turtle"})
    assert_clean(response, sent=(host,))
    if response.status_code == 200:
        assert host.lower() not in response.get_data(as_text=True).lower()
