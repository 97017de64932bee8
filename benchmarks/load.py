"""Bounded load test on loopback: concurrent clients, a mix of the app's real requests.

    python benchmarks/load.py [--clients 32] [--seconds 30]

Starts `twitch-kg serve` (waitress) on a free loopback port, discovers a request mix from
the running app (saved queries, entity pages, exports, presentation checks, SPARQL), and has
N client threads with keep-alive connections send it round-robin for S seconds. Prints
throughput, p50/p99 latency per kind and overall, and the error count (which must be 0).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import statistics
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server

DISCOVER = """
SELECT ?s WHERE { ?s a owl:NamedIndividual } ORDER BY ?s LIMIT 40
"""


def _sparql(url: str, query: str) -> list[str]:
    request = urllib.request.Request(
        url + "/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        data = json.load(response)
    return [next(iter(b.values()))["value"] for b in data["results"]["bindings"]]


def request_mix(url: str) -> list[tuple[str, str, dict]]:
    """(kind, path, headers) for each request of the mix, discovered from the running app."""
    with urllib.request.urlopen(url + "/queries.json", timeout=30) as response:
        listing = json.load(response)
    mix: list[tuple[str, str, dict]] = [("saved-query", saved["formats"][0]["url"], {}) for saved in listing]
    for iri in _sparql(url, DISCOVER):
        path = "/id/" + iri.split("/id/", 1)[1]
        mix.append(("entity-html", path, {"Accept": "text/html"}))
        mix.append(("entity-turtle", path, {"Accept": "text/turtle"}))
    for graph in ("all", "asserted", "inferred", "ontology"):
        mix.append(("export", f"/export/{graph}.ttl", {}))
    with urllib.request.urlopen(url + "/api/check/options", timeout=30) as response:
        options = json.load(response)
    features = [feature["id"] for feature in options["features"]]
    for feature in features:
        mix.append(("check", "/check?" + urllib.parse.urlencode({"feature": feature}), {"Accept": "text/html"}))
    mix.append(("check", "/check", {"Accept": "text/html"}))
    mix.append(("sparql", "/sparql?" + urllib.parse.urlencode({"query": "SELECT ?c WHERE { ?c a tw:Cause }"}),
                {"Accept": "application/sparql-results+json"}))
    return mix


def client(host: str, port: int, mix, stop_at: float, out: list, start_index: int) -> None:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    for kind, path, headers in itertools.islice(itertools.cycle(mix), start_index, None):
        if time.perf_counter() >= stop_at:
            break
        started = time.perf_counter()
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            ok = 200 <= response.status < 400
        except (OSError, http.client.HTTPException) as exc:
            ok = False
            print(f"error on {path} after {time.perf_counter() - started:.1f} s, "
                  f"t={time.perf_counter() - stop_at:.1f}: {type(exc).__name__}: {exc}", file=sys.stderr)
            connection.close()
            connection = http.client.HTTPConnection(host, port, timeout=30)
        out.append((kind, time.perf_counter() - started, ok))
    connection.close()


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=30.0)
    args = parser.parse_args()
    with running_server() as (url, _startup):
        mix = request_mix(url)
        parsed = urllib.parse.urlsplit(url)
        samples: list = []
        stop_at = time.perf_counter() + args.seconds
        threads = [
            threading.Thread(target=client, args=(parsed.hostname, parsed.port, mix, stop_at, samples, i * 7))
            for i in range(args.clients)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    by_kind = defaultdict(list)
    errors = 0
    for kind, seconds, ok in samples:
        by_kind[kind].append(seconds)
        errors += not ok
    print(f"load: {args.clients} clients for {elapsed:.1f} s on loopback, {len(mix)} distinct requests")
    print(f"{'kind':<14} {'requests':>9} {'p50 ms':>8} {'p99 ms':>8}")
    for kind in sorted(by_kind):
        values = by_kind[kind]
        print(f"{kind:<14} {len(values):>9} {statistics.median(values) * 1000:>8.1f} "
              f"{percentile(values, 0.99) * 1000:>8.1f}")
    every = [s for _k, s, _ok in samples]
    print(f"{'all':<14} {len(every):>9} {statistics.median(every) * 1000:>8.1f} {percentile(every, 0.99) * 1000:>8.1f}")
    failed = sorted({kind for kind, _s, ok in samples if not ok})
    print(f"throughput: {len(every) / elapsed:.0f} requests/s; errors: {errors}"
          + (f" (in {', '.join(failed)})" if failed else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
