"""The command line: output, exit codes, and one clear line for bad input."""

from __future__ import annotations

from support import INFERRED
import json
import os
import subprocess
import sys

import pytest
from rdflib import Graph

from kg.cli import main


@pytest.fixture()
def cli(settings, built, monkeypatch, capsys):
    monkeypatch.setenv("TWITCH_KG_BUILD_DIR", str(settings.build_dir))

    def run(*args):
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_build_prints_counts_and_timings(cli):
    code, out, _ = cli("build")
    assert code == 0
    assert out.splitlines()[0].startswith("cached (inputs unchanged, reasoner not run): ")
    assert f"inferred {INFERRED}; classes 43, individuals 90" in out


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
        (["query", "CONSTRUCT WHERE { ?s ?p ?o }", "--format", "csv"], "twitch-kg: error: format 'csv' is not for a graph result"),
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
    done = subprocess.run(["twitch-kg", "export", "--graph", "asserted", "--format", "nt"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0
    assert len(done.stdout.strip().splitlines()) == built.counts["asserted"]
