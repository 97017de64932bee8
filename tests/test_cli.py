"""The command line: output, exit codes, and one clear line for bad input."""

from __future__ import annotations

import json
import os
import socket
import subprocess

import pytest
from rdflib import Graph

from kg.cli import main
from support import ASSERTED, CLASSES, HANG_GUARD, INDIVIDUALS, INFERRED, TWITCH_KG


def test_build_prints_counts_and_timings(cli):
    code, out, _ = cli("build")
    assert code == 0
    assert out.splitlines()[0].startswith("cached (inputs unchanged, reasoner not run): ")
    assert f"inferred {INFERRED}; classes {CLASSES}, individuals {INDIVIDUALS}" in out


def test_validate(cli):
    code, out, _ = cli("validate")
    assert code == 0
    assert out.startswith("valid: SHACL conforms and the ontology is consistent")


def test_query_inline_json(cli):
    code, out, _ = cli("query", "SELECT ?l WHERE { tw:nhs rdfs:label ?l }", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "head": {"vars": ["l"]},
        "results": {"bindings": [{"l": {"type": "literal", "value": "NHS", "xml:lang": "en"}}]},
    }


def test_query_table(cli):
    code, out, _ = cli("query", "SELECT ?s WHERE { ?c tw:claimCause tw:dystonia ; cito:citesAsEvidence ?s }")
    assert code == 0
    assert out.splitlines() == ["s", "------", "tw:nhs", "(1 row)"]


def test_query_construct_turtle(cli):
    code, out, _ = cli("query", "CONSTRUCT { tw:dystonia rdfs:label ?l } WHERE { tw:dystonia rdfs:label ?l }")
    assert code == 0
    graph = Graph().parse(data=out, format="turtle")
    assert len(graph) == 1


def test_query_rq_file(cli, tmp_path):
    path = tmp_path / "q.rq"
    path.write_text("SELECT (COUNT(*) AS ?n) WHERE { ?c cito:citesAsEvidence ?s }")
    code, out, _ = cli("query", str(path), "--format", "csv")
    assert code == 0
    assert out == "n\r\n17\r\n"


