"""The article as tests: every cause, attribution, mechanism and quote, and nothing else."""

from __future__ import annotations

import pytest

from support import select

COMMON = {
    "lack-of-sleep": "LifestyleFactor",
    "medication-side-effects": "MedicationSideEffect",
    "exercise": "PhysicalActivity",
    "nutritional-deficiencies": "NutritionalFactor",
    "stress-and-anxiety": "PsychologicalFactor",
    "caffeine-and-stimulants": "StimulantUse",
    "dehydration": "FluidBalanceFactor",
}
SERIOUS = {
    "neurological-disorders": "NeurologicalDisorder",
    "autoimmune-disorders": "AutoimmuneDisorder",
    "benign-fasciculation-syndrome": "NerveDisorder",
    "dystonia": "MovementDisorder",
    "pinched-nerve": "NerveDisorder",
}

ATTRIBUTIONS = {
    ("lack-of-sleep", "webmd"), ("lack-of-sleep", "medlineplus"), ("lack-of-sleep", "medical-news-today"),
    ("medication-side-effects", "provided-reference"),
    ("exercise", "healthline"), ("exercise", "provided-reference"),
    ("nutritional-deficiencies", "medical-news-today"), ("nutritional-deficiencies", "provided-reference"),
    ("stress-and-anxiety", "webmd"), ("stress-and-anxiety", "healthline"),
    ("caffeine-and-stimulants", "medlineplus"), ("caffeine-and-stimulants", "webmd"),
    ("neurological-disorders", "als-association"),
    ("autoimmune-disorders", "medlineplus"),
    ("benign-fasciculation-syndrome", "nhs"),
    ("dystonia", "nhs"),
    ("pinched-nerve", "als-association"),
}


def test_twelve_causes_with_kind_prevalence_and_severity(store):
    rows = select(store, """
        SELECT ?cause ?kind ?prevalence ?severity WHERE {
          GRAPH tw:asserted { ?cause a ?kind ; tw:hasPrevalence ?prevalence ; tw:hasSeverity ?severity }
          FILTER(?kind != owl:NamedIndividual)
        }""".replace("tw:asserted", f"<{store.graph_iris['asserted']}>"))
    expected = {(c, k, "common", "benign") for c, k in COMMON.items()}
    expected |= {(c, k, "less-common", "more-serious") for c, k in SERIOUS.items()}
    assert set(rows) == expected


def test_every_cause_kind_is_a_kind_of_cause(store):
    rows = select(store, "SELECT ?c WHERE { ?c a tw:Cause }")
    assert {r[0] for r in rows} == set(COMMON) | set(SERIOUS)


def test_exactly_the_seventeen_attributions(store):
    rows = select(store, """
        SELECT ?cause ?source WHERE { ?claim tw:claimCause ?cause ; tw:citesSource ?source }""")
    assert len(rows) == 17
    assert set(rows) == ATTRIBUTIONS


def test_dehydration_cites_no_source(store):
    rows = select(store, """
        SELECT ?claim ?source WHERE { ?claim tw:claimCause tw:dehydration OPTIONAL { ?claim tw:citesSource ?source } }""")
    assert rows == [("claim-dehydration", None)]


def test_seven_sources_with_their_names(store):
    rows = select(store, "SELECT ?s ?label WHERE { ?s a tw:Source ; rdfs:label ?label }")
    assert set(rows) == {
        ("webmd", "WebMD"), ("medlineplus", "MedlinePlus"), ("medical-news-today", "Medical News Today"),
        ("provided-reference", "Provided reference"), ("healthline", "Healthline"),
        ("als-association", "ALS Association"), ("nhs", "NHS"),
    }


def test_mechanisms(store):
    rows = select(store, "SELECT ?cause ?mechanism WHERE { ?cause tw:hasMechanism ?mechanism }")
    assert set(rows) == {
        ("lack-of-sleep", "disrupted-natural-processes"),
        ("exercise", "lactic-acid-buildup"),
        ("benign-fasciculation-syndrome", "overactive-nerves"),
        ("pinched-nerve", "nerve-irritation-or-compression"),
    }
    claimed = select(store, "SELECT ?cause ?m WHERE { ?c tw:claimCause ?cause ; tw:claimMechanism ?m }")
    assert set(claimed) == set(rows)


