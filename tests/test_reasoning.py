"""What HermiT concludes: escalation from the defined classes, never from program code.

The model of ontology 2.0.0 (CHANGELOG.md): open accompanying symptoms, features in general as the
range of hasFeature, disjoint top-level classes, categories as classes, escalation as a tw:needs
restriction. Each item of the issue that asked for it has a test here that failed on 1.0.0.
"""

from __future__ import annotations

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg import reason, sources
from kg.build import build
from kg.graph import open_graph
from support import COMMON_CAUSES, FIXTURES, PROFESSIONAL_ATTENTION, SERIOUS_CAUSES, TW, select


def inferred(store, pattern: str) -> set:
    graph = store.graph_iris["inferred"]
    return set(select(store, f"SELECT * WHERE {{ GRAPH <{graph}> {{ {pattern} }} }}"))


def test_exactly_the_serious_causes_require_professional_attention(store):
    causes = {r[0] for r in select(store, "SELECT ?c WHERE { ?c a tw:Cause, tw:RequiresProfessionalAttention }")}
    assert causes == set(SERIOUS_CAUSES)


def test_the_conclusion_is_inferred_not_asserted(store):
    assert {r[0] for r in inferred(store, "?c a tw:RequiresProfessionalAttention")} == set(PROFESSIONAL_ATTENTION)
    asserted = store.graph_iris["asserted"]
    assert select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{asserted}> "
                         "{ ?c a tw:RequiresProfessionalAttention } }") == [("0",)]


def test_the_named_examples_require_attention_through_their_kind(store):
    rows = select(store, """SELECT ?c WHERE { ?c a tw:MedicalCondition, tw:RequiresProfessionalAttention
                                              FILTER NOT EXISTS { ?c a tw:Cause } }""")
    assert set(rows) == {("als",), ("isaacs-syndrome",)}


def test_no_common_cause_requires_attention(store):
    rows = select(store, "SELECT ?c WHERE { ?c tw:hasPrevalence tw:common . ?c a tw:RequiresProfessionalAttention }")
    assert rows == []


# ---------------------------------------------------------------- 3. disjointness: non-membership proven

def test_hermit_proves_each_common_cause_is_outside_the_serious_ones(store):
    """Membership of Cause and not RequiresProfessionalAttention is an entailment, materialised."""
    assert {r[0] for r in inferred(store, "?c a tw:NotPlacedAmongSeriousCauses")} == set(COMMON_CAUSES)


@pytest.fixture(scope="module")
def article_graph(settings):
    return sources.load_ontology(settings) + sources.load_data(settings)


@pytest.mark.parametrize("subject, cls", [
    ("dehydration", "RequiresProfessionalAttention"),   # a common cause stated as serious
    ("claim-dystonia", "Cause"),                         # a claim is no cause
    ("webmd", "Presentation"),                           # a source is no presentation
    ("als", "LifestyleFactor"),                          # a disease is no lifestyle factor
])
def test_asserting_a_contradiction_of_the_placement_or_the_partition_is_inconsistent(article_graph, subject, cls):
    graph = Graph()
    graph += article_graph
    assert reason.is_consistent(graph)
    graph.add((URIRef(TW + subject), RDF.type, URIRef(TW + cls)))
    assert not reason.is_consistent(graph)


def test_the_partition_claims_no_more_than_it_must(article_graph):
    """Nothing says a nutritional deficiency is no medical condition: stating it is consistent."""
    graph = Graph()
    graph += article_graph
    graph.add((URIRef(TW + "nutritional-deficiencies"), RDF.type, URIRef(TW + "MedicalCondition")))
    assert reason.is_consistent(graph)


