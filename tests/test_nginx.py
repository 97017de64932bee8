"""The documented production set-up, as deployed: nginx (Debian's) with the repository's
``deploy/nginx/twitch-kg.conf`` in front of a real ``twitch-kg serve``, both on free loopback ports.

nginx runs in the foreground as this user, in a temporary folder (``-p``), from a small
``nginx.conf`` written here whose ``http {}`` includes the repository's file. Only three things of
that file are replaced, each of which must be found: ``listen 80;``, the upstream's
``server 127.0.0.1:8000`` and the log folder ``/var/log/nginx/``."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.config import PROJECT_ROOT
from support import HANG_GUARD, wait_for
from test_connections import HOME

CONF = PROJECT_ROOT / "deploy" / "nginx" / "twitch-kg.conf"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def deployed(text: str, port: int, app_port: int, logs: Path) -> str:
    """The repository's configuration with its port, upstream and log folder replaced."""
    for old, new in (("listen 80;", f"listen 127.0.0.1:{port};"),
                     ("server 127.0.0.1:8000", f"server 127.0.0.1:{app_port}"),
                     ("/var/log/nginx/", f"{logs}/")):
        assert old in text, f"{CONF.name} no longer has {old!r}: update tests/test_nginx.py"
        text = text.replace(old, new)
    return text


class Nginx:
    """nginx in the foreground (no daemon), in ``folder``, in front of the app at ``app_url``."""

    def __init__(self, folder: Path, app_url: str):
        self.folder, self.logs = folder, folder / "logs"
        self.logs.mkdir()
        self.port = free_port()
        app_port = int(app_url.rsplit(":", 1)[1])
        (folder / "twitch-kg.conf").write_text(deployed(CONF.read_text(), self.port, app_port, self.logs))
        temporary = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in
                              ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        # As root (a CI container), nginx's workers would switch to `nobody`, who cannot enter this
        # private temporary folder; they stay this user. (A deployment uses the distribution's
        # nginx.conf: `user www-data`.)
        user = "user root;\n" if os.geteuid() == 0 else ""
        (folder / "nginx.conf").write_text(
            f"{user}worker_processes 1;\nevents {{ worker_connections 256; }}\n"
            f"http {{\n{temporary}\n    access_log {self.logs}/access.log;\n"
            f"    include {folder / 'twitch-kg.conf'};\n}}\n")
        self.process = subprocess.Popen(
            [NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-e", str(self.logs / "error.log"),
             "-g", f"daemon off; pid {folder / 'nginx.pid'}; error_log {self.logs / 'error.log'} info;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.url = f"http://127.0.0.1:{self.port}"
        wait_for(self._answers, "nginx listening")

    def _answers(self) -> bool:
        if self.process.poll() is not None:
            error_log = self.logs / "error.log"
            raise AssertionError(f"nginx exited {self.process.returncode}: {self.process.stderr.read().decode()}"
                                 f"{error_log.read_text() if error_log.exists() else ''}")
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=HANG_GUARD).close()
        except ConnectionRefusedError:
            return False
        return True

    def request(self, path: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, dict, bytes]:
        request = urllib.request.Request(self.url + path, data=data, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=HANG_GUARD) as response:
                return response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read()

    def access_log(self) -> list[str]:
        return (self.logs / "twitch-kg.access.log").read_text().splitlines()

    def stop(self) -> int:
        self.process.terminate()
        code = self.process.wait(HANG_GUARD)
        self.process.stderr.close()
        return code


@pytest.fixture(scope="module")
def nginx(served, tmp_path_factory):
    if NGINX is None:
        pytest.skip("nginx is not installed (Debian/Ubuntu: apt-get install nginx; .ci/run installs it)")
    served.ready()
    proxy = Nginx(tmp_path_factory.mktemp("nginx"), served.url)
    yield proxy
    assert proxy.stop() == 0


def test_the_configuration_is_valid_for_nginx(nginx):
    done = subprocess.run([NGINX, "-t", "-p", str(nginx.folder), "-c", str(nginx.folder / "nginx.conf"),
                           "-e", str(nginx.logs / "error.log"), "-g", f"pid {nginx.folder / 'test.pid'};"],
                          capture_output=True, text=True, timeout=HANG_GUARD)
    assert done.returncode == 0, done.stderr
    assert "syntax is ok" in done.stderr and "test is successful" in done.stderr


def test_the_home_page_through_nginx(nginx):
    status, headers, body = nginx.request("/")
    assert status == 200 and headers["Server"] == "nginx"
    assert HOME in body and headers["Content-Security-Policy"].startswith("default-src 'self'")


def test_a_sparql_query_through_nginx(nginx):
    status, headers, body = nginx.request("/sparql?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}),
                                          headers={"Accept": "application/sparql-results+json"})
    assert (status, headers["Content-Type"]) == (200, "application/sparql-results+json")
    assert json.loads(body) == {"head": {}, "boolean": True}
    status, _, body = nginx.request("/sparql", data=b"query=" + urllib.parse.quote_plus("ASK { ?s ?p ?o }").encode(),
                                    headers={"Accept": "application/sparql-results+json",
                                             "Content-Type": "application/x-www-form-urlencoded"})
    assert (status, json.loads(body)) == (200, {"head": {}, "boolean": True})


def test_a_2_mb_post_is_refused_413_by_nginx_and_never_reaches_the_app(nginx, served):
    status, headers, body = nginx.request("/sparql", data=b"x" * 2_000_000,
                                          headers={"Content-Type": "application/sparql-query",
                                                   "X-Request-Id": "too-big-via-nginx"})
    assert (status, headers["Server"]) == (413, "nginx")
    assert b"413 Request Entity Too Large" in body and b"<center>nginx</center>" in body
    # The app's log is written in order: once a later request's line is in it, so would the refused one's be.
    assert nginx.request("/", headers={"X-Request-Id": "after-too-big"})[0] == 200
    wait_for(lambda: any(line.get("request_id") == "after-too-big" for line in served.lines()),
             "the app's access-log line of the next request")
    assert [line for line in served.lines() if line.get("request_id") == "too-big-via-nginx"] == []


def test_the_clients_request_id_reaches_the_app_and_comes_back(nginx, served):
    status, headers, _ = nginx.request("/search?q=dystonia", headers={"X-Request-Id": "via-nginx-42"})
    assert (status, headers["X-Request-Id"]) == (200, "via-nginx-42")
    (line,) = wait_for(lambda: [entry for entry in served.lines() if entry.get("request_id") == "via-nginx-42"],
                       "the app's access-log line")
    assert (line["route"], line["status"]) == ("/search", 200)


def test_without_one_nginx_makes_the_request_id_and_the_app_uses_it(nginx):
    status, headers, _ = nginx.request("/healthz")
    made = headers["X-Request-Id"]
    assert status == 200 and len(made) == 32 and int(made, 16) >= 0
    logged = wait_for(lambda: [logged for logged in nginx.access_log() if logged.endswith(f" id={made}")],
                      "nginx's access-log line")
    assert len(logged) == 1 and '"GET /healthz" 200 ' in logged[0]


def test_nginx_logs_no_query_string(nginx):
    nginx.request("/search?q=persistent-twitching-SECRET-nginx")
    wait_for(lambda: any('"GET /search" 200' in logged for logged in nginx.access_log()), "nginx's access-log line")
    assert "SECRET" not in "\n".join(nginx.access_log())
