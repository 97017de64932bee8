"""Small helpers the benchmarks share: medians of timed calls, peak memory, child processes, tables."""

from __future__ import annotations

import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any


def timed(call, runs: int, warm_up: int = 1, budget: float = 30.0, at_least: float = 0.0) -> tuple[float, Any]:
    """(median seconds, last result) of ``runs`` calls after ``warm_up``; fewer runs if over ``budget``,
    more (up to 10,000) until ``at_least`` seconds of calls: a median of microseconds needs many."""
    result = None
    for _ in range(warm_up):
        result = call()
    samples: list[float] = []
    started = time.perf_counter()
    while len(samples) < runs or (time.perf_counter() - started < at_least and len(samples) < 10_000):
        begin = time.perf_counter()
        result = call()
        samples.append(time.perf_counter() - begin)
        if time.perf_counter() - started > budget:
            break
    return statistics.median(samples), result


def peak_rss_mb(children: bool = False) -> float:
    """Peak resident memory of this process (or of its finished children), in MB."""
    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def process_peak_rss_mb(pid: int) -> float | None:
    """Peak resident memory of another running process (VmHWM), in MB."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def child(script: Path, args: list[str], timeout: float) -> dict:
    """Run ``script args`` in a fresh Python (its own memory peak) and merge the JSON lines it prints.

    A line with a "query" key is one query's result (kept under "queries"); the others are merged.
    What was printed before a timeout or a crash is kept, with the reason under "error".
    """
    try:
        done = subprocess.run([sys.executable, str(script), *args], capture_output=True, text=True, timeout=timeout)
        out, error = done.stdout, None
        if done.returncode != 0:
            error = (done.stderr.strip().splitlines() or ["failed"])[-1][:200]
    except subprocess.TimeoutExpired as exc:
        out = exc.stdout.decode() if isinstance(exc.stdout, bytes) else ""  # bytes whatever text= says, or None
        error = f"stopped at the {timeout:g} s bound"
    merged: dict = {"queries": {}}
    for line in out.splitlines():
        if line.startswith("{"):
            record = json.loads(line)
            if "query" in record:
                merged["queries"][record.pop("query")] = record
            else:
                merged.update(record)
    if error:
        merged["error"] = error
    return merged


def emit(record: dict) -> None:
    """Print one JSON line for :func:`child` to merge."""
    print(json.dumps(record), flush=True)


def stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Terminate a child process, and kill it if it has not gone within ``grace`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def table(headers: list[str], rows: list[list], title: str = "") -> str:
    cells = [[str(c) for c in headers]] + [[_cell(c) for c in row] for row in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]
    lines = [f"\n{title}"] if title else []
    lines.append("| " + " | ".join(c.ljust(w) for c, w in zip(cells[0], widths, strict=True)) + " |")
    lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    lines += ["| " + " | ".join(c.rjust(w) if _numeric(c) else c.ljust(w)
                                for c, w in zip(r, widths, strict=True)) + " |"
              for r in cells[1:]]
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3g}" if value < 100 else f"{value:.0f}"
    return str(value)


def _numeric(text: str) -> bool:
    return text.replace(".", "", 1).replace("×", "").replace(",", "").strip().isdigit()
