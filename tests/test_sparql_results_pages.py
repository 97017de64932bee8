"""Issue 16, results: the query page pages and sorts one execution of the user's query (its answer
kept, bounded), the page size, page and sort are in the URL, and CORS clients can read the headers
that say an answer was cut."""

from __future__ import annotations

import html
import re

import pyoxigraph as ox
import pytest

from kg.query.order import ordered, sort_key
from support import HTML, make_app
from webapp.state import state_of

#: 12 × 12 = 144 rows, numbered, with a column that is sometimes unbound.
GRID = ("SELECT ?n ?word ?maybe WHERE { VALUES ?a { 0 1 2 3 4 5 6 7 8 9 10 11 } "
        "VALUES ?b { 0 1 2 3 4 5 6 7 8 9 10 11 } BIND(?a * 12 + ?b AS ?n) BIND(CONCAT('w', STR(?n)) AS ?word) "
        "OPTIONAL { FILTER(?b = 0) BIND(?a AS ?maybe) } } ORDER BY ?n")


def _page(client, query=GRID, **params):
    response = client.get("/sparql", query_string={"query": query, **params}, headers=HTML)
    return response.status_code, response.get_data(as_text=True)


def _cells(page: str, column: int = 0) -> list[str]:
    body = page.split('<table class="sparql-table">', 1)[1].split("</tbody>", 1)[0].split("<tbody>", 1)[1]
    rows = re.findall(r"<tr>(.*?)</tr>", body, re.S)
    cells = [re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", row, re.S)[column]).split() for row in rows]
    return [cell[0] if cell else "" for cell in cells]  # the value, without its datatype


@pytest.fixture()
def counted(settings, store, monkeypatch):
    """An app running queries in-process, and the list of queries its store evaluated."""
    app = make_app(settings, store, QUERY_WORKERS=0)
    ran: list[str] = []
    original = type(store).query

    def query(self, sparql, *args, **kwargs):
        ran.append(sparql)
        return original(self, sparql, *args, **kwargs)

    monkeypatch.setattr(type(store), "query", query)
    return app, ran


def test_the_first_page_shows_a_page_size_of_rows_and_says_where_it_lies(counted):
    app, _ran = counted
    status, page = _page(app.test_client(), rows="100")
    assert status == 200
    assert _cells(page)[:3] == ["0", "1", "2"] and len(_cells(page)) == 100
    assert "144 rows" in page
    assert "This page shows the first 100 of 144 rows; the downloads above hold them all." in page
    assert 'aria-label="Result pages"' in page and 'rel="next"' in page and 'rel="prev"' not in page


def test_pages_and_sort_orders_come_from_one_execution_of_the_query(counted):
    app, ran = counted
    client = app.test_client()
    _page(client, rows="10")
    status, second = _page(client, rows="10", page="2")
    assert status == 200 and _cells(second) == [str(n) for n in range(10, 20)]
    assert "This page shows rows 11\N{EN DASH}20 of 144" in second
    assert "144 rows, kept from the first run of this query," in second
    _status, by_word = _page(client, rows="5", sort="word", order="desc")
    assert _cells(by_word, 1) == ["w99", "w98", "w97", "w96", "w95"]  # text order, descending
    _status, by_number = _page(client, rows="3", sort="n", order="desc")
    assert _cells(by_number) == ["143", "142", "141"]  # numbers by value
    _status, unbound_first = _page(client, rows="3", sort="maybe")
    assert _cells(unbound_first, 2) == ["", "", ""]
    assert ran.count(GRID) == 1


def test_the_page_links_carry_the_page_size_and_sort_order(counted):
    app, _ran = counted
    _status, page = _page(app.test_client(), rows="10", page="3", sort="n", order="desc")
    assert 'aria-sort="descending"' in page
    assert "rows=10&amp;page=4&amp;sort=n&amp;order=desc" in page  # next
    assert "rows=10&amp;page=2&amp;sort=n&amp;order=desc" in page  # previous
    assert "rows=10&amp;page=1&amp;sort=n&amp;order=asc" in page  # the sorted column's header turns the order
    assert _cells(page)[0] == "123"


def test_a_page_holds_250_rows_unless_the_url_says_otherwise(settings, store):
    client = make_app(settings, store, QUERY_WORKERS=0).test_client()
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    _status, page = _page(client, query=everything)
    assert len(_cells(page)) == 250
    assert 'rows=250&amp;page=2"' in page


def test_a_page_past_the_end_is_the_last_page(counted):
    app, _ran = counted
    _status, page = _page(app.test_client(), rows="50", page="99")
    assert _cells(page) == [str(n) for n in range(100, 144)]
    assert "This page shows rows 101\N{EN DASH}144 of 144" in page


@pytest.mark.parametrize(("params", "message"), [
    ({"rows": "abc"}, "rows='abc' is not a page size: give a whole number from 1."),
    ({"rows": "0"}, "rows='0' is not a page size: give a whole number from 1."),
    ({"page": "-1"}, "page='-1' is not a page number: give a whole number from 1."),
    ({"rows": "5000"}, "rows=5000 is more than a page shows (1000); the downloads hold the whole answer."),
    ({"order": "up"}, "order='up' is not an order: give asc or desc."),
    ({"sort": "nope"}, "sort='nope' is not a column of this answer; sort by one of n, word, maybe."),
])
def test_paging_that_cannot_be_meant_is_a_400_on_the_page(counted, params, message):
    app, _ran = counted
    status, page = _page(app.test_client(), **params)
    assert status == 400
    assert message.replace("'", "&#39;") in page
    assert '<table class="sparql-table">' not in page


def test_a_graph_answer_pages_and_sorts_by_subject_predicate_or_object(counted):
    app, _ran = counted
    query = "CONSTRUCT { ?s rdfs:label ?l } WHERE { ?s rdfs:label ?l }"
    _status, page = _page(app.test_client(), query=query, rows="4", sort="object")
    labels = _cells(page, 2)
    assert len(labels) == 4 and labels == sorted(labels)


def test_the_kept_answers_are_bounded_and_forgotten_with_the_build(counted):
    app, _ran = counted
    client = app.test_client()
    answers = state_of(app).answers
    for n in range(answers.size + 3):
        _page(client, query=f"SELECT ?x WHERE {{ VALUES ?x {{ {n} }} }}")
    assert len(answers._answers) == answers.size
    state_of(app).forget()
    assert len(answers._answers) == 0


def test_downloads_still_hold_the_whole_answer_and_the_raw_view_is_text(counted):
    app, _ran = counted
    client = app.test_client()
    _status, page = _page(client, rows="10")
    raw = re.search(r'id="raw-response"[^>]*|href="([^"]+)" id="raw-response"', page)
    assert raw and raw.group(1).endswith("&amp;view=raw")
    response = client.get(html.unescape(raw.group(1)))
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert len(response.get_json(force=True)["results"]["bindings"]) == 144
    csv = client.get("/sparql", query_string={"query": GRID, "format": "csv"})
    assert len(csv.get_data(as_text=True).splitlines()) == 1 + 144


def test_cors_clients_can_read_that_an_answer_was_cut(settings, store):
    client = make_app(settings, store, QUERY_WORKERS=0, ROW_LIMIT=5).test_client()
    response = client.get("/sparql", query_string={"query": GRID},
                          headers={"Accept": "application/sparql-results+json", "Origin": "http://example.org"})
    assert response.headers["X-SPARQL-MaxRows"] == "5"
    exposed = [name.strip() for name in response.headers["Access-Control-Expose-Headers"].split(",")]
    assert {"X-SPARQL-MaxRows", "X-SPARQL-MaxBytes", "Retry-After"} <= set(exposed)


def test_terms_sort_as_order_by_sorts_them():
    xsd = "http://www.w3.org/2001/XMLSchema#"
    terms = [ox.Literal("b"), ox.Literal("10", datatype=ox.NamedNode(xsd + "integer")), None,
             ox.NamedNode("http://example.org/a"), ox.Literal("9.5", datatype=ox.NamedNode(xsd + "decimal")),
             ox.BlankNode("x"), ox.Literal("NaN", datatype=ox.NamedNode(xsd + "double"))]
    assert ordered(terms, lambda t: t) == [None, ox.BlankNode("x"), ox.NamedNode("http://example.org/a"),
                                           terms[4], terms[1], terms[6], ox.Literal("b")]
    assert sort_key(terms[1]) > sort_key(terms[4])
