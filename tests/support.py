"""Helpers the tests import (the build's expected figures, constants, a SELECT shortcut, a live server);
fixtures live in conftest.py."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sysconfig
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from kg.config import PROJECT_ROOT

ARTICLE = PROJECT_ROOT / "kg" / "data" / "article.txt"  # the article, byte for byte
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TW = "https://w3id.org/twitch-kg/id/"
GRAPH = "https://w3id.org/twitch-kg/graph/"  # + "ontology", "asserted", "inferred" or "justifications"
#: The console script installed with the interpreter running the tests (not another on PATH).
TWITCH_KG = str(Path(sysconfig.get_path("scripts")) / "twitch-kg")
# Seconds a test waits for something before it fails instead of hanging: a guard, never a figure
# asserted (a test must not fail because the machine is busy; timings belong in benchmarks/).
HANG_GUARD = 120.0

# ---------------------------------------------------------------- what the article's build holds
# Each expected figure is written once, here; a test asserts it, never recomputes it from the code.

#: The triples of each named graph of the article's build (ontology 2.0.0), from `twitch-kg build`.
ONTOLOGY, ASSERTED, INFERRED = 647, 1172, 241  # 623 + 6 (schema.org types) + 18 (header metadata)
TOTAL = ONTOLOGY + ASSERTED + INFERRED  # the default graph
#: The named-only graph of the justifications (issue 14): statements, justifications, axioms.
JUSTIFICATIONS = 4638
#: The graphs whose union is the default graph (and the "all" download).
DEFAULT_GRAPHS = ("ontology", "asserted", "inferred")
#: The named-only graph of the SHACL shapes (ontology/shapes.ttl, issue 17), and its node shapes.
SHAPE_TRIPLES, NODE_SHAPES = 282, 14
#: Every graph a build holds.
GRAPH_TRIPLES = {"ontology": ONTOLOGY, "asserted": ASSERTED, "inferred": INFERRED, "justifications": JUSTIFICATIONS,
                 "shapes": SHAPE_TRIPLES}
#: The classes (owl:Class IRIs) and the individuals `twitch-kg build` counts and prints.
CLASSES, INDIVIDUALS = 43, 90
#: Triples with a blank node (subject or object) in the three graphs, and the distinct blank nodes
#: in subject position.
BLANK_NODE_TRIPLES, BLANK_SUBJECTS = 188, 83
#: ... and in the whole artefact, the justifications' copies of class expressions and the shapes' property
#: shapes included.
ARTEFACT_BLANK_NODE_TRIPLES, ARTEFACT_BLANK_SUBJECTS = BLANK_NODE_TRIPLES + 104 + 242, BLANK_SUBJECTS + 37 + 71

#: The article's causes, in its order: its "common causes" section, then its "less common, more serious" one.
COMMON_CAUSES = ["lack-of-sleep", "medication-side-effects", "exercise", "nutritional-deficiencies",
                 "stress-and-anxiety", "caffeine-and-stimulants", "dehydration"]
SERIOUS_CAUSES = ["neurological-disorders", "autoimmune-disorders", "benign-fasciculation-syndrome", "dystonia",
                  "pinched-nerve"]
CAUSES = COMMON_CAUSES + SERIOUS_CAUSES  # 12
#: The members of tw:RequiresProfessionalAttention, sorted: the serious causes and the two examples
#: the article names for them (ALS, Isaacs syndrome).
PROFESSIONAL_ATTENTION = ["als", "autoimmune-disorders", "benign-fasciculation-syndrome", "dystonia",
                          "isaacs-syndrome", "neurological-disorders", "pinched-nerve"]  # 7
#: The article's claims (each quotes it), and the (cause, source) attributions: a source a claim about
#: the cause cites as evidence.
CLAIMS, CITATIONS = 22, 17
#: The article's sections and list items, each anchored in its text.
SECTIONS, LIST_ITEMS = 4, 15
#: The cross-references to HPO, MONDO and ChEBI (kg/data/xrefs.ttl): the rows of the saved query xrefs
#: and of the SSSOM mapping table.
XREFS = 42
#: The triples of the saved query cause-neighbourhood for its default cause, tw:dystonia.
DYSTONIA_NEIGHBOURHOOD_TRIPLES = 53
#: The saved queries (queries/*.rq), by name, sorted.
SAVED_QUERIES = [
    "cause-neighbourhood", "cause-placement", "cause-profile", "causes", "causes-by-source", "causes-without-source",
    "claims", "conditions", "entity-types", "is-serious", "mechanisms", "medication-classes", "serious-causes",
    "sources-ranked", "warning-signs", "xrefs",
]

# ---------------------------------------------------------------- the article's words

DISCLAIMER = ("It's crucial to remember that this information is for educational purposes and should not be "
              "considered medical advice. Always seek professional medical advice for diagnosis and treatment.")
MOST_CASES_BENIGN = ("While most cases of muscle twitching are benign, some instances may indicate underlying "
                     "medical conditions requiring professional attention.")

# ---------------------------------------------------------------- requests

HTML = {"Accept": "text/html"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}  # what a browser sends
NHS_LABEL = "SELECT ?l WHERE { tw:nhs rdfs:label ?l }"
# ---------------------------------------------------------------- /downloads' table of files

#: A file's row: its name under /export/, link, bytes, size as shown, bytes as shown, SHA-256, date.
_FILE_ROW = re.compile(
    r'<tr data-file="([^"]+)">\s*<th scope="row"><a href="([^"]+)" type="[^"]+" download="[^"]+">[^<]+</a></th>'
    r'.*?<data value="(\d+)">([^<]+)</data><br><small>([\d,]+) bytes</small>'
    r'.*?<code class="sha256">([0-9a-f]+)</code>.*?<time datetime="([^"]+)">', re.S)
#: What depends on the store in that table: the bytes (a remote store labels blank nodes its own way), the date.
_FILE_FACTS = re.compile(r'<data value="\d+">[^<]+</data><br><small>[\d,]+ bytes</small>|<code class="sha256">[0-9a-f]+'
                         r'</code>|<time datetime="[^"]+">[^<]+</time>|built \d{4}-\d\d-\d\d')


def page_files(html: str) -> dict[str, tuple[str, ...]]:
    """/downloads' files by name: (link, bytes, size shown, bytes shown, SHA-256, date)."""
    return {name: tuple(rest) for name, *rest in _FILE_ROW.findall(html)}


