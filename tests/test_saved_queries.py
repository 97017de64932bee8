"""Saved queries (queries/*.rq): the files parse, bind safely, and answer exactly what the article says."""

from __future__ import annotations

import re

import pyoxigraph as ox
import pytest

from kg.config import PROJECT_ROOT, SOURCE_BASE
from kg.query.saved import Parameter, ParameterError, QueryFileError, load_all, parse
from support import CAUSES, CLAIMS, SAVED_QUERIES, TW, XREFS, select

QUERIES = PROJECT_ROOT / "queries"
SAVED = load_all(QUERIES)
NAMES = sorted(SAVED)

#: A value for every parameter the saved queries take (their defaults where they have one).
EXAMPLE_VALUES: dict[str, dict[str, str]] = {}


def answer(store, name: str, **params) -> list[tuple]:
    """The rows of a saved query as tuples of plain strings (tw: IRIs shortened to their slug)."""
    saved = SAVED[name]
    bound = saved.bindings(params, store.vocab.prefixes)
    return select(store, saved.sparql, **bound)


def graph_answer(store, name: str, **params) -> set[str]:
    saved = SAVED[name]
    bound = saved.bindings(params, store.vocab.prefixes)
    result = store.query(saved.sparql, substitutions=bound)
    return {_short(str(t)) for t in result.triples}


def _short(ntriple: str) -> str:
    text = re.sub(rf"<{re.escape(TW)}([^>]*)>", r"tw:\1", ntriple)
    for prefix, ns in (("rdfs", "http://www.w3.org/2000/01/rdf-schema#"), ("skos", "http://www.w3.org/2004/02/skos/core#"),
                       ("owl", "http://www.w3.org/2002/07/owl#"), ("xsd", "http://www.w3.org/2001/XMLSchema#")):
        text = re.sub(rf"<{re.escape(ns)}([^>]*)>", rf"{prefix}:\1", text)
    return text.replace("<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>", "a")


# ---------------------------------------------------------------- every file


def test_at_least_twelve_saved_queries():
    assert NAMES == SAVED_QUERIES


@pytest.mark.parametrize("name", NAMES)
def test_every_query_has_a_summary_and_description(name):
    saved = SAVED[name]
    assert saved.summary and saved.summary != name
    assert len(saved.description) > 40
    assert saved.tags


@pytest.mark.parametrize("name", NAMES)
def test_every_query_runs_with_its_defaults(store, name):
    saved = SAVED[name]
    bound = saved.bindings({}, store.vocab.prefixes)
    result = store.query(saved.sparql, substitutions=bound or None)
    assert result.kind == {"select": "select", "ask": "ask", "construct": "graph"}[saved.kind]
    assert result.boolean is True or result.rows or result.triples


@pytest.mark.parametrize("name", NAMES)
def test_editable_text_gives_the_same_answer_as_substitution(store, name):
    """The /sparql edit link's text (values as a trailing VALUES clause) asks the same question."""
    saved = SAVED[name]
    bound = saved.bindings({}, store.vocab.prefixes)
    ran = store.query(saved.sparql, substitutions=bound or None)
    edited = store.query(saved.editable(bound))
    assert (edited.variables, edited.rows, edited.boolean, set(edited.triples)) == (
        ran.variables, ran.rows, ran.boolean, set(ran.triples))


def test_parameterised_queries_and_their_defaults():
    params = {name: [(p.name, p.variable, p.type, p.default, p.required) for p in SAVED[name].parameters]
              for name in NAMES if SAVED[name].parameters}
    assert params == {
        "cause-neighbourhood": [("cause", "_cause_iri", "iri", "tw:dystonia", False)],
        "cause-profile": [("cause", "_cause_iri", "iri", "tw:dystonia", False)],
        "causes-by-source": [("source", "_source_iri", "iri", "tw:webmd", False)],
        "entity-types": [("entity", "_entity_iri", "iri", "tw:dystonia", False)],
        "is-serious": [("cause", "_cause_iri", "iri", "tw:dystonia", False)],
    }
    assert SAVED["causes-by-source"].parameters[0].description == (
        "the source, as an IRI or a prefixed name such as tw:nhs")


