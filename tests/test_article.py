"""The article as tests: every cause, attribution, mechanism and quote, and nothing else."""

from __future__ import annotations

import pytest

from support import CITATIONS, CLAIMS, DISCLAIMER, LIST_ITEMS, SECTIONS, select

COMMON = {
    "lack-of-sleep": "LifestyleFactor",
    "medication-side-effects": "MedicationSideEffect",
    "exercise": "PhysicalActivity",
    "nutritional-deficiencies": "NutritionalFactor",
    "stress-and-anxiety": "PsychologicalFactor",
    "caffeine-and-stimulants": "StimulantUse",
    "dehydration": "FluidBalanceFactor",
}
SERIOUS = {  # the list item is a cause; three of them are also conditions of a kind
    "neurological-disorders": "UnderlyingMedicalCondition",
    "autoimmune-disorders": "UnderlyingMedicalCondition",
    "benign-fasciculation-syndrome": "UnderlyingMedicalCondition NerveDisorder",
    "dystonia": "UnderlyingMedicalCondition MovementDisorder",
    "pinched-nerve": "UnderlyingMedicalCondition NerveDisorder",
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
    expected |= {(c, k, "less-common", "more-serious") for c, kinds in SERIOUS.items() for k in kinds.split()}
    assert set(rows) == expected


def test_every_cause_kind_is_a_kind_of_cause(store):
    rows = select(store, "SELECT ?c WHERE { ?c a tw:Cause }")
    assert {r[0] for r in rows} == set(COMMON) | set(SERIOUS)


def test_exactly_the_seventeen_attributions(store):
    rows = select(store, """
        SELECT ?cause ?source WHERE { ?claim tw:claimCause ?cause ; cito:citesAsEvidence ?source }""")
    assert len(rows) == CITATIONS
    assert set(rows) == ATTRIBUTIONS


def test_dehydration_cites_no_source(store):
    rows = select(store, (
        "SELECT ?claim ?source WHERE { ?claim tw:claimCause tw:dehydration "
        "OPTIONAL { ?claim cito:citesAsEvidence ?source } }"))
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
    assert rows == [(('Involuntary contractions of a muscle. The article: "Often, these involuntary muscle '
                      'contractions are harmless and temporary."'),)]


def test_isaacs_syndrome_spelling_kept_as_alternative(store):
    rows = select(store, """SELECT ?l ?alt ?cause ?source WHERE {
        tw:isaacs-syndrome rdfs:label ?l ; skos:altLabel ?alt ; a tw:AutoimmuneDisorder .
        ?claim tw:about tw:isaacs-syndrome ; tw:claimCause ?cause ; cito:citesAsEvidence ?source }""")
    assert rows == [("Isaacs syndrome", "Isaac syndrome", "autoimmune-disorders", "medlineplus")]


def test_als_is_a_neurological_disorder_and_the_claim_names_it_with_its_source(store):
    """Item 7: ALS is linked to what the article says of it, and to the ALS Association."""
    rows = select(store, """SELECT ?alt ?cause ?quote ?source WHERE {
        tw:als skos:altLabel ?alt ; a tw:NeurologicalDisorder .
        ?claim tw:about tw:als ; tw:claimCause ?cause ; tw:quote ?quote ; cito:citesAsEvidence ?source }""")
    assert rows == [("ALS", "neurological-disorders",
                     ("Conditions like amyotrophic lateral sclerosis (ALS) can manifest with muscle twitching "
                      "as a symptom."),
                     "als-association")]


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


def test_the_open_criterion_names_its_class(store):
    rows = select(store, """SELECT ?c ?class WHERE {
        ?class rdfs:subClassOf ?r . ?r owl:onProperty tw:meetsCriterion ; owl:hasValue ?c }""")
    assert rows == [("criterion-other-symptoms", "AccompanyingSymptom")]
    assert select(store, "SELECT ?i WHERE { tw:meetsCriterion owl:inverseOf ?i }") == [("criterionFeature",)]
    examples = select(store, "SELECT ?f WHERE { ?f a tw:AccompanyingSymptom }")
    assert {r[0] for r in examples} == {"with-weakness", "with-numbness", "with-pain"}


def test_disclaimer(store, article_text):
    rows = select(store, "SELECT ?text WHERE { tw:article tw:hasDisclaimer ?d . ?d tw:text ?text }")
    assert rows == [(DISCLAIMER,)]
    assert rows[0][0] in article_text


def test_every_quote_is_verbatim_from_the_article(store, article_text):
    rows = select(store, "SELECT ?claim ?quote WHERE { ?claim tw:quote ?quote }")
    assert len(rows) == CLAIMS
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
    asserted = store.graph_iris["asserted"]
    rows = select(store, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{asserted}> {{ ?s ?p ?o FILTER isBlank(?s) }} }}")
    assert rows == [("0",)]


