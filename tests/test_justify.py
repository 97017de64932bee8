"""Issue 14: a justification for every conclusion of the reasoner, verified by HermiT.

The rule engine (kg/justify.py) proposes a minimal set of asserted axioms for each inferred
statement; the build writes them as the named graph of the justifications (kg/justification_graph.py);
HermiT judges what that graph holds, read back from the served store: each set entails its statement,
and without any one of its axioms it does not. The judge is itself tested on a justification with
one axiom too many and one too few.
"""

from __future__ import annotations

import io

import owlready2
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from kg.justification_graph import read
from kg.justify import Axiom, Justifications, justify, split_axioms, standalone, verify
from kg.manchester import Renderer
from kg.reason import entailed_closure
from support import INFERRED, PROFESSIONAL_ATTENTION, TW

RPA = URIRef(TW + "RequiresProfessionalAttention")
DYSTONIA = URIRef(TW + "dystonia")


def _graph(store, names) -> Graph:
    from kg.terms import rdflib_term

    graph = Graph()
    for t in store.triples(names):
        graph.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
    return graph


@pytest.fixture(scope="module")
def asserted(store) -> Graph:
    return _graph(store, ["ontology", "asserted"])


@pytest.fixture(scope="module")
def inferred(store) -> list[tuple]:
    return sorted(_graph(store, ["inferred"]), key=lambda t: tuple(map(str, t)))


@pytest.fixture(scope="module")
def engine(asserted, inferred) -> Justifications:
    """What the rule engine finds, in this process."""
    return justify(asserted, inferred)


@pytest.fixture(scope="module")
def justifications(store, asserted) -> Justifications:
    """What the build wrote in the named graph of the justifications, read back from the store."""
    return read(_graph(store, ["justifications"]), asserted)


def test_the_named_graph_holds_what_the_engine_finds(justifications, engine, inferred, renderer):
    """Each statement's justifications, smallest first, axiom for axiom (rendered: blank nodes differ)."""
    written = Renderer(_graph_of_axioms(justifications), renderer.label, renderer.prefixes)
    for statement in inferred:
        assert ([sorted(written.axiom(a.triples) for a in axioms) for axioms in justifications.all_of(statement)]
                == [sorted(renderer.axiom(a.triples) for a in axioms) for axioms in engine.all_of(statement)])


def _graph_of_axioms(justifications) -> Graph:
    graph = Graph()
    for axiom in justifications.axioms:
        for triple in axiom.triples:
            graph.add(triple)
    return graph


def test_every_inferred_statement_has_a_justification(justifications, inferred):
    assert len(inferred) == INFERRED
    assert [t for t in inferred if t not in justifications.found] == []


def test_hermit_proves_every_justification_and_that_none_has_an_axiom_too_many(justifications):
    """All of them, in batches (one JVM per batch): entailed, and not without any one of its axioms."""
    verdicts = verify(justifications)
    assert len(verdicts) == INFERRED
    assert [v.statement for v in verdicts if not v.entailed] == []
    assert [(v.statement, v.removable) for v in verdicts if v.removable] == []


def test_the_judge_catches_an_axiom_too_many_and_one_too_few(justifications):
    statement = (DYSTONIA, RDF.type, RPA)
    smallest = justifications.found[statement][0]
    caffeine = (URIRef(TW + "caffeine-and-stimulants"), URIRef(TW + "hasSeverity"), URIRef(TW + "benign"))
    unrelated = next(i for i, axiom in enumerate(justifications.axioms) if caffeine in axiom.triples)
    too_many = Justifications(justifications.axioms, justifications.declarations,
                              {statement: [tuple(sorted((*smallest, unrelated)))]})
    too_few = Justifications(justifications.axioms, justifications.declarations, {statement: [smallest[1:]]})
    (many,) = verify(too_many)
    (few,) = verify(too_few)
    assert (many.entailed, many.removable) == (True, (unrelated,))
    assert few.entailed is False


def _axioms(justifications, statement, renderer) -> list[list[str]]:
    written = Renderer(_graph_of_axioms(justifications), renderer.label, renderer.prefixes)
    return [sorted(written.axiom(a.triples) for a in axioms) for axioms in justifications.all_of(statement)]


@pytest.fixture(scope="module")
def renderer(asserted, store) -> Renderer:
    labels = {str(s): str(o) for s, o in asserted.subject_objects(RDFS.label) if getattr(o, "language", None) == "en"}
    return Renderer(asserted, lambda term: labels.get(str(term)), store.vocab.prefixes)


