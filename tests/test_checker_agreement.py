"""The fast path proven: for EVERY combination a person can enter, the in-process OWL 2 RL reasoner
puts the presentation in exactly the classes HermiT (OWL 2 DL, through owlready2) puts it in, and
the safety properties hold: escalated if and only if a warning feature or a more serious condition
was entered.

Enumerated: every subset of the 6 warning features (64) x no condition or each of the 7 conditions
(8) x no trigger, each of the 7 triggers alone, or all 7 together (9) x no, one or two other
symptoms typed as free text (3) = 13,824 presentations, all classified by HermiT in ONE run (one JVM).
Every other set of triggers is covered by monotonicity:
both reasoners are monotone (OWL entailment; Datalog rules without negation), so for a set S of
triggers, classes(no trigger) <= classes(S) <= classes(all triggers); where the two ends agree
(tested below for every feature set and condition) so does every S in between. The axiom test
shows why they agree: triggers reach the escalation classes only through attributedTo to
RequiresProfessionalAttention, and no trigger is in it.
"""

from __future__ import annotations

from collections import Counter
from itertools import combinations

import pytest

from kg.checker import Presentation
from support import TW, select

NDC, NPA, HWF, ASC, PRESENTATION = (TW + n for n in ("NeedsDoctorConsultation", "NeedsProfessionalAttention",
                                                    "HasWarningFeature", "AttributedToSeriousCause", "Presentation"))
TYPED = ("difficulty swallowing", "hoarse voice")  # free text, never looked up


@pytest.fixture(scope="module")
def cases(checker) -> list[Presentation]:
    features = checker.options["feature"].items
    triggers = checker.options["trigger"].items
    conditions = (None, *checker.options["condition"].items)
    trigger_sets = [()] + [(t,) for t in triggers] + [triggers]
    feature_sets = [combo for n in range(len(features) + 1) for combo in combinations(features, n)]
    typed = [tuple(checker.schema.symptom(text) for text in TYPED[:n]) for n in range(3)]
    return [Presentation(f, t, c, s) for f in feature_sets for c in conditions for t in trigger_sets for s in typed]


@pytest.fixture(scope="module")
def by_hermit(checker, cases):
    return checker.classify_with_hermit(cases)  # one JVM for all 13,824


@pytest.fixture(scope="module")
def by_rl(checker, cases):
    """The web app's path (Checker.classify is classify_many of one presentation), in one run for all."""
    return checker.classify_many(cases)


def test_one_run_for_all_is_one_run_per_case(checker, cases, by_rl):
    """What the web app runs for one presentation gives what the run for all of them gives (every 23rd
    case of the enumeration, which cycles through symptoms, triggers and conditions: 602 runs)."""
    sample = cases[::23]
    assert len(sample) == 602 and {len(c.symptoms) for c in sample} == {0, 1, 2}
    assert {c.condition is None for c in sample} == {True, False} and {len(c.triggers) for c in sample} == {0, 1, 7}
    assert [case for case in sample if checker.classify(case) != by_rl[case]] == []


def test_the_enumeration_covers_every_input(checker, cases):
    assert [len(checker.options[k].items) for k in ("feature", "trigger", "condition")] == [6, 7, 7]
    assert len(cases) == 64 * 8 * 9 * 3 == 13824
    assert len(set(cases)) == 13824


def test_the_fast_path_agrees_with_hermit_on_every_case(cases, by_rl, by_hermit):
    disagreements = [(case, by_rl[case], by_hermit[case]) for case in cases if by_rl[case] != by_hermit[case]]
    assert disagreements == []


def test_the_outcomes_are_the_four_expected_ones(cases, by_hermit):
    outcomes = Counter(by_hermit[case] for case in cases)
    assert outcomes == {
        frozenset({PRESENTATION}): 9,  # nothing but triggers: 1 feature set x 1 condition x 9 trigger sets
        frozenset({PRESENTATION, HWF, NDC}): 63 * 9 + 64 * 9 * 2,  # a typed symptom is always a warning feature
        frozenset({PRESENTATION, ASC, NPA}): 7 * 9,
        frozenset({PRESENTATION, HWF, ASC, NDC, NPA}): 63 * 7 * 9 + 64 * 7 * 9 * 2,
    }


def test_the_rl_reasoner_itself_derives_every_defined_class(checker):
    """OWL 2 RL has no rule for the superclass direction of an existential; the subclass direction suffices."""
    feature_only = checker.presentation(["persistent-twitching"])
    condition_only = checker.presentation(condition="als")
    typed_only = checker.presentation(symptoms=["difficulty swallowing"])
    assert checker.classify(feature_only) == {PRESENTATION, HWF, NDC}
    assert checker.classify(condition_only) == {PRESENTATION, ASC, NPA}
    assert checker.classify(typed_only) == {PRESENTATION, HWF, NDC}


