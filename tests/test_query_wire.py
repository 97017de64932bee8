"""An answer sent by a query worker (pickled through kg.query.wire) arrives equal to the one sent:
every kind of term, unbound variables, repeated terms, graph answers, ASK, and the limits' flags."""

from __future__ import annotations

import pickle

import pyoxigraph as ox
import pytest

from kg.query import wire
from kg.query.results import QueryResult

EX = "https://example.org/"
XSD = "http://www.w3.org/2001/XMLSchema#"
IRI = ox.NamedNode(EX + "a")
TERMS = [
    IRI,
    ox.BlankNode("b0"),
    ox.Literal("plain"),
    ox.Literal("tic", language="en-GB"),
    ox.Literal("abc", language="ar", direction=ox.BaseDirection.RTL),  # RDF 1.2: the direction kept
    ox.Literal("42", datatype=ox.NamedNode(XSD + "integer")),
    ox.Literal("", datatype=ox.NamedNode(XSD + "string")),
    ox.Triple(IRI, ox.NamedNode(EX + "p"), ox.Literal("quoted")),
]


def shipped(result: QueryResult) -> QueryResult:
    return pickle.loads(pickle.dumps(result))


@pytest.mark.parametrize("term", TERMS, ids=lambda t: type(t).__name__ + ":" + str(t)[:30])
def test_every_kind_of_term_arrives_equal(term):
    result = QueryResult("select", variables=["x"], rows=[{"x": term}])
    arrived = shipped(result)
    assert arrived.rows == [{"x": term}]
    assert type(arrived.rows[0]["x"]) is type(term)


def test_unbound_variables_stay_unbound_and_rows_keep_their_order():
    rows = [{"x": TERMS[0]}, {"y": TERMS[3]}, {}, {"x": TERMS[4], "y": TERMS[1]}]
    arrived = shipped(QueryResult("select", variables=["x", "y"], rows=rows, truncated=True))
    assert arrived.rows == rows
    assert (arrived.kind, arrived.variables, arrived.truncated, arrived.byte_limited) == ("select", ["x", "y"], True,
                                                                                          False)


def test_a_select_without_variables_keeps_its_rows():
    arrived = shipped(QueryResult("select", variables=[], rows=[{}, {}]))
    assert arrived.rows == [{}, {}]


def test_each_distinct_term_travels_once():
    rows = [{"x": IRI, "y": ox.Literal(str(n % 3))} for n in range(300)]
    table, cells = wire.encode(row.get(name) for row in rows for name in ("x", "y"))
    assert len(table) == 4 and len(cells) == 600
    assert wire.decode(table) == [IRI, ox.Literal("0"), ox.Literal("1"), ox.Literal("2")]


def test_graph_and_ask_answers_arrive_equal():
    triples = [ox.Triple(IRI, ox.NamedNode(EX + "p"), term) for term in TERMS]
    graph = shipped(QueryResult("graph", triples=triples, byte_limited=True))
    assert (graph.kind, graph.triples, graph.byte_limited) == ("graph", triples, True)
    ask = shipped(QueryResult("ask", boolean=False))
    assert (ask.kind, ask.boolean, ask.rows, ask.triples) == ("ask", False, [], [])
