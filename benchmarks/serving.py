"""Serving: a saved query over HTTP against a trivial endpoint of the same server, in one run.

    python benchmarks/serving.py [--store memory] [--clients 16] [--seconds 5] [--rounds 3]

Starts the web app under waitress (the production server, 8 threads) in its own process on a
free loopback port, with one extra route, ``/_bench/trivial``, that returns two bytes through
the same app (same middleware, same security headers). Client threads with keep-alive
connections then take turns: the trivial endpoint for S seconds, a saved query's JSON twin for
S seconds, and so on for R rounds, so all see the same machine state. Two such servers run:
one as deployed (the store keeps small answers: its graph only changes by a load), and one
with that answer cache off, so each request evaluates its query. Prints requests per second
(median of the rounds), latency p50/p99, errors, and the ratio; target: >= 60%.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
from _measure import stop, table  # noqa: E402
from _server import free_port  # noqa: E402

TRIVIAL = "/_bench/trivial"
PATHS = {
    "trivial endpoint": TRIVIAL,
    "saved query serious-causes (.json)": "/queries/serious-causes.json",
    "saved query causes-by-source?source=tw:nhs (.json)": "/queries/causes-by-source.json?source=tw%3Anhs",
}


def serve(port: int, store_spec: str, answer_cache: bool) -> None:
    """The app with one trivial route, under waitress (run in the server process)."""
    from waitress import serve as waitress_serve

    from kg.config import load_settings
    from kg.graph import open_graph
    from webapp import create_app

    settings = load_settings()
    store = open_graph(settings, store_spec)
    if not answer_cache and hasattr(store, "answers"):
        store.answers.size = 0  # every request evaluates its query
    app = create_app(settings=settings, store=store)
    app.add_url_rule(TRIVIAL, "bench_trivial", lambda: ("ok", 200, {"Content-Type": "text/plain"}))
    waitress_serve(app, host="127.0.0.1", port=port, threads=8, ident="twitch-kg-bench", _quiet=True)


def _wait(port: int, process: subprocess.Popen, log, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            log.seek(0)
            raise RuntimeError("the server exited: " + log.read().decode(errors="replace")[-2000:])
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", TRIVIAL)
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the server did not answer within {timeout:g} s")


def hammer(port: int, path: str, clients: int, seconds: float) -> dict:
    """``clients`` threads, one keep-alive connection each, GET ``path`` for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client():
        mine, failed = [], 0
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.perf_counter() < stop:
            begin = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    failed += 1
                    continue
            except OSError:
                failed += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                continue
            mine.append(time.perf_counter() - begin)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    started = time.perf_counter()
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {
        "rps": len(latencies) / elapsed,
        "p50": latencies[len(latencies) // 2] * 1000 if latencies else None,
        "p99": latencies[int(len(latencies) * 0.99)] * 1000 if latencies else None,
        "errors": errors[0],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--store", default="memory")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-answer-cache", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.store, answer_cache=not args.no_answer_cache)
        return 0
    servers = {}
    with contextlib.ExitStack() as cleanup:  # on leaving: each server stopped, then its log closed
        for name, extra in (("answers kept (default)", []), ("answer cache off", ["--no-answer-cache"])):
            port = free_port()
            log = cleanup.enter_context(tempfile.TemporaryFile())  # a log file: an unread pipe fills and stalls it
            process = subprocess.Popen([sys.executable, str(HERE), "--serve", str(port), "--store", args.store, *extra],
                                       env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=log)
            cleanup.callback(stop, process)
            servers[name] = (port, process, log)
            _wait(port, process, log)
            for path in PATHS.values():  # warm up: first requests compile templates and fill caches
                hammer(port, path, 2, 0.5)
        runs: dict[tuple[str, str], list[dict]] = {(name, label): [] for name in servers for label in PATHS}
        for _ in range(args.rounds):  # the two servers and all endpoints take turns, round after round
            for name, (port, _process, _log) in servers.items():
                for label, path in PATHS.items():
                    runs[(name, label)].append(hammer(port, path, args.clients, args.seconds))
    rows = []
    for name in servers:
        trivial = statistics.median(r["rps"] for r in runs[(name, "trivial endpoint")])
        for label in PATHS:
            results = runs[(name, label)]
            rps = statistics.median(r["rps"] for r in results)
            rows.append([name, label, rps, statistics.median(r["p50"] for r in results),
                         statistics.median(r["p99"] for r in results), sum(r["errors"] for r in results),
                         f"{rps / trivial:.0%}"])
    print(table(["server", "endpoint", "requests/s", "p50 ms", "p99 ms", "errors", "of trivial"], rows,
                f"Serving on loopback: waitress (8 threads), store {args.store}, {args.clients} keep-alive clients, "
                f"{args.rounds} rounds of {args.seconds:g} s each, medians (target: a saved query >= 60% of trivial)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
