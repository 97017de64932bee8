"""Export of the article's graph: each graph in each format, through the store, against pyoxigraph's dump.

    python benchmarks/export.py [--runs 50] [--store memory]

Times ``kg.export.export`` (what ``twitch-kg export`` and the /export downloads run) on the
current build, and, beside it, pyoxigraph's own ``Store.dump`` of the same graph. Medians;
target: the whole graph as Turtle <= 50 ms. (The million-triple export is in scale.py.)
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import table, timed

from kg.config import load_settings
from kg.export import EXPORT_GRAPHS, export, export_format
from kg.graph import open_graph

FORMATS = ("turtle", "nt", "jsonld", "xml", "trig", "nquads")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--store", default="memory")
    args = parser.parse_args()
    settings = load_settings()
    store = open_graph(settings, args.store)
    raw = getattr(store, "_store", None)
    rows = []
    for graph in EXPORT_GRAPHS:
        for name in FORMATS:
            fmt = export_format(name)
            seconds, content = timed(partial(export, store, graph, fmt), args.runs, warm_up=3)
            dump = None
            assert fmt.rdf_format is not None  # FORMATS are RDF formats
            if raw is not None and graph != "all" and not fmt.rdf_format.supports_datasets:
                iri = ox.NamedNode(store.graph_iris[graph])
                dump, _ = timed(partial(raw.dump, format=fmt.rdf_format, from_graph=iri), args.runs, warm_up=3)
            rows.append([graph, name, len(content) // 1024, seconds * 1000, None if dump is None else dump * 1000])
    print(table(["graph", "format", "kB", "export ms", "pyoxigraph dump ms"], rows,
                f"Export of the article's graph, store {args.store}, median of {args.runs} runs "
                "(target: all as Turtle <= 50 ms)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