def test_dystonia_needs_professional_attention_because_of_its_class_or_its_severity(justifications, renderer):
    definition = ("'requires professional attention' EquivalentTo: (cause and ('has severity' value 'more serious'))"
                  " or 'neurological disorder' or 'autoimmune disorder'")
    found = _axioms(justifications, (DYSTONIA, RDF.type, RPA), renderer)
    assert found[0] == ["'movement disorder' SubClassOf: 'neurological disorder'", definition,
                        "dystonia Type: 'movement disorder'"]
    assert [("'requires professional attention' EquivalentTo: (cause and ('has severity' value 'more serious')) "
             "or 'neurological disorder' or 'autoimmune disorder'"), "'underlying medical condition' SubClassOf: cause",
            "dystonia 'has severity' 'more serious'", "dystonia Type: 'underlying medical condition'"] in found


def test_a_common_cause_is_proved_not_placed_among_the_serious_ones(justifications, renderer):
    """Not OWL 2 RL: it takes disjointness, a functional property and different individuals."""
    statement = (URIRef(TW + "caffeine-and-stimulants"), RDF.type, URIRef(TW + "NotPlacedAmongSeriousCauses"))
    (first, *_rest) = _axioms(justifications, statement, renderer)
    assert first == [
        "'caffeine and stimulants' 'has severity' 'not among the more serious'",
        "'caffeine and stimulants' Type: 'stimulant use'",
        "'has severity' Characteristics: Functional",
        "'has severity' Domain: cause",
        "'lifestyle factor' DisjointWith: 'autoimmune disorder'",
        "'lifestyle factor' DisjointWith: 'neurological disorder'",
        ("'not placed among the causes requiring professional attention' EquivalentTo: cause and not "
         "'requires professional attention'"),
        ("'requires professional attention' EquivalentTo: (cause and ('has severity' value 'more serious')) or "
         "'neurological disorder' or 'autoimmune disorder'"),
        "'stimulant use' SubClassOf: 'lifestyle factor'",
        "DifferentIndividuals: 'common (our reading)', 'less common', 'not among the more serious', 'more serious'",
    ]


def test_a_class_subsumption_is_justified_too(justifications, renderer):
    statement = (URIRef(TW + "AttributedToSeriousCause"), RDFS.subClassOf, URIRef(TW + "NeedsProfessionalAttention"))
    assert _axioms(justifications, statement, renderer)[0] == [
        ("'attributed to a more serious cause' EquivalentTo: presentation and ('attributed to' some "
         "'requires professional attention')"),
        "'attributed to a more serious cause' SubClassOf: needs value 'professional attention'",
        "'needs professional attention' EquivalentTo: presentation and (needs value 'professional attention')",
    ]


def test_the_standalone_ontology_holds_exactly_the_justification_and_hermit_proves_it(justifications):
    """Loaded alone into owlready2 (as N-Triples: it reads no Turtle), with its axiom count checked so that
    an empty load cannot pass."""
    statement = (DYSTONIA, RDF.type, RPA)
    graph = standalone(justifications, statement)
    axioms = justifications.of(statement)
    assert {t for a in axioms for t in a.triples} <= set(graph)
    world = owlready2.World()
    onto = world.get_ontology("http://twitch-kg.invalid/justification.owl")
    onto.load(fileobj=io.BytesIO(graph.serialize(format="nt", encoding="utf-8")), format="ntriples")
    roots = {t for a in axioms for t in a.triples if isinstance(t[0], URIRef)}
    assert len(roots) == len(axioms) == 3
    loaded = {t for t in world.as_rdflib_graph() if isinstance(t[0], URIRef)}
    assert {t for t in roots if isinstance(t[2], URIRef)} <= loaded  # dystonia's type, the subclass link
    assert (RPA, OWL.equivalentClass) in {(s, p) for s, p, _o in loaded}  # the definition, a class expression
    assert statement in entailed_closure(graph)


# ---------------------------------------------------------------- twitch-kg explain


def test_explain_lists_the_severity_fact_and_the_class_definition(cli):
    code, out, err = cli("explain", "tw:dystonia")
    assert (code, err) == (0, "")
    assert "dystonia Type: 'requires professional attention'\n  because (1 of 3):\n" in out
    assert "    - dystonia 'has severity' 'more serious'\n" in out
    assert ("    - 'requires professional attention' EquivalentTo: (cause and ('has severity' value 'more serious'))"
            " or 'neurological disorder' or 'autoimmune disorder'\n") in out
    assert "dystonia needs 'professional attention'\n" in out  # the escalation need, explained too