def test_medication_classes(store):
    rows = select(store, """
        SELECT ?m ?label WHERE { tw:medication-side-effects tw:involvesMedicationClass ?m . ?m rdfs:label ?label }""")
    assert set(rows) == {("diuretics", "diuretics"), ("corticosteroids", "corticosteroids"), ("estrogens", "estrogens")}


def test_effects_and_qualifiers(store):
    rows = select(store, "SELECT ?cause ?effect WHERE { ?c tw:claimCause ?cause ; tw:claimEffect ?effect }")
    assert ("dehydration", "muscle-spasms") in rows and ("dehydration", "muscle-twitching") in rows
    assert ("benign-fasciculation-syndrome", "muscle-cramps") in rows
    assert ("dystonia", "muscle-spasms") in rows
    qualifiers = select(store, "SELECT ?cause ?q WHERE { ?c tw:claimCause ?cause ; tw:effectQualifier ?q }")
    assert set(qualifiers) == {
        ("medication-side-effects", "potential side effect"),
        ("exercise", "temporary"),
        ("autoimmune-disorders", "persistent"),
        ("benign-fasciculation-syndrome", "long-lasting"),
        ("dystonia", "involuntary"),
        ("pinched-nerve", "localized"),
    }


def test_symptom_is_fasciculation(store):
    rows = select(store, "SELECT ?alt WHERE { tw:muscle-twitching skos:altLabel ?alt }")
    assert ("fasciculations",) in rows
    rows = select(store, "SELECT ?d WHERE { tw:muscle-twitching skos:definition ?d }")
    assert rows == [("Involuntary muscle contractions; often harmless and temporary.",)]


def test_isaacs_syndrome_spelling_kept_as_alternative(store):
    rows = select(store, "SELECT ?l ?alt ?of WHERE { tw:isaacs-syndrome rdfs:label ?l ; skos:altLabel ?alt ; tw:isExampleOf ?of }")
    assert rows == [("Isaacs syndrome", "Isaac syndrome", "autoimmune-disorders")]


def test_als_is_the_example_of_neurological_disorders(store):
    rows = select(store, "SELECT ?alt ?of WHERE { tw:als skos:altLabel ?alt ; tw:isExampleOf ?of }")
    assert rows == [("ALS", "neurological-disorders")]


def test_three_criteria_six_features(store):
    rows = select(store, "SELECT ?criterion ?feature WHERE { ?criterion tw:criterionFeature ?feature }")
    assert set(rows) == {
        ("criterion-persistent-or-worsening", "persistent-twitching"),
        ("criterion-persistent-or-worsening", "worsening-twitching"),
        ("criterion-other-symptoms", "with-weakness"),
        ("criterion-other-symptoms", "with-numbness"),
        ("criterion-other-symptoms", "with-pain"),
        ("criterion-multiple-muscle-groups", "multiple-muscle-groups"),
    }


def test_disclaimer(store, article_text):
    rows = select(store, "SELECT ?text WHERE { tw:article tw:hasDisclaimer ?d . ?d tw:text ?text }")
    assert rows == [(
        "It's crucial to remember that this information is for educational purposes and should not be "
        "considered medical advice. Always seek professional medical advice for diagnosis and treatment.",
    )]
    assert rows[0][0] in article_text


def test_every_quote_is_verbatim_from_the_article(store, article_text):
    rows = select(store, "SELECT ?claim ?quote WHERE { ?claim tw:quote ?quote }")
    assert len(rows) == 22
    for claim, quote in rows:
        assert quote in article_text, f"{claim}: quote not in the article: {quote!r}"


def test_every_sentence_of_the_article_is_quoted(store, article_text):
    """Nothing the article states is missing: every sentence stands in some quote or heading."""
    import re

    quotes = " ".join(q for _c, q in select(store, "SELECT ?c ?q WHERE { ?c tw:quote|tw:text ?q }"))
    body = re.sub(r"^- [^:]+: ", "", article_text, flags=re.M)
    body = re.sub(r"^- ", "", body, flags=re.M)
    body = re.sub(r"\(Source: [^)]*\)", "", body)
    sentences = [s.strip() for s in re.split(r"(?<=[.?:!])\s+|\n", body) if len(s.strip()) > 3]
    missing = [s for s in sentences if s not in quotes]
    assert missing == []


def test_no_blank_node_subjects_in_the_data(store):
    rows = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{store.graph_iris['asserted']}> {{ ?s ?p ?o FILTER isBlank(?s) }} }}")
    assert rows == [("0",)]