def without_file_facts(html: str) -> str:
    """/downloads with each file's size, SHA-256 and date (and the build's date) left out."""
    return _FILE_FACTS.sub("…", html)


#: A query no store answers in time (a four-way cross product of every triple).
PATHOLOGICAL = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


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


def make_app(settings, store, **config):
    """The web app in testing mode over ``store``, with these settings and config values."""
    from webapp import create_app

    return create_app({"TESTING": True, **config}, settings=settings, store=store)


def free_port() -> int:
    """A loopback TCP port nobody listens on (bound once, then closed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


def samples(text: str) -> dict[tuple, float]:
    """Every sample of a Prometheus text exposition, by (name, sorted labels)."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


class Served:
    """``twitch-kg serve --port 0`` in a subprocess, its log lines in a file."""

    def __init__(self, settings, folder: Path, *args: str, **env: str):
        self.log = folder / "serve.log"
        environ = {**os.environ, "TWITCH_KG_BUILD_DIR": str(settings.build_dir), **env}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen([TWITCH_KG, "serve", "--port", "0", *args], stdout=subprocess.PIPE,
                                            stderr=log, env=environ, cwd=folder)
        first = self.process.stdout.readline().decode()
        assert first.startswith("twitch-kg: serving http://127.0.0.1:"), (first, self.log.read_text())
        self.url = first.split()[2].rstrip("/")

    def get(self, path: str, headers: dict | None = None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(self.url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=2 * HANG_GUARD) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def ready(self) -> None:
        wait_for(lambda: self.get("/readyz")[0] == 200, "the server ready")

    def metric(self, name: str, **labels) -> float | None:
        return samples(self.get("/metrics")[2].decode()).get((name, tuple(sorted(labels.items()))))

    def lines(self) -> list[dict]:
        return [json.loads(line) for line in self.log.read_text().splitlines() if line.startswith("{")]

    def children(self) -> set[int]:
        """The process ids of the server's query workers (its children started by multiprocessing.spawn)."""
        found = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
                command = (stat.parent / "cmdline").read_bytes()
            except (OSError, ValueError, IndexError):
                continue
            if parent == self.process.pid and b"multiprocessing.spawn" in command:
                found.add(int(stat.parent.name))
        return found

    def terminate(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        code = self.process.wait(HANG_GUARD)
        self.process.stdout.close()
        return code