# ---------------------------------------------------------------- 6. the article's words, and only its words

VERBS = {
    ("lack-of-sleep", "increasesLikelihoodOf", "muscle-twitching"),
    ("medication-side-effects", "canListAsSideEffect", "muscle-twitching"),
    ("exercise", "canLeadTo", "muscle-twitching"),
    ("nutritional-deficiencies", "canContributeTo", "muscle-twitching"),
    ("stress-and-anxiety", "increasesLikelihoodOf", "muscle-twitching"),
    ("caffeine-and-stimulants", "canTrigger", "muscle-twitching"),
    ("dehydration", "canContributeTo", "muscle-twitching"),
    ("dehydration", "canContributeTo", "muscle-spasms"),
    ("neurological-disorders", "canManifestWith", "muscle-twitching"),
    ("autoimmune-disorders", "canCause", "muscle-twitching"),
    ("benign-fasciculation-syndrome", "involvesSymptom", "muscle-twitching"),
    ("benign-fasciculation-syndrome", "involvesSymptom", "muscle-cramps"),
    ("dystonia", "canCause", "muscle-spasms"),
    ("pinched-nerve", "canLeadTo", "muscle-twitching"),
}


def test_the_articles_causal_verbs_are_kept(store):
    asserted = store.graph_iris["asserted"]
    rows = select(store, f"""SELECT ?cause ?verb ?symptom WHERE {{ GRAPH <{asserted}> {{ ?cause ?verb ?symptom }}
        ?verb rdfs:subPropertyOf* tw:canCause }}""")
    assert set(rows) == VERBS


def test_each_verb_is_the_articles_word(store, article_text):
    """Every sub-property of canCause quotes, in its definition, words that stand in the article."""
    import re

    rows = select(store, "SELECT ?p ?d WHERE { ?p rdfs:subPropertyOf tw:canCause ; skos:definition ?d }")
    assert len(rows) == 7
    for prop, definition in rows:
        quoted = re.findall(r'"([^"]+)"', definition)
        assert quoted and all(q in article_text for q in quoted), (prop, quoted)


def test_every_quoted_phrase_in_a_definition_is_verbatim(store, article_text):
    """Words in double quotes in a definition are presented as the article's: each must stand in it."""
    import re

    rows = select(store, "SELECT ?s ?d WHERE { ?s skos:definition ?d }")
    assert len(rows) > 100
    wrong = [(s, q) for s, d in rows for q in re.findall(r'"([^"]+)"', d) if q not in article_text]
    assert wrong == []


def test_the_placement_values_say_what_the_article_does(store):
    rows = dict(select(store, "SELECT ?v ?d WHERE { VALUES ?v { tw:benign tw:common } ?v skos:definition ?d }"))
    assert "Harmless" not in rows["benign"] and "not a clinical all-clear" in rows["benign"].lower()
    assert "commonly" not in rows["common"] and "our reading" in rows["common"]
    labels = dict(select(store, "SELECT ?v ?l WHERE { VALUES ?v { tw:benign tw:common } ?v rdfs:label ?l }"))
    assert labels == {"benign": "not among the more serious", "common": "common (our reading)"}


