"""Connection attacks on a real `twitch-kg serve` (memory store), and what a visitor sees meanwhile.

    python benchmarks/attack.py [--seconds 60] [--quick-seconds 10] [--only NAME ...]

Starts `twitch-kg serve` on a free loopback port and runs each attack of ATTACKS in turn: the slow
ones (idle, keep-alive, slowloris, slow-upload connections, and all of them at once) for --seconds,
the body attacks (a 1 GB Content-Length, a 500 MB chunked body, Content-Length plus chunked) for
--quick-seconds. Meanwhile one visitor opens a new connection and asks for GET / ten times a
second (5 s timeout), and the server's process tree (the server and its query workers) is sampled
from /proc four times a second: resident memory (summed) and open temporary files (a request body
waitress spooled to disk). Prints one row per attack: the statuses the attack's connections saw, its
time, the tree's peak RSS and temporary files, and the visitor's answers and GET / p50/p99.

An attack is an entry in ATTACKS: a name, how long it runs (slow or quick) and a function
``run(port, seconds) -> Counter`` of what its connections saw. The query attacks (a byte-heavy
answer, a memory hog, queries that run to the time limit, an operator chain, FROM in a long
comment, deeply nested JSON, a 10,000-row HTML page) run for --quick-seconds from several clients
at once; each answer is marked LATE if it took longer than the time limit + 1 s.
"""

from __future__ import annotations

import argparse
import http.client
import os
import resource
import select
import selectors
import socket
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _measure import table
from _server import running_server
from load import percentile

HOST = "127.0.0.1"
#: How long the visitor waits for GET / before it counts as not answered (seconds).
VISITOR_TIMEOUT = 5.0
MB = 1_000_000


# ---------------------------------------------------------------- attackers


class Crowd:
    """``count`` connections held open: each is sent ``opening`` once, then ``trickle`` every ``every``
    seconds (if any). One the server closes is opened again at once, as an attacker would."""

    def __init__(self, count: int, opening: bytes = b"", trickle: bytes = b"", every: float = 0.0):
        self.count, self.opening, self.trickle, self.every = count, opening, trickle, every

    def __call__(self, port: int, seconds: float) -> Counter:
        seen: Counter = Counter()
        selector = selectors.DefaultSelector()
        due: dict[socket.socket, float] = {}

        def open_one():
            try:
                sock = socket.create_connection((HOST, port), timeout=VISITOR_TIMEOUT)
                sock.sendall(self.opening)
            except OSError:
                seen["connect failed"] += 1
                return
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ, data={"answered": False})
            due[sock] = time.monotonic() + self.every

        def close_one(sock):
            selector.unregister(sock)
            due.pop(sock, None)
            sock.close()

        stop_at = time.monotonic() + seconds
        for _ in range(self.count):
            open_one()
        seen["opened"] = len(due)
        while time.monotonic() < stop_at:
            for key, _ in selector.select(timeout=0.2):
                sock = key.fileobj
                assert isinstance(sock, socket.socket)
                try:
                    data = sock.recv(65536)
                except (BlockingIOError, InterruptedError):
                    continue
                except OSError:
                    data = b""
                if data and not key.data["answered"] and data.startswith(b"HTTP/1."):
                    key.data["answered"] = True
                    seen[data[9:12].decode()] += 1
                if not data:
                    seen["closed by the server"] += 1
                    close_one(sock)
                    open_one()
            if self.trickle:
                now = time.monotonic()
                for sock, when in list(due.items()):
                    if now >= when:
                        try:
                            sock.send(self.trickle)
                        except OSError:
                            pass  # closed: read as such on the next select
                        due[sock] = now + self.every
        for sock in list(due):
            close_one(sock)
        selector.close()
        return seen