def test_kinds():
    kinds = {name: SAVED[name].kind for name in NAMES}
    assert kinds.pop("cause-neighbourhood") == "construct"
    assert kinds.pop("is-serious") == "ask"
    assert set(kinds.values()) == {"select"}


# ---------------------------------------------------------------- exact answers


def test_causes_with_prevalence_severity_and_sources(store):
    assert answer(store, "causes") == [
        ("lack-of-sleep", "lack of sleep", "common", "benign", "WebMD, MedlinePlus, Medical News Today"),
        ("medication-side-effects", "medication side effects", "common", "benign", "Provided reference"),
        ("exercise", "exercise", "common", "benign", "Provided reference, Healthline"),
        ("nutritional-deficiencies", "nutritional deficiencies", "common", "benign",
         "Medical News Today, Provided reference"),
        ("stress-and-anxiety", "stress and anxiety", "common", "benign", "WebMD, Healthline"),
        ("caffeine-and-stimulants", "caffeine and stimulants", "common", "benign", "WebMD, MedlinePlus"),
        ("dehydration", "dehydration", "common", "benign", None),  # no source: unbound
        ("neurological-disorders", "neurological disorders", "less-common", "more-serious", "ALS Association"),
        ("autoimmune-disorders", "autoimmune disorders", "less-common", "more-serious", "MedlinePlus"),
        ("benign-fasciculation-syndrome", "benign fasciculation syndrome", "less-common", "more-serious", "NHS"),
        ("dystonia", "dystonia", "less-common", "more-serious", "NHS"),
        ("pinched-nerve", "pinched nerve", "less-common", "more-serious", "ALS Association"),
    ]


def _article_citations(article_text: str) -> dict[str, set[str]]:
    """Cause (lower-cased list heading) → the sources its '(Source: …)' names, read from the article."""
    found = {}
    for heading, rest in re.findall(r"^- ([^:\n]+): (.*)$", article_text, flags=re.MULTILINE):
        cited = re.search(r"\(Source: ([^)]*)\)", rest)
        found[heading.lower()] = set(cited.group(1).split(", ")) if cited else set()
    return found


def test_causes_sources_are_the_articles(store, article_text):
    from_query = {label: set(sources.split(", ")) if sources else set()
                  for _c, label, _p, _s, sources in answer(store, "causes")}
    assert from_query == _article_citations(article_text)


def test_causes_without_any_source_is_dehydration(store):
    assert answer(store, "causes-without-source") == [
        ("dehydration", "dehydration", "Insufficient fluid intake can contribute to muscle spasms and twitching."),
    ]


def test_sources_ranked_by_the_claims_they_support(store, article_text):
    rows = answer(store, "sources-ranked")
    assert [(label, int(claims)) for _s, label, claims, _causes in rows] == [
        ("WebMD", 3), ("MedlinePlus", 3), ("Provided reference", 3), ("Medical News Today", 2),
        ("Healthline", 2), ("ALS Association", 2), ("NHS", 2),
    ]
    assert [(source, causes) for source, _l, _n, causes in rows] == [
        ("webmd", "lack of sleep, stress and anxiety, caffeine and stimulants"),
        ("medlineplus", "lack of sleep, caffeine and stimulants, autoimmune disorders"),
        ("provided-reference", "medication side effects, exercise, nutritional deficiencies"),
        ("medical-news-today", "lack of sleep, nutritional deficiencies"),
        ("healthline", "exercise, stress and anxiety"),
        ("als-association", "neurological disorders, pinched nerve"),
        ("nhs", "benign fasciculation syndrome, dystonia"),
    ]
    counted = {}
    for sources in _article_citations(article_text).values():
        for source in sources:
            counted[source] = counted.get(source, 0) + 1
    assert {label: int(n) for _s, label, n, _c in rows} == counted


@pytest.mark.parametrize("source,causes", [
    (None, ["lack-of-sleep", "stress-and-anxiety", "caffeine-and-stimulants"]),  # the default, tw:webmd
    ("tw:nhs", ["benign-fasciculation-syndrome", "dystonia"]),
    ("tw:provided-reference", ["medication-side-effects", "exercise", "nutritional-deficiencies"]),
    (f"{TW}als-association", ["neurological-disorders", "pinched-nerve"]),
    (f"<{TW}medical-news-today>", ["lack-of-sleep", "nutritional-deficiencies"]),
    ("tw:dehydration", []),
])
def test_causes_by_source(store, source, causes):
    rows = answer(store, "causes-by-source", **({"source": source} if source else {}))
    assert [cause for _s, cause, _l, _q in rows] == causes


