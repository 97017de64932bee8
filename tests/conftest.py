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


@pytest.fixture(scope="session")
def app(settings, store):
    from webapp import create_app

    return create_app({"TESTING": True}, settings=settings, store=store)


@pytest.fixture()
def client(app):
    return app.test_client()


class LiveServer:
    """The app served by waitress on a free loopback port, in a background thread."""

    def __init__(self, app):
        import threading

        from waitress.server import create_server

        self._server = create_server(app, host="127.0.0.1", port=0, threads=8, ident="twitch-kg-test")
        self.port = self._server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()

    def close(self):
        self._server.close()


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app)
    yield server
    server.close()