def test_explain_one_statement_as_owl_that_hermit_proves_from_it_alone(cli):
    code, out, err = cli("explain", "tw:dystonia", "rdf:type", "tw:RequiresProfessionalAttention", "--format", "turtle")
    assert (code, err) == (0, "")
    graph = Graph().parse(data=out, format="turtle")
    assert len(list(graph.subjects(RDF.type, OWL.Ontology))) == 1
    assert (DYSTONIA, RDF.type, RPA) not in graph
    assert (DYSTONIA, RDF.type, RPA) in entailed_closure(graph)


@pytest.mark.parametrize("args, code, message", [
    (("tw:nothing",), 2, "twitch-kg: error: tw:nothing is not the subject of any statement in the graph\n"),
    (("tw:dystonia", "rdf:type", "tw:Source"), 2,
     "twitch-kg: error: tw:dystonia rdf:type tw:Source is neither asserted nor inferred\n"),
    (("tw:dystonia", "rdf:type"), 2, "twitch-kg: error: explain takes SUBJECT, or SUBJECT PREDICATE OBJECT\n"),
    (("tw:dystonia", "--format", "turtle"), 2, ("twitch-kg: error: --format turtle writes the justification of one "
                                                "inferred statement: give SUBJECT PREDICATE OBJECT\n")),
])
def test_explain_bad_input_is_one_line_and_exit_2(cli, args, code, message):
    assert cli("explain", *args) == (code, "", message)


def test_explain_an_asserted_statement_has_nothing_to_explain(cli):
    assert cli("explain", "tw:dystonia", "a", "tw:MovementDisorder") == (
        0, "dystonia Type: 'movement disorder'\n  asserted, nothing to explain\n", "")


def _section(html: str, css_class: str) -> str:
    return html.split(f'<section class="{css_class}"', 1)[1].split("</section>", 1)[0]


def _linked(slug: str, label: str) -> str:
    return f'<span class="term"><a href="/id/{slug}">{label}</a></span>'


def test_an_entity_page_says_why_for_each_inferred_statement(client):
    """Each inferred statement about an entity opens to its smallest justification: the facts first, then
    the definitions, each in plain words with its entities linked, and beside it in Manchester syntax."""
    html = client.get("/id/dystonia", headers={"Accept": "text/html"}).get_data(as_text=True)
    section = _section(html, "why")
    assert section.count('<details class="justification">') == 5
    assert "<summary>dystonia belongs to requires professional attention</summary>" in section
    assert "<summary>dystonia needs professional attention</summary>" in section
    professional = section.split("<summary>dystonia belongs to requires professional attention</summary>", 1)[1]
    professional = professional.split("</details>", 1)[0]
    steps = [step.split("</li>", 1)[0] for step in professional.split("<li ")[1:]]
    assert steps == [
        (f'class="fact"><span class="step-kind">Fact:</span>\n          {_linked("dystonia", "dystonia")} belongs to '
         f'{_linked("MovementDisorder", "movement disorder")} <code class="manchester">dystonia Type: '
         "&#39;movement disorder&#39;</code>\n          "  # the article's words for the fact
         '<span class="step-quote"><a href="/id/claim-dystonia">The article</a>: '
         "“A group of rare conditions causing involuntary muscle spasms.”</span>"),
        (f'class="definition"><span class="step-kind">Definition:</span>\n          whatever belongs to '
         f'{_linked("MovementDisorder", "movement disorder")} belongs to '
         f'{_linked("NeurologicalDisorder", "neurological disorder")} <code class="manchester">&#39;movement '
         "disorder&#39; SubClassOf: &#39;neurological disorder&#39;</code>"),
        (f'class="definition"><span class="step-kind">Definition:</span>\n          '
         f'{_linked("RequiresProfessionalAttention", "requires professional attention")} is defined as: (cause and '
         "(&#39;has severity&#39; value &#39;more serious&#39;)) or &#39;neurological disorder&#39; or "
         "&#39;autoimmune disorder&#39; <code class=\"manchester\">&#39;requires professional attention&#39; "
         "EquivalentTo: (cause and (&#39;has severity&#39; value &#39;more serious&#39;)) or &#39;neurological "
         "disorder&#39; or &#39;autoimmune disorder&#39;</code>"),
    ]


def test_a_class_page_says_why_each_inferred_member_is_one(client, store):
    html = client.get("/id/RequiresProfessionalAttention", headers={"Accept": "text/html"}).get_data(as_text=True)
    section = _section(html, "why-members")
    labels = {row[0]: row[1] for row in _labels(store, PROFESSIONAL_ATTENTION)}
    summaries = [s.split("</summary>", 1)[0] for s in section.split("<summary>")[1:]]
    # every one of the seven is inferred (nobody asserted it), each with its own justification
    assert sorted(summaries) == sorted(f"{labels[slug]} belongs to requires professional attention"
                                       for slug in PROFESSIONAL_ATTENTION)
    als = section.split("<summary>amyotrophic lateral sclerosis belongs to", 1)[1].split("</details>", 1)[0]
    assert als.count("<li ") == 2
    assert ('<code class="manchester">&#39;amyotrophic lateral sclerosis&#39; Type: &#39;neurological '
            "disorder&#39;</code>") in als


