"""OWL 2 DL reasoning with HermiT (through owlready2): consistency, classification, realisation.

The reasoner gets the ontology and the asserted data as N-Triples (owlready2 does not read
Turtle) and returns what it entails beyond them: the inferred class hierarchy, every named
type of every individual (materialised over that hierarchy), and inferred property values.
"""

from __future__ import annotations

import io
import os
import shutil
import stat
import tempfile
from functools import cache
from pathlib import Path

import owlready2
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from rdflib.term import Node

from .errors import Inconsistent, ReasonerUnavailable, UnsatisfiableClasses

_INPUT_IRI = "http://twitch-kg.invalid/reasoner-input.owl"
#: Quicker start-up (about a third) for the build's short runs; a long run (many copies of small
#: ontologies, kg.justify.verify) is about twice as fast with the full JIT (LONG_RUN_JVM_FLAGS).
_JVM_FLAGS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
LONG_RUN_JVM_FLAGS = "-XX:+UseSerialGC -Xshare:auto"
_TRIVIAL_TYPES = {OWL.Thing, OWL.NamedIndividual, OWL.Class, RDFS.Resource}


def java_executable() -> str:
    """The java the reasoner will run (TWITCH_KG_JAVA, else java on PATH); a clear error when there is none."""
    named = os.environ.get("TWITCH_KG_JAVA")
    if named:
        path = Path(named)
        problem = ("does not exist" if not path.exists()
                   else "is a folder" if path.is_dir()
                   else "is not executable" if not os.access(path, os.X_OK)
                   else None)
        if problem:
            raise ReasonerUnavailable(
                f"TWITCH_KG_JAVA names {named}, which {problem}: set it to the java program of a Java 11 "
                "or newer, or unset it to use the java on PATH."
            )
        return named
    java = shutil.which("java")
    if not java:
        raise ReasonerUnavailable(
            "Java was not found: the HermiT OWL reasoner needs Java 11 or newer "
            "(Debian/Ubuntu: apt-get install default-jre-headless), or set TWITCH_KG_JAVA."
        )
    return java


@cache
def _fast_java_wrapper(java: str, flags: str = _JVM_FLAGS) -> str:
    """A tiny launcher that starts the JVM with ``flags``."""
    folder = Path(tempfile.mkdtemp(prefix="twitch-kg-java-"))
    wrapper = folder / "java"
    wrapper.write_text(f'#!/bin/sh\nexec "{java}" {flags} "$@"\n')
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    return str(wrapper)


def _owlready_world(asserted: Graph) -> owlready2.World:
    world = owlready2.World()
    onto = world.get_ontology(_INPUT_IRI)
    nt = asserted.serialize(format="nt", encoding="utf-8")
    onto.load(fileobj=io.BytesIO(nt), format="ntriples")
    return world


def _named_triples(world: owlready2.World) -> set[tuple]:
    """The world's triples whose subject is an IRI, as rdflib terms."""
    graph = world.as_rdflib_graph()
    return {(s, p, o) for s, p, o in graph.triples((None, None, None)) if isinstance(s, URIRef)}


def _run_hermit(world: owlready2.World, flags: str = _JVM_FLAGS) -> None:
    owlready2.JAVA_EXE = _fast_java_wrapper(java_executable(), flags)
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        raise Inconsistent(
            "the ontology and data are inconsistent (HermiT found no model)"
        ) from exc
    except owlready2.OwlReadyJavaError as exc:
        raise ReasonerUnavailable(f"the HermiT reasoner failed to run: {str(exc).strip()[:500]}") from exc
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    if unsatisfiable:
        raise UnsatisfiableClasses("unsatisfiable classes: " + ", ".join(unsatisfiable))


def _ancestors(graph: Graph, sub_of, equivalent) -> dict[URIRef, set[URIRef]]:
    """Every named term's named ancestors, transitively, by ``sub_of`` and ``equivalent`` (both ways)."""
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in graph.subject_objects(sub_of):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
    for a, b in graph.subject_objects(equivalent):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            direct.setdefault(a, set()).add(b)
            direct.setdefault(b, set()).add(a)
    return _transitive(direct)


def _transitive(direct: dict[URIRef, set[URIRef]]) -> dict[URIRef, set[URIRef]]:
    """The transitive closure of a relation given as successor sets, without reflexive pairs."""
    closure: dict[URIRef, set[URIRef]] = {}
    for start in direct:
        seen: set[URIRef] = set()
        stack = list(direct[start])
        while stack:
            cls = stack.pop()
            if cls not in seen:
                seen.add(cls)
                stack.extend(direct.get(cls, ()))
        seen.discard(start)
        closure[start] = seen
    return closure


def _materialise_types(entailed: Graph) -> set[tuple]:
    """rdf:type triples for every named superclass of every named type of an individual."""
    supers = _ancestors(entailed, RDFS.subClassOf, OWL.equivalentClass)
    added = set()
    for individual, cls in entailed.subject_objects(RDF.type):
        if isinstance(individual, URIRef) and isinstance(cls, URIRef):
            for sup in supers.get(cls, ()):
                added.add((individual, RDF.type, sup))
    return added


