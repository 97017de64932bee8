"""Binding values for stores without substitution: a VALUES block at the head of the WHERE
group gives exactly Oxigraph's SEP-0007 answers, for every query form and shape."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from kg.query.binding import bind, boolean_variables, query_form
from kg.query.errors import MalformedQuery

E = "http://example.org/"
A = ox.NamedNode(E + "a")


@pytest.fixture(scope="module")
def engine():
    store = ox.Store()
    for subject, value in (("a", "1"), ("b", "2"), ("c", "3")):
        store.add(ox.Quad(ox.NamedNode(E + subject), ox.NamedNode(E + "p"), ox.Literal(value)))
    return store


def _answer(engine, sparql, **options):
    answer = engine.query(sparql, **options)
    if isinstance(answer, ox.QueryBoolean):
        return bool(answer)
    return sorted(str(x) for x in answer)


SHAPES = [
    "SELECT * WHERE { ?v <http://example.org/p> ?o }",
    "SELECT ?v ?o WHERE { ?s <http://example.org/p> ?o FILTER(?s = ?v) } ORDER BY ?o LIMIT 2",
    "SELECT ?v (COUNT(*) AS ?n) WHERE { ?v <http://example.org/p> ?o } GROUP BY ?v",
    "SELECT ?v ?x WHERE { { SELECT ?x WHERE { ?v <http://example.org/p> ?x } } }",  # sub-SELECT: not bound inside
    "SELECT ?v ?x WHERE { { SELECT ?v ?x WHERE { ?v <http://example.org/p> ?x } } }",
    "SELECT ?v ?o WHERE { ?s <http://example.org/p> ?o OPTIONAL { ?v <http://example.org/p> ?o } }",
    "SELECT ?v ?o WHERE { ?s <http://example.org/p> ?o FILTER NOT EXISTS { ?v <http://example.org/p> ?o } }",
    "SELECT ?v WHERE { }",
    "SELECT ?v ?o # a comment with { and }\n WHERE { ?v <http://example.org/p> ?o FILTER(\"}\" != \"{\") }",
    "PREFIX select: <http://example.org/> SELECT ?v ?o WHERE { ?v select:p ?o }",
    "ASK { ?v <http://example.org/p> \"1\" }",
    "ASK { ?v <http://example.org/p> \"2\" }",
    "CONSTRUCT { ?v <http://example.org/q> ?o } WHERE { ?v <http://example.org/p> ?o }",
    "CONSTRUCT WHERE { ?v <http://example.org/p> ?o }",
    "DESCRIBE ?v",
]


@pytest.mark.parametrize("sparql", SHAPES)
def test_values_block_answers_as_substitution_does(engine, sparql):
    expected = _answer(engine, sparql, substitutions={ox.Variable("v"): A})
    assert _answer(engine, bind(sparql, {"v": A})) == expected


def test_the_block_opens_the_outermost_where_group():
    bound = bind("SELECT ?v ?o WHERE { ?v <http://example.org/p> ?o } ORDER BY ?o", {"v": A})
    assert bound == ("SELECT ?v ?o WHERE { VALUES (?v) { (<http://example.org/a>) }  "
                     "?v <http://example.org/p> ?o } ORDER BY ?o")


def test_the_short_construct_gets_its_template_back():
    bound = bind("CONSTRUCT WHERE { ?v <http://example.org/p> ?o }", {"v": A})
    assert bound == ("CONSTRUCT { ?v <http://example.org/p> ?o }\nWHERE { VALUES (?v) { (<http://example.org/a>) }"
                     "  ?v <http://example.org/p> ?o }")


def test_a_literal_is_data_whatever_it_holds(engine):
    text = 'x" } ; DROP ALL ; # \\u0022 \n'
    bound = bind("SELECT ?v WHERE { }", {"v": ox.Literal(text)})
    assert [s["v"].value for s in engine.query(bound)] == [text]
    assert len(engine) == 3


def test_what_cannot_be_bound_is_refused():
    with pytest.raises(MalformedQuery, match=r"\?v in its SELECT projection"):
        bind("SELECT ?o WHERE { ?v <http://example.org/p> ?o }", {"v": A})
    with pytest.raises(ValueError, match="not a SPARQL variable name"):
        bind("SELECT * WHERE { ?v ?p ?o }", {"v) } DROP ALL": A})
    with pytest.raises(ValueError, match="only be bound to an IRI or a literal"):
        bind("SELECT * WHERE { ?v ?p ?o }", {"v": ox.BlankNode("b")})


@pytest.mark.parametrize("sparql, form", [
    ("PREFIX a: <http://x/> BASE <http://y/> SELECT * {}", "select"),
    ("# comment\nCONSTRUCT WHERE {}", "construct"),
    ("prefix select: <http://x/> ask {}", "ask"),
    ("DESCRIBE <http://x/>", "describe"),
    ("INSERT { ?s ?p ?o } WHERE { { SELECT * { ?s ?p ?o } } }", ""),
    ("DROP ALL", ""),
])
def test_query_form(sparql, form):
    assert query_form(sparql) == form


def test_boolean_variables():
    sparql = ("SELECT (COUNT(*) AS ?n) (?a = 1 AS ?eq) (IF(?a = 1, 2, 3) AS ?if) (!BOUND(?x) AS ?unbound) "
              "((?a < 3) AS ?lt) (STRLEN(?s) AS ?len) (STRSTARTS(?s, 'a') AS ?starts) WHERE { "
              "BIND(NOT EXISTS { ?s ?p ?o } AS ?absent) BIND(?a IN (1, 2) AS ?in) BIND(?a - 1 AS ?minus) }")
    assert boolean_variables(sparql) == {"eq", "unbound", "lt", "starts", "absent", "in"}
