"""load → validate (pySHACL) → reason (HermiT) → materialise the artefact, timing each step."""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from . import anchors, reason, sources, validate
from . import artefact as artefacts
from .config import Settings
from .errors import Inconsistent, UnsatisfiableClasses
from .justification_graph import justification_graph
from .namespaces import Vocabulary


@dataclass
class BuildReport:
    artefact: artefacts.Artefact
    cached: bool
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def counts(self) -> dict[str, int]:
        return self.artefact.manifest["counts"]


class _Stopwatch:
    def __init__(self) -> None:
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str):
        start = time.perf_counter()
        try:
            yield
        finally:
            self.timings[name] = time.perf_counter() - start


def _counts(ontology: Graph, data: Graph, inferred: Graph) -> dict[str, int]:
    union = ontology + data
    classes = {c for c in union.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)}
    individuals = {i for i in union.subjects(RDF.type, OWL.NamedIndividual) if isinstance(i, URIRef)}
    return {
        "ontology": len(ontology),
        "asserted": len(data),
        "inferred": len(inferred),
        "classes": len(classes),
        "individuals": len(individuals),
    }


def _reason_or_explain(ontology: Graph, data: Graph) -> Graph:
    """HermiT's inferences; on inconsistency, an error naming the individuals involved."""
    try:
        return reason.infer(ontology + data)
    except UnsatisfiableClasses:
        raise
    except Inconsistent as exc:
        culprits = reason.inconsistent_individuals(ontology, data)
        where = (("the statements about " + " and ".join(culprits)) if culprits
                 else "the ontology itself (no data needed)")
        raise Inconsistent(f"the ontology and data are inconsistent: the conflict involves {where}") from exc


def check(settings: Settings) -> tuple[Graph, Graph, Graph]:
    """Load and validate: SHACL, then consistency. Returns (ontology, data, inferred)."""
    ontology = sources.load_ontology(settings)
    data = sources.load_data(settings)
    validate.check(data, sources.load_shapes(settings), ontology)
    anchors.check(data, settings)
    inferred = _reason_or_explain(ontology, data)
    return ontology, data, inferred


def build(settings: Settings, force: bool = False) -> BuildReport:
    """Build the artefact, or reuse it when the inputs have not changed."""
    watch = _Stopwatch()
    with watch.step("hash"):
        key = artefacts.input_hash(settings)
        existing = None if force else artefacts.current(settings)
    if existing is not None:
        return BuildReport(existing, cached=True, timings=watch.timings)
    with watch.step("load"):
        ontology = sources.load_ontology(settings)
        data = sources.load_data(settings)
        shapes = sources.load_shapes(settings)
    with watch.step("validate"):
        validate.check(data, shapes, ontology)
        anchors.check(data, settings)
    with watch.step("reason"):
        inferred = _reason_or_explain(ontology, data)
    vocab = Vocabulary(settings.base_iri)
    with watch.step("justify"):
        justifications = justification_graph(ontology + data, inferred, vocab)
    with watch.step("write"):
        graphs = {"ontology": ontology, "asserted": data, "inferred": inferred, "justifications": justifications,
                  "shapes": shapes}
        content = artefacts.render(graphs, vocab.graph_iris)
        manifest = {
            "input_hash": key,
            "base_iri": settings.base_iri,
            "graphs": vocab.graph_iris,
            "counts": {**_counts(ontology, data, inferred), "justifications": len(justifications),
                       "shapes": len(shapes)},
        }
        built = artefacts.write(settings.build_dir, content, manifest)
    return BuildReport(built, cached=False, timings=watch.timings)


def ensure_built(settings: Settings) -> artefacts.Artefact:
    """The current artefact, building it first if the inputs changed or none exists."""
    return build(settings).artefact
