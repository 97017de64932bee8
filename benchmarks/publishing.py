"""Latency of the publishing pages (issue 17): the API description and page, the sitemap, the DCAT
description of the downloads, an entity as TriG and as compact JSON-LD, pages with schema.org JSON-LD.

    python benchmarks/publishing.py [--requests 200]

Starts `twitch-kg serve` on a free loopback port. For each path: the first request's time (it computes
what the server then keeps: the OpenAPI document with the graph's enumerated values, the sitemap; the
/downloads page makes every download's bytes, for their sizes and SHA-256s, which the DCAT description
then reuses), the second's, then N more on one keep-alive connection: requests per second, p50, p99.
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

PATHS = [
    ("/api/openapi.json", "application/json"), ("/api", "text/html"), ("/sitemap.xml", "application/xml"),
    ("/robots.txt", "text/plain"), ("/downloads", "text/html"), ("/downloads.ttl", "text/turtle"),
    ("/", "text/html"), ("/id/dystonia", "text/html"), ("/id/dystonia.trig", "application/trig"),
    ("/id/dystonia.jsonld", "application/ld+json"), ("/queries/causes-by-source?source=tw:nhs", "text/html"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    with running_server() as (url, ready):
        parts = urllib.parse.urlsplit(url)
        print(f"server ready in {ready:.2f} s; {args.requests} requests per path, one keep-alive client")
        print(f"{'path':<42}{'first ms':>10}{'second ms':>11}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}")
        for path, accept in PATHS:
            headers = {"Accept": accept}
            first, second = measure(parts.hostname, parts.port, "GET", path, None, headers, 2)
            times = measure(parts.hostname, parts.port, "GET", path, None, headers, args.requests)
            p99 = statistics.quantiles(times, n=100)[98]
            print(f"{path:<42}{first * 1000:>10.1f}{second * 1000:>11.1f}{len(times) / sum(times):>8.0f}"
                  f"{statistics.median(times) * 1000:>9.2f}{p99 * 1000:>9.2f}")


if __name__ == "__main__":
    main()
