"""Issue 16: a malformed query's error says what is missing in words, at the token that cut the pattern
short ("expected one of FILTER, SELECT, VALUES, [_]" for a missing object was misleading)."""

from __future__ import annotations

import pytest

from kg.query.syntax import explain, position
from support import HTML


@pytest.mark.parametrize(("query", "message"), [
    ("SELECT * WHERE { ?s ?p }",
     "error at 1:24: expected an object (an IRI, a literal, a variable or a blank node) after ?p, found }"),
    ("SELECT ?x WHERE { ?x a }", "error at 1:24: expected a class (an IRI or a variable) after a, found }"),
    ("SELECT ?x WHERE {\n  ?x }", "error at 2:6: expected a predicate (an IRI, a or a variable) after ?x, found }"),
    ("SELECT ?x WHERE { ?x rdfs:label ?l ; rdfs:comment . }",
     "error at 1:51: expected an object (an IRI, a literal, a variable or a blank node) after rdfs:comment, found ."),
    ("SELECT ?l WHERE { tw:nhs rdfs:label ?l ",
     ("error at 1:40: the query ends before the { at 1:17 is closed: expected a triple pattern, a FILTER, OPTIONAL "
     "or the closing }")),
])
def test_the_endpoint_says_what_is_missing_and_where(client, query, message):
    response = client.get("/sparql", query_string={"query": query})
    assert (response.status_code, response.get_data(as_text=True)) == (400, f"400 Malformed query: {message}\n")


def test_the_page_carries_the_line_and_column_for_the_editor(client):
    page = client.get("/sparql", query_string={"query": "SELECT ?x WHERE {\n  ?x }"}, headers=HTML)
    text = page.get_data(as_text=True)
    assert page.status_code == 400
    assert 'id="sparql-error" aria-labelledby="sparql-error-title" data-line="2" data-column="6">' in text
    assert "error at 2:6: expected a predicate (an IRI, a or a variable) after ?x, found }" in text


def test_other_errors_keep_the_parsers_words():
    said = "error at 1:38: expected one of HAVING, OFFSET, OPTIONAL, VALUES"
    assert explain("SELECT ?x WHERE { ?x ?p ?o . } LIMT 3", said).message == said
    assert explain("SELECT ?x", "no position here") is None


def test_positions_count_lines_and_characters_from_one():
    assert position("ab\ncé d", 6) == (2, 4)