def test_causes_by_source_quotes(store):
    assert answer(store, "causes-by-source", source="tw:nhs") == [
        ("nhs", "benign-fasciculation-syndrome", "benign fasciculation syndrome",
         "This condition involves long-lasting twitches and cramps due to overactive nerves."),
        ("nhs", "dystonia", "dystonia", "A group of rare conditions causing involuntary muscle spasms."),
    ]


def test_cause_placement_as_the_reasoner_proves_it(store):
    rows = answer(store, "cause-placement")
    assert [(cause, placement) for cause, _label, placement in rows] == [
        (cause, "NotPlacedAmongSeriousCauses") for cause in (
            "lack-of-sleep", "medication-side-effects", "exercise", "nutritional-deficiencies", "stress-and-anxiety",
            "caffeine-and-stimulants", "dehydration")
    ] + [(cause, "RequiresProfessionalAttention") for cause in (
        "neurological-disorders", "autoimmune-disorders", "benign-fasciculation-syndrome", "dystonia", "pinched-nerve")]


def test_serious_causes_and_the_inferred_escalation(store):
    assert answer(store, "serious-causes") == [
        (cause, label, "more-serious", "RequiresProfessionalAttention", "professional-attention")
        for cause, label in [
            ("neurological-disorders", "neurological disorders"), ("autoimmune-disorders", "autoimmune disorders"),
            ("benign-fasciculation-syndrome", "benign fasciculation syndrome"), ("dystonia", "dystonia"),
            ("pinched-nerve", "pinched nerve"),
        ]
    ]


def test_conditions_named_as_examples(store):
    assert answer(store, "conditions") == [
        ("als", "amyotrophic lateral sclerosis", "ALS", "NeurologicalDisorder", "neurological-disorders",
         "professional-attention"),
        ("isaacs-syndrome", "Isaacs syndrome", "Isaac syndrome", "AutoimmuneDisorder", "autoimmune-disorders",
         "professional-attention"),
    ]


def test_warning_signs_and_their_criteria(store):
    other = "Associated with other symptoms like weakness, numbness, or pain"
    assert answer(store, "warning-signs") == [
        ("criterion-persistent-or-worsening", "Persistent or worsening", "persistent-twitching", "persistent"),
        ("criterion-persistent-or-worsening", "Persistent or worsening", "worsening-twitching", "worsening"),
        ("criterion-other-symptoms", other, "with-weakness", "with weakness"),
        ("criterion-other-symptoms", other, "with-numbness", "with numbness"),
        ("criterion-other-symptoms", other, "with-pain", "with pain"),
        ("criterion-multiple-muscle-groups", "Affecting multiple muscle groups", "multiple-muscle-groups",
         "in multiple muscle groups"),
    ]


def test_medication_classes(store):
    obo = "http://purl.obolibrary.org/obo/"
    assert answer(store, "medication-classes") == [
        ("diuretics", "diuretics", "medication-side-effects", obo + "CHEBI_35498"),
        ("corticosteroids", "corticosteroids", "medication-side-effects", obo + "CHEBI_50858"),
        ("estrogens", "estrogens", "medication-side-effects", obo + "CHEBI_50114"),
    ]


def test_mechanisms(store):
    assert answer(store, "mechanisms") == [
        ("disrupted-natural-processes", "disruption of the body's natural processes", "lack-of-sleep",
         "Insufficient sleep can disrupt the body's natural processes, increasing the likelihood of muscle twitches."),
        ("lactic-acid-buildup", "lactic acid buildup", "exercise",
         "Intense physical activity can lead to temporary muscle twitching due to lactic acid buildup."),
        ("overactive-nerves", "overactive nerves", "benign-fasciculation-syndrome",
         "This condition involves long-lasting twitches and cramps due to overactive nerves."),
        ("nerve-irritation-or-compression", "irritation or compression of a nerve", "pinched-nerve",
         "Irritation or compression of a nerve can lead to localized twitching."),
    ]


