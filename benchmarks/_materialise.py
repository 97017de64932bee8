"""Reasoning at scale: HermiT for the ontology once, OWL 2 RL per article for the individuals.

HermiT through owlready2 grows much faster than the graph (see benchmarks/scale.py), so a
graph of many articles is materialised in two parts that together equal HermiT's answer
(checked at a size HermiT can still do, by ``equivalent``):

- the terminology (class hierarchy, property axioms): HermiT, once, on the ontology with the
  real article (a few hundred triples, about a second);
- the individuals: ``reasonable`` (OWL 2 RL, Rust) on the ontology plus a batch of articles,
  with the memberships in complement classes that OWL 2 RL cannot conclude (and HermiT does)
  proven by kg.justify's non-membership rules and fed back to it. Articles share no individuals
  except the ontology's own (prevalence, severity, ...), so each batch's conclusions are complete,
  and the work grows linearly with the number of articles.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import reasonable
from rdflib import Graph, URIRef
from rdflib.namespace import OWL

from kg import justify, reason

BATCH = 10  # articles per OWL 2 RL run: its time per article grows with the run (1-10: ~15 ms, 50: ~40 ms)


def terminology(ontology_nt: Path, article_nt: Path, own: set[str]) -> set[tuple]:
    """HermiT's conclusions about the ontology's terms (not about any article's individuals)."""
    graph = Graph()
    graph.parse(ontology_nt, format="nt")
    graph.parse(article_nt, format="nt")
    return {t for t in reason.infer(graph) if str(t[0]) not in own}


def _rl(ontology_ttl: Path, extra: set[tuple], batch_ttl: Path) -> set[tuple]:
    """OWL 2 RL's conclusions, with the complement memberships RL cannot draw (kg.justify's sound
    non-membership rules) fed back until there are no more: HermiT proves a defined class such as
    ``Cause and not RequiresProfessionalAttention`` of individuals whose types and functional
    property values exclude the complemented class, and RL alone does not."""
    reasoner = reasonable.PyReasoner()
    reasoner.load_file(str(ontology_ttl))  # blank nodes keep their labels: the same in tbox and in the reasoner
    tbox = Graph()
    for triple in [*reasoner.get_base_triples(), *extra]:
        tbox.add(triple)
    reasoner.load_file(str(batch_ttl))
    if extra:
        reasoner.from_graph(list(extra))
    base = set(reasoner.get_base_triples())
    everything = set(reasoner.reason())
    changed = everything
    while True:
        # each rule concludes about one individual from its own facts: check again only those RL added to
        touched = {t[0] for t in changed}
        proven = justify.complement_members(tbox, [t for t in everything if t[0] in touched])
        if not proven:
            return everything - base
        reasoner.from_graph(list(proven))
        concluded = set(reasoner.reason())
        changed, everything = concluded - everything - proven, concluded


def individuals(ontology_nt: Path, tbox: set[tuple], batch_lines: list[str], subjects: set[str]) -> set[tuple]:
    """OWL 2 RL's conclusions about ``subjects`` (the batch's individuals), as the HermiT build keeps them:
    their named types and their property values, super-properties' and inverses' included (kg.reason.infer
    materialises both). Left out: owl:sameAs of every individual with itself, which RL derives and HermiT
    reports no more than any other tautology."""
    with tempfile.TemporaryDirectory(prefix="twitch-kg-rl-") as folder:
        ontology_ttl = Path(folder) / "ontology.ttl"  # reasonable reads .ttl (N-Triples is Turtle)
        ontology_ttl.write_bytes(ontology_nt.read_bytes())
        batch_ttl = Path(folder) / "batch.ttl"
        batch_ttl.write_text("".join(batch_lines), encoding="utf-8")
        concluded = _rl(ontology_ttl, tbox, batch_ttl)
    return {
        t for t in concluded
        if isinstance(t[0], URIRef) and str(t[0]) in subjects and t[1] != OWL.sameAs and reason.is_informative(t)
    }


def to_ntriples(triples) -> str:
    return "".join(f"{s.n3()} {p.n3()} {o.n3()} .\n" for s, p, o in triples)
