"""The distribution works anywhere (issue 13): an sdist is built, a wheel is built *from that sdist*
(so both are proved to carry every input), the wheel is installed in a fresh virtual environment, and
its ``twitch-kg`` runs from an empty folder with a temporary HOME: ``--version``, ``build``, ``query``,
``check`` and ``serve``; once with ``site-packages`` writable, once with it read-only. Nothing is
written inside the installed package, nor in the folder it is run from; the build goes to the
user's cache folder under that HOME.

The fresh environment gets the wheel alone (``pip install --no-deps --no-index``); its dependencies
are this test environment's, put on its path by a ``.pth`` line (their files are only read), so the
test downloads nothing but the build backend and takes seconds, not the minutes of a full install.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import tarfile
import tempfile
import urllib.request
import zipfile
from pathlib import Path

import pytest

from kg import __version__
from kg.cli import ontology_version
from kg.config import PROJECT_ROOT, load_settings
from support import TW

pytestmark = pytest.mark.wheel

TIMEOUT = 300

# The saved query's answer, row for row: the five causes the article says need a doctor, in the query's order.
SERIOUS = f"{TW}more-serious,{TW}RequiresProfessionalAttention,{TW}professional-attention"
SERIOUS_CAUSES_CSV = [
    "cause,label,severity,class,escalation",
    f"{TW}neurological-disorders,neurological disorders,{SERIOUS}",
    f"{TW}autoimmune-disorders,autoimmune disorders,{SERIOUS}",
    f"{TW}benign-fasciculation-syndrome,benign fasciculation syndrome,{SERIOUS}",
    f"{TW}dystonia,dystonia,{SERIOUS}",
    f"{TW}pinched-nerve,pinched nerve,{SERIOUS}",
]


def _run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=TIMEOUT, **kwargs)


def _tracked(folder: str) -> set[str]:
    out = _run(["git", "ls-files", folder], cwd=PROJECT_ROOT)
    return {line for line in out.stdout.splitlines() if line}


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> dict[str, Path]:
    """An sdist, and the wheel built from it, as `python -m build` makes them."""
    out = tmp_path_factory.mktemp("dist")
    made = _run([sys.executable, "-m", "build", "--outdir", str(out), str(PROJECT_ROOT)])
    assert made.returncode == 0, made.stdout[-3000:] + made.stderr[-3000:]
    (sdist,) = out.glob("*.tar.gz")
    (wheel,) = out.glob("*.whl")
    return {"sdist": sdist, "wheel": wheel}


def test_the_wheel_and_the_sdist_carry_every_input(dist):
    """Every tracked file of kg/ and webapp/, and the top-level ontology/ and queries/ (as
    kg/ontology and kg/queries), is in the wheel; the sdist keeps the repository's layout."""
    with zipfile.ZipFile(dist["wheel"]) as wheel:
        names = set(wheel.namelist())
    expected = _tracked("kg") | _tracked("webapp")
    expected |= {"kg/" + p for p in _tracked("ontology") | _tracked("queries")}
    assert expected - names == set()
    assert {"kg/ontology/twitch.ttl", "kg/ontology/shapes.ttl", "kg/queries/serious-causes.rq",
            "kg/data/article.txt", "kg/checker/answer.txt", "webapp/templates/base.html",
            "webapp/static/openapi.json", "webapp/sparql/home-causes.rq"} <= names
    assert not any(n.startswith(("ontology/", "queries/", "tests/", "build/")) for n in names)
    with tarfile.open(dist["sdist"]) as sdist:
        inside = {name.split("/", 1)[1] for name in sdist.getnames() if "/" in name}
    assert {"ontology/twitch.ttl", "ontology/shapes.ttl", "queries/serious-causes.rq", "setup.py",
            "pyproject.toml", "kg/data/causes.ttl"} <= inside


def _dependency_paths() -> list[str]:
    """This environment's site-packages folders (the dependencies), not the checkout."""
    folders = [*site.getsitepackages(), site.getusersitepackages()]
    return [f for f in dict.fromkeys(folders) if Path(f).is_dir()]


