"""Helpers the tests import (constants, a SELECT shortcut, a live server); fixtures live in conftest.py."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

from kg.config import PROJECT_ROOT

ARTICLE = PROJECT_ROOT / "kg" / "data" / "article.txt"  # the article, byte for byte
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TW = "https://w3id.org/twitch-kg/id/"
#: The triples of each named graph of the article's build (ontology 2.0.0), from `twitch-kg build`.
ONTOLOGY, ASSERTED, INFERRED = 623, 1172, 235
TOTAL = ONTOLOGY + ASSERTED + INFERRED
# Seconds a test waits for something before it fails instead of hanging: a guard, never a figure
# asserted (a test must not fail because the machine is busy; timings belong in benchmarks/).
HANG_GUARD = 120.0


def wait_for(condition, what: str, guard: float = HANG_GUARD):
    """What ``condition()`` returns once it is truthy; an AssertionError naming ``what`` past the guard."""
    deadline = time.monotonic() + guard
    while not (value := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: still not so after {guard:g} s")
        time.sleep(0.01)
    return value


def all_workers_idle(pool) -> frozenset[int]:
    """A query-worker pool's process ids, once every worker is ready (a replacement for a killed
    one starts in the background)."""
    def all_idle():
        idle = pool.idle_pids()
        return idle if len(idle) == pool.size else None

    return wait_for(all_idle, f"all {pool.size} query workers ready")


def is_running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not exited (a zombie, exited but not reaped, has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


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

        self.app = app
        # poll(), not select(): closing the socket while the loop waits on it is then no EBADF in the thread
        self._server = create_server(app, host="127.0.0.1", port=0, threads=8, ident="twitch-kg-test",
                                     asyncore_use_poll=True)
        self.port = self._server.effective_port
        self.url = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.run, daemon=True)
        self._thread.start()

    def close(self):
        self._server.close()


class Listener:
    """A loopback TCP listener that records every connection made to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.peers = []  # the address each connection came from, in order
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop:
            try:
                conn, peer = self.sock.accept()
            except OSError:
                continue
            self.peers.append(peer)
            conn.close()

    def connections_before_a_last_one(self) -> int:
        """How many connections came before this call: it connects once more and waits until that
        one is accepted (connections are accepted in order), so none made earlier is missed, however
        slowly the listener runs."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=HANG_GUARD) as last:
            mine = last.getsockname()
        return wait_for(lambda: mine in self.peers and self.peers.index(mine) + 1, "the last connection accepted") - 1

    def close(self):
        self._stop = True
        self._thread.join(timeout=2)
        self.sock.close()
