"""ruff and mypy, as configured in pyproject.toml, find nothing: the README's one test command runs them."""

from __future__ import annotations

import subprocess
import sys

from kg.config import PROJECT_ROOT

#: What ruff checks: all the repository's Python.
RUFF_PATHS = ["kg", "webapp", "benchmarks", "scripts", "setup.py", "tests"]


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          timeout=600)


def test_ruff_finds_nothing():
    done = _run("ruff", "check", "--no-cache", *RUFF_PATHS)
    assert done.returncode == 0, f"ruff check {' '.join(RUFF_PATHS)}:\n{done.stdout}{done.stderr}"


def test_mypy_finds_nothing():
    # The files and the strictness are in pyproject.toml; the cache is .mypy_cache (ignored by git).
    done = _run("mypy")
    assert done.returncode == 0, f"mypy:\n{done.stdout}{done.stderr}"