def _materialise_property_values(entailed: Graph) -> set[tuple]:
    """The value of every named super-property and inverse property for every property assertion
    between individuals, to a fixpoint.

    HermiT entails them (``x canTrigger y`` and ``canTrigger SubPropertyOf canCause`` give
    ``x canCause y``; ``c criterionFeature f`` and ``meetsCriterion InverseOf criterionFeature`` give
    ``f meetsCriterion c``); owlready2 reports only the values of the properties it was asked about,
    and shows an asserted value's inverse before reasoning, so ``infer`` would not count it as concluded.
    The values returned include those ``entailed`` holds (the caller leaves out the asserted ones).
    """
    supers = _ancestors(entailed, RDFS.subPropertyOf, OWL.equivalentProperty)
    inverses: dict[URIRef, set[URIRef]] = {}
    for p, q in entailed.subject_objects(OWL.inverseOf):
        if isinstance(p, URIRef) and isinstance(q, URIRef):
            inverses.setdefault(p, set()).add(q)
            inverses.setdefault(q, set()).add(p)
    found: set[tuple] = {(s, p, o) for prop in supers.keys() | inverses.keys()
                         for s, p, o in entailed.triples((None, prop, None))
                         if isinstance(s, URIRef) and isinstance(o, URIRef)}
    pending = list(found)
    while pending:
        s, p, o = pending.pop()
        for derived in [(s, up, o) for up in supers.get(p, ())] + [(o, inv, s) for inv in inverses.get(p, ())]:
            if derived not in found:
                found.add(derived)
                if derived[1] in supers or derived[1] in inverses:
                    pending.append(derived)
    return found


def is_informative(triple: tuple) -> bool:
    s, p, o = triple
    if isinstance(o, BNode):
        return False
    if p == RDF.type and (o in _TRIVIAL_TYPES or o == OWL.Ontology):
        return False
    if p in (RDFS.subClassOf, OWL.equivalentClass) and (o == OWL.Thing or o == s):
        return False
    return True


def is_consistent(graph: Graph) -> bool:
    """True when HermiT finds a model of ``graph``."""
    try:
        _run_hermit(_owlready_world(graph))
    except UnsatisfiableClasses:
        return True
    except Inconsistent:
        return False
    return True


def _first_inconsistent_prefix(ontology: Graph, groups: list[Graph]) -> int | None:
    """The smallest k such that ontology + groups[:k] is inconsistent (OWL is monotonic)."""

    def union(k: int) -> Graph:
        graph = Graph()
        for triple in ontology:
            graph.add(triple)
        for group in groups[:k]:
            for triple in group:
                graph.add(triple)
        return graph

    if is_consistent(union(len(groups))):
        return None
    low, high = 0, len(groups)  # union(low) consistent is unknown for 0; union(high) inconsistent
    if not is_consistent(union(0)):
        return 0
    while high - low > 1:
        middle = (low + high) // 2
        if is_consistent(union(middle)):
            low = middle
        else:
            high = middle
    return high


def inconsistent_individuals(ontology: Graph, data: Graph) -> list[str]:
    """Individuals whose assertions together make the data inconsistent (a minimal culprit pair).

    A binary search over the individuals (about 2·log2(n) HermiT runs, only on the error path):
    first the individual whose assertions tip the data into inconsistency, then, with that
    one placed first, the earliest other individual it conflicts with. An empty list means
    the ontology is inconsistent without any data.
    """
    subjects = sorted({s for s in data.subjects() if isinstance(s, URIRef)}, key=str)
    groups = {s: _subject_group(data, s) for s in subjects}
    order = list(subjects)
    tipping = _first_inconsistent_prefix(ontology, [groups[s] for s in order])
    if not tipping:
        return []
    culprit = order[tipping - 1]
    reordered = [culprit] + [s for s in order if s != culprit]
    partner = _first_inconsistent_prefix(ontology, [groups[s] for s in reordered])
    found = [culprit]
    if partner and partner > 1:
        found.append(reordered[partner - 1])
    return sorted(str(s) for s in found)


def _subject_group(data: Graph, subject: URIRef) -> Graph:
    """The triples about ``subject``, with the blank-node structures they use."""
    group = Graph()
    pending: list[Node] = [subject]
    seen: set[Node] = set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        for triple in data.triples((node, None, None)):
            group.add(triple)
            if isinstance(triple[2], BNode):
                pending.append(triple[2])
    return group


def infer(asserted: Graph) -> Graph:
    """What HermiT entails from ``asserted`` (ontology + data) and is not asserted in it."""
    world = _owlready_world(asserted)
    before = _named_triples(world)
    _run_hermit(world)
    after = _named_triples(world)
    entailed = Graph()
    for triple in before | after:
        entailed.add(triple)
    for triple in asserted:
        entailed.add(triple)
    candidates = (after - before) | _materialise_types(entailed) | _materialise_property_values(entailed)
    inferred = Graph()
    for triple in candidates:
        if triple not in asserted and is_informative(triple):
            inferred.add(triple)
    return inferred


def entailed_closure(graph: Graph) -> set[tuple]:
    """Every named statement HermiT entails from ``graph`` (asserted ones included): types over the
    whole class hierarchy, property values over the property hierarchy, and subclass links between
    named classes, transitively."""
    world = _owlready_world(graph)
    _run_hermit(world, LONG_RUN_JVM_FLAGS)
    entailed = Graph()
    for triple in _named_triples(world) | set(graph):
        entailed.add(triple)
    found = set(entailed) | _materialise_types(entailed) | _materialise_property_values(entailed)
    for cls, ancestors in _ancestors(entailed, RDFS.subClassOf, OWL.equivalentClass).items():
        found.update((cls, RDFS.subClassOf, ancestor) for ancestor in ancestors)
    return found