@pytest.mark.parametrize(
    "args,message",
    [
        (["query", "SELECT * WHERE { ?s ?p }"], "twitch-kg: error: malformed SPARQL: error at 1:25: "),
        (["query", "missing.rq"], "twitch-kg: error: query file not found: missing.rq"),
        (["query", "no-such-query"], "twitch-kg: error: 'no-such-query' is not a .rq file, a saved query or SPARQL"),
        (["export", "--format", "docx"], "twitch-kg: error: argument --format: invalid choice: 'docx'"),
        (["export", "--graph", "secret"], "twitch-kg: error: argument --graph: invalid choice: 'secret'"),
        (["query", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv"],
         "twitch-kg: error: format 'csv' is not for a graph result"),
        (["frobnicate"], "twitch-kg: error: argument command: invalid choice: 'frobnicate'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, args, message):
    code, out, err = cli(*args)
    assert code == 2
    assert out == ""
    assert err.startswith(message)
    assert len(err.strip().splitlines()) == 1


def test_export_to_file(cli, tmp_path):
    target = tmp_path / "kg.ttl"
    code, out, _ = cli("export", "--graph", "inferred", "--format", "turtle", "--output", str(target))
    assert code == 0 and out == ""
    assert len(Graph().parse(target, format="turtle")) == INFERRED


def test_failed_export_writes_nothing(cli, tmp_path):
    target = tmp_path / "kg.ttl"
    code, _, _ = cli("export", "--format", "bogus", "--output", str(target))
    assert code == 2
    assert not target.exists()


def test_console_script_is_installed(settings, built):
    env = {**os.environ, "TWITCH_KG_BUILD_DIR": str(settings.build_dir)}
    done = subprocess.run([TWITCH_KG, "export", "--graph", "asserted", "--format", "nt"],
                          capture_output=True, text=True, env=env, timeout=HANG_GUARD)
    assert done.returncode == 0
    assert len(done.stdout.strip().splitlines()) == ASSERTED


def _one_line_and_exit_2(code: int, out: str, err: str) -> str:
    """The error line, once it is known to be the only output and the exit code 2."""
    assert (code, out) == (2, "")
    assert len(err.splitlines()) == 1, err
    return err.rstrip("\n")


def test_serve_on_a_port_in_use_says_which_and_starts_nothing(settings, built):
    env = {**os.environ, "TWITCH_KG_BUILD_DIR": str(settings.build_dir)}
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([TWITCH_KG, "serve", "--port", str(port)], capture_output=True, text=True, env=env,
                              timeout=HANG_GUARD)
    assert _one_line_and_exit_2(done.returncode, done.stdout, done.stderr) == (
        f"twitch-kg: error: port {port} on 127.0.0.1 is already in use (another twitch-kg serve?); "
        "choose a free one with --port")


@pytest.mark.parametrize("port", ["70000", "-1", "http"])
def test_serve_on_a_port_that_is_no_port_is_one_line(cli, port):
    assert _one_line_and_exit_2(*cli("serve", "--port", port)) == (
        f"twitch-kg: error: argument --port: not a TCP port (0 to 65535): {port!r}")


@pytest.mark.parametrize("query", [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ BIND(<http://127.0.0.1:{port}/> AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
    "select * where {{ \\u0053ERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE <http://no-such-host.invalid:{port}/sparql> {{ ?s ?p ?o }} }}",
])
def test_query_refuses_service_before_connecting_anywhere(cli, listener, query):
    line = _one_line_and_exit_2(*cli("query", query.format(port=listener.port)))
    assert line == ("twitch-kg: error: SERVICE (federated query) is refused, as the SPARQL endpoint refuses it: "
                    "it would fetch other URLs; add --allow-service to run it")
    assert listener.connections_before_a_last_one() == 0


def test_query_runs_service_when_allowed(cli, live_server):
    query = f"SELECT ?l WHERE {{ SERVICE <{live_server.url}/sparql> {{ tw:nhs rdfs:label ?l }} }}"
    code, out, err = cli("query", "--allow-service", query, "--format", "csv")
    assert (code, out, err) == (0, "l\r\nNHS\r\n", "")


def test_query_with_an_allowed_service_that_does_not_answer_is_one_line(cli, listener, unused_port):
    line = _one_line_and_exit_2(*cli("query", "--allow-service",
                                     f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{unused_port}/sparql> "
                                     "{ ?s ?p ?o } }"))
    assert line == "twitch-kg: error: the query could not be evaluated: Connection refused (os error 111)"


@pytest.mark.parametrize("update", [
    "DROP ALL",
    "CLEAR DEFAULT",
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX x: <urn:x#> INSERT { ?s a x:Y } WHERE { ?s ?p ?o }",
])
def test_query_says_an_update_is_sparql_update_and_the_graph_read_only(cli, store, update):
    before = store.count()
    assert _one_line_and_exit_2(*cli("query", update)) == (
        "twitch-kg: error: the query is SPARQL Update: the graph is read-only here (only twitch-kg build writes "
        "it); query runs SELECT, ASK, CONSTRUCT and DESCRIBE")
    assert store.count() == before


def test_a_word_that_is_no_update_is_still_an_unknown_query(cli):
    line = _one_line_and_exit_2(*cli("query", "add-cause"))
    assert line.startswith("twitch-kg: error: 'add-cause' is not a .rq file, a saved query or SPARQL; "
                           "saved queries: cause-neighbourhood, ")


@pytest.mark.parametrize("problem,make", [
    ("does not exist", lambda path: None),
    ("is not executable", lambda path: path.write_text("#!/bin/sh\nexit 0\n")),
    ("is a folder", lambda path: path.mkdir()),
])
def test_twitch_kg_java_that_is_no_program_names_the_setting(cli, tmp_path, monkeypatch, problem, make):
    java = tmp_path / "java"
    make(java)
    monkeypatch.setenv("TWITCH_KG_JAVA", str(java))
    line = _one_line_and_exit_2(*cli("build", "--force", "--build-dir", str(tmp_path / "build")))
    assert line == (f"twitch-kg: error: TWITCH_KG_JAVA names {java}, which {problem}: set it to the java program "
                    "of a Java 11 or newer, or unset it to use the java on PATH.")
    assert not (tmp_path / "build" / "twitch-kg.nq").exists()


COMMANDS = ["build", "validate", "query", "export", "serve", "check"]


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_plain_text(command, capsys):
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"] if command else ["--help"])
    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert out.startswith(f"usage: twitch-kg {command or ''}".rstrip())
    assert "``" not in out
    if command is None:
        assert "\ntwitch-kg: build, validate, query, export, serve, check, explain.\n" in out
    if command == "query":
        assert "--allow-service" in out


def test_version_prints_the_package_and_the_ontology_version(capsys):
    from rdflib import Graph
    from rdflib.namespace import OWL

    from kg import __version__
    from kg.config import load_settings

    (info,) = Graph().parse(load_settings().ontology_file).objects(None, OWL.versionInfo)
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == f"twitch-kg {__version__} (ontology {info})\n"


def test_version_of_an_unreadable_ontology_says_so_without_a_traceback(capsys, monkeypatch, tmp_path):
    monkeypatch.setenv("TWITCH_KG_ONTOLOGY", str(tmp_path / "missing.ttl"))
    with pytest.raises(SystemExit):
        main(["--version"])
    out = capsys.readouterr().out
    assert out.startswith("twitch-kg ") and "(ontology unreadable: " in out and "missing.ttl" in out


def test_builds_go_to_the_user_cache_folder_unless_told_otherwise(monkeypatch, tmp_path):
    """Never inside the package (which may be read-only): platformdirs' cache folder, for every install."""
    from kg.config import PROJECT_ROOT, load_settings

    monkeypatch.delenv("TWITCH_KG_BUILD_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert load_settings().build_dir == tmp_path / "cache" / "twitch-kg" / "build"
    assert not load_settings().build_dir.is_relative_to(PROJECT_ROOT)
    monkeypatch.setenv("TWITCH_KG_BUILD_DIR", str(tmp_path / "elsewhere"))
    assert load_settings().build_dir == tmp_path / "elsewhere"


def test_the_inputs_are_the_shipped_files_unless_told_otherwise(monkeypatch, tmp_path):
    from kg.config import load_settings

    settings = load_settings()
    assert settings.ontology_file.name == "twitch.ttl" and settings.ontology_file.is_file()
    assert settings.shapes_file.is_file() and (settings.queries_dir / "serious-causes.rq").is_file()
    assert (settings.data_dir / "article.txt").is_file()
    for name, field in [("TWITCH_KG_ONTOLOGY", "ontology_file"), ("TWITCH_KG_SHAPES", "shapes_file"),
                        ("TWITCH_KG_DATA", "data_dir"), ("TWITCH_KG_QUERIES", "queries_dir")]:
        monkeypatch.setenv(name, str(tmp_path / name))
        assert getattr(load_settings(), field) == tmp_path / name


def test_only_known_errors_become_one_line_a_bug_keeps_its_traceback(cli, monkeypatch):
    """Issue 11: the CLI maps the errors it knows (KGError) to one line and exit 2; anything else is
    a bug, and hiding it behind "error: ..." would hide where it is."""
    from kg import build as builder
    from kg.errors import KGError

    def known(*args, **kwargs):
        raise KGError("the data is not there")

    monkeypatch.setattr(builder, "check", known)
    assert cli("validate") == (2, "", "twitch-kg: error: the data is not there\n")

    def bug(*args, **kwargs):
        raise ValueError("an unexpected value")

    monkeypatch.setattr(builder, "check", bug)
    with pytest.raises(ValueError, match="an unexpected value"):
        cli("validate")
