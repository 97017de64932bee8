"""Issue 16 in headless Chromium: the header search's suggestions (ARIA combobox, keyboard only), the
query page's code editor (on by default; a toggle button back to the textarea), its paged and sorted
results, and a page on another loopback port reading the endpoint's X-SPARQL-MaxRows through CORS.
Every page is watched for console errors and CSP violations."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote

import pytest
from test_browse_browser import Watch

from support import LiveServer, make_app

GRID = ("SELECT ?n WHERE { VALUES ?a { 0 1 2 3 4 5 6 7 8 9 } VALUES ?b { 0 1 2 3 4 5 6 7 8 9 } "
        "BIND(?a * 10 + ?b AS ?n) } ORDER BY ?n")


@pytest.fixture(scope="module")
def server(settings, store):
    live = LiveServer(make_app(settings, store, ROW_LIMIT=50))
    yield live
    live.close()


@pytest.fixture()
def watch(page, screenshot_dir):
    return Watch(page, screenshot_dir)


def test_header_search_suggests_as_you_type_and_is_keyboard_operable(page, watch, server):
    page.goto(server.url + "/")
    box = page.locator("header.site input[name=q]")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    box.focus()
    page.keyboard.type("twiching")
    # the list for the whole word (a slow typist may see one for its first letters before)
    page.wait_for_function("""() => {
        const first = document.querySelector('#search-suggestions li[role=option] .suggestion-label');
        return first !== null && first.textContent === 'muscle twitching'; }""")
    assert box.get_attribute("aria-expanded") == "true"
    first = page.locator("#search-suggestions li[role=option]").first
    assert first.locator(".suggestion-label").text_content() == "muscle twitching"
    assert first.locator(".suggestion-type").text_content() == "symptom"
    assert box.input_value() == "twiching"  # the list never writes into the user's text
    page.keyboard.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant") == "search-suggestion-0"
    assert first.get_attribute("aria-selected") == "true"
    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("ArrowDown")  # opens the list again
    page.keyboard.press("ArrowDown")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == server.url + "/id/muscle-twitching"
    watch.check("search-suggestions")


def test_results_are_sorted_and_paged_by_links(page, watch, server):
    page.goto(server.url + "/sparql?rows=10&query=" + quote(GRID))
    assert page.locator("#results-summary").text_content().split()[:2] == ["50", "rows"]  # cut at ROW_LIMIT
    page.get_by_role("link", name="?n").click()  # sorted ascending (as answered)
    page.get_by_role("link", name="?n").click()  # then descending
    cells = page.locator("table.sparql-table tbody td").all_text_contents()
    assert [c.split()[0] for c in cells[:3]] == ["49", "48", "47"]
    page.get_by_role("navigation", name="Result pages").get_by_role("link", name="Next").click()
    cells = page.locator("table.sparql-table tbody td").all_text_contents()
    assert [c.split()[0] for c in cells[:2]] == ["39", "38"]
    assert "page=2" in page.url and "order=desc" in page.url
    page.select_option("#page-rows", "25")
    page.locator("form.page-size button").click()
    assert len(page.locator("table.sparql-table tbody tr").all()) == 25
    watch.check("sparql-paged")


class _Origin(BaseHTTPRequestHandler):
    """A page of another origin (another loopback port) that asks the endpoint with fetch()."""

    def do_GET(self):
        body = b"<!doctype html><title>other origin</title>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_a_page_on_another_origin_sees_that_an_answer_was_cut(page, server):
    other = ThreadingHTTPServer(("127.0.0.1", 0), _Origin)
    threading.Thread(target=other.serve_forever, daemon=True).start()
    try:
        page.goto(f"http://127.0.0.1:{other.server_address[1]}/")
        seen = page.evaluate("""async (url) => {
            const response = await fetch(url, {headers: {Accept: "application/sparql-results+json"}});
            const answer = await response.json();
            return [response.headers.get("X-SPARQL-MaxRows"), answer.results.bindings.length];
        }""", server.url + "/sparql?query=" + quote(GRID))
        assert seen == ["50", 50]
    finally:
        other.shutdown()
        other.server_close()


def _editor_on(page, server, path="/sparql"):
    """The query page with the code editor, which is on by default: nothing is pressed."""
    page.goto(server.url + path)
    assert page.locator("#editor-toggle").get_attribute("aria-pressed") == "true"
    page.locator("#query-editor").wait_for()
    return page.locator("#query-editor")


def _completed(page, token: str):
    """Waits for the completion answer for ``token`` (those for the letters before it come and go)."""
    wanted = "token=" + quote(token, safe="") + "&"
    return page.expect_response(lambda r: "/api/complete?" in r.url and wanted in r.url)


def _options(page, awaited: str) -> list[str]:
    """The completion list once it offers ``awaited`` (the lists for the letters typed before come and go)."""
    page.wait_for_function("""(awaited) => [...document.querySelectorAll(
        '.cm-tooltip-autocomplete li .cm-completionLabel')].some((e) => e.textContent === awaited)""", arg=awaited)
    return page.locator(".cm-tooltip-autocomplete li .cm-completionLabel").all_text_contents()


def test_the_code_editor_highlights_completes_and_runs_with_the_keyboard(page, watch, server):
    editor = _editor_on(page, server)
    assert editor.get_attribute("aria-keyshortcuts") == "Control+Enter Meta+Enter"
    assert page.locator("#query").is_hidden()  # the textarea stays the form's field, kept in step
    editor.focus()
    page.keyboard.press("Control+a")
    page.keyboard.press("Delete")
    with _completed(page, "tw:Ca"):
        page.keyboard.type("SELECT ?x WHERE { ?x a tw:Ca")
    assert _options(page, "tw:Cause")[0] == "tw:Cause"
    # CodeMirror ignores Enter for its interactionDelay (75 ms) after a list opens, against accidental picks;
    # a person is never that fast, the test can be: wait past it (a lower bound, never a deadline)
    page.wait_for_timeout(200)
    page.keyboard.press("Enter")  # takes the first suggestion
    page.wait_for_function("() => document.getElementById('query').value.endsWith('tw:Cause}')")
    with _completed(page, "tw:"):
        page.keyboard.type(" ; tw:")
    offered = _options(page, "tw:canCause")
    assert "tw:canCause" in offered
    assert not {"tw:quote", "tw:claimCause", "tw:inSection"} & set(offered)  # used by claims, never by causes
    page.keyboard.press("Escape")
    page.keyboard.type("hasSeverity ?s ")
    page.keyboard.press("Escape")
    page.keyboard.type("}")
    assert page.input_value("#query") == "SELECT ?x WHERE { ?x a tw:Cause ; tw:hasSeverity ?s }"
    # highlighted: the keywords and the variables are spans of their own kinds
    assert editor.locator("span", has_text="SELECT").count() >= 1
    assert len(set(editor.locator("span").evaluate_all("spans => spans.map(s => getComputedStyle(s).color)"))) >= 2
    with page.expect_navigation():
        page.keyboard.press("Control+Enter")
    assert page.locator("table.sparql-table tbody tr").count() == 12
    page.wait_for_function("() => document.getElementById('sparql-status').textContent.startsWith('Results: 12 rows')")
    assert page.locator("#editor-toggle").get_attribute("aria-pressed") == "true"  # still on for the results
    assert editor.text_content() == "SELECT ?x WHERE { ?x a tw:Cause ; tw:hasSeverity ?s }"
    watch.check("sparql-editor")


def test_the_code_editor_is_on_by_default_and_a_toggle_button_switches_it_off_remembered(page, watch, server):
    page.goto(server.url + "/sparql")
    toggle = page.get_by_role("button", name="Code editor", exact=True)  # one name, aria-pressed says the state
    editor = page.locator("#query-editor")
    assert toggle.get_attribute("aria-pressed") == "true"
    assert editor.is_visible() and page.locator("#query").is_hidden()
    assert editor.get_attribute("aria-labelledby") == "query-label"
    assert page.get_by_role("textbox", name="Query").get_attribute("id") == "query-editor"
    assert page.evaluate("localStorage.getItem('twitch-kg.code-editor')") is None  # a default, not a choice
    editor.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("ASK { ?s ?p ?o ")  # over the selection: no style attribute for the CSP to refuse
    assert page.input_value("#query") == "ASK { ?s ?p ?o }"  # the closing brace came with the opening one
    toggle.click()  # off: the plain textarea, with the text, and the focus
    assert toggle.get_attribute("aria-pressed") == "false"
    assert editor.count() == 0 and page.locator("#query").is_visible()
    assert page.input_value("#query") == "ASK { ?s ?p ?o }"
    assert page.evaluate("document.activeElement.id") == "query"
    assert page.evaluate("localStorage.getItem('twitch-kg.code-editor')") == "off"
    page.reload()  # remembered in this browser
    assert toggle.get_attribute("aria-pressed") == "false"
    assert editor.count() == 0 and page.locator("#query").is_visible()
    page.fill("#query", "ASK { ?s ?p ?o }")
    toggle.click()  # on again, with the text, and the focus
    assert toggle.get_attribute("aria-pressed") == "true"
    assert editor.text_content() == "ASK { ?s ?p ?o }"
    assert page.evaluate("document.activeElement.id") == "query-editor"
    assert page.evaluate("localStorage.getItem('twitch-kg.code-editor')") == "on"
    watch.check("sparql-editor-toggle")


def test_the_code_editor_marks_the_servers_syntax_error_in_place(page, watch, server):
    _editor_on(page, server)
    page.goto(server.url + "/sparql?query=" + quote("SELECT ?x WHERE {\n  ?x ?p }"))
    mark = page.locator(".cm-lintRange-error")
    mark.wait_for()
    assert mark.text_content() == "}"  # line 2, column 9: what the pattern was cut short by
    assert "expected an object (an IRI, a literal, a variable or a blank node) after ?p" in \
        page.locator("#sparql-error .error-message").text_content()
    watch.check("sparql-editor-error", expected_errors=(
        "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)",))


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_code_editor_passes_axe(browser, server, scheme):
    """The editor on (with a result and an error-free page), checked as test_accessibility_browser checks
    every page: axe's default rules and wcag22aa, nothing excluded."""
    from axe_playwright_python.sync_playwright import Axe
    from test_accessibility_browser import axe_violations

    context = browser.new_context(viewport={"width": 1200, "height": 900}, color_scheme=scheme)
    page = context.new_page()
    try:
        _editor_on(page, server, "/sparql?rows=10&query=" + quote(GRID))
        page.goto(server.url + "/sparql?rows=10&query=" + quote(GRID))
        page.locator("#query-editor").wait_for()
        assert axe_violations(Axe(), page) == []
    finally:
        context.close()


def test_without_javascript_the_page_runs_sorts_and_pages(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(server.url + "/sparql")
        assert page.locator("#editor-toggle").is_hidden() and page.locator("#query").is_visible()
        assert page.locator("#query-editor").count() == 0  # the plain form, exactly as without the editor
        page.fill("#query", GRID)
        with page.expect_navigation():
            page.locator("form.sparql-query").get_by_role("button", name="Run").click()
        page.select_option("#page-rows", "10")
        page.locator("form.page-size button").click()
        page.get_by_role("link", name="?n").click()
        page.get_by_role("link", name="?n").click()  # descending
        page.get_by_role("navigation", name="Result pages").get_by_role("link", name="Next").click()
        cells = page.locator("table.sparql-table tbody td").all_text_contents()
        assert [c.split()[0] for c in cells] == [str(n) for n in range(39, 29, -1)]
        assert "This page shows rows 11\N{EN DASH}20 of 50" in page.locator("p.shown-rows").text_content()
    finally:
        context.close()
