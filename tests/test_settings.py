"""Issue 11: every server setting declared once, typed, read from the environment, printed by
``twitch-kg serve --help``; a value a setting cannot take is one clear line, never a traceback."""

from __future__ import annotations

import pytest

from kg.config import BUILD_SETTINGS
from support import make_app
from webapp.settings import SERVER_SETTINGS, BadSetting, load


def test_defaults_when_nothing_is_set():
    assert load({}) == {
        "PUBLIC_URL": "", "QUERY_TIMEOUT": 10.0, "ROW_LIMIT": 10_000, "ANSWER_BYTES": 8 * 2**20, "PAGE_ROWS": 1000,
        "QUERY_WORKERS": 2, "WORKER_MEMORY_MB": 128, "QUEUE_SECONDS": 2.0, "QUERY_QUEUE": 2,
        "BUILD_CHECK_SECONDS": 5.0, "METRICS": True, "LOG_FORMAT": "text", "LOG_LEVEL": "info",
        "LOG_HEALTH_CHECKS": False, "SHUTDOWN_SECONDS": 15.0, "CONNECTION_LIMIT": 4000,
    }


def test_values_are_typed():
    values = load({"TWITCH_KG_QUERY_TIMEOUT": "2.5", "TWITCH_KG_ROW_LIMIT": " 50 ", "TWITCH_KG_METRICS": "0",
                   "TWITCH_KG_LOG_HEALTH_CHECKS": "true", "TWITCH_KG_QUERY_WORKERS": ""})
    assert (values["QUERY_TIMEOUT"], values["ROW_LIMIT"], values["METRICS"], values["LOG_HEALTH_CHECKS"]) == \
        (2.5, 50, False, True)
    assert values["QUERY_WORKERS"] == 2  # empty: the default


@pytest.mark.parametrize("name, value, message", [
    ("TWITCH_KG_QUERY_TIMEOUT", "soon", "TWITCH_KG_QUERY_TIMEOUT must be a number, not 'soon'"),
    ("TWITCH_KG_ROW_LIMIT", "1e4", "TWITCH_KG_ROW_LIMIT must be a whole number, not '1e4'"),
    ("TWITCH_KG_QUERY_WORKERS", "-1", "TWITCH_KG_QUERY_WORKERS must not be negative, not '-1'"),
    ("TWITCH_KG_METRICS", "maybe", "TWITCH_KG_METRICS must be 1 or 0, not 'maybe'"),
    ("TWITCH_KG_CONNECTION_LIMIT", "0", "TWITCH_KG_CONNECTION_LIMIT must be at least 1, not '0'"),
])
def test_a_value_a_setting_cannot_take_is_refused_by_name(name, value, message):
    with pytest.raises(BadSetting) as caught:
        load({name: value})
    assert str(caught.value) == message


def test_the_app_reads_its_config_from_the_table(settings, store, monkeypatch):
    from webapp.state import state_of

    monkeypatch.setenv("TWITCH_KG_ROW_LIMIT", "7")
    monkeypatch.setenv("TWITCH_KG_PUBLIC_URL", "https://kg.example.org/")
    app = make_app(settings, store)
    assert app.config["ROW_LIMIT"] == 7
    assert state_of(app).limits.row_limit == 7
    response = app.test_client().get("/sparql", query_string={"query": "SELECT ?s WHERE { ?s ?p ?o }"},
                                     headers={"Accept": "application/sparql-results+json"})
    assert (response.status_code, response.headers["X-SPARQL-MaxRows"], len(response.json["results"]["bindings"])) == \
        (200, "7", 7)


def test_serve_help_lists_the_table(capsys):
    from kg.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["serve", "--help"])
    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert "settings (environment variables; a command-line option, where there is one, wins):" in out
    for setting in SERVER_SETTINGS:
        assert f"  {setting.variable}  (default " in out
    for documented in BUILD_SETTINGS:
        assert documented.name.replace("`", "") in out
    assert ("  TWITCH_KG_QUERY_TIMEOUT  (default 10)\n"
            "      seconds a /sparql query may run before its worker is stopped") in out


def test_serve_with_a_bad_setting_is_one_line_and_exit_2(cli, monkeypatch):
    monkeypatch.setenv("TWITCH_KG_QUERY_TIMEOUT", "soon")
    code, out, err = cli("serve", "--port", "0")
    assert (code, out, err) == (2, "", "twitch-kg: error: TWITCH_KG_QUERY_TIMEOUT must be a number, not 'soon'\n")