def test_xrefs(store):
    rows = answer(store, "xrefs")
    short = [(e, r.rsplit("#", 1)[1], t.rsplit("/", 1)[1], o) for e, _l, r, t, o in rows]
    assert short[:7] == [  # the category classes (upper-case local names sort first), then the individuals
        ("AutoimmuneDisorder", "closeMatch", "MONDO_0007179", "MONDO"),
        ("MedicalCondition", "closeMatch", "MONDO_0000001", "MONDO"),
        ("MovementDisorder", "closeMatch", "MONDO_0005395", "MONDO"),
        ("NerveDisorder", "closeMatch", "MONDO_0003620", "MONDO"),
        ("NeurologicalDisorder", "closeMatch", "MONDO_0005071", "MONDO"),
        ("als", "exactMatch", "MONDO_0004976", "MONDO"),
        ("als", "closeMatch", "HP_0007354", "HPO"),
    ]
    assert len(rows) == XREFS
    assert {o: sum(1 for *_x, ont in short if ont == o) for o in ("HPO", "MONDO", "ChEBI")} == {
        "HPO": 23, "MONDO": 12, "ChEBI": 7}
    assert [(e, r, t) for e, r, t, _o in short if r == "exactMatch"] == [
        ("als", "exactMatch", "MONDO_0004976"),
        ("isaacs-syndrome", "exactMatch", "MONDO_0019399"), ("muscle-spasms", "exactMatch", "HP_0003394"),
        ("muscle-twitching", "exactMatch", "HP_0002380"),
    ]


def test_entity_types_asserted_and_inferred(store):
    owl = "http://www.w3.org/2002/07/owl#"
    assert answer(store, "entity-types") == [
        ("dystonia", owl + "NamedIndividual", "asserted"),
        ("dystonia", "MovementDisorder", "asserted"),
        ("dystonia", "UnderlyingMedicalCondition", "asserted"),
        ("dystonia", "Cause", "inferred"),
        ("dystonia", "MedicalCondition", "inferred"),
        ("dystonia", "NeurologicalDisorder", "inferred"),
        ("dystonia", "RequiresProfessionalAttention", "inferred"),
    ]
    assert answer(store, "entity-types", entity="tw:als") == [
        ("als", owl + "NamedIndividual", "asserted"),
        ("als", "NeurologicalDisorder", "asserted"),
        ("als", "MedicalCondition", "inferred"),
        ("als", "RequiresProfessionalAttention", "inferred"),
    ]
    assert answer(store, "entity-types", entity="tw:RequiresProfessionalAttention") == [
        ("RequiresProfessionalAttention", owl + "Class", "asserted"),
    ]


def test_cause_profile(store):
    assert answer(store, "cause-profile") == [(
        "dystonia", "claim-dystonia", "A group of rare conditions causing involuntary muscle spasms.",
        "section-serious-causes", "muscle spasms", "involuntary", None, "NHS",
    )]
    assert answer(store, "cause-profile", cause="tw:lack-of-sleep") == [(
        "lack-of-sleep", "claim-lack-of-sleep",
        "Insufficient sleep can disrupt the body's natural processes, increasing the likelihood of muscle twitches.",
        "section-common-causes", "muscle twitching", None, "disrupted-natural-processes",
        "WebMD, MedlinePlus, Medical News Today",
    )]
    assert answer(store, "cause-profile", cause="tw:dehydration") == [(
        "dehydration", "claim-dehydration", "Insufficient fluid intake can contribute to muscle spasms and twitching.",
        "section-common-causes", "muscle twitching, muscle spasms", None, None, None,
    )]
    assert answer(store, "cause-profile", cause="tw:nhs") == []


def test_claims_statement_by_statement(store, article_text):
    rows = answer(store, "claims")
    assert len(rows) == CLAIMS
    assert rows[0] == (
        "claim-twitching-defined", "section-introduction",
        ("Muscle twitching, also known as fasciculations, is a common phenomenon caused by various factors, "
         "ranging from benign to more serious underlying conditions."), None,
    )
    assert rows[3][3] == "WebMD, MedlinePlus, Medical News Today"
    assert [r[3] for r in rows].count(None) == 11
    positions = [article_text.index(quote) for _c, _s, quote, _src in rows]
    assert positions == sorted(positions)  # in the article's order, each quote verbatim


