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

from kg.build import build  # noqa: E402
from kg.config import load_settings
from kg.graph import open_graph

from support import ARTICLE, FIXTURES, TW, Listener, LiveServer, select  # noqa: F401  (re-exported for old imports)


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
    from webapp import create_app

    return create_app({"TESTING": True}, settings=settings, store=store)


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def live_server(app):
    server = LiveServer(app)
    yield server
    server.close()


@pytest.fixture()
def cli(settings, built, monkeypatch, capsys):
    """Runs ``twitch-kg ARGS…`` in this process: (exit code, stdout, stderr)."""
    from kg.cli import main

    monkeypatch.setenv("TWITCH_KG_BUILD_DIR", str(settings.build_dir))

    def run(*args):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


@pytest.fixture()
def listener():
    """A loopback TCP listener that counts the connections made to it (support.Listener)."""
    recorder = Listener()
    yield recorder
    recorder.close()


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory):
    """A private Virtuoso on loopback with its own temporary database (tests/virtuoso.py)."""
    import virtuoso as vt

    if vt.binary() is None:
        pytest.skip("virtuoso-t is not installed (Debian: apt-get install virtuoso-opensource; .ci/run does)")
    with vt.running_virtuoso(tmp_path_factory.mktemp("virtuoso")) as server:
        yield server
