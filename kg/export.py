"""Deterministic, prefixed serialisations of one graph or of all of them.

JSON-LD is compact (IRIs as ``tw:…``) with the context inline: the same prefixes the site publishes at
``BASE/context.jsonld``, written into the file, so the file is read offline by any JSON-LD processor
(Protégé, GraphDB, rdflib, pyoxigraph) without fetching anything. Up to ``COMPACT_JSONLD_LIMIT``
triples: the document is made in memory; a larger graph is written as expanded JSON-LD (full IRIs, no
context) streamed by pyoxigraph: the same triples.
"""

from __future__ import annotations

import pyoxigraph as ox

from . import jsonld
from .errors import UnknownChoice
from .formats import DATASET_FORMATS, GRAPH_ALIASES, GRAPH_FORMATS, SSSOM, Format, by_name
from .namespaces import ALL_GRAPH_NAMES, GRAPH_NAMES
from .sssom import mapping_table
from .store import GraphStore

#: "all" is the default graph (ontology, asserted and inferred); a named-only graph is exported by its name.
EXPORT_GRAPHS = ("all", *ALL_GRAPH_NAMES)
EXPORT_FORMATS = tuple(f.name for f in GRAPH_FORMATS + DATASET_FORMATS + (SSSOM,))
#: Triples up to which a JSON-LD export is compacted; beyond, it is streamed expanded (the module's docstring).
COMPACT_JSONLD_LIMIT = 100_000


class GraphNotExportable(UnknownChoice):
    """A graph that a format does not export (the SSSOM table holds the mappings of the whole graph)."""


def export_format(name: str) -> Format:
    name = GRAPH_ALIASES.get(name, name)
    return by_name(GRAPH_FORMATS + DATASET_FORMATS + (SSSOM,), name)


def graph_names(graph: str) -> list[str]:
    if graph == "all":
        return list(GRAPH_NAMES)
    if graph in ALL_GRAPH_NAMES:
        return [graph]
    raise UnknownChoice(f"unknown graph {graph!r}; choose from {', '.join(EXPORT_GRAPHS)}")


def export(store: GraphStore, graph: str, fmt: Format) -> bytes:
    """``graph`` (all, or one graph by name) in ``fmt``; datasets keep the graph names; the
    SSSOM table holds the mappings of all of them."""
    if fmt is SSSOM:
        if graph != "all":
            raise GraphNotExportable(f"the sssom format writes the mappings of the whole graph, not of the {graph} "
                                     "graph: leave --graph out")
        return mapping_table(store)
    assert fmt.rdf_format is not None  # every export format but SSSOM is an RDF format
    names = graph_names(graph)
    if fmt.rdf_format == ox.RdfFormat.JSON_LD and compacts(store, names):
        prefixes = store.vocab.prefixes
        return jsonld.compact(store.triples(names), prefixes, jsonld.context(prefixes)["@context"])
    return store.serialize(names, fmt.rdf_format, store.vocab.prefixes, dataset=fmt in DATASET_FORMATS)


def compacts(store: GraphStore, names: list[str]) -> bool:
    """Whether the JSON-LD export of the graphs ``names`` is compact (``COMPACT_JSONLD_LIMIT``)."""
    return sum(store.count(name) for name in names) <= COMPACT_JSONLD_LIMIT