def test_is_serious(store):
    saved = SAVED["is-serious"]
    prefixes = store.vocab.prefixes

    def ask(cause):
        return store.query(saved.sparql, substitutions=saved.bindings({"cause": cause}, prefixes)).boolean

    assert [ask(c) for c in ("tw:dystonia", "tw:als", "tw:isaacs-syndrome", "tw:pinched-nerve")] == [True] * 4
    assert [ask(c) for c in ("tw:dehydration", "tw:lack-of-sleep", "tw:exercise", "tw:nhs")] == [False] * 4


DYSTONIA_NEIGHBOURHOOD = {
    '<http://www.w3.org/ns/oa#Annotation> rdfs:label "annotation"@en',
    '<http://www.w3.org/ns/oa#identifying> rdfs:label "identifying"@en',
    'tw:CausalClaim rdfs:label "causal claim"@en',
    'tw:Cause rdfs:label "cause"@en',
    'tw:Claim rdfs:label "claim"@en',
    'tw:MedicalCondition rdfs:label "medical condition"@en',
    'tw:MovementDisorder rdfs:label "movement disorder"@en',
    'tw:NeurologicalDisorder rdfs:label "neurological disorder"@en',
    'tw:RequiresProfessionalAttention rdfs:label "requires professional attention"@en',
    'tw:UnderlyingMedicalCondition rdfs:label "underlying medical condition"@en',
    'tw:article rdfs:label "What Causes Muscle Twitching?"@en',
    'tw:claim-dystonia <http://purl.org/spar/cito/citesAsEvidence> tw:nhs',
    'tw:claim-dystonia <http://www.w3.org/ns/oa#hasBody> tw:dystonia',
    'tw:claim-dystonia <http://www.w3.org/ns/oa#hasBody> tw:muscle-spasms',
    'tw:claim-dystonia <http://www.w3.org/ns/oa#hasTarget> tw:claim-dystonia#target',
    'tw:claim-dystonia <http://www.w3.org/ns/oa#motivatedBy> <http://www.w3.org/ns/oa#identifying>',
    'tw:claim-dystonia <http://www.w3.org/ns/prov#wasDerivedFrom> tw:article',
    'tw:claim-dystonia <http://www.w3.org/ns/prov#wasQuotedFrom> tw:article',
    'tw:claim-dystonia a <http://www.w3.org/ns/oa#Annotation>',
    'tw:claim-dystonia a owl:NamedIndividual',
    'tw:claim-dystonia a tw:CausalClaim',
    'tw:claim-dystonia a tw:Claim',
    'tw:claim-dystonia rdfs:label "claim: A group of rare conditions causing involuntary muscle spa..."@en',
    'tw:claim-dystonia tw:about tw:dystonia',
    'tw:claim-dystonia tw:about tw:muscle-spasms',
    'tw:claim-dystonia tw:claimCause tw:dystonia',
    'tw:claim-dystonia tw:claimEffect tw:muscle-spasms',
    'tw:claim-dystonia tw:displayOrder "15"^^xsd:integer',
    'tw:claim-dystonia tw:effectQualifier "involuntary"',
    'tw:claim-dystonia tw:inSection tw:section-serious-causes',
    'tw:claim-dystonia tw:quote "A group of rare conditions causing involuntary muscle spasms."',
    'tw:dystonia a owl:NamedIndividual',
    'tw:dystonia a tw:Cause',
    'tw:dystonia a tw:MedicalCondition',
    'tw:dystonia a tw:MovementDisorder',
    'tw:dystonia a tw:NeurologicalDisorder',
    'tw:dystonia a tw:RequiresProfessionalAttention',
    'tw:dystonia a tw:UnderlyingMedicalCondition',
    'tw:dystonia rdfs:label "dystonia"@en',
    'tw:dystonia skos:closeMatch <http://purl.obolibrary.org/obo/MONDO_0003441>',
    'tw:dystonia skos:definition "The article: \\"A group of rare conditions causing involuntary muscle spasms.\\""@en',
    'tw:dystonia skos:relatedMatch <http://purl.obolibrary.org/obo/HP_0001332>',
    'tw:dystonia tw:canCause tw:muscle-spasms',
    'tw:dystonia tw:displayOrder "11"^^xsd:integer',
    'tw:dystonia tw:hasPrevalence tw:less-common',
    'tw:dystonia tw:hasSeverity tw:more-serious',
    'tw:dystonia tw:needs tw:professional-attention',
    'tw:less-common rdfs:label "less common"@en',
    'tw:more-serious rdfs:label "more serious"@en',
    'tw:muscle-spasms rdfs:label "muscle spasms"@en',
    'tw:nhs rdfs:label "NHS"@en',
    'tw:professional-attention rdfs:label "professional attention"@en',
    'tw:section-serious-causes rdfs:label "Less Common, More Serious Causes"@en',
}


