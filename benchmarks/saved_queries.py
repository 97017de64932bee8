"""Time each saved query: the engine alone, and its HTML page and first twin through the app.

    python benchmarks/saved_queries.py [--repeat 50]

Builds (or reuses) the graph, loads it into the in-memory store, and prints the median
milliseconds per saved query with its defaults: the SPARQL run by substitution, the HTML
page (query + template + labels), and the first machine-readable twin (.json or .ttl).
"""

from __future__ import annotations

import argparse
import statistics
import time
from functools import partial

from kg.config import load_settings
from kg.graph import open_graph
from webapp import create_app
from webapp.views.queries import twins


def median_ms(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()
    settings = load_settings()
    store = open_graph(settings, "memory")
    app = create_app(settings=settings, store=store)
    client = app.test_client()
    saved_queries = app.extensions["twitch_kg"].saved_queries
    print(f"{'query':<24} {'engine ms':>10} {'page ms':>9} {'twin ms':>9}  (median of {args.repeat})")
    for name, saved in saved_queries.items():
        bound = saved.bindings({}, store.vocab.prefixes)
        engine = median_ms(partial(store.query, saved.sparql, substitutions=bound or None), args.repeat)
        page = median_ms(partial(client.get, f"/queries/{name}"), args.repeat)
        ext = next(iter(twins(saved)))
        twin = median_ms(partial(client.get, f"/queries/{name}.{ext}"), args.repeat)
        print(f"{name:<24} {engine:>10.2f} {page:>9.2f} {twin:>9.2f}")


if __name__ == "__main__":
    main()
