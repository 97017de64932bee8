"""Issue 16, completion: ``/api/complete`` offers prefixes, classes after ``a``, the properties used
with the subject's class, and entities by (typo-tolerant) label, each with label and definition,
read from the store by SPARQL."""

from __future__ import annotations

import pytest

from kg.query.context import place
from support import TW, make_app

CAUSE_FIRST = "SELECT * WHERE { ?x a tw:Cause ; "


@pytest.fixture(scope="module")
def complete(settings, store):
    client = make_app(settings, store, QUERY_WORKERS=0).test_client()

    def ask(**params):
        response = client.get("/api/complete", query_string=params)
        return response.status_code, response.get_json(), response

    return ask


def _texts(answer) -> list[str]:
    return [s["text"] for s in answer["suggestions"]]


def test_a_class_is_offered_after_a_with_its_label_and_definition(complete):
    status, answer, response = complete(token="tw:Ca", before="SELECT * WHERE { ?x a ")
    assert (status, answer["kind"]) == (200, "class")
    assert _texts(answer)[0] == "tw:Cause"
    cause = answer["suggestions"][0]
    assert (cause["iri"], cause["label"], cause["type"], cause["href"]) == (TW + "Cause", "cause", "class", "/id/Cause")
    assert cause["definition"].startswith("A factor")
    assert response.headers["Cache-Control"] == "public, max-age=300"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_after_a_typed_subject_only_the_properties_used_with_its_class_are_offered(complete):
    _status, causes, _r = complete(token="tw:", before=CAUSE_FIRST, limit="50")
    assert causes["kind"] == "property" and causes["subjectClasses"] == ["tw:Cause"]
    offered = set(_texts(causes))
    assert {"tw:canCause", "tw:hasSeverity"} <= offered
    assert not offered & {"tw:quote", "tw:claimCause", "tw:inSection"}  # used by claims only
    _status, anything, _r = complete(token="tw:q", before="SELECT * WHERE { ?x ")
    assert "tw:quote" in _texts(anything)  # the subject's class unknown: every property
    _status, none, _r = complete(token="tw:q", before=CAUSE_FIRST)
    assert none["suggestions"] == []


def test_entities_are_found_by_label_despite_a_typo(complete):
    _status, answer, _r = complete(token="twiching", before="SELECT * WHERE { ?x tw:canCause ")
    first = answer["suggestions"][0]
    assert (answer["kind"], first["text"], first["label"], first["type"]) == \
        ("entity", "tw:muscle-twitching", "muscle twitching", "symptom")


def test_the_header_search_asks_for_entities_whatever_the_place(complete):
    _status, answer, _r = complete(token="musle twitch", kind="entity")
    assert (answer["kind"], _texts(answer)[0]) == ("entity", "tw:muscle-twitching")


def test_prefixes_are_offered_for_a_bare_word(complete):
    _status, answer, _r = complete(token="rd", before="PREFIX ")
    assert (answer["kind"], _texts(answer)) == ("prefix", ["rdf:", "rdfs:"])
    assert answer["suggestions"][0]["iri"] == "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


def test_a_variable_is_not_completed(complete):
    assert complete(token="?x", before="SELECT * WHERE { ")[1]["suggestions"] == []


@pytest.mark.parametrize(("params", "message"), [
    ({"token": "x" * 201}, "Complete at most 200 characters (you sent 201)."),
    ({"token": "x", "before": "x" * 20_001}, ("Send at most the last 20,000 characters of the query before the "
                                              "token (you sent 20,001).")),
    ({"token": "x", "limit": "0"}, "limit='0': give a whole number from 1 to 50."),
    ({"token": "x", "limit": "many"}, "limit='many': give a whole number from 1 to 50."),
    ({"token": "x", "kind": "verb"}, ("kind='verb': give one of prefix, class, property, entity (or none: the place "
                                     "in the query decides).")),
])
def test_bad_requests_are_a_400_in_json(complete, params, message):
    status, answer, _response = complete(**params)
    assert (status, answer["message"]) == (400, message)


@pytest.mark.parametrize(("before", "kind", "subject", "classes"), [
    ("PREFIX tw: <x> SELECT ", "prefix", None, []),
    ("SELECT * WHERE { ", "subject", None, []),
    ("SELECT * WHERE { ?x a ", "class", "?x", []),
    ("SELECT * WHERE { ?x rdf:type tw:Cause . FILTER(?x != tw:a) ?x tw:p ?o ; ", "predicate", "?x", ["tw:Cause"]),
    ("SELECT * WHERE { ?x a tw:Cause . ?x ", "predicate", "?x", ["tw:Cause"]),
    ("SELECT * WHERE { ?x tw:about [ a tw:Claim ; ", "predicate", "[1]", ["tw:Claim"]),
    ("SELECT * WHERE { ?x tw:about [ a tw:Claim ] ; ", "predicate", "?x", []),
    ("SELECT * WHERE { VALUES ?x { tw:a tw:b } ?x tw:p ", "object", "?x", []),
    ("SELECT * WHERE { ?x tw:p/", "predicate", "?x", []),
    ("SELECT * WHERE { GRAPH ?g { ?x tw:p ?o , ", "object", "?x", []),
])
def test_the_place_of_the_cursor_is_read_from_the_text_before_it(before, kind, subject, classes):
    found = place(before)
    assert (found.kind, found.subject, found.subject_classes) == (kind, subject, classes)


def test_any_text_has_a_place_and_any_token_an_answer(complete):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    @settings(max_examples=60, deadline=None)
    @given(st.text(alphabet="{}[]();,.?x a:tw\"'<>#/|^! \n", max_size=60), st.text(max_size=12))
    def check(before, token):
        assert place(before).kind in ("prefix", "subject", "predicate", "object", "class")
        status, answer, _r = complete(token=token, before=before)
        assert status == 200 and isinstance(answer["suggestions"], list)

    check()


@pytest.mark.parametrize("params", [
    {"token": "tw:Ca", "before": "SELECT * WHERE { ?x a "},
    {"token": "tw:", "before": CAUSE_FIRST, "limit": "50"},
    {"token": "twiching", "kind": "entity"},
])
def test_completion_is_the_same_on_a_remote_store(request, settings, built, store, params):
    """The vocabulary is read by SPARQL, so a SPARQL 1.1 store (Virtuoso) completes as the embedded one."""
    from kg.store.remote import RemoteStore

    server = request.getfixturevalue("virtuoso")
    remote = RemoteStore(settings, server.query_url, update_url=server.update_url)
    remote.load(built.artefact)
    ours = make_app(settings, remote).test_client().get("/api/complete", query_string=params)
    reference = make_app(settings, store, QUERY_WORKERS=0).test_client().get("/api/complete", query_string=params)
    assert ours.status_code == 200
    assert ours.get_json() == reference.get_json()