def test_cause_neighbourhood_construct(store):
    assert graph_answer(store, "cause-neighbourhood") == DYSTONIA_NEIGHBOURHOOD
    neurological = graph_answer(store, "cause-neighbourhood", cause="tw:neurological-disorders")
    assert "tw:claim-neurological-disorders tw:about tw:als" in neurological  # the claim names its example
    assert 'tw:als rdfs:label "amyotrophic lateral sclerosis"@en' in neurological
    assert ("tw:claim-neurological-disorders <http://purl.org/spar/cito/citesAsEvidence> "
            "tw:als-association") in neurological
    assert not any(t.startswith("tw:dystonia ") for t in neurological)


# ---------------------------------------------------------------- parsing and binding

PREFIXES = {"tw": TW}


def test_header_and_typed_parameters():
    saved = parse("demo", (
        "#+ summary: A demo\n"
        "#+ description: |\n"
        "#+   Two lines\n"
        "#+   of description.\n"
        "#+ tags: single\n"
        "#+ parameters:\n"
        "#+   n: how many\n"
        "#+ defaults:\n"
        "#+   when: 2024-02-29\n"
        "# ?_not_a_parameter in a comment\n"
        "SELECT ?_who_iri ?_n_xsd_integer ?_when_date ?_text ?_flag_boolean ?_x_decimal WHERE {\n"
        "  ?s a <http://www.w3.org/2002/07/owl#Class> ; ?p ?_who_iri .  # comment ?_also_not\n"
        '  FILTER(?o != "?_in_a_string")\n'
        "}\n"
    ))
    assert (saved.summary, saved.description, saved.tags, saved.kind) == (
        "A demo", "Two lines\nof description.", ("single",), "select")
    assert [(p.name, p.variable, p.type, p.description, p.default, p.required) for p in saved.parameters] == [
        ("who", "_who_iri", "iri", "", None, True),
        ("n", "_n_xsd_integer", "integer", "how many", None, True),
        ("when", "_when_date", "date", "", "2024-02-29", False),
        ("text", "_text", "string", "", None, True),
        ("flag", "_flag_boolean", "boolean", "", None, True),
        ("x", "_x_decimal", "decimal", "", None, True),
    ]


def test_bindings_are_rdf_terms():
    saved = parse("demo", "SELECT ?_who_iri ?_n_integer ?_text ?_when_date WHERE { ?_who_iri ?p ?o }")
    bound = saved.bindings({"who": "tw:dystonia", "n": " 42 ", "text": 'x" } DROP ALL', "when": "2024-02-29"}, PREFIXES)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    assert bound == {
        "_who_iri": ox.NamedNode(TW + "dystonia"),
        "_n_integer": ox.Literal("42", datatype=ox.NamedNode(xsd + "integer")),
        "_text": ox.Literal('x" } DROP ALL'),
        "_when_date": ox.Literal("2024-02-29", datatype=ox.NamedNode(xsd + "date")),
    }


@pytest.mark.parametrize("param,value,message", [
    (Parameter("cause", "_cause_iri", "iri"), "dystonia",
     "parameter 'cause' must be an IRI (or prefixed name), got 'dystonia'"),
    (Parameter("cause", "_cause_iri", "iri"), "tw:x> } UNION { ?s ?p ?o", "parameter 'cause' must be an IRI"),
    (Parameter("cause", "_cause_iri", "iri"), "http://a b", "parameter 'cause' must be an IRI"),
    (Parameter("cause", "_cause_iri", "iri"), "a:\x00", "parameter 'cause' must be an IRI"),
    (Parameter("n", "_n_integer", "integer"), "12a", "parameter 'n' must be of type xsd:integer, got '12a'"),
    (Parameter("n", "_n_integer", "integer"), "\u0663", "parameter 'n' must be of type xsd:integer"),
    (Parameter("x", "_x_decimal", "decimal"), "1.2.3", "parameter 'x' must be of type xsd:decimal"),
    (Parameter("flag", "_flag_boolean", "boolean"), "yes", "parameter 'flag' must be of type xsd:boolean, got 'yes'"),
    (Parameter("when", "_when_date", "date"), "2023-02-29",
     "parameter 'when' must be of type xsd:date, got '2023-02-29'"),
])
def test_bad_values_are_parameter_errors(param, value, message):
    with pytest.raises(ParameterError) as caught:
        param.bind(value, PREFIXES)
    assert str(caught.value).startswith(message)


