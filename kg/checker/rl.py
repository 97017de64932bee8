"""The fast path: an OWL 2 RL reasoner in-process (``reasonable``, Rust), one small run per check.

Input: the ontology's logical axioms, the part of the ABox each entered value links to (its
stated and HermiT-inferred facts, collected once), and the presentation individual. OWL 2 RL
derives membership of a defined class in the subclass direction (``Presentation and
(hasFeature some WarningFeature) SubClassOf HasWarningFeature``, union members into the union),
which is all the checker asks; tests/test_checker_agreement.py shows that it concludes exactly
what HermiT concludes for every combination a person can enter.
"""

from __future__ import annotations

from importlib.metadata import version

import reasonable
from rdflib import URIRef
from rdflib.namespace import OWL, RDF


class RuleReasoner:
    """Classifies one individual against the named classes of the TBox, in a few milliseconds."""

    def __init__(self, tbox: tuple[tuple, ...], modules: dict[str, tuple[tuple, ...]]):
        self._tbox = tbox
        self._modules = modules
        self.classes = frozenset(s for s, p, o in tbox if p == RDF.type and o == OWL.Class and isinstance(s, URIRef))
        self.name = f"OWL 2 RL, in-process (reasonable {version('reasonable')})"

    def classify_all(self, cases: dict[URIRef, list[tuple]], mentioned) -> dict[URIRef, frozenset[str]]:
        """The named classes of each of many individuals, in one run.

        The answer for one individual does not depend on the others: no triple links two of them,
        and OWL 2 RL's rules derive a class for an individual only from what it is linked to.
        """
        facts = set(self._tbox)
        for iri in set(mentioned):
            facts.update(self._modules[iri])
        for triples in cases.values():
            facts.update(triples)
        reasoner = reasonable.PyReasoner()
        reasoner.from_graph(list(facts))
        found: dict[URIRef, set[str]] = {individual: set() for individual in cases}
        for s, p, o in reasoner.reason():
            if p == RDF.type and s in found and o in self.classes:
                found[s].add(str(o))
        return {individual: frozenset(classes) for individual, classes in found.items()}
