"""Issue 16, search: when no label contains the text, the closest labels (typo-tolerant); every result
with its type and definition; a /search.json twin."""

from __future__ import annotations

import re

import pytest

from support import make_app


@pytest.fixture(scope="module")
def client(settings, store):
    return make_app(settings, store, QUERY_WORKERS=0).test_client()


def test_a_typo_finds_the_closest_labels(client):
    html = client.get("/search?q=twiching").get_data(as_text=True)
    assert "No label contains “twiching”." in html
    close = re.search(r'<ul class="results close">(.*?)</ul>', html, re.S).group(1)
    first = re.findall(r"<li>(.*?)</li>", close, re.S)[0]
    assert first.startswith('<span class="term"><a href="/id/muscle-twitching">muscle twitching</a></span> '
                            '<span class="result-type">symptom</span>')


def test_the_article_and_its_first_section_no_longer_look_alike(client):
    results = client.get("/search.json?q=What Causes Muscle Twitching").get_json()["results"]
    described = {(r["href"], r["type"]) for r in results if r["label"] == "What Causes Muscle Twitching?"}
    assert described == {("/id/article", "article"), ("/id/section-introduction", "article section")}


def test_search_json_is_the_pages_twin(client):
    answer = client.get("/search.json?q=fasciculations").get_json()
    assert (answer["q"], answer["close"]) == ("fasciculations", False)
    assert [(r["href"], r["match"]) for r in answer["results"]] == [
        ("/id/muscle-twitching", "fasciculations"),
        ("/id/claim-twitching-defined", "claim: Muscle twitching, also known as fasciculations, is a comm...")]
    twitching = answer["results"][0]
    assert (twitching["label"], twitching["type"]) == ("muscle twitching", "symptom")
    assert twitching["definition"].startswith("Involuntary contractions of a muscle.")
    assert client.get("/search.json?q=zzzz").get_json() == {"q": "zzzz", "close": True, "results": []}
    assert client.get("/search.json").get_json() == {"q": "", "close": False, "results": []}


def test_a_too_long_search_json_is_a_400(client):
    response = client.get("/search.json", query_string={"q": "x" * 101}, headers={"Accept": "application/json"})
    assert (response.status_code, response.get_json()["message"]) == \
        (400, "Search for at most 100 characters (you sent 101).")