def test_claims_are_about_what_they_say(store):
    rows = set(select(store, "SELECT ?c ?x WHERE { ?c tw:about ?x FILTER(?x IN (tw:common, tw:benign)) }"))
    assert rows == set()


# ---------------------------------------------------------------- 8. standard provenance, anchored in the text

def test_every_claim_is_a_web_annotation_quoted_from_the_article(store):
    rows = select(store, """SELECT ?claim ?article ?source ?motivation WHERE {
        ?claim a tw:Claim ; a oa:Annotation ; prov:wasQuotedFrom ?article ; oa:motivatedBy ?motivation ;
               oa:hasTarget/oa:hasSource ?source }""")
    assert len(rows) == CLAIMS
    assert {r[1:] for r in rows} == {("article", "https://w3id.org/twitch-kg/article.txt", "http://www.w3.org/ns/oa#identifying")}


def test_every_quote_is_its_selectors_exact(store):
    rows = select(store, """SELECT ?claim ?quote ?exact WHERE {
        ?claim tw:quote ?quote ; oa:hasTarget/oa:hasSelector ?s . ?s a oa:TextQuoteSelector ; oa:exact ?exact }""")
    assert len(rows) == CLAIMS
    assert [r for r in rows if r[1] != r[2]] == []


def test_every_position_selector_slices_its_exact_from_the_text(store, article_text):
    rows = select(store, """SELECT ?segment ?start ?end ?exact ?prefix ?suffix WHERE {
        ?segment oa:hasSource ?text ; oa:hasSelector ?q, ?p .
        ?q a oa:TextQuoteSelector ; oa:exact ?exact .
        OPTIONAL { ?q oa:prefix ?prefix } OPTIONAL { ?q oa:suffix ?suffix }  # none at the text's start and end
        ?p a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }""")
    assert len(rows) == CLAIMS + SECTIONS + LIST_ITEMS  # claims' targets, sections, list items
    for segment, start, end, exact, prefix, suffix in rows:
        start, end = int(start), int(end)
        assert article_text[start:end] == exact, segment
        assert article_text[:start].endswith(prefix or "") and article_text[end:].startswith(suffix or ""), segment
        assert (prefix is None) == (start == 0) and (suffix is None) == (end == len(article_text)), segment


def test_the_articles_structure_is_anchored(store):
    items = select(store, """SELECT ?section ?item ?text WHERE {
        ?item a tw:ListItem ; tw:partOf ?section ; tw:text ?text ; tw:displayOrder ?n } ORDER BY ?section ?n""")
    assert [(s, i) for s, i, _t in items][:2] == [("section-common-causes", "item-lack-of-sleep"),
                                                  ("section-common-causes", "item-medication-side-effects")]
    assert len(items) == LIST_ITEMS and {s for s, _i, _t in items} == {
        "section-common-causes", "section-serious-causes", "section-when-to-see-a-doctor"}


def test_a_selector_that_does_not_match_the_text_stops_the_build(settings, tmp_path):
    from rdflib import Graph, Literal, URIRef

    from kg import anchors, sources
    from kg.errors import ValidationFailed
    from kg.namespaces import OA

    data = sources.load_data(settings)
    assert anchors.mismatches(data, anchors.texts(settings)) == []
    broken = Graph()
    broken += data
    position = URIRef("https://w3id.org/twitch-kg/id/claim-dystonia#position")
    broken.set((position, OA.start, Literal(broken.value(position, OA.start).toPython() + 1)))
    with pytest.raises(ValidationFailed) as caught:
        anchors.check(broken, settings)
    assert "claim-dystonia#target" in str(caught.value) and "not its oa:exact" in str(caught.value)