@pytest.mark.parametrize("reasoner", ["rl", "hermit"])
def test_safety_escalated_exactly_when_a_warning_feature_or_serious_condition_is_entered(
        checker, cases, by_rl, by_hermit, reasoner):
    concluded = by_rl if reasoner == "rl" else by_hermit
    wrong = []
    for case in cases:
        answer = checker.answer(case, concluded[case], reasoner)
        needs = (["professional-attention"] if case.condition is not None else []) + (
            ["doctor-consultation"] if case.features or case.symptoms else [])
        if answer.escalated != bool(needs) or [e.need.slug for e in answer.escalations] != needs:
            wrong.append(case)
    assert wrong == []


def test_triggers_alone_or_together_never_change_the_classes(checker, cases, by_rl, by_hermit):
    triggers = checker.options["trigger"].items
    for concluded in (by_rl, by_hermit):
        for case in cases:
            if case.triggers:
                without = Presentation(case.features, (), case.condition, case.symptoms)
                assert concluded[case] == concluded[without], case
        assert {len(c.triggers) for c in cases} == {0, 1, len(triggers)}


def test_on_the_axioms_triggers_reach_escalation_only_through_serious_causes(store):
    onto = store.graph_iris["ontology"]
    restrictions = set(select(store, f"""
        SELECT DISTINCT ?property ?kind ?filler WHERE {{ GRAPH <{onto}> {{
          VALUES ?class {{ tw:NeedsDoctorConsultation tw:NeedsProfessionalAttention tw:HasWarningFeature
                          tw:AttributedToSeriousCause tw:RequiresProfessionalAttention }}
          ?class owl:equivalentClass ?definition .
          ?definition (owl:unionOf|owl:intersectionOf|rdf:first|rdf:rest)* ?r .
          ?r owl:onProperty ?property ; ?kind ?filler .
          FILTER(?kind NOT IN (rdf:type, owl:onProperty))
        }} }}"""))
    # the only restrictions in the escalation definitions: no allValuesFrom, cardinality or negation
    assert restrictions == {
        ("hasFeature", "http://www.w3.org/2002/07/owl#someValuesFrom", "WarningFeature"),
        ("attributedTo", "http://www.w3.org/2002/07/owl#someValuesFrom", "RequiresProfessionalAttention"),
        ("hasSeverity", "http://www.w3.org/2002/07/owl#hasValue", "more-serious"),
        ("needs", "http://www.w3.org/2002/07/owl#hasValue", "doctor-consultation"),
        ("needs", "http://www.w3.org/2002/07/owl#hasValue", "professional-attention"),
    }
    # suspectedTrigger: mentioned by no axiom; its own axioms only make it an attributedTo into Cause
    assert select(store, f"SELECT ?s ?p WHERE {{ GRAPH <{onto}> {{ ?s ?p tw:suspectedTrigger }} }}") == []
    assert set(select(store, f"""SELECT ?p ?o WHERE {{ GRAPH <{onto}> {{ tw:suspectedTrigger ?p ?o
        FILTER(?p IN (rdfs:subPropertyOf, rdfs:domain, rdfs:range, owl:inverseOf, owl:equivalentProperty,
                      owl:propertyChainAxiom, rdf:type)) }} }}""")) == {
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", "http://www.w3.org/2002/07/owl#ObjectProperty"),
        ("http://www.w3.org/2000/01/rdf-schema#subPropertyOf", "attributedTo"),
        ("http://www.w3.org/2000/01/rdf-schema#range", "Cause"),
    }
    # attributedTo has no inverse, chain or equivalent that could carry a trigger elsewhere
    assert select(store, f"""SELECT ?s ?p WHERE {{ GRAPH <{onto}> {{ ?s ?p tw:attributedTo
        FILTER(?p != owl:onProperty && ?p != rdfs:subPropertyOf) }} }}""") == []
    # and HermiT puts no trigger (common cause) in RequiresProfessionalAttention
    assert select(store, "SELECT ?c WHERE { ?c tw:hasPrevalence tw:common ; a tw:RequiresProfessionalAttention }") == []
    # while every trigger is a cause of benign severity, as the article lists them
    common = select(store, "SELECT ?s WHERE { ?c tw:hasPrevalence tw:common ; tw:hasSeverity ?s }")
    assert {r[0] for r in common} == {"benign"}
