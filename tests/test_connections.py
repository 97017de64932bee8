"""Many, slow and malformed connections against a real ``twitch-kg serve`` (webapp/connections.py):
idle and slowloris connections do not keep a visitor out, a body over the limit is refused before it
is read, and a request with both Content-Length and chunked is refused and its connection closed.
Every wait is bounded by HANG_GUARD; no duration is asserted (benchmarks/attack.py measures them)."""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import threading

import pytest

from support import HANG_GUARD, TWITCH_KG
from webapp.connections import BODY_MARGIN

#: The body waitress refuses (413) as soon as this many bytes of it are declared or received.
LIMIT = 1_000_000 + BODY_MARGIN  # the app's MAX_CONTENT_LENGTH and the margin
#: The home page's heading: GET / answered by the app.
HOME = b"<h1>twitch-kg: what causes muscle twitching</h1>"
POST_HEAD = b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/sparql-query\r\n"


@pytest.fixture(scope="module", autouse=True)
def ready(served):
    served.ready()  # its query workers started: the POSTs to /sparql need them


def connect(served) -> socket.socket:
    host, port = served.url.removeprefix("http://").split(":")
    return socket.create_connection((host, int(port)), timeout=HANG_GUARD)


def until_closed(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection (a recv past HANG_GUARD fails)."""
    received = b""
    while chunk := sock.recv(65536):
        received += chunk
    return received


def status_lines(answer: bytes) -> list[bytes]:
    return [line for line in answer.split(b"\r\n") if line.startswith(b"HTTP/1.")]


def test_a_visitor_gets_the_home_page_while_500_idle_connections_are_open(served):
    idle = [connect(served) for _ in range(500)]
    try:
        status, _, body = served.get("/")
        assert status == 200 and HOME in body
    finally:
        for sock in idle:
            sock.close()


def test_a_visitor_gets_the_home_page_while_150_slowloris_connections_trickle_headers(served):
    slow = [connect(served) for _ in range(150)]
    stop = threading.Event()

    def trickle():  # one more byte of a header line on each connection, as slowloris does
        while not stop.wait(0.5):
            for sock in slow:
                try:
                    sock.send(b"a")
                except OSError:
                    pass

    for sock in slow:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Slow: ")
    trickling = threading.Thread(target=trickle, daemon=True)
    trickling.start()
    try:
        status, _, body = served.get("/")
        assert status == 200 and HOME in body
    finally:
        stop.set()
        trickling.join(HANG_GUARD)
        for sock in slow:
            sock.close()


def test_a_declared_gigabyte_is_refused_413_before_a_byte_of_it_is_sent(served):
    with connect(served) as sock:
        sock.sendall(POST_HEAD + b"Content-Length: 1000000000\r\n\r\n")  # the headers only, never the body
        answer = until_closed(sock)
    assert status_lines(answer) == [b"HTTP/1.1 413 Request Entity Too Large"]
    assert b"\r\nConnection: close\r\n" in answer


def test_a_chunked_body_past_the_limit_is_refused_413_before_it_ends(served):
    # One chunk declared 2 MB, of which exactly waitress's limit (the app's 1 MB and the margin) is
    # sent: the limit is reached at the last byte sent. (Bytes sent beyond it the server would leave
    # unread, and its close would then be a reset, which may discard the answer: there is no
    # lingering close in waitress.)
    head = b"%x\r\n" % 2_000_000
    with connect(served) as sock:
        sock.sendall(POST_HEAD + b"Transfer-Encoding: chunked\r\n\r\n" + head + b"x" * (LIMIT - len(head)))
        answer = until_closed(sock)
    assert status_lines(answer) == [b"HTTP/1.1 413 Request Entity Too Large"]
    assert b"exceeds max_body of %d" % LIMIT in answer


def post(served, body: bytes, content_type: bytes) -> tuple[bytes, bytes]:
    """The status line and the body of the answer to a POST /sparql (the connection then closed)."""
    with connect(served) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + content_type
                     + b"\r\nAccept: application/sparql-results+json\r\nConnection: close\r\n"
                     + b"Content-Length: %d\r\n\r\n" % len(body) + body)
        answer = until_closed(sock)
    head, _, content = answer.partition(b"\r\n\r\n")
    return head.split(b"\r\n", 1)[0], content


def test_a_body_under_the_apps_limit_is_served(served):
    body = b"query=ASK%20%7B%7D&padding=" + b"x" * 900_000
    assert post(served, body, b"application/x-www-form-urlencoded") == (
        b"HTTP/1.1 200 OK", b'{"head": {}, "boolean": true}')


def test_a_body_just_over_the_apps_limit_gets_the_apps_own_413(served):
    body = b"#" + b" " * 1_000_050 + b"\nASK {}"  # over the app's 1 MB, under waitress's limit
    assert post(served, body, b"application/sparql-query") == (
        b"HTTP/1.1 413 REQUEST ENTITY TOO LARGE",
        b"413 Request Entity Too Large: The data value transmitted exceeds the capacity limit.\n")


@pytest.mark.parametrize("version,framing,refusal", [
    (b"1.1", b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n",
     b"a request may not carry both Transfer-Encoding and Content-Length"),
    (b"1.0", b"Connection: keep-alive\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n",
     b"an HTTP/1.0 request may not carry Transfer-Encoding"),
])
def test_content_length_with_chunked_is_400_and_the_connection_is_closed(served, version, framing, refusal):
    smuggled = b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n"
    with connect(served) as sock:
        sock.sendall(POST_HEAD.replace(b"HTTP/1.1", b"HTTP/" + version) + framing + b"\r\n0\r\n\r\n" + smuggled)
        answer = until_closed(sock)
    assert status_lines(answer) == [b"HTTP/" + version + b" 400 Bad Request"]  # the request behind it: not answered
    assert refusal in answer and b"\r\nConnection: close\r\n" in answer


@pytest.mark.parametrize("limit,waiting,accepted", [
    (1000, 100, 64),  # ACCEPT_BATCH in one turn of the event loop (waitress alone: 1)
    (40, 50, 38),     # never past the limit (which counts the listening socket and waitress's trigger)
])
def test_waiting_connections_are_accepted_in_batches_up_to_the_limit(limit, waiting, accepted):
    from waitress import wasyncore
    from waitress.server import create_server

    from webapp.connections import ACCEPT_BATCH, guard

    assert ACCEPT_BATCH == 64
    server = create_server(lambda environ, start_response: [], host="127.0.0.1", port=0, threads=1,
                           connection_limit=limit, asyncore_use_poll=True)
    guard(server)
    clients = [socket.create_connection(("127.0.0.1", server.effective_port), timeout=HANG_GUARD)
               for _ in range(waiting)]  # each in the listening socket's queue once connected
    try:
        wasyncore.loop(timeout=HANG_GUARD, map=server._map, use_poll=True, count=1)
        assert len(server.active_channels) == accepted
    finally:
        for channel in list(server.active_channels.values()):
            channel.close()
        server.close()
        server.task_dispatcher.shutdown()
        for sock in clients:
            sock.close()


# ---------------------------------------------------------------- the limit on open files


def serve_with_open_files(tmp_path, settings, soft: int, hard: int, **env: str) -> subprocess.Popen:
    """``twitch-kg serve`` started with ``ulimit -Sn soft -Hn hard``."""
    return subprocess.Popen([TWITCH_KG, "serve", "--port", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={**os.environ, "TWITCH_KG_BUILD_DIR": str(settings.build_dir), **env}, cwd=tmp_path,
                            preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard)))


def outcome(process: subprocess.Popen) -> tuple[int, bytes, bytes]:
    """Exit status, standard output and error of ``process``; killed if it is still running at the guard."""
    try:
        out, err = process.communicate(timeout=HANG_GUARD)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    return process.returncode, out, err


def soft_open_files(pid: int) -> int:
    with open(f"/proc/{pid}/limits") as limits:
        (line,) = [line for line in limits if line.startswith("Max open files")]
    return int(line.split()[3])


def test_a_connection_limit_past_the_hard_open_files_limit_is_a_one_line_error(settings, built, tmp_path):
    process = serve_with_open_files(tmp_path, settings, 512, 1024, TWITCH_KG_CONNECTION_LIMIT="2000")
    code, out, err = outcome(process)
    assert code == 2 and out == b""
    assert err.decode().splitlines()[-1] == (
        "twitch-kg: error: TWITCH_KG_CONNECTION_LIMIT=2000 needs 2256 open files, but the hard limit is 1024 "
        "(ulimit -Hn): raise it, or set TWITCH_KG_CONNECTION_LIMIT to 768 or less")


def test_a_connection_limit_that_is_not_a_number_is_a_one_line_error(settings, built, tmp_path):
    process = serve_with_open_files(tmp_path, settings, 512, 1024, TWITCH_KG_CONNECTION_LIMIT="many")
    code, _, err = outcome(process)
    assert code == 2
    assert err.decode().splitlines()[-1] == (
        "twitch-kg: error: TWITCH_KG_CONNECTION_LIMIT must be a whole number, not 'many'")


@pytest.mark.parametrize("hard,soft_then,warned", [
    (8192, 4256, False),  # the default 4,000 connections and 256 spare files
    (2048, 2048, True),   # the hard limit is lower: 1,792 connections, and a warning says so
])
def test_the_soft_open_files_limit_is_raised_for_the_connection_limit(settings, built, tmp_path, hard, soft_then,
                                                                       warned):
    ours = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    if ours != resource.RLIM_INFINITY and ours < hard:
        pytest.skip(f"this process's hard limit on open files is below {hard}")
    process = serve_with_open_files(tmp_path, settings, 512, hard)
    try:
        first = process.stdout.readline().decode()
        assert first.startswith("twitch-kg: serving http://127.0.0.1:")
        assert soft_open_files(process.pid) == soft_then
    finally:
        process.terminate()
        _, _, err = outcome(process)
    warning = f"the hard limit on open files (ulimit -Hn) is {hard}: serving at most 1792 connections, not 4000"
    assert (warning in err.decode()) is warned
