"""kg/manchester.py: class expressions, axioms and whole frames against hand-written Manchester syntax
(https://www.w3.org/TR/owl2-manchester-syntax/), over a small ontology written for these tests."""

from __future__ import annotations

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.manchester import Name, Renderer, text

EX = "http://example.org/zoo#"
XSD = "http://www.w3.org/2001/XMLSchema#"
ZOO = """
@prefix : <http://example.org/zoo#> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

:Animal a owl:Class ; rdfs:label "animal"@en .
:Plant a owl:Class ; rdfs:label "plant"@en .
:Rock a owl:Class .
:Herbivore a owl:Class ; rdfs:label "herbivore"@en ;
    rdfs:subClassOf :Animal ;
    owl:equivalentClass [ a owl:Class ; owl:intersectionOf ( :Animal
        [ a owl:Restriction ; owl:onProperty :eats ; owl:allValuesFrom :Plant ] ) ] .
:Carnivore a owl:Class ; rdfs:label "meat eater"@en ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :eats ; owl:someValuesFrom :Animal ] ,
        [ a owl:Restriction ; owl:onProperty :eats ; owl:minQualifiedCardinality "1"^^xsd:nonNegativeInteger ;
          owl:onClass :Animal ] ,
        [ a owl:Restriction ; owl:onProperty :hasLegs ; owl:maxCardinality "4"^^xsd:nonNegativeInteger ] ;
    owl:disjointWith :Herbivore .
:Pet a owl:Class ; rdfs:label "pet"@en ;
    owl:equivalentClass [ a owl:Class ; owl:unionOf ( :Herbivore [ a owl:Class ; owl:complementOf :Carnivore ] ) ] ;
    rdfs:subClassOf [ a owl:Restriction ; owl:onProperty :livesIn ; owl:hasValue :home ] ,
        [ a owl:Restriction ; owl:onProperty :hasLegs ; owl:cardinality "2"^^xsd:nonNegativeInteger ] .
:Size a owl:Class ; rdfs:label "size"@en ; owl:equivalentClass [ a owl:Class ; owl:oneOf ( :small :large ) ] .
[] a owl:AllDisjointClasses ; owl:members ( :Animal :Plant :Rock ) .

:eats a owl:ObjectProperty ; rdfs:label "eats"@en ; rdfs:domain :Animal ;
    owl:inverseOf :eatenBy ; rdfs:subPropertyOf :interactsWith .
:eatenBy a owl:ObjectProperty ; rdfs:label "eaten by"@en .
:interactsWith a owl:ObjectProperty, owl:SymmetricProperty ; rdfs:label "interacts with"@en .
:livesIn a owl:ObjectProperty, owl:FunctionalProperty, owl:TransitiveProperty ; rdfs:label "lives in"@en ;
    rdfs:range [ a owl:Class ; owl:unionOf ( :Animal :Plant ) ] ;
    owl:propertyChainAxiom ( :livesIn :livesIn ) .
:hasLegs a owl:DatatypeProperty ; rdfs:label "has legs"@en ; rdfs:range xsd:integer .

:home a owl:NamedIndividual ; rdfs:label "home"@en .
:small a owl:NamedIndividual, :Size ; rdfs:label "small"@en ; :hasLegs 0 ; :livesIn :home .
:large a owl:NamedIndividual, :Size ; rdfs:label "large"@en .
[] a owl:AllDifferent ; owl:distinctMembers ( :small :large ) .
"""


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    graph = Graph().parse(data=ZOO, format="turtle")
    labels = {str(s): str(o) for s, o in graph.subject_objects(RDFS.label)}
    return Renderer(graph, lambda term: labels.get(str(term)), {"zoo": EX, "xsd": XSD})


def _frame(renderer: Renderer, local: str) -> str:
    """A frame as Manchester syntax text, one section a line, items comma-separated."""
    return "\n".join(f"{keyword} " + ", ".join(text(item) for item in items)
                     for keyword, items in renderer.frame(URIRef(EX + local)))


#: (term, what it is about, its frame written by hand in Manchester syntax).
FRAMES = [
    ("Herbivore", "a defined class: intersection and only",
     "EquivalentTo: animal and (eats only plant)\nSubClassOf: animal\nDisjointWith: 'meat eater'"),
    ("Carnivore", "some, qualified min, max; disjointness stated on the other class",
     "SubClassOf: eats min 1 animal, eats some animal, 'has legs' max 4\nDisjointWith: herbivore"),
    ("Pet", "union, complement, value, exactly",
     "EquivalentTo: herbivore or not 'meat eater'\nSubClassOf: 'has legs' exactly 2, 'lives in' value home"),
    ("Size", "an enumeration", "EquivalentTo: {small, large}"),
    ("Animal", "AllDisjointClasses: the other members; an unlabelled name prefixed", "DisjointWith: plant, zoo:Rock"),
    ("Rock", "AllDisjointClasses, from an unlabelled member", "DisjointWith: animal, plant"),
    ("eats", "an object property", "Domain: animal\nSubPropertyOf: 'interacts with'\nInverseOf: 'eaten by'"),
    ("eatenBy", "an inverse stated on the other property", "InverseOf: eats"),
    ("livesIn", "characteristics, a class expression as range, a chain",
     "Characteristics: Functional, Transitive\nRange: animal or plant\nSubPropertyChain: 'lives in' o 'lives in'"),
    ("hasLegs", "a data property", "Range: xsd:integer"),
    ("small", "an individual: types, facts (a literal, an individual), AllDifferent",
     "Types: size\nFacts: 'has legs' 0, 'lives in' home\nDifferentFrom: large"),
]


@pytest.mark.parametrize("local,about,expected", FRAMES, ids=[f[0] for f in FRAMES])
def test_a_frame_is_the_hand_written_manchester_syntax(renderer, local, about, expected):
    assert _frame(renderer, local) == expected, about


def test_nothing_stated_is_an_empty_frame(renderer):
    assert renderer.frame(URIRef(EX + "home")) == []


def test_pieces_name_every_term_by_its_iri(renderer):
    (_keyword, (expression,)), *_ = renderer.frame(URIRef(EX + "Herbivore"))
    assert expression == [Name(URIRef(EX + "Animal"), "animal"), " and ", "(",
                          Name(URIRef(EX + "eats"), "eats"), " only ", Name(URIRef(EX + "Plant"), "plant"), ")"]


def test_axioms_render_as_before(renderer):
    """The one-axiom form ``twitch-kg explain`` prints is the same text the pieces join to."""
    graph = renderer.graph
    herbivore = URIRef(EX + "Herbivore")
    definition = {t for t in graph if t[0] == herbivore and t[1] != RDFS.label}
    equivalence = {t for t in definition if "equivalentClass" in t[1]}
    closure = set(equivalence)
    todo = [t[2] for t in equivalence]
    while todo:
        for t in graph.triples((todo.pop(), None, None)):
            closure.add(t)
            if isinstance(t[2], BNode):
                todo.append(t[2])
    assert renderer.axiom(closure) == "herbivore EquivalentTo: animal and (eats only plant)"


def test_literals_as_manchester_syntax_writes_them(renderer):
    assert renderer.name(Literal(4)) == "4"
    assert renderer.name(Literal("1.5", datatype=URIRef(XSD + "decimal"))) == "1.5"
    assert renderer.name(Literal('say "hi"')) == '"say \\"hi\\""'
    assert renderer.name(Literal("twitch", lang="en")) == '"twitch"@en'
    assert renderer.name(Literal("2026-11-29", datatype=URIRef(XSD + "date"))) == '"2026-11-29"^^xsd:date'
