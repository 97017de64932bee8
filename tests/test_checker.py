"""The presentation checker's core and command line: options from the graph, input resolution,
the reasoner's escalation and the article's words for it, exact."""

from __future__ import annotations

import json

import pytest

from kg.checker import UnknownChoice
from support import COMMON_CAUSES, DISCLAIMER, MOST_CASES_BENIGN, TW

FEATURES = ["persistent-twitching", "worsening-twitching", "with-weakness", "with-numbness", "with-pain",
            "multiple-muscle-groups"]
TRIGGERS = COMMON_CAUSES  # the article's common causes, in its order
CONDITIONS = ["neurological-disorders", "als", "autoimmune-disorders", "isaacs-syndrome",
              "benign-fasciculation-syndrome", "dystonia", "pinched-nerve"]
CRITERIA = ["criterion-persistent-or-worsening", "criterion-other-symptoms", "criterion-multiple-muscle-groups"]


def slugs(items):
    return [i.slug for i in items]


def test_options_come_from_the_graph_in_the_articles_order(checker):
    assert slugs(checker.options["feature"].items) == FEATURES
    assert slugs(checker.options["trigger"].items) == TRIGGERS
    assert slugs(checker.options["condition"].items) == CONDITIONS
    examples = {o.item.slug: o.example_of.slug for o in checker.options["condition"].options if o.example_of}
    assert examples == {"als": "neurological-disorders", "isaacs-syndrome": "autoimmune-disorders"}


@pytest.mark.parametrize("kind, given, expected", [
    ("feature", "persistent-twitching", "persistent-twitching"),
    ("feature", "persistent", "persistent-twitching"),            # label
    ("feature", "With Weakness", "with-weakness"),                 # label, case and spaces ignored
    ("feature", TW + "with-pain", "with-pain"),                    # IRI
    ("feature", "tw:multiple-muscle-groups", "multiple-muscle-groups"),
    ("feature", "multiple", "multiple-muscle-groups"),             # unique start at a word boundary
    ("trigger", "caffeine", "caffeine-and-stimulants"),
    ("trigger", "stress and anxiety", "stress-and-anxiety"),
    ("condition", "ALS", "als"),                                   # alternative label
    ("condition", "Isaac syndrome", "isaacs-syndrome"),            # the article's spelling
    ("condition", "BFS", "benign-fasciculation-syndrome"),
    ("condition", "amyotrophic lateral sclerosis", "als"),
])
def test_input_is_resolved_against_the_graphs_names(checker, kind, given, expected):
    assert checker.options[kind].resolve(given).slug == expected


@pytest.mark.parametrize("kind, given, start", [
    ("feature", "twitchy", "unknown feature 'twitchy'; valid features: persistent-twitching (persistent), "),
    ("feature", "with", ("ambiguous feature 'with': it could be with-weakness, with-numbness, with-pain; "
                         "valid features: ")),
    ("feature", "", "unknown feature ''; valid features: "),
    ("trigger", "dystonia", "unknown trigger 'dystonia'; valid triggers: lack-of-sleep (lack of sleep), "),
    ("condition", "caffeine-and-stimulants", "unknown condition 'caffeine-and-stimulants'; valid conditions: "),
    ("feature", "persistent-twitchin", "unknown feature 'persistent-twitchin'"),
])
def test_unknown_or_ambiguous_input_names_the_value_and_lists_the_valid_ones(checker, kind, given, start):
    with pytest.raises(UnknownChoice) as caught:
        checker.options[kind].resolve(given)
    message = str(caught.value)
    assert message.startswith(start)
    valid = {"feature": FEATURES, "trigger": TRIGGERS, "condition": CONDITIONS}[kind]
    assert all(slug in message for slug in valid)
    assert caught.value.valid == tuple(valid)


def test_the_presentation_individual(checker):
    presentation = checker.presentation(["with-pain", "persistent", "with-pain"], ["dehydration"], "dystonia")
    assert slugs(presentation.features) == ["persistent-twitching", "with-pain"]  # article order, no duplicates
    individual, triples = checker.individual(presentation)
    assert str(individual).startswith("urn:uuid:")
    assert individual == checker.individual(checker.presentation(["with-pain", "persistent-twitching"],
                                                                 ["dehydration"], "dystonia"))[0]
    assert sorted((str(p), str(o)) for s, p, o in triples) == sorted([
        ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", TW + "Presentation"),
        (TW + "hasFeature", TW + "persistent-twitching"),
        (TW + "hasFeature", TW + "with-pain"),
        (TW + "suspectedTrigger", TW + "dehydration"),
        (TW + "diagnosedCondition", TW + "dystonia"),
    ])