def test_unknown_and_missing_parameters():
    saved = parse("demo", "SELECT ?_who_iri WHERE { ?_who_iri ?p ?o }")
    with pytest.raises(ParameterError, match=r"^unknown parameter\(s\) bogus, zz for query 'demo'; it takes: who$"):
        saved.bindings({"zz": "1", "bogus": "2", "who": "tw:a"}, PREFIXES)
    with pytest.raises(ParameterError, match=r"^query 'demo' needs parameter 'who' \(iri\)$"):
        saved.bindings({"who": ""}, PREFIXES)
    plain = parse("plain", "SELECT ?s WHERE { ?s ?p ?o }")
    with pytest.raises(ParameterError, match=r"it takes: none$"):
        plain.bindings({"x": "1"}, PREFIXES)


def test_a_select_must_project_its_parameters():
    with pytest.raises(QueryFileError, match=r"^saved query 'bad': The SPARQL query does not contains variable "
                                             r"\?_who_iri in its SELECT projection$"):
        parse("bad", "SELECT ?p (?_who_iri AS ?w) WHERE { ?_who_iri ?p ?o }")
    assert parse("star", "SELECT * WHERE { ?_who_iri ?p ?o }").parameters[0].name == "who"
    assert parse("ask", "ASK { ?_who_iri ?p ?o }").kind == "ask"


def test_a_bad_header_names_the_file():
    with pytest.raises(QueryFileError, match=r"^saved query 'bad': its #\+ header is not valid YAML"):
        parse("bad", "#+ summary: [unclosed\nSELECT * WHERE { ?s ?p ?o }")


def test_kind_skips_prefixes_comments_and_base():
    text = "# a comment\nPREFIX ex: <http://example.org/>\nBASE <http://example.org/>\nconstruct WHERE { ?s ?p ?o }"
    assert parse("c", text).kind == "construct"
    assert parse("d", "DESCRIBE <http://example.org/x>").is_graph


def test_editable_writes_the_values_into_the_where_group():
    saved = parse("demo", "SELECT ?_who_iri WHERE { ?_who_iri ?p ?o }\n")
    assert saved.editable({"_who_iri": ox.NamedNode(TW + "nhs")}) == (
        f"SELECT ?_who_iri WHERE {{ VALUES (?_who_iri) {{ (<{TW}nhs>) }}  ?_who_iri ?p ?o }}\n")
    assert saved.editable({}) == saved.sparql


def test_an_update_is_not_a_saved_query():
    with pytest.raises(QueryFileError,
                       match=r"^saved query 'u' is not a SPARQL query: no SELECT, CONSTRUCT, DESCRIBE or ASK$"):
        parse("u", "#+ summary: no\nINSERT DATA { <a:b> <a:b> <a:b> }")


def test_load_all_rebases_full_iris(tmp_path):
    (tmp_path / "g.rq").write_text(f"#+ summary: g\nASK {{ GRAPH <{SOURCE_BASE}graph/inferred> {{ ?s ?p ?o }} }}\n")
    (tmp_path / "Not A Name.rq").write_text("ASK {}")
    loaded = load_all(tmp_path, "http://localhost:8000/")
    assert list(loaded) == ["g"]
    assert "GRAPH <http://localhost:8000/graph/inferred>" in loaded["g"].sparql
    assert f"<{SOURCE_BASE}graph/inferred>" in load_all(tmp_path)["g"].sparql


# ---------------------------------------------------------------- the command line


