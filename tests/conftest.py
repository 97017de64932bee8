"""Shared fixtures: one build of the real inputs per test session, in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.build import build
from kg.config import PROJECT_ROOT, load_settings
from kg.graph import open_graph

ARTICLE = PROJECT_ROOT.parent / "shared" / "seed" / "what-causes-muscle-twitching.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TW = "https://w3id.org/twitch-kg/id/"


@pytest.fixture(scope="session")
def article_text() -> str:
    return ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def settings(tmp_path_factory):
    """The project's real inputs, built into a session-private folder."""
    return load_settings().with_(build_dir=tmp_path_factory.mktemp("build"), store="memory")


@pytest.fixture(scope="session")
def built(settings):
    return build(settings)


@pytest.fixture(scope="session")
def store(settings, built):
    return open_graph(settings, "memory")


def select(store, sparql: str, **bindings) -> list[tuple]:
    """Rows of a SELECT as tuples of plain strings (IRIs shortened from tw:)."""
    result = store.query(sparql, substitutions=bindings or None)
    rows = []
    for row in result.rows:
        rows.append(tuple(_plain(row.get(v)) for v in result.variables))
    return rows


def _plain(term):
    if term is None:
        return None
    value = term.value
    return value[len(TW):] if value.startswith(TW) else value