def test_top_level_classes_are_declared_disjoint(store):
    onto = store.graph_iris["ontology"]
    rows = select(store, f"""SELECT ?a ?b WHERE {{ GRAPH <{onto}> {{
        {{ ?axiom a owl:AllDisjointClasses ; owl:members ?list .
          ?list rdf:rest*/rdf:first ?a . ?list rdf:rest*/rdf:first ?b }}
        UNION {{ ?a owl:disjointWith ?b }} UNION {{ ?b owl:disjointWith ?a }}
        FILTER(STR(?a) < STR(?b)) }} }}""")
    pairs = set(rows)
    for a, b in [("Cause", "Claim"), ("Presentation", "Source"), ("Prevalence", "Severity"),
                 ("Feature", "MedicalCondition"), ("LifestyleFactor", "NeurologicalDisorder"),
                 ("AutoimmuneDisorder", "PsychologicalFactor")]:
        assert (min(a, b), max(a, b)) in pairs
    assert ("Cause", "MedicalCondition") not in pairs  # dystonia is both
    # the article does not say so (MONDO has nutritional deficiency disease)
    assert ("LifestyleFactor", "MedicalCondition") not in pairs
    values = select(store, f"""SELECT ?v WHERE {{ GRAPH <{onto}> {{
        ?axiom a owl:AllDifferent ; owl:distinctMembers/rdf:rest*/rdf:first ?v }} }}""")
    assert {v[0] for v in values} == {"common", "less-common", "benign", "more-serious"}  # across both axes


# ---------------------------------------------------------------- 4. categories as classes

def test_a_query_for_neurological_disorders_finds_als(store):
    rows = {r[0] for r in select(store, "SELECT ?x WHERE { ?x a tw:NeurologicalDisorder }")}
    assert rows == {"als", "isaacs-syndrome", "benign-fasciculation-syndrome", "dystonia", "pinched-nerve"}
    assert {r[0] for r in select(store, "SELECT ?x WHERE { ?x a tw:AutoimmuneDisorder }")} == {"isaacs-syndrome"}
    assert ("isaacs-syndrome",) in select(store, "SELECT ?x WHERE { ?x a tw:NeurologicalDisorder }")  # as MONDO has it


def test_nerve_and_movement_disorders_are_neurological_disorders_as_in_mondo(store):
    rows = set(select(store, "SELECT ?sub WHERE { ?sub rdfs:subClassOf tw:NeurologicalDisorder }"))
    assert rows == {("NerveDisorder",), ("MovementDisorder",)}


def test_the_escalation_definition_does_not_refer_to_itself(store):
    onto = store.graph_iris["ontology"]
    rows = select(store, f"""SELECT ?x WHERE {{ GRAPH <{onto}> {{
        tw:RequiresProfessionalAttention owl:equivalentClass ?d .
        ?d (owl:unionOf|owl:intersectionOf|rdf:first|rdf:rest|owl:someValuesFrom|owl:allValuesFrom)* ?x .
        FILTER(?x = tw:RequiresProfessionalAttention) }} }}""")
    assert rows == []


def test_the_deprecated_example_property_is_no_longer_used(store):
    assert select(store, "SELECT ?s WHERE { ?s tw:isExampleOf|tw:hasExample ?o }") == []
    assert select(store, "SELECT ?d WHERE { tw:isExampleOf owl:deprecated ?d }") == [("true",)]


# ---------------------------------------------------------------- 5. escalation in logic

def test_the_need_of_every_serious_cause_and_condition_is_inferred(store):
    rows = inferred(store, "?x tw:needs ?need")
    assert rows == {("professional-attention", x) for x in PROFESSIONAL_ATTENTION}  # (?need, ?x)


def test_what_a_class_calls_for_is_an_object_property_restriction(store):
    onto = store.graph_iris["ontology"]
    rows = set(select(store, f"""SELECT ?class ?need WHERE {{ GRAPH <{onto}> {{
        ?class rdfs:subClassOf ?r . ?r owl:onProperty tw:needs ; owl:hasValue ?need }} }}"""))
    assert rows == {("RequiresProfessionalAttention", "professional-attention"),
                    ("HasWarningFeature", "doctor-consultation"),
                    ("AttributedToSeriousCause", "professional-attention")}
    assert select(store, "SELECT ?p WHERE { tw:needs a ?p }") == [("http://www.w3.org/2002/07/owl#ObjectProperty",)]