def test_cli_runs_a_parameterised_saved_query(cli):
    code, out, err = cli("query", "causes-by-source", "--param", "source=tw:nhs", "--format", "csv")
    assert (code, err) == (0, "")
    assert out == (
        "_source_iri,cause,label,quote\r\n"
        f"{TW}nhs,{TW}benign-fasciculation-syndrome,benign fasciculation syndrome,"
        "This condition involves long-lasting twitches and cramps due to overactive nerves.\r\n"
        f"{TW}nhs,{TW}dystonia,dystonia,A group of rare conditions causing involuntary muscle spasms.\r\n"
    )


def test_cli_table_of_a_saved_query(cli):
    code, out, _ = cli("query", "causes-without-source")
    assert code == 0
    assert out.splitlines()[2].split(" | ")[:2] == ["tw:dehydration", "dehydration"]
    assert out.splitlines()[-1] == "(1 row)"


@pytest.mark.parametrize("args,line", [
    (["--param", "source=nhs"], "twitch-kg: error: parameter 'source' must be an IRI (or prefixed name), got 'nhs'"),
    (["--param", "cause=tw:nhs"],
     "twitch-kg: error: unknown parameter(s) cause for query 'causes-by-source'; it takes: source"),
    (["--param", "source"], "twitch-kg: error: --param takes NAME=VALUE, got 'source'"),
])
def test_cli_bad_parameter_exits_2_with_one_line(cli, args, line):
    code, out, err = cli("query", "causes-by-source", *args)
    assert (code, out) == (2, "")
    assert err == line + "\n"


# ---------------------------------------------------------------- grlc's enumerate


ENUMERATED = ("#+ enumerate: [who]\n#+ defaults:\n#+   who: tw:a\n"
              "SELECT ?_who_iri ?_text WHERE { ?_who_iri ?p ?_text }")


def test_enumerate_marks_its_parameters():
    saved = parse("demo", ENUMERATED)
    assert [(p.name, p.enumerated) for p in saved.parameters] == [("who", True), ("text", False)]
    assert [p.name for p in saved.enumerated] == ["who"]
    assert parse("one", ENUMERATED.replace("[who]", "who")).enumerated == saved.enumerated


@pytest.mark.parametrize("header,text,message", [
    ("[nobody]", None, "saved query 'bad': enumerate names nobody, which is not a parameter"),
    ("{who: 1}", None, "saved query 'bad': enumerate must list parameter names, e.g. [source]"),
    ("[who]", "ASK { ?_who_iri ?p ?o }",
     ("saved query 'bad': only a SELECT can enumerate its parameters' values (they are read from its answer); "
      "this one is ASK")),
])
def test_a_bad_enumerate_names_the_file(header, text, message):
    with pytest.raises(QueryFileError) as caught:
        parse("bad", f"#+ enumerate: {header}\n" + (text or "SELECT ?_who_iri WHERE { ?_who_iri ?p ?o }"))
    assert str(caught.value) == message


def test_an_enumerated_value_must_be_one_of_the_choices():
    saved = parse("demo", ENUMERATED)
    choices = {"who": (ox.NamedNode(TW + "a"), ox.NamedNode(TW + "b"))}
    assert saved.bindings({"who": "tw:b", "text": "x"}, PREFIXES, choices)["_who_iri"] == ox.NamedNode(TW + "b")
    with pytest.raises(ParameterError) as caught:
        saved.bindings({"who": "tw:nope", "text": "x"}, PREFIXES, choices)
    assert str(caught.value) == ("parameter 'who': 'tw:nope' is not among its values in the graph, "
                                 "which are: tw:a, tw:b")
    many = {"who": tuple(ox.NamedNode(f"{TW}n{i:02d}") for i in range(25))}
    with pytest.raises(ParameterError, match=r"which are: tw:n00, tw:n01, .*, tw:n19 and 5 more$"):
        saved.bindings({"who": "tw:nope", "text": "x"}, PREFIXES, many)


def test_enumerated_values_are_read_from_the_graph(store):
    from kg.query.choices import choices

    saved = SAVED
    assert [v.value[len(TW):] for v in choices(saved["causes-by-source"], store)["source"]] == [
        "als-association", "healthline", "medical-news-today", "medlineplus", "nhs", "provided-reference", "webmd"]
    assert [v.value[len(TW):] for v in choices(saved["cause-profile"], store)["cause"]] == sorted(CAUSES)
    assert choices(saved["causes"], store) == {}
