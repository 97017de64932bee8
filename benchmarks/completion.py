"""Latency of ``/api/complete`` (the query editor's and the header search's completion), embedded store.

    python benchmarks/completion.py [--requests 500]

Starts `twitch-kg serve` on a free loopback port (the embedded store) and sends each kind of
completion request N times over one keep-alive connection: a class after ``a``, the properties of a
typed subject, every property, an entity by a misspelt label (typo-tolerant), prefixes. Prints p50 and
p99 per kind and over all of them.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server
from sparql_endpoint import measure

KINDS = {
    "class after a": {"token": "tw:Ca", "before": "SELECT * WHERE { ?x a "},
    "properties of a class": {"token": "tw:", "before": "SELECT * WHERE { ?x a tw:Cause ; "},
    "every property": {"token": "tw:c", "before": "SELECT * WHERE { ?x "},
    "entity, misspelt": {"token": "twiching", "before": "SELECT * WHERE { ?x tw:canCause "},
    "search suggestion": {"token": "musle twitch", "kind": "entity"},
    "prefix": {"token": "rd", "before": "PREFIX "},
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=500)
    args = parser.parse_args()
    everything: list[float] = []
    with running_server() as (url, _ready):
        parts = urllib.parse.urlsplit(url)
        print(f"/api/complete, {args.requests} requests per kind, one keep-alive client, embedded store")
        print(f"{'kind':<24}{'p50 ms':>9}{'p99 ms':>9}")
        for kind, params in KINDS.items():
            path = "/api/complete?" + urllib.parse.urlencode(params)
            measure(parts.hostname, parts.port, "GET", path, None, {}, 10)  # warm up (the vocabulary is read once)
            times = measure(parts.hostname, parts.port, "GET", path, None, {}, args.requests)
            everything += times
            p99 = statistics.quantiles(times, n=100)[98]
            print(f"{kind:<24}{statistics.median(times) * 1000:>9.2f}{p99 * 1000:>9.2f}")
    p99 = statistics.quantiles(everything, n=100)[98]
    print(f"{'all':<24}{statistics.median(everything) * 1000:>9.2f}{p99 * 1000:>9.2f}")


if __name__ == "__main__":
    main()
