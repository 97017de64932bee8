"""The presentation checker's speed: in-process, over HTTP on loopback, and HermiT for comparison.

    python benchmarks/check.py [--runs 500]

Prints, for one red-flag presentation (the graph's first warning feature and first common cause as
suspected trigger: persistent twitching, suspected lack of sleep): the median and
p99 of a warm check in-process (the OWL 2 RL reasoner plus the answer's assembly, and the reasoner
alone); of the answer page (GET /check?...) and of POST /api/check against a real server
(`twitch-kg serve`, waitress) on a loopback port, over one keep-alive connection; and a HermiT
check of the same presentation (a JVM per call), as a ratio to the in-process median.
Targets: in-process median <= 5 ms; HTTP median <= 20 ms, p99 <= 50 ms.
"""

from __future__ import annotations

import argparse
import http.client
import json
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _server import running_server

from kg.checker import Checker
from kg.config import load_settings
from kg.graph import open_graph

WARM_UP = 20


def timings(call, runs: int) -> list[float]:
    for _ in range(WARM_UP):
        call()
    found = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        found.append((time.perf_counter() - start) * 1000)
    return found


def summary(name: str, ms: list[float]) -> str:
    p99 = statistics.quantiles(ms, n=100)[98] if len(ms) >= 100 else max(ms)
    return f"{name:<44} median {statistics.median(ms):7.2f} ms   p99 {p99:7.2f} ms   (n={len(ms)})"


def http_call(connection: http.client.HTTPConnection, method: str, path: str, body: bytes | None, headers: dict):
    def call():
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise SystemExit(f"{method} {path} answered {response.status}")
    return call


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=500)
    parser.add_argument("--hermit-runs", type=int, default=3)
    args = parser.parse_args()

    settings = load_settings()
    checker = Checker.from_store(open_graph(settings))
    features = [checker.options["feature"].items[0].slug]
    triggers = [checker.options["trigger"].items[0].slug]
    presentation = checker.presentation(features, triggers)
    print(f"presentation: features {features}, triggers {triggers}; "
          f"answer: {[e.need.label for e in checker.check(presentation).escalations]}")

    check_ms = timings(lambda: checker.check(presentation), args.runs)
    reason_ms = timings(lambda: checker.classify(presentation), args.runs)
    print(summary("in-process check (reasoner + answer)", check_ms))
    print(summary("in-process OWL 2 RL classification only", reason_ms))

    query = urlencode({"feature": features, "trigger": triggers}, doseq=True)
    body = json.dumps({"features": features, "triggers": triggers}).encode()
    with running_server() as (url, _startup):
        parts = urlsplit(url)
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        page_ms = timings(http_call(connection, "GET", f"/check?{query}", None, {"Accept": "text/html"}), args.runs)
        api_ms = timings(http_call(connection, "POST", "/api/check", body, {"Content-Type": "application/json"}),
                         args.runs)
        connection.close()
    print(summary("HTTP GET /check?... (answer page, waitress)", page_ms))
    print(summary("HTTP POST /api/check (JSON, waitress)", api_ms))

    hermit_ms = []
    for _ in range(args.hermit_runs):
        start = time.perf_counter()
        answer = checker.check(presentation, reasoner="hermit")
        hermit_ms.append((time.perf_counter() - start) * 1000)
    assert answer.to_json() | {"reasoner": ""} == checker.check(presentation).to_json() | {"reasoner": ""}
    hermit = statistics.median(hermit_ms)
    print(f"{'HermiT check (owlready2, one JVM per call)':<44} median {hermit:7.0f} ms   "
          f"(n={len(hermit_ms)}, same answer)")
    print(f"HermiT / in-process: {hermit / statistics.median(check_ms):,.0f}x   "
          f"HermiT / HTTP answer page: {hermit / statistics.median(page_ms):,.0f}x")


if __name__ == "__main__":
    main()
