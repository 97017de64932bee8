"""An embedded store keeps small answers (its graphs only change by a load): each caller gets
its own copy, and a load or an added graph forgets them."""

from __future__ import annotations

import pyoxigraph as ox

from kg.store import open_store
from kg.store.cache import MAX_ITEMS
from support import PROFESSIONAL_ATTENTION, TOTAL

SERIOUS = "SELECT ?x WHERE { ?x a tw:RequiresProfessionalAttention } ORDER BY ?x"


def test_a_kept_answer_is_a_copy(settings, built):
    store = open_store("memory", settings)
    store.load(built.artefact)
    first = store.query(SERIOUS)
    first.rows.clear()
    again = store.query(SERIOUS)
    assert len(again.rows) == len(PROFESSIONAL_ATTENTION)
    again.rows[0]["x"] = ox.NamedNode("http://example.org/changed")
    assert store.query(SERIOUS).rows[0]["x"].value.endswith("/als")


def test_bindings_and_datasets_are_part_of_the_question(settings, built):
    store = open_store("memory", settings)
    store.load(built.artefact)
    ask = "SELECT ?_x WHERE { ?_x a tw:RequiresProfessionalAttention }"
    assert len(store.query(ask, substitutions={"_x": ox.NamedNode(store.vocab.entity_ns + "als")}).rows) == 1
    assert len(store.query(ask, substitutions={"_x": ox.NamedNode(store.vocab.entity_ns + "exercise")}).rows) == 0
    assert len(store.query(SERIOUS, default_graphs=[store.graph_iris["asserted"]]).rows) == 0
    assert len(store.query(SERIOUS).rows) == len(PROFESSIONAL_ATTENTION)


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
    assert store.answers.weight == 0  # nothing kept
    store.query(SERIOUS)
    hits = store.answers.hits
    store.query(everything)
    store.query(SERIOUS)
    assert store.answers.hits == hits + 1  # the small answer was kept, the big one was not


def test_the_cache_is_bounded_in_rows(monkeypatch):
    from kg.query.results import QueryResult
    from kg.store import cache

    monkeypatch.setattr(cache, "TOTAL_ITEMS", 25)
    answers = cache.AnswerCache(size=100)
    for i in range(10):
        answers.put(("q", i), QueryResult("select", ["x"], [{"x": ox.Literal(str(i))}] * 9))
    assert [i for i in range(10) if answers.get(("q", i)) is not None] == [8, 9]  # 2 x (9 rows + 1) of 25
    assert answers.get(("q", 9)).rows[0]["x"].value == "9"


def test_the_cache_is_bounded_in_bytes(settings, built):
    """Issue 12, item 8: 4,500 distinct 250 KB parameters filled the cache with 346 MB; now long
    questions are not kept, and what is kept weighs at most TOTAL_BYTES."""
    from kg.store import cache

    store = open_store("memory", settings)
    store.load(built.artefact)
    long_value = ox.Literal("x" * (cache.MAX_BYTES + 1))
    store.query("SELECT ?v WHERE { BIND(?v AS ?w) }", substitutions={"v": long_value})
    assert store.answers.weight == 0  # not kept
    answer = store.query(SERIOUS)
    for n in range(200):  # 200 questions of 100 KB each: 20 MB, more than the 16 MB budget
        store.answers.put(("q" * 100_000, n), answer)
    assert store.answers.weight <= cache.TOTAL_BYTES < 200 * 100_000
    kept = [n for n in range(200) if store.answers.get(("q" * 100_000, n)) is not None]
    assert 100 < len(kept) < 200 and kept == list(range(200 - len(kept), 200))  # the oldest went
    one = cache.AnswerCache()
    one.put(("q" * 100_000, 0), answer)
    assert store.answers.weight == len(kept) * one.weight  # the weight is what the kept answers weigh


def test_the_byte_budget_drops_the_least_recently_used(monkeypatch):
    from kg.query.results import QueryResult
    from kg.store import cache

    monkeypatch.setattr(cache, "TOTAL_BYTES", 2_500)
    answers = cache.AnswerCache(size=100)
    for i in range(5):
        answers.put(("q" * 1_000, i), QueryResult("select", ["x"], [{"x": ox.Literal(str(i))}]))
    assert [i for i in range(5) if answers.get(("q" * 1_000, i)) is not None] == [3, 4]
    assert answers.weight == 2 * (1_000 + len('"3"'))
