"""Hostile data in the graph stays inert in a real browser: no script runs, no script link exists."""

from __future__ import annotations

import urllib.parse

import pytest

from kg.build import build
from kg.graph import open_graph
from support import FIXTURES, LiveServer, make_app


@pytest.fixture(scope="module")
def hostile_server(settings, tmp_path_factory):
    hostile = settings.with_(build_dir=tmp_path_factory.mktemp("hostile"), extra_data=(FIXTURES / "payloads.ttl",))
    build(hostile)
    app = make_app(hostile, open_graph(hostile, "memory"))
    server = LiveServer(app)
    yield server
    server.close()


PAGES = [
    "/",
    "/id/payload-source",
    "/id/claim-payload",
    "/id/muscle-twitching",
    "/id/Source",
    "/search?q=" + urllib.parse.quote("<script"),
    "/search?q=window",
    "/ontology",
    "/queries/claims",
    "/queries/sources-ranked",
    "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(?s = tw:payload-source || ?s = tw:claim-payload) }"}),
    "/sparql?" + urllib.parse.urlencode({"query": "CONSTRUCT WHERE { tw:payload-source ?p ?o }"}),
    "/sparql?" + urllib.parse.urlencode(
        {"query": "SELECT * WHERE { BIND(\"<script>window.__xss='query'</script>\" AS ?x) }"}),
    "/check?" + urllib.parse.urlencode({"feature": "<script>window.__xss='check'</script>"}),
]


@pytest.mark.parametrize("path", PAGES)
def test_no_script_runs_and_no_script_link_exists(browser, hostile_server, path, screenshot_dir):
    context = browser.new_context()
    page = context.new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(hostile_server.url + path)
    page.wait_for_load_state("load")
    # hover everything that could carry an inline handler
    for element in page.query_selector_all("main b, main img, main svg [onmouseover], main [onload]")[:20]:
        try:
            element.hover(timeout=200)
        except Exception:  # hidden or detached elements cannot be hovered; that is fine here
            pass
    assert page.evaluate("window.__xss") is None
    assert dialogs == []
    dangerous = page.eval_on_selector_all(
        "a[href], area[href], [src], form[action]",
        "els => els.map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('action'))"
        ".filter(v => /^\\s*(javascript|data|vbscript):/i.test(v))",
    )
    assert dangerous == []
    # every script is ours from /static/, or a JSON-LD data block (issue 17: schema.org markup), which a
    # browser never runs: it must be exactly that type and parse as JSON (a payload did not break out)
    scripts = page.eval_on_selector_all("script", """els => els.map(e => e.src ? 'src:' + new URL(e.src).pathname
        : e.type === 'application/ld+json' && (() => { try { JSON.parse(e.textContent); return true; }
                                                       catch (err) { return false; } })() ? 'data:json-ld'
        : 'inline')""")
    assert all(s.startswith("src:/static/") or s == "data:json-ld" for s in scripts), scripts
    name = "xss-" + "".join(c if c.isalnum() else "-" for c in path)[:60]
    page.screenshot(path=str(screenshot_dir / f"{name}.png"))
    context.close()


def test_payload_text_is_shown_as_text(browser, hostile_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(hostile_server.url + "/id/payload-source")
    assert "<script>window.__xss = 'label'</script>" in page.inner_text("h1")
    context.close()
