"""The README's two commands are what CI runs, and the repository stands alone (no shared folder beside it)."""

from __future__ import annotations

import re
from pathlib import Path

from kg.config import PROJECT_ROOT

README = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
CI = (PROJECT_ROOT / ".ci" / "run").read_text(encoding="utf-8")


def _block_after(heading: str) -> list[str]:
    """The lines of the first ```sh block after the line that starts with ``heading``."""
    found = re.search(rf"^{re.escape(heading)}.*?\n```sh\n(.*?)```", README, re.M | re.S)
    assert found, heading
    return found.group(1).strip().splitlines()


def test_ci_runs_exactly_the_readme_test_command():
    (command,) = _block_after("Run the whole test suite")
    assert command == "python3 -m venv .venv && .venv/bin/pip install -q -e '.[test]' && .venv/bin/python -m pytest"
    assert CI.rstrip().splitlines()[-1] == command


def test_the_readme_apt_line_installs_every_package_ci_installs():
    (apt,) = _block_after("On a fresh machine")
    assert apt == ("apt-get update && apt-get install -y python3-venv default-jre-headless chromium "
                   "virtuoso-opensource nginx")
    assert set(re.findall(r"need\+=\(([\w.-]+)\)", CI)) == set(apt.split("-y ")[1].split())


def test_the_serve_command_makes_and_uses_a_virtual_environment():
    assert _block_after("Run it") == [
        "python3 -m venv .venv && .venv/bin/pip install -e . && .venv/bin/twitch-kg serve"]


def test_no_code_reads_a_shared_folder_beside_the_repository():
    sources = [p for folder in ("kg", "webapp", "tests", "scripts", "benchmarks")
               for p in sorted((PROJECT_ROOT / folder).rglob("*.py"))] + [PROJECT_ROOT / ".ci" / "run"]
    outside = re.compile(r"\.\./shared|parent\s*/\s*['\"]shared['\"]|['\"]shared['\"]\s*/")
    found = [f"{p.relative_to(PROJECT_ROOT)}:{n}" for p in sources if p != Path(__file__).resolve()
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if outside.search(line)]
    assert found == []
    assert len(sources) > 50


def test_the_settings_table_is_the_one_in_code():
    """Issue 11: every setting declared once (webapp/settings.py, kg/config.py); the README's copy is it."""
    from webapp.settings import markdown_table

    assert markdown_table() in README


def _mapped_paths() -> list[str]:
    section = README.split("\n## Where things are\n", 1)[1].split("\n## ", 1)[0]
    return [path for row in re.findall(r"^\| (`[^|]+`) \|", section, re.M) for path in re.findall(r"`([^`]+)`", row)]


def test_the_map_names_every_module_and_only_what_exists():
    """Issue 11: the README's "Where things are" map matches the tree."""
    mapped = _mapped_paths()
    assert [path for path in mapped if not (PROJECT_ROOT / path).exists()] == []
    folders = tuple(path for path in mapped if path.endswith("/"))
    modules = sorted(str(p.relative_to(PROJECT_ROOT)) for package in ("kg", "webapp")
                     for p in (PROJECT_ROOT / package).rglob("*.py"))
    unmapped = [m for m in modules if m not in mapped and not m.startswith(folders)
                and not (m.endswith("/__init__.py") and m != "webapp/__init__.py")]
    assert unmapped == []
