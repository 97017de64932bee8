"""Build and start-up: a cold build with HermiT, and a server's start on a cached build.

    python benchmarks/startup.py [--runs 5] [--stores memory,oxigraph,sparql]

Cold build: ``twitch-kg build`` in a fresh process with an empty build folder (Python start,
imports, load, SHACL, HermiT in a new JVM, write), timed from process start to exit.
Start-up: ``twitch-kg serve`` in a fresh process on a cached build, timed from process start to
the first 200 of ``/`` (benchmarks/_server.py); for oxigraph:PATH the store already holds the
build on disk, for sparql: a private Virtuoso (tests/virtuoso.py) does. Medians of the runs;
targets: build <= 5 s, start <= 2 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent.parent / "tests"))
from _measure import table  # noqa: E402
from _server import running_server  # noqa: E402

BUILD_TIMEOUT = 120


def cold_build(build_dir: Path) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "kg.cli", "--build-dir", str(build_dir), "build", "--force"],
                   check=True, capture_output=True, timeout=BUILD_TIMEOUT)
    return time.perf_counter() - started


def load(build_dir: Path, spec: str, env: dict) -> None:
    subprocess.run([sys.executable, "-m", "kg.cli", "--build-dir", str(build_dir), "--store", spec, "build"],
                   check=True, capture_output=True, timeout=BUILD_TIMEOUT, env={**os.environ, **env})


def start_times(build_dir: Path, spec: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with running_server({"TWITCH_KG_BUILD_DIR": str(build_dir), "TWITCH_KG_STORE": spec}) as (_url, seconds):
            times.append(seconds)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--stores", default="memory,oxigraph,sparql")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="twitch-kg-startup-") as folder:
        work = Path(folder)
        builds = []
        for i in range(args.runs):
            builds.append(cold_build(work / f"build-{i}"))
        rows.append(["cold build (HermiT), fresh process", statistics.median(builds), min(builds), max(builds),
                     "<= 5 s"])
        cached = work / "build-0"
        for kind in args.stores.split(","):
            env, virtuoso = {}, None
            if kind == "oxigraph":
                spec = f"oxigraph:{work / 'oxigraph'}"
            elif kind == "sparql":
                import virtuoso as vt

                if vt.binary() is None:
                    rows.append(["server start, sparql:", None, None, None, "virtuoso-t not installed"])
                    continue
                virtuoso = vt.running_virtuoso(work / "virtuoso")
                server = virtuoso.__enter__()
                spec, env = server.spec, {"TWITCH_KG_SPARQL_UPDATE": server.update_url}
            else:
                spec = "memory"
            try:
                if kind != "memory":
                    load(cached, spec, env)
                times = start_times(cached, spec, args.runs)
            finally:
                if virtuoso:
                    virtuoso.__exit__(None, None, None)
            rows.append([f"server start to first 200, store {kind}", statistics.median(times), min(times), max(times),
                         "<= 2 s"])
    print(table(["step", "median s", "min s", "max s", "target"], rows,
                f"Build and start-up, {args.runs} runs each (wall time from process start)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