@pytest.fixture(scope="module")
def installed(dist) -> Path:
    """A fresh virtual environment with the wheel installed in it; its root."""
    venv = Path(tempfile.mkdtemp(prefix="twitch-kg-wheel-venv-"))
    made = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    assert made.returncode == 0, made.stderr
    python = venv / "bin" / "python"
    purelib = Path(_run([str(python), "-c",
                         "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    (purelib / "zz_test_dependencies.pth").write_text("\n".join(_dependency_paths()) + "\n")
    got = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", "--no-index",
                str(dist["wheel"])])
    assert got.returncode == 0, got.stdout + got.stderr
    where = _run([str(python), "-c", "import kg, webapp; print(kg.__file__); print(webapp.__file__)"], cwd=venv)
    assert where.returncode == 0, where.stderr
    # the wheel's, not the checkout's
    assert all(Path(line).is_relative_to(purelib) for line in where.stdout.split()), where.stdout
    yield venv
    _run(["chmod", "-R", "u+w", str(venv)])
    shutil.rmtree(venv, ignore_errors=True)


def _listing(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns)
            for p in folder.rglob("*") if not p.is_symlink()}


def _read_only_prefix(venv: Path) -> list[str]:
    """How to run a command with the environment read-only: root ignores permission bits, so as root
    a private mount namespace binds it read-only; anyone else gets it made unwritable."""
    if os.geteuid() != 0:
        _run(["chmod", "-R", "a-w", str(venv)])
        return []
    prefix = ["unshare", "--mount", "--", "sh", "-c", 'mount --bind -o ro "$0" "$0" && exec "$@"', str(venv)]
    probe = _run([*prefix, "sh", "-c", f'touch "{venv}/probe" 2>/dev/null && echo writable || echo read-only'])
    if probe.stdout.strip() != "read-only":
        pytest.skip(f"cannot make a read-only mount here (unshare/mount as root): {probe.stderr.strip()}")
    return prefix


@pytest.mark.parametrize("mode", ["writable", "read-only"])
def test_the_installed_wheel_works_from_an_empty_folder(installed, mode, tmp_path):
    home, work = tmp_path / "home", tmp_path / "work"
    home.mkdir(), work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TWITCH_KG_") or k == "TWITCH_KG_JAVA"}
    env.pop("XDG_CACHE_HOME", None)
    env.update(HOME=str(home), PATH=f"{installed / 'bin'}{os.pathsep}{env.get('PATH', '')}")
    before = _listing(installed)
    prefix = _read_only_prefix(installed) if mode == "read-only" else []
    cli = [*prefix, str(installed / "bin" / "twitch-kg")]

    def twitch_kg(*args):
        done = _run([*cli, *args], cwd=work, env=env)
        assert done.returncode == 0, f"twitch-kg {' '.join(args)}: {done.stdout[-2000:]}{done.stderr[-3000:]}"
        return done.stdout

    assert twitch_kg("--version").strip() == f"twitch-kg {__version__} (ontology {ontology_version(load_settings())})"

    cache = home / ".cache" / "twitch-kg" / "build"
    built = twitch_kg("build")
    assert str(cache) in built
    assert sorted(p.name for p in cache.iterdir()) != []

    assert twitch_kg("query", "serious-causes", "--format", "csv").splitlines() == SERIOUS_CAUSES_CSV

    checked = twitch_kg("check", "--feature", "persistent-twitching")
    assert "VERDICT: CONSULT A DOCTOR" in checked

    server = subprocess.Popen([*cli, "serve", "--port", "0"], cwd=work, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        line = server.stdout.readline()
        assert "serving http://127.0.0.1:" in line, line + server.stderr.read() if server.poll() is not None else line
        base = line.split("serving ", 1)[1].split()[0]
        for path in ("", "sparql"):
            with urllib.request.urlopen(base + path, timeout=60) as answer:
                assert answer.status == 200, path
    finally:
        server.terminate()
        server.wait(timeout=30)
        server.stdout.close(), server.stderr.close()

    assert _listing(installed) == before, "something was written inside the installed environment"
    assert list(work.iterdir()) == [], "something was written in the folder it ran from"