def together(*attacks) -> Callable[[int, float], Counter]:
    """Several attacks at the same time; what they saw, added up."""
    def run(port: int, seconds: float) -> Counter:
        results: list[Counter] = []
        threads = [threading.Thread(target=lambda a=a: results.append(a(port, seconds))) for a in attacks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return sum(results, Counter())
    return run


def repeatedly(once: Callable[[int], str]) -> Callable[[int, float], Counter]:
    """``once(port)`` (one request; what it saw) again and again for the attack's time."""
    def run(port: int, seconds: float) -> Counter:
        seen: Counter = Counter()
        stop_at = time.monotonic() + seconds
        while time.monotonic() < stop_at:
            seen[once(port)] += 1
        return seen
    return run


def _answer(sock: socket.socket, after: str = "") -> str:
    """The status of the answer on ``sock`` and whether the server then closed the connection."""
    received = b""
    try:
        while b"\r\n" not in received:
            chunk = sock.recv(65536)
            if not chunk:
                return "closed without an answer"
            received += chunk
        sock.settimeout(2.0)  # a server that keeps the connection open is seen within this
        while chunk := sock.recv(65536):
            received += chunk
        ending = "closed"
    except TimeoutError:
        ending = "kept open"
    except ConnectionResetError:
        ending = "reset"
    statuses = [line[9:12].decode() for line in received.split(b"\r\n") if line.startswith(b"HTTP/1.")]
    return f"{' then '.join(statuses) or 'no answer'}{after}, {ending}"


def declared_gigabyte(port: int) -> str:
    """Only the headers of a POST declaring a 1 GB body; the answer comes (or not) before any of it."""
    with socket.create_connection((HOST, port), timeout=VISITOR_TIMEOUT * 2) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 1000000000\r\n\r\n")
        return _answer(sock)


def chunked_500mb(port: int) -> str:
    """A chunked body of up to 500 MB in 1 MB chunks, until the server answers or closes."""
    chunk = b"%x\r\n" % MB + b"x" * MB + b"\r\n"
    with socket.create_connection((HOST, port), timeout=VISITOR_TIMEOUT * 2) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Transfer-Encoding: chunked\r\n\r\n")
        sent = 0
        try:
            while sent < 500:
                sock.sendall(chunk)
                sent += 1
                if select.select([sock], [], [], 0)[0]:  # an answer already (or a close)
                    break
        except OSError:
            pass
        return _answer(sock, " with under 10 MB sent" if sent < 10 else f" after {sent} MB sent")


def length_and_chunked(port: int) -> str:
    """Content-Length and Transfer-Encoding: chunked on one request, and a second request behind it."""
    with socket.create_connection((HOST, port), timeout=VISITOR_TIMEOUT * 2) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                     b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        return _answer(sock)


#: The time limit of the server the attacks run against (its default), and what "in time" allows.
QUERY_LIMIT = 10.0


def _query(method: str, path: str, body: bytes = b"", headers: dict | None = None) -> Callable[[int], str]:
    """One request with a query or a body, as a client of the SPARQL endpoint or the checker would
    send it; what it saw: the status, a cut answer's header, and whether it came within limit + 1 s."""
    def once(port: int) -> str:
        started = time.monotonic()
        connection = http.client.HTTPConnection(HOST, port, timeout=QUERY_LIMIT * 3)
        try:
            connection.request(method, path, body=body or None, headers=headers or {})
            response = connection.getresponse()
            response.read()
            status = str(response.status)
            if response.getheader("X-SPARQL-MaxBytes"):
                status += " cut at the byte budget"
        except (OSError, http.client.HTTPException) as exc:
            status = type(exc).__name__
        finally:
            connection.close()
        late = time.monotonic() - started > QUERY_LIMIT + 1
        return f"{status}{' LATE' if late else ''}"
    return once


def sparql(query: str, accept: str = "application/sparql-results+json") -> Callable[[int], str]:
    return _query("POST", "/sparql", query.encode("utf-8"),
                  {"Content-Type": "application/sparql-query", "Accept": accept})


def clients(count: int, once: Callable[[int], str]) -> Callable[[int, float], Counter]:
    """``count`` clients each sending ``once`` again and again."""
    return together(*[repeatedly(once)] * count)


_DOUBLED = "".join(f" BIND(CONCAT(?{a}, ?{a}) AS ?{b})" for a, b in zip("abcdefghijkl", "bcdefghijklm", strict=True))
#: 444 characters: 10,000 rows of 64 KiB each (656 MB) before the byte budget.
BYTES = ("SELECT ?m WHERE { ?s ?p ?o . ?s2 ?p2 ?o2 BIND(\"0123456789abcdef\" AS ?a)" + _DOUBLED
         + " } LIMIT 10000")
#: A GROUP_CONCAT over a cross product of 8 KiB strings: grows a worker by gigabytes without a cap.
HOG = ("SELECT (STRLEN(GROUP_CONCAT(?j)) AS ?n) WHERE { ?s ?p ?o . ?s2 ?p2 ?o2 BIND(\"0123456789abcdef\" AS ?a)"
       + "".join(f" BIND(CONCAT(?{a}, ?{a}) AS ?{b})" for a, b in zip("abcdefghi", "bcdefghij", strict=True)) + " }")
CROSS = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
CHAIN = "ASK { FILTER((1" + "+1" * 7_000 + ") > 0) }"
FROM_COMMENT = "# FROM " + "x" * 10_000 + "\nSELECT * WHERE { ?s ?p ?o } LIMIT 1"
ROWS = "SELECT * WHERE { ?s ?p ?o } LIMIT 10000"
DEEP = b"[" * 5_000 + b"1" + b"]" * 5_000


def nothing(port: int, seconds: float) -> Counter:
    time.sleep(seconds)
    return Counter()


@dataclass
class Attack:
    name: str
    run: Callable[[int, float], Counter]
    slow: bool = True  # runs for --seconds, else for --quick-seconds


IDLE = Crowd(500)
# /healthz, not /: what this attack holds is 500 connections; 500 GET / at once would be a burst of
# load, which queues on 8 threads (benchmarks/load.py measures load).
KEEP_ALIVE = Crowd(500, b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
SLOWLORIS = Crowd(150, b"GET / HTTP/1.1\r\nHost: x\r\n", b"X-Slow: a\r\n", 15.0)
SLOW_UPLOAD = Crowd(150, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                         b"Content-Length: 900000\r\n\r\n", b"x" * 100, 5.0)

ATTACKS = [
    Attack("none (baseline)", nothing),
    Attack("500 idle connections", IDLE),
    Attack("500 keep-alive connections (one GET /healthz each, then idle)", KEEP_ALIVE),
    Attack("150 slowloris (a header line every 15 s)", SLOWLORIS),
    Attack("150 slow uploads (100 B every 5 s of 900 kB)", SLOW_UPLOAD),
    Attack("500 idle + 150 slowloris + 150 slow uploads at once", together(IDLE, SLOWLORIS, SLOW_UPLOAD)),
    Attack("POST declaring a 1 GB body (headers only)", repeatedly(declared_gigabyte), slow=False),
    Attack("POST with a 500 MB chunked body", repeatedly(chunked_500mb), slow=False),
    Attack("Content-Length + Transfer-Encoding: chunked", repeatedly(length_and_chunked), slow=False),
    Attack("3 clients: 10,000 rows of 64 KiB (444-character query)", clients(3, sparql(BYTES)), slow=False),
    Attack("2 clients: GROUP_CONCAT over a cross product", clients(2, sparql(HOG)), slow=False),
    Attack("10 clients: queries that run to the time limit", clients(10, sparql(CROSS)), slow=False),
    Attack("4 clients: a chain of 7,000 + operators", clients(4, sparql(CHAIN)), slow=False),
    Attack("8 clients: 10 KB query with FROM in a comment", clients(8, sparql(FROM_COMMENT)), slow=False),
    Attack("8 clients: JSON nested 5,000 deep to /api/check",
           clients(8, _query("POST", "/api/check", DEEP, {"Content-Type": "application/json"})), slow=False),
    Attack("4 clients: a 10,000-row result page as HTML", clients(4, sparql(ROWS, "text/html")), slow=False),
]


# ---------------------------------------------------------------- what the server and a visitor see


def process_tree(root: int) -> list[int]:
    """``root`` and its descendants, from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue
        parents.setdefault(parent, []).append(int(stat.parent.name))
    tree, todo = [], [root]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(parents.get(pid, []))
    return tree


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def temporary_files(pid: int) -> int:
    """Open files of ``pid`` in the temporary folder that are already deleted (waitress's spooled bodies)."""
    count, folder = 0, tempfile.gettempdir()
    try:
        for fd in Path(f"/proc/{pid}/fd").iterdir():
            if int(fd.name) <= 2:
                continue  # standard output and error: the benchmark's own temporary log file
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith(folder) and target.endswith("(deleted)"):
                count += 1
    except OSError:
        pass
    return count


class Sampler(threading.Thread):
    """The process tree's summed RSS and its temporary files, four times a second; the peaks kept."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root, self.peak_rss, self.peak_temporary = root, 0.0, 0
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.25):
            tree = process_tree(self.root)
            self.peak_rss = max(self.peak_rss, sum(rss_mb(pid) for pid in tree))
            self.peak_temporary = max(self.peak_temporary, sum(temporary_files(pid) for pid in tree))


class Visitor(threading.Thread):
    """GET / on a new connection ten times a second; each answer's status (or error) and time."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port = port
        self.answers: list[tuple[int | None, float]] = []
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.1):
            started = time.perf_counter()
            connection = http.client.HTTPConnection(HOST, self.port, timeout=VISITOR_TIMEOUT)
            try:
                connection.request("GET", "/")
                response = connection.getresponse()
                response.read()
                status = response.status
            except (OSError, http.client.HTTPException):
                status = None
            finally:
                connection.close()
            self.answers.append((status, time.perf_counter() - started))


def run_attack(attack: Attack, port: int, pid: int, seconds: float) -> list:
    sampler, visitor = Sampler(pid), Visitor(port)
    sampler.start()
    visitor.start()
    started = time.perf_counter()
    seen = attack.run(port, seconds)
    took = time.perf_counter() - started
    visitor.done.set()
    sampler.done.set()
    visitor.join()
    sampler.join()
    ok = [t for status, t in visitor.answers if status == 200]
    everything = [t if status == 200 else float("inf") for status, t in visitor.answers]
    statuses = ", ".join(f"{what} ×{n}" for what, n in sorted(seen.items(), key=lambda kv: -kv[1])) or "—"
    return [attack.name, statuses, f"{took:.0f}", f"{sampler.peak_rss:.0f}", sampler.peak_temporary,
            f"{len(ok)}/{len(everything)}", _ms(percentile(everything, 0.5)), _ms(percentile(everything, 0.99))]


def _ms(seconds: float) -> str:
    return "no answer" if seconds == float("inf") else f"{seconds * 1000:.1f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="how long each slow attack lasts")
    parser.add_argument("--quick-seconds", type=float, default=10.0, help="how long each body attack lasts")
    parser.add_argument("--only", nargs="*", help="run only the attacks whose name contains one of these words")
    args = parser.parse_args()
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < 4096:  # the attackers' own sockets
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(4096, hard), hard))
    attacks = [a for a in ATTACKS if not args.only or any(word in a.name for word in args.only)]
    processes: list = []
    rows = []
    with running_server(processes=processes) as (url, _startup):
        port, pid = int(url.rsplit(":", 1)[1]), processes[0].pid
        for attack in attacks:
            rows.append(run_attack(attack, port, pid, args.seconds if attack.slow else args.quick_seconds))
            print(f"done: {attack.name}", file=sys.stderr, flush=True)
    print(table(["attack", "what the attack's connections saw", "s", "peak RSS MB", "temp files",
                 "GET / answered", "GET / p50 ms", "GET / p99 ms"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
