"""The query page with a 10,000-row SELECT: the first page as it is now against the page as it was.

    python benchmarks/workbench.py [--runs 5]

Starts `twitch-kg serve` (waitress, its query workers) on a free loopback port and asks the HTML
query page for a cross join of the graph's labels (10,000 rows, cut by LIMIT). Each "first page"
run asks a query never asked before (a comment numbers it), so it includes the query's execution;
"next page" asks page 2 of a query already run (its kept answer); "sorted" sorts that kept answer.
"no workers" runs the query in the server process (QUERY_WORKERS 0): the difference is the worker's
share (a separate process, its answer shipped back). "before" is the page as it was before paging:
the whole answer on one page (PAGE_ROWS 10,000), measured on another server in the same run.
Prints HTML bytes (uncompressed), the median server time (the response's Server-Timing ``total``)
and client time per kind, and their ratios.
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

QUERY = "SELECT ?a ?b WHERE { ?a rdfs:label ?x . ?b rdfs:label ?y } LIMIT 10000"
HTML = {"Accept": "text/html"}
#: Seconds between two new queries (a person reads a page before the next query; not counted).
PAUSE = 0.5


def server_ms(header: str) -> float:
    """The ``total`` of a Server-Timing header, in ms."""
    for part in header.split(","):
        name, _, duration = part.strip().partition(";dur=")
        if name == "total":
            return float(duration)
    raise RuntimeError(f"no total in Server-Timing: {header!r}")


def ask(url: str, params: dict, runs: int, fresh: bool) -> tuple[int, float, float]:
    """(HTML bytes, median server ms, median client ms) of ``runs`` requests for the page."""
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=120)
    sizes: list[int] = []
    server: list[float] = []
    client: list[float] = []
    try:
        for run in range(runs):
            query = f"# run {run} {time.time_ns()}\n{QUERY}" if fresh else QUERY
            if fresh:
                time.sleep(PAUSE)  # the worker that answered the last one trims its heap meanwhile
            path = "/sparql?" + urllib.parse.urlencode({"query": query, **params})
            started = time.perf_counter()
            connection.request("GET", path, headers=HTML)
            response = connection.getresponse()
            body = response.read()
            client.append((time.perf_counter() - started) * 1000)
            if response.status != 200 or "10,000 rows" not in body.decode():
                raise RuntimeError(f"{path[:80]}: {response.status}, not the 10,000-row answer")
            sizes.append(len(body))
            server.append(server_ms(response.headers["Server-Timing"]))
    finally:
        connection.close()
    return max(sizes), statistics.median(server), statistics.median(client)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rows: list[tuple[str, int, float, float]] = []
    with running_server() as (url, _ready):
        ask(url, {}, 1, fresh=True)  # the query workers started, the templates compiled
        rows.append(("first page (250 rows)", *ask(url, {}, args.runs, fresh=True)))
        ask(url, {}, 1, fresh=False)  # the answer kept
        rows.append(("next page (kept answer)", *ask(url, {"page": "2"}, args.runs, fresh=False)))
        rows.append(("sorted by ?b, desc", *ask(url, {"sort": "b", "order": "desc"}, args.runs, fresh=False)))
        rows.append(("first page, rows=1000", *ask(url, {"rows": "1000"}, args.runs, fresh=True)))
    with running_server({"TWITCH_KG_QUERY_WORKERS": "0"}) as (url, _ready):
        ask(url, {}, 1, fresh=True)
        rows.append(("first page, no workers", *ask(url, {}, args.runs, fresh=True)))
    with running_server({"TWITCH_KG_PAGE_ROWS": "10000"}) as (url, _ready):
        ask(url, {"rows": "10000"}, 1, fresh=True)
        rows.append(("before: whole answer", *ask(url, {"rows": "10000"}, args.runs, fresh=True)))
    print(f"10,000-row SELECT on the query page, {args.runs} runs each (medians)")
    print(f"{'page':<26}{'HTML kB':>9}{'server ms':>11}{'client ms':>11}")
    for name, size, server, client in rows:
        print(f"{name:<26}{size / 1000:>9.1f}{server:>11.1f}{client:>11.1f}")
    first, before = rows[0], rows[-1]
    print(f"first page vs before: {before[1] / first[1]:.0f}x fewer bytes, "
          f"{before[2] / first[2]:.1f}x less server time")


if __name__ == "__main__":
    main()
