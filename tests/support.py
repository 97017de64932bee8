"""Helpers the tests import (constants, a SELECT shortcut, a live server); fixtures live in conftest.py."""

from __future__ import annotations

from pathlib import Path

from kg.config import PROJECT_ROOT

ARTICLE = PROJECT_ROOT / "kg" / "data" / "article.txt"  # the article, byte for byte
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TW = "https://w3id.org/twitch-kg/id/"
#: The triples of each named graph of the article's build (ontology 2.0.0), from `twitch-kg build`.
ONTOLOGY, ASSERTED, INFERRED = 623, 1172, 235
TOTAL = ONTOLOGY + ASSERTED + INFERRED


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
