"""What HermiT concludes: escalation from the defined classes, never from program code."""

from __future__ import annotations

import pytest

from support import FIXTURES, select
from kg.build import build
from kg.graph import open_graph

SERIOUS = {"neurological-disorders", "autoimmune-disorders", "benign-fasciculation-syndrome", "dystonia", "pinched-nerve"}


def inferred(store, pattern: str) -> set:
    graph = store.graph_iris["inferred"]
    return set(select(store, f"SELECT * WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"))


def test_exactly_the_serious_causes_require_professional_attention(store):
    causes = {r[0] for r in select(store, "SELECT ?c WHERE { ?c a tw:Cause, tw:RequiresProfessionalAttention }")}
    assert causes == SERIOUS


def test_the_conclusion_is_inferred_not_asserted(store):
    assert {r[0] for r in inferred(store, "?c a tw:RequiresProfessionalAttention")} == SERIOUS | {"als", "isaacs-syndrome"}
    asserted = store.graph_iris["asserted"]
    assert select(store, f"ASK {{ GRAPH <{asserted}> {{ ?c a tw:RequiresProfessionalAttention }} }}".replace("ASK", "SELECT (COUNT(*) AS ?n) WHERE")) == [("0",)]


def test_examples_of_serious_causes_require_attention(store):
    assert {r for r in select(store, "SELECT ?c WHERE { ?c a tw:MedicalCondition, tw:RequiresProfessionalAttention }")} == {("als",), ("isaacs-syndrome",)}


def test_no_common_cause_requires_attention(store):
    rows = select(store, "SELECT ?c WHERE { ?c tw:hasPrevalence tw:common . ?c a tw:RequiresProfessionalAttention }")
    assert rows == []


def test_classification_of_escalation_classes(store):
    rows = inferred(store, "?sub rdfs:subClassOf ?sup")
    assert ("HasWarningFeature", "NeedsDoctorConsultation") in rows
    assert ("AttributedToSeriousCause", "NeedsDoctorConsultation") in rows


def test_kinds_are_materialised_from_the_hierarchy(store):
    assert ("dehydration",) in inferred(store, "?c a tw:Cause")
    assert ("dystonia",) in inferred(store, "?c a tw:UnderlyingMedicalCondition")


@pytest.fixture(scope="module")
def presentations(settings, tmp_path_factory):
    """The real graph plus example presentations, reasoned by HermiT."""
    example = settings.with_(
        build_dir=tmp_path_factory.mktemp("presentations"),
        extra_data=(FIXTURES / "presentations.ttl",),
    )
    build(example)
    return open_graph(example, "memory")


def test_presentations_with_red_flags_need_a_doctor(presentations):
    rows = {r[0] for r in select(presentations, "SELECT ?p WHERE { ?p a tw:NeedsDoctorConsultation }")}
    assert rows == {
        "example-persistent", "example-weakness-and-caffeine", "example-multiple-groups",
        "example-diagnosed-dystonia", "example-diagnosed-als",
    }


def test_presentations_without_red_flags_are_not_escalated(presentations):
    rows = {r[0] for r in select(presentations, """
        SELECT ?p WHERE { ?p a tw:Presentation FILTER NOT EXISTS { ?p a tw:NeedsDoctorConsultation } }""")}
    assert rows == {"example-caffeine-only", "example-no-features"}


def test_why_a_presentation_is_escalated(presentations):
    rows = select(presentations, "SELECT ?p ?why WHERE { ?p a ?why FILTER(?why IN (tw:HasWarningFeature, tw:AttributedToSeriousCause)) }")
    assert ("example-diagnosed-dystonia", "AttributedToSeriousCause") in rows
    assert ("example-persistent", "HasWarningFeature") in rows
    assert ("example-diagnosed-dystonia", "HasWarningFeature") not in rows