def _labels(store, slugs):
    from support import select

    values = " ".join(f"tw:{slug}" for slug in slugs)
    return select(store, f"SELECT ?x ?label WHERE {{ VALUES ?x {{ {values} }} ?x rdfs:label ?label }}")


# ---------------------------------------------------------------- the checker's answer

CHECK = {"features": ["persistent-twitching"], "condition": "dystonia"}


def test_the_checker_answer_has_a_justification_per_class(checker):
    answer = checker.check(checker.presentation(**CHECK))
    why = {j.cls.slug: j for j in answer.why}
    assert sorted(why) == sorted(c.item.slug for c in answer.classes) == [
        "AttributedToSeriousCause", "HasWarningFeature", "NeedsDoctorConsultation", "NeedsProfessionalAttention"]
    professional = why["NeedsProfessionalAttention"]
    assert (professional.entered.property.slug, professional.entered.value.slug) == ("diagnosedCondition", "dystonia")
    assert [(step.fact, step.axiom) for step in professional.steps] == [
        (True, "dystonia Type: 'movement disorder'"),
        (False, ("'attributed to a more serious cause' EquivalentTo: presentation and ('attributed to' some "
                 "'requires professional attention')")),
        (False, "'attributed to a more serious cause' SubClassOf: needs value 'professional attention'"),
        (False, "'diagnosed condition' SubPropertyOf: 'attributed to'"),
        (False, "'movement disorder' SubClassOf: 'neurological disorder'"),
        (False, ("'needs professional attention' EquivalentTo: presentation and (needs value 'professional "
                 "attention')")),
        (False, ("'requires professional attention' EquivalentTo: (cause and ('has severity' value 'more serious')) "
                 "or 'neurological disorder' or 'autoimmune disorder'")),
    ]
    (consultation,) = [j for j in answer.to_json()["why"] if j["class"]["id"] == "NeedsDoctorConsultation"]
    assert consultation["entered"]["value"]["id"] == "persistent-twitching"
    assert consultation["steps"][0] == {"words": [["term", TW + "persistent-twitching"], ["text", " belongs to "],
                                                  ["term", TW + "WarningFeature"]],
                                        "axiom": "persistent Type: 'warning feature'", "fact": True}


def test_hermit_proves_each_checker_justification_from_what_was_entered_and_its_steps(checker, asserted):
    """Every option of every input, and a typed symptom, in one batch: HermiT entails the class each time."""
    presentations = [checker.presentation(features=[item.slug]) for item in checker.options["feature"].items]
    presentations += [checker.presentation(triggers=[item.slug]) for item in checker.options["trigger"].items]
    presentations += [checker.presentation(condition=item.slug) for item in checker.options["condition"].items]
    presentations.append(checker.presentation(symptoms=["my eyelid feels heavy"]))
    axioms: list[Axiom] = []
    found = {}
    declarations = split_axioms(asserted)[1]
    for presentation in presentations:
        answer = checker.check(presentation)
        assert [j.cls for j in answer.why] == [c.item for c in answer.classes]  # one value: every class justified
        me, entered = checker.individual(presentation)
        for j in answer.why:
            ids = []
            for triples in [frozenset(entered)] + [step.triples for step in j.steps]:
                ids.append(len(axioms))
                axioms.append(Axiom(triples))
            found[(me, RDF.type, URIRef(j.cls.iri))] = [tuple(ids)]
    assert len(found) == 28  # (presentation, class) pairs: one per class of each answer
    verdicts = verify(Justifications(axioms, declarations, found))
    assert [v.statement for v in verdicts if not v.entailed] == []


def test_the_checker_page_shows_the_justification(client):
    html = client.get("/check?feature=persistent-twitching&condition=dystonia",
                      headers={"Accept": "text/html"}).get_data(as_text=True)
    section = _section(html, "why")
    assert section.count('<details class="justification">') == 4
    assert ('<li class="entered"><span class="step-kind">You entered:</span> diagnosed condition '
            "<em>dystonia</em></li>") in section
    assert ('<code class="manchester">&#39;needs professional attention&#39; EquivalentTo: presentation and '
            "(needs value &#39;professional attention&#39;)</code>") in section
