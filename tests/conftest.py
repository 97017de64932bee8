"""Shared fixtures: one build of the real inputs per test session, in a temporary folder."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile

import pytest

# Hermetic: a command or test that builds with the default settings writes to a temporary folder,
# never to the user's cache (kg.resources.default_build_dir). Set before any test reads settings.
_BUILD_DIR = tempfile.mkdtemp(prefix="twitch-kg-tests-build-")
atexit.register(shutil.rmtree, _BUILD_DIR, True)
os.environ["TWITCH_KG_BUILD_DIR"] = _BUILD_DIR

from kg.build import build
from kg.config import load_settings
from kg.graph import open_graph
from support import ARTICLE, Listener, LiveServer, Served, free_port, make_app


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


@pytest.fixture(scope="session")
def app(settings, store):
    return make_app(settings, store)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app)
    yield server
    server.close()


def _cli_runner(settings, monkeypatch, capture):
    from kg.cli import main

    monkeypatch.setenv("TWITCH_KG_BUILD_DIR", str(settings.build_dir))

    def run(*args):
        code = main(list(args))
        out, err = capture.readouterr()
        return code, out, err

    return run


@pytest.fixture()
def cli(settings, built, monkeypatch, capsys):
    """Runs ``twitch-kg ARGS…`` in this process: (exit code, stdout, stderr), as text."""
    return _cli_runner(settings, monkeypatch, capsys)


@pytest.fixture()
def cli_bytes(settings, built, monkeypatch, capsysbinary):
    """The same as ``cli``, with stdout and stderr as bytes."""
    return _cli_runner(settings, monkeypatch, capsysbinary)


@pytest.fixture(scope="module")
def checker(store):
    """The presentation checker over the article's graph."""
    from kg.checker import Checker

    return Checker.from_store(store)


@pytest.fixture()
def unused_port() -> int:
    """A loopback TCP port nobody listens on."""
    return free_port()


@pytest.fixture()
def listener():
    """A loopback TCP listener that counts the connections made to it (support.Listener)."""
    recorder = Listener()
    yield recorder
    recorder.close()


@pytest.fixture(scope="module")
def served(settings, built, tmp_path_factory):
    """A real ``twitch-kg serve --log-format json`` (support.Served), one per test module."""
    server = Served(settings, tmp_path_factory.mktemp("served"), "--log-format", "json")
    yield server
    if server.process.poll() is None:
        assert server.terminate() == 0


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A private Virtuoso on loopback with its own temporary database (tests/virtuoso.py)."""
    import virtuoso as vt

    if vt.binary() is None:
        pytest.skip("virtuoso-t is not installed (Debian: apt-get install virtuoso-opensource; .ci/run does)")
    with vt.running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
