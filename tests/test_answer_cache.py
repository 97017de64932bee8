"""An embedded store keeps small answers (its graphs only change by a load): each caller gets
its own copy, and a load or an added graph forgets them."""

from __future__ import annotations

from support import TOTAL
import pyoxigraph as ox

from kg.store import open_store
from kg.store.cache import MAX_ITEMS

SERIOUS = "SELECT ?x WHERE { ?x a tw:RequiresProfessionalAttention } ORDER BY ?x"


def test_a_kept_answer_is_a_copy(settings, built):
    store = open_store("memory", settings)
    store.load(built.artefact)
    first = store.query(SERIOUS)
    first.rows.clear()
    again = store.query(SERIOUS)
    assert len(again.rows) == 7
    again.rows[0]["x"] = ox.NamedNode("http://example.org/changed")
    assert store.query(SERIOUS).rows[0]["x"].value.endswith("/als")


def test_bindings_and_datasets_are_part_of_the_question(settings, built):
    store = open_store("memory", settings)
    store.load(built.artefact)
    ask = "SELECT ?_x WHERE { ?_x a tw:RequiresProfessionalAttention }"
    assert len(store.query(ask, substitutions={"_x": ox.NamedNode(store.vocab.entity_ns + "als")}).rows) == 1
    assert len(store.query(ask, substitutions={"_x": ox.NamedNode(store.vocab.entity_ns + "exercise")}).rows) == 0
    assert len(store.query(SERIOUS, default_graphs=[store.graph_iris["asserted"]]).rows) == 0
    assert len(store.query(SERIOUS).rows) == 7


def test_an_added_graph_and_a_load_forget_the_answers(settings, built, tmp_path):
    store = open_store("memory", settings)
    store.load(built.artefact)
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    assert store.query(count).rows[0]["n"].value == str(TOTAL)
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/a> <http://example.org/b> <http://example.org/c> .\n")
    store.add_graph("http://example.org/extra", extra)
    assert store.query(count).rows[0]["n"].value == str(TOTAL + 1)
    store.load(built.artefact)
    assert store.query(count).rows[0]["n"].value == str(TOTAL)


def test_big_answers_are_not_kept(settings, built):
    store = open_store("memory", settings)
    store.load(built.artefact)
    everything = "SELECT * WHERE { ?s ?p ?o VALUES ?copy { 1 2 } }"
    assert len(store.query(everything).rows) == 2 * (TOTAL) > MAX_ITEMS
    assert len(store.answers._answers) == 0
    store.query(SERIOUS)
    assert len(store.answers._answers) == 1


def test_the_cache_is_bounded_in_rows(monkeypatch):
    from kg.results import QueryResult
    from kg.store import cache

    monkeypatch.setattr(cache, "TOTAL_ITEMS", 25)
    answers = cache.AnswerCache(size=100)
    for i in range(10):
        answers.put(("q", i), QueryResult("select", ["x"], [{"x": ox.Literal(str(i))}] * 9))
    assert len(answers._answers) == 2 and answers._items == 20
    assert answers.get(("q", 9)).rows[0]["x"].value == "9"
    assert answers.get(("q", 0)) is None