def test_a_typed_symptom_is_a_fresh_individual_of_the_symptom_class(checker):
    presentation = checker.presentation(symptoms=["  difficulty   swallowing ", "Difficulty swallowing", ""])
    [symptom] = presentation.symptoms  # whitespace collapsed, empty and repeated (ignoring case) dropped
    assert symptom.label == "difficulty swallowing" and symptom.iri.startswith("urn:uuid:")
    assert symptom.kind == TW + "AccompanyingSymptom"
    individual, triples = checker.individual(presentation)
    assert sorted((str(s), str(p), str(o)) for s, p, o in triples) == sorted([
        (str(individual), "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", TW + "Presentation"),
        (str(individual), TW + "hasFeature", symptom.iri),
        (symptom.iri, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", TW + "AccompanyingSymptom"),
        (symptom.iri, "http://www.w3.org/2000/01/rdf-schema#label", "difficulty swallowing"),
    ])
    assert checker.presentation(symptoms=["weakness"]).features == ()  # typed text is never looked up


def test_an_accompanying_symptom_the_article_does_not_name_escalates_and_quotes_the_criterion(checker):
    """Item 1: before, 'difficulty swallowing' was an unknown feature and could only be left out."""
    for reasoner in ("rl", "hermit"):
        answer = checker.check(checker.presentation(symptoms=["difficulty swallowing"]), reasoner=reasoner)
        assert [(e.need.slug, e.through.slug) for e in answer.escalations] == [
            ("doctor-consultation", "HasWarningFeature")]
        assert answer.escalations[0].claim.quote == "Consult a doctor if muscle twitching is:"
        assert [(r.cls.slug, r.property.slug, r.value.label) for r in answer.reasons] == [
            ("HasWarningFeature", "hasFeature", "difficulty swallowing")]
        assert [(c.item.slug, c.claim.quote, [f.label for f in c.features]) for c in answer.criteria] == [
            ("criterion-other-symptoms", "Associated with other symptoms like weakness, numbness, or pain",
             ["difficulty swallowing"])]


@pytest.mark.parametrize("kwargs, message", [
    ({}, "nothing to check: enter at least one feature, symptom, trigger or condition"),
    ({"symptoms": ["", "  "]}, "nothing to check: enter at least one feature, symptom, trigger or condition"),
    ({"symptoms": [f"symptom {n}" for n in range(6)]}, "give at most 5 other symptoms, not 6"),
    ({"symptoms": ["x" * 101]}, "a symptom may be at most 100 characters long, not 101: describe it in fewer words"),
    ({"symptoms": ["a\x00b"]}, "a symptom may not contain control characters"),
])
def test_rejected_input(checker, kwargs, message):
    from kg.checker import RejectedInput

    with pytest.raises(RejectedInput) as caught:
        checker.presentation(**kwargs)
    assert str(caught.value) == message


def test_red_flag_answer(checker):
    answer = checker.check(checker.presentation(["persistent-twitching", "with-weakness"], ["caffeine-and-stimulants"]))
    assert answer.escalated and answer.basis == "entailment"
    assert [(e.need.slug, e.need.label, e.through.slug) for e in answer.escalations] == [
        ("doctor-consultation", "consult a doctor", "HasWarningFeature")]
    assert answer.escalations[0].claim.quote == "Consult a doctor if muscle twitching is:"
    assert [c.item.slug for c in answer.classes] == ["HasWarningFeature", "NeedsDoctorConsultation"]
    assert answer.watch_for == ()
    assert [(r.cls.slug, r.property.slug, r.value.slug) for r in answer.reasons] == [
        ("HasWarningFeature", "hasFeature", "persistent-twitching"),
        ("HasWarningFeature", "hasFeature", "with-weakness"),
    ]
    assert [(c.item.slug, c.claim.quote, slugs(c.claim.sources), slugs(c.features)) for c in answer.criteria] == [
        ("criterion-persistent-or-worsening", "Persistent or worsening", [], ["persistent-twitching"]),
        ("criterion-other-symptoms", "Associated with other symptoms like weakness, numbness, or pain", [],
         ["with-weakness"]),
    ]
    [trigger] = answer.triggers
    assert [(c.quote, slugs(c.sources), slugs(c.mechanisms)) for c in trigger.claims] == [
        ("Excessive consumption of caffeine and other stimulants can trigger muscle twitching.",
         ["webmd", "medlineplus"], [])]
    assert answer.condition is None
    assert [c.quote for c in answer.serious_causes] == [MOST_CASES_BENIGN]
    assert answer.disclaimer == DISCLAIMER


def test_diagnosed_example_condition_is_explained_through_its_cause(checker):
    """Item 5: a diagnosed serious condition needs professional attention, in the article's words for it."""
    answer = checker.check(checker.presentation(condition="ALS"))
    assert [(e.need.slug, e.through.slug, e.claim.quote) for e in answer.escalations] == [
        ("professional-attention", "AttributedToSeriousCause", MOST_CASES_BENIGN)]
    assert "may indicate underlying medical conditions requiring professional attention" in MOST_CASES_BENIGN
    assert [c.item.slug for c in answer.classes] == ["AttributedToSeriousCause", "NeedsProfessionalAttention"]
    assert [(r.cls.slug, r.property.slug, r.value.slug) for r in answer.reasons] == [
        ("AttributedToSeriousCause", "diagnosedCondition", "als")]
    assert answer.criteria == ()
    assert answer.condition.example_of.slug == "neurological-disorders"
    assert [(c.quote, slugs(c.sources)) for c in answer.condition.claims] == [
        ("Conditions like amyotrophic lateral sclerosis (ALS) can manifest with muscle twitching as a symptom.",
         ["als-association"])]


def test_trigger_mechanism_and_a_trigger_without_source(checker):
    answer = checker.check(checker.presentation(triggers=["exercise", "dehydration"]))
    assert [(t.item.slug, [(c.quote, slugs(c.mechanisms), slugs(c.sources)) for c in t.claims])
            for t in answer.triggers] == [
        ("exercise", [("Intense physical activity can lead to temporary muscle twitching due to lactic acid buildup.",
                       ["lactic-acid-buildup"], ["provided-reference", "healthline"])]),
        ("dehydration", [("Insufficient fluid intake can contribute to muscle spasms and twitching.", [], [])]),
    ]


def test_no_flag_answer_is_a_closed_world_reading_not_reassurance(checker):
    answer = checker.check(checker.presentation(triggers=["lack-of-sleep"]))
    assert not answer.escalated and answer.basis == "closed-world"
    assert answer.escalations == answer.classes == answer.reasons == answer.criteria == ()
    assert [(c.item.slug, c.claim.quote) for c in answer.watch_for] == [
        ("criterion-persistent-or-worsening", "Persistent or worsening"),
        ("criterion-other-symptoms", "Associated with other symptoms like weakness, numbness, or pain"),
        ("criterion-multiple-muscle-groups", "Affecting multiple muscle groups")]
    assert [c.quote for c in answer.serious_causes] == [MOST_CASES_BENIGN]
    assert answer.disclaimer == DISCLAIMER


def test_answer_json_shape(checker):
    data = checker.check(checker.presentation(["worsening"], condition="pinched nerve")).to_json()
    assert list(data) == ["presentation", "escalated", "basis", "escalations", "classes", "reasons", "why",
                          "article", "reasoner"]
    assert data["presentation"]["condition"] == {"id": "pinched-nerve", "iri": TW + "pinched-nerve",
                                                 "label": "pinched nerve"}
    assert data["presentation"]["symptoms"] == []
    assert [e["id"] for e in data["escalations"]] == ["professional-attention", "doctor-consultation"]
    assert data["article"]["watchFor"] == []
    assert data["article"]["condition"]["claims"][0] == {
        "iri": TW + "claim-pinched-nerve",
        "quote": "Irritation or compression of a nerve can lead to localized twitching.",
        "mechanisms": [{"id": "nerve-irritation-or-compression", "iri": TW + "nerve-irritation-or-compression",
                        "label": "irritation or compression of a nerve"}],
        "sources": [{"id": "als-association", "iri": TW + "als-association", "label": "ALS Association"}],
    }
    assert data["reasoner"].startswith("OWL 2 RL, in-process (reasonable ")


# ---------------------------------------------------------------- the command line


def test_cli_check_text(cli):
    code, out, err = cli("check", "--feature", "persistent-twitching", "--trigger", "caffeine-and-stimulants")
    assert (code, err) == (0, "")
    assert "VERDICT: CONSULT A DOCTOR" in out
    assert "  warning features:    persistent\n" in out
    flat = " ".join(out.split())  # the text is wrapped at 100 columns
    assert ('- persistent or worsening (you entered: persistent). "Persistent or worsening" The article cites no '
            "source for this.") in flat
    assert ('"Excessive consumption of caffeine and other stimulants can trigger muscle twitching." Sources '
            "cited by the article: WebMD, MedlinePlus.") in flat
    assert "- has a warning feature: has feature persistent" in flat
    assert out.rstrip().endswith("considered medical advice. Always seek professional medical advice for diagnosis "
                                 "and treatment.")


def test_cli_check_no_flag_text(cli):
    code, out, _ = cli("check", "--trigger", "stress")
    assert code == 0
    assert "VERDICT: NO WARNING SIGN IN WHAT YOU DESCRIBED" in out
    assert "closed-world" in out and "VERDICT: CONSULT" not in out
    assert ("Watch for these: the article's \"When to See a Doctor\" criteria\n  - Persistent or worsening\n"
            "  - Associated with other symptoms like weakness, numbness, or pain\n"
            "  - Affecting multiple muscle groups\n") in out


def test_cli_check_free_text_symptom(cli):
    code, out, err = cli("check", "--symptom", "difficulty swallowing", "--symptom", "<b>hoarse</b> voice")
    assert (code, err) == (0, "")
    assert "VERDICT: CONSULT A DOCTOR" in out
    assert "  other symptoms:      difficulty swallowing, <b>hoarse</b> voice\n" in out
    assert "- has a warning feature: has feature difficulty swallowing" in " ".join(out.split())


def test_cli_check_json(cli, checker):
    code, out, _ = cli("check", "--feature", "with-numbness", "--condition", "dystonia", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data == checker.check(checker.presentation(["with-numbness"], condition="dystonia")).to_json()
    assert [c["id"] for c in data["classes"]] == ["AttributedToSeriousCause", "HasWarningFeature",
                                                  "NeedsDoctorConsultation", "NeedsProfessionalAttention"]


def test_cli_check_with_hermit_gives_the_same_answer(cli):
    args = ("check", "--feature", "multiple-muscle-groups", "--trigger", "exercise", "--condition", "isaacs-syndrome",
            "--format", "json")
    fast = json.loads(cli(*args)[1])
    slow = json.loads(cli(*args, "--reasoner", "hermit")[1])
    assert slow["reasoner"] == "HermiT (OWL 2 DL, through owlready2)"
    assert {**slow, "reasoner": None} == {**fast, "reasoner": None}


@pytest.mark.parametrize("args, message", [
    (("--feature", "twitchy"),
     "twitch-kg: error: unknown feature 'twitchy'; valid features: persistent-twitching (persistent), "),
    (("--trigger", "als"), "twitch-kg: error: unknown trigger 'als'; valid triggers: lack-of-sleep (lack of sleep), "),
    (("--condition", "sleep"),
     "twitch-kg: error: unknown condition 'sleep'; valid conditions: neurological-disorders "),
    (("--format", "xml"), "twitch-kg: error: argument --format: invalid choice: 'xml'"),
    ((), "twitch-kg: error: nothing to check: enter at least one feature, symptom, trigger or condition"),
    (("--condition", "als", "--condition", "dystonia"),
     "twitch-kg: error: give at most one --condition, not 2: 'als', 'dystonia'"),
    (("--symptom", "x" * 101), "twitch-kg: error: a symptom may be at most 100 characters long, not 101"),
    (tuple(a for n in range(6) for a in ("--symptom", f"s{n}")),
     "twitch-kg: error: give at most 5 other symptoms, not 6"),
])
def test_cli_check_bad_input_exits_2_with_one_line(cli, args, message):
    code, out, err = cli("check", *args)
    assert code == 2 and out == ""
    assert err.startswith(message) and err.count("\n") == 1
