"""Issue 16 in headless Chromium: the header search's suggestions (ARIA combobox, keyboard only), the
query page's paged and sorted results, and a page on another loopback port reading the endpoint's
X-SPARQL-MaxRows through CORS. Every page is watched for console errors and CSP violations."""

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
    page.locator("#search-suggestions li[role=option]").first.wait_for()
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
