"""Browsing speed: entity pages, RDF descriptions, the home, ontology and article pages (and the ontology
as RDF), the shapes and validation pages, search, exports, VoID.

    python benchmarks/browse.py [--runs 200]

Prints the median and p99 of each request against a real server (`twitch-kg serve`, waitress)
on a loopback port, over one keep-alive connection, warm (the first request of each path, which
fills the per-app caches of the home page, the ontology page and the exports, is not counted and
is printed apart as "first").
"""

from __future__ import annotations

import argparse
import http.client
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import table
from _server import running_server

REQUESTS = [
    ("/", "text/html"),
    ("/id/dystonia", "text/html"),
    ("/id/Cause", "text/html"),
    ("/id/dystonia", "text/turtle"),
    ("/id/RequiresProfessionalAttention.jsonld", "*/*"),
    ("/ontology", "text/html"),
    ("/id/ontology", "text/turtle"),
    ("/ontology.rdf", "*/*"),
    ("/shapes", "text/html"),
    ("/validation", "text/html"),
    ("/validation.ttl", "*/*"),
    ("/search?q=als", "text/html"),
    ("/diagram.svg", "image/svg+xml"),
    ("/export/all.ttl", "*/*"),
    ("/.well-known/void", "text/turtle"),
    ("/article", "text/html"),
    ("/article.json", "application/json"),
    ("/article/annotations.jsonld", "application/ld+json"),
]


def _get(connection: http.client.HTTPConnection, path: str, accept: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    connection.request("GET", path, headers={"Accept": accept})
    response = connection.getresponse()
    body = response.read()
    return time.perf_counter() - started, response.status, len(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    rows = []
    with running_server() as (url, ready):
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        for path, accept in REQUESTS:
            first, status, size = _get(connection, path, accept)
            if status != 200:
                raise SystemExit(f"{path}: HTTP {status}")
            samples = sorted(_get(connection, path, accept)[0] for _ in range(args.runs))
            p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
            rows.append([f"{path} ({accept})", size, f"{first * 1000:.1f}", f"{statistics.median(samples) * 1000:.2f}",
                         f"{p99 * 1000:.2f}"])
        connection.close()
    print(f"server ready in {ready:.2f} s; {args.runs} warm requests per path, one keep-alive connection")
    print(table(["request", "bytes", "first ms", "median ms", "p99 ms"], rows, title="browsing (waitress, loopback)"))


if __name__ == "__main__":
    main()
