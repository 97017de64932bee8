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
from functools import lru_cache
from pathlib import Path

import owlready2
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from .errors import Inconsistent, ReasonerUnavailable

_INPUT_IRI = "http://twitch-kg.invalid/reasoner-input.owl"
_JVM_FLAGS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto"
_TRIVIAL_TYPES = {OWL.Thing, OWL.NamedIndividual, OWL.Class, RDFS.Resource}


def java_executable() -> str:
    """The java the reasoner will run; a clear error when there is none."""
    java = os.environ.get("TWITCH_KG_JAVA") or shutil.which("java")
    if not java or not os.access(java, os.X_OK):
        raise ReasonerUnavailable(
            "Java was not found: the HermiT OWL reasoner needs Java 11 or newer "
            "(Debian/Ubuntu: apt-get install default-jre-headless), or set TWITCH_KG_JAVA."
        )
    return java


@lru_cache(maxsize=None)
def _fast_java_wrapper(java: str) -> str:
    """A tiny launcher that starts the JVM with quicker start-up flags (about a third faster)."""
    folder = Path(tempfile.mkdtemp(prefix="twitch-kg-java-"))
    wrapper = folder / "java"
    wrapper.write_text(f'#!/bin/sh\nexec "{java}" {_JVM_FLAGS} "$@"\n')
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


def _run_hermit(world: owlready2.World) -> None:
    owlready2.JAVA_EXE = _fast_java_wrapper(java_executable())
    try:
        owlready2.sync_reasoner_hermit(world, infer_property_values=True, debug=0)
    except owlready2.OwlReadyInconsistentOntologyError as exc:
        raise Inconsistent(
            "the ontology and data are inconsistent (HermiT found no model); "
            "an individual is asserted into disjoint or unsatisfiable classes. "
            f"Reasoner said: {str(exc).strip()[:500]}"
        ) from exc
    except owlready2.OwlReadyJavaError as exc:
        raise ReasonerUnavailable(f"the HermiT reasoner failed to run: {str(exc).strip()[:500]}") from exc
    unsatisfiable = sorted(c.iri for c in world.inconsistent_classes() if c is not owlready2.Nothing)
    if unsatisfiable:
        raise Inconsistent("unsatisfiable classes: " + ", ".join(unsatisfiable))


def _superclasses(graph: Graph) -> dict[URIRef, set[URIRef]]:
    """Every named class's named superclasses, transitively, from rdfs:subClassOf and owl:equivalentClass."""
    direct: dict[URIRef, set[URIRef]] = {}
    for sub, sup in graph.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
    for a, b in graph.subject_objects(OWL.equivalentClass):
        if isinstance(a, URIRef) and isinstance(b, URIRef):
            direct.setdefault(a, set()).add(b)
            direct.setdefault(b, set()).add(a)
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
    supers = _superclasses(entailed)
    added = set()
    for individual, cls in entailed.subject_objects(RDF.type):
        if isinstance(individual, URIRef) and isinstance(cls, URIRef):
            for sup in supers.get(cls, ()):
                added.add((individual, RDF.type, sup))
    return added


def _is_informative(triple: tuple) -> bool:
    s, p, o = triple
    if isinstance(o, BNode):
        return False
    if p == RDF.type and (o in _TRIVIAL_TYPES or o == OWL.Ontology):
        return False
    if p in (RDFS.subClassOf, OWL.equivalentClass) and (o == OWL.Thing or o == s):
        return False
    return True


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
    candidates = (after - before) | _materialise_types(entailed)
    inferred = Graph()
    for triple in candidates:
        if triple not in asserted and _is_informative(triple):
            inferred.add(triple)
    return inferred