def test_classification_of_escalation_classes(store):
    rows = inferred(store, "?sub rdfs:subClassOf ?sup")
    assert ("HasWarningFeature", "NeedsDoctorConsultation") in rows
    assert ("AttributedToSeriousCause", "NeedsProfessionalAttention") in rows
    assert ("AttributedToSeriousCause", "NeedsDoctorConsultation") not in rows


def test_kinds_are_materialised_from_the_hierarchy(store):
    assert ("dehydration",) in inferred(store, "?c a tw:Cause")
    assert ("dystonia",) in inferred(store, "?c a tw:NeurologicalDisorder")
    assert ("als",) in inferred(store, "?c a tw:MedicalCondition")


def test_super_properties_are_materialised(store):
    """The article's verbs are sub-properties of canCause; the reasoner's graph holds the general link too."""
    assert ("lack-of-sleep", "muscle-twitching") in inferred(store, "?c tw:canCause ?s")
    assert select(store, "SELECT (COUNT(*) AS ?n) WHERE { ?c tw:canCause ?s }") == [("14",)]


# ---------------------------------------------------------------- presentations (1, 2: features)

@pytest.fixture(scope="module")
def presentations(settings, tmp_path_factory):
    """The real graph plus example presentations, reasoned by HermiT."""
    example = settings.with_(
        build_dir=tmp_path_factory.mktemp("presentations"),
        extra_data=(FIXTURES / "presentations.ttl",),
    )
    build(example)
    return open_graph(example, "memory")


def test_presentations_with_warning_features_need_a_doctor(presentations):
    rows = {r[0] for r in select(presentations, "SELECT ?p WHERE { ?p a tw:NeedsDoctorConsultation }")}
    assert rows == {"example-persistent", "example-weakness-and-caffeine", "example-multiple-groups",
                    "example-swallowing"}


def test_presentations_put_down_to_a_serious_cause_need_professional_attention(presentations):
    rows = set(select(presentations, "SELECT ?p ?need WHERE { ?p a tw:Presentation ; tw:needs ?need }"))
    assert {r for r in rows if r[1] == "professional-attention"} == {
        ("example-diagnosed-dystonia", "professional-attention"), ("example-diagnosed-als", "professional-attention")}


def test_presentations_without_warning_features_or_serious_causes_are_not_escalated(presentations):
    rows = {r[0] for r in select(presentations, """
        SELECT ?p WHERE { ?p a tw:Presentation FILTER NOT EXISTS { ?p tw:needs ?need } }""")}
    assert rows == {"example-caffeine-only", "example-no-features", "example-brief"}


def test_a_feature_that_is_not_a_warning_feature_never_escalates(presentations):
    """Item 2: with hasFeature ranging over WarningFeature, 'brief' became a warning feature."""
    assert select(presentations, "SELECT ?t WHERE { tw:feature-brief a ?t FILTER(?t = tw:WarningFeature) }") == []
    assert select(presentations, "SELECT ?c WHERE { tw:example-brief a ?c FILTER(?c = tw:HasWarningFeature) }") == []


def test_an_accompanying_symptom_the_article_does_not_name_escalates(presentations):
    """Item 1: 'other symptoms like weakness, numbness, or pain' is open."""
    assert ("example-swallowing", "HasWarningFeature") in set(
        select(presentations, "SELECT ?p ?c WHERE { ?p a ?c FILTER(?c = tw:HasWarningFeature) }"))
    assert ("symptom-difficulty-swallowing", "WarningFeature") in set(
        select(presentations, "SELECT ?s ?c WHERE { ?s a ?c FILTER(?c = tw:WarningFeature) }"))


def test_why_a_presentation_is_escalated(presentations):
    rows = select(presentations, "SELECT ?p ?why WHERE { ?p a ?why "
                                 "FILTER(?why IN (tw:HasWarningFeature, tw:AttributedToSeriousCause)) }")
    assert ("example-diagnosed-dystonia", "AttributedToSeriousCause") in rows
    assert ("example-persistent", "HasWarningFeature") in rows
    assert ("example-diagnosed-dystonia", "HasWarningFeature") not in rows
