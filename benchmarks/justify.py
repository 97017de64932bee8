"""Justifications: how long the rule engine takes for every inferred statement, and HermiT's check.

    python benchmarks/justify.py [--runs 5]

Prints the median time of finding a justification for every inferred statement of the build
(kg.justify.justify, in-process, over the ontology and asserted graphs), of the build's "justify" step
(the same, written as the named graph: kg.justification_graph), of the checker's definitions
(kg.checker.why, found once per served build on the first answer), the sizes of the justifications
found, and the time of HermiT's verification of all of them (kg.justify.verify: each justification
entails its statement and has no axiom too many; one JVM per batch).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import table
from rdflib import Graph

from kg.checker import Checker
from kg.config import load_settings
from kg.graph import open_graph
from kg.justification_graph import justification_graph
from kg.justify import justify, verify
from kg.terms import rdflib_term


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    store = open_graph(load_settings(), "memory")

    def graph(names: list[str]) -> Graph:
        found = Graph()
        for t in store.triples(names):
            found.add((rdflib_term(t.subject), rdflib_term(t.predicate), rdflib_term(t.object)))
        return found

    asserted, inferred = graph(["ontology", "asserted"]), list(graph(["inferred"]))
    times, graph_times, checker_times = [], [], []
    for _ in range(args.runs):
        started = time.perf_counter()
        found = justify(asserted, inferred)
        times.append(time.perf_counter() - started)
        started = time.perf_counter()
        written = justification_graph(asserted, graph(["inferred"]), store.vocab)
        graph_times.append(time.perf_counter() - started)
        checker = Checker.from_store(store)
        started = time.perf_counter()
        _definitions = checker.definitions
        checker_times.append(time.perf_counter() - started)
    started = time.perf_counter()
    verdicts = verify(found)
    verified = time.perf_counter() - started
    sizes = Counter(len(ids[0]) for ids in found.found.values())
    print(table(["what", "figure"], [
        ["inferred statements", len(inferred)],
        ["with a justification", len(found.found)],
        ["axioms per justification (size: statements)", ", ".join(f"{k}: {v}" for k, v in sorted(sizes.items()))],
        [f"rule engine, median of {args.runs} (s)", f"{statistics.median(times):.2f}"],
        [f"the build's justify step (engine + named graph), median of {args.runs} (s)",
         f"{statistics.median(graph_times):.2f}"],
        ["triples in the named graph", len(written)],
        [f"the checker's definitions (first answer of a build), median of {args.runs} (s)",
         f"{statistics.median(checker_times):.2f}"],
        ["HermiT verification of all (s)", f"{verified:.1f}"],
        ["verified: entailed and minimal", sum(v.holds for v in verdicts)],
    ]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
