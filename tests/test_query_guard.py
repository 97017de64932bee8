"""The pre-parse guard: SERVICE in any form, updates, foreign datasets, size and depth."""

from __future__ import annotations

import pytest

from kg.query.errors import FederationRefused, QueryRefused, QueryTooComplex, QueryTooLarge, UpdateRefused
from kg.query.guard import check
from support import TW


def rejected(query: str) -> QueryRefused:
    with pytest.raises(QueryRefused) as caught:
        check(query)
    return caught.value


SERVICE_VARIANTS = [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?x ?y ?z . SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o FILTER EXISTS { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } } } }",
    "select * where { sErViCe <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE { \\U00000053\\U00000045RVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
    "SELECT * WHERE {SERVICE<http://127.0.0.1:9/>{?s ?p ?o}}",
    "SELECT * WHERE { # comment\nSERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("query", SERVICE_VARIANTS)
def test_service_in_any_form_is_rejected(query):
    error = rejected(query)
    assert isinstance(error, FederationRefused)
    assert str(error).startswith("SERVICE (federated query) is not allowed on this endpoint")


@pytest.mark.parametrize("query", [
    'SELECT * WHERE { ?s rdfs:label "a service, an insert, a drop" }',
    "SELECT * WHERE { ?s tw:service ?o } # SERVICE in a comment",
    "SELECT ?service ?drop WHERE { ?service ?drop ?o }",
    "SELECT * WHERE { ?s ?p <http://example.org/SERVICE> }",
    "SELECT * WHERE { ?s ?p ?o FILTER(?o < 3 && ?o > 1) }",
    "SELECT * WHERE { ?s rdfs:label '''long\nservice''' }",
])
def test_harmless_words_pass(query):
    check(query)


@pytest.mark.parametrize("query,keyword", [
    ("DROP ALL", "DROP"),
    ("INSERT DATA { <a:b> <a:c> <a:d> }", "INSERT"),
    ("LOAD <file:///etc/passwd>", "LOAD"),
    ("ASK {} ; DROP ALL", "DROP"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("CLEAR DEFAULT", "CLEAR"),
    ("WITH <a:g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "DELETE, WITH"),
    ("\\u0044ROP ALL", "DROP"),
])
def test_updates_are_rejected(query, keyword):
    assert isinstance(rejected(query), UpdateRefused)
    assert str(rejected(query)) == f"this endpoint is read-only: SPARQL Update ({keyword}) is not allowed"


def test_too_deep_nesting_is_rejected_before_parsing():
    query = "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }"
    assert str(rejected(query)) == "the query nests brackets 5002 deep; the limit is 64"
    braces = "SELECT * WHERE " + "{" * 3000 + "}" * 3000
    assert str(rejected(braces)) == "the query nests brackets 3000 deep; the limit is 64"


def test_too_long_query_is_413():
    error = rejected("SELECT * WHERE { ?s ?p ?o } #" + "x" * 100_000)
    assert isinstance(error, QueryTooLarge)
    assert str(error) == "the query is 100,029 characters long; the limit is 100,000"


@pytest.mark.parametrize("chain", ["+1", "*1", " && true", " - 1", " || false"])
def test_a_long_chain_of_operators_is_refused_before_the_engine(chain):
    """Issue 12, item 5: 7,000 '+' at nesting depth 2 segfaulted the engine (measured: see
    DEFAULT_MAX_OPERATORS); the guard refuses long chains far below that."""
    head = "true" if "&" in chain or "|" in chain else "1"
    query = f"ASK {{ FILTER({head}{chain * 7000} != 0) }}"
    with pytest.raises(QueryTooComplex) as caught:
        check(query)
    message = str(caught.value)
    assert message.startswith("the query has ") and message.endswith("operators; the limit is 1,000")


def test_real_queries_stay_far_below_the_operator_limit():
    from kg.config import load_settings
    from kg.query.saved import load_all

    for saved in load_all(load_settings().queries_dir).values():
        check(saved.sparql)  # no saved query comes near the limit
    check("ASK { FILTER(" + "+".join(["1"] * 400) + " > 0) }")  # nor a long but sane expression


@pytest.mark.parametrize("query, expected", [
    ("SELECT * FROM <http://g/a> FROM NAMED <http://g/b> WHERE { ?s ?p ?o }", (["http://g/a"], ["http://g/b"])),
    ("PREFIX g: <http://g/> SELECT * FROM g:a WHERE { ?s ?p ?o }", (["http://g/a"], [])),
    ("BASE <http://g/> SELECT * FROM NAMED <b> WHERE { ?s ?p ?o }", ([], ["http://g/b"])),
    ("SELECT * FROM tw:x WHERE { ?s ?p ?o }", (["https://w3id.org/twitch-kg/id/x"], [])),
    ("# FROM <http://g/a>\nSELECT * WHERE { ?s ?p 'FROM <http://g/c>' }", (None, None)),  # comment and string
    ("SELECT * WHERE { ?s ?p ?o }", (None, None)),
])
def test_the_dataset_of_a_query_is_read_from_its_tokens(query, expected):
    """Issue 12, item 3: rdflib parsed every query that held the word FROM in the server process
    (a 10 KB query with it in a comment: 4.1 s of CPU); the lexer reads the clauses instead."""
    from kg.query.dataset import from_clauses as dataset

    assert dataset(query, {"tw": TW}) == expected


def test_a_long_comment_mentioning_from_does_not_change_the_dataset():
    from kg.query.dataset import from_clauses as dataset

    query = "# FROM " + "x" * 9_000 + "\nSELECT * FROM <http://g/a> WHERE { ?s ?p ?o }"
    assert dataset(query, {}) == (["http://g/a"], [])
