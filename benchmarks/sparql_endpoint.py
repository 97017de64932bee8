"""Latency of the SPARQL endpoint for each way of asking, one keep-alive client on loopback.

    python benchmarks/sparql_endpoint.py [--requests 300]

Starts `twitch-kg serve` (waitress) on a free loopback port and sends each kind of request
N times in a row: GET with JSON results, form POST, direct POST, a query with FROM (read
with rdflib to find its dataset), the HTML results page, and the service description.
Prints requests per second and p50/p99 latency per kind.
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server

QUERY = "SELECT ?s ?l WHERE { ?s a tw:Cause ; rdfs:label ?l } ORDER BY ?l"
FROM_QUERY = "SELECT ?s ?l FROM <https://w3id.org/twitch-kg/graph/asserted> WHERE { ?s a tw:Cause ; rdfs:label ?l }"
JSON = "application/sparql-results+json"
FORM = "application/x-www-form-urlencoded"


def kinds() -> list[tuple[str, str, str, bytes | None, dict]]:
    """(kind, method, path, body, headers)"""
    encoded = urllib.parse.urlencode({"query": QUERY})
    return [
        ("GET json", "GET", "/sparql?" + encoded, None, {"Accept": JSON}),
        ("POST form", "POST", "/sparql", encoded.encode(), {"Accept": JSON, "Content-Type": FORM}),
        ("POST direct", "POST", "/sparql", QUERY.encode(),
         {"Accept": JSON, "Content-Type": "application/sparql-query"}),
        ("GET with FROM", "GET", "/sparql?" + urllib.parse.urlencode({"query": FROM_QUERY}), None, {"Accept": JSON}),
        ("GET html page", "GET", "/sparql?" + encoded, None, {"Accept": "text/html"}),
        ("service description", "GET", "/sparql", None, {"Accept": "text/turtle"}),
    ]


def measure(host: str, port: int, method: str, path: str, body, headers, n: int) -> list[float]:
    connection = http.client.HTTPConnection(host, port, timeout=30)
    times = []
    try:
        for _ in range(n):
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                raise RuntimeError(f"{method} {path}: {response.status}")
            times.append(time.perf_counter() - started)
    finally:
        connection.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    with running_server() as (url, ready):
        parts = urllib.parse.urlsplit(url)
        print(f"server ready in {ready:.2f} s; {args.requests} requests per kind, one keep-alive client")
        print(f"{'kind':<22}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
        for kind, method, path, body, headers in kinds():
            measure(parts.hostname, parts.port, method, path, body, headers, 10)  # warm up
            times = measure(parts.hostname, parts.port, method, path, body, headers, args.requests)
            p99 = statistics.quantiles(times, n=100)[98]
            print(f"{kind:<22}{len(times) / sum(times):>8.0f}{statistics.median(times) * 1000:>9.2f}{p99 * 1000:>9.2f}")


if __name__ == "__main__":
    main()
