"""A site for everyone (issue 15), in headless Chromium: every page type at 320, 390, 768 and 1280 px.

For each: zero axe-core violations of any impact (axe's default rules plus every rule tagged wcag22aa;
no rule disabled, no element excluded), no sideways scrolling of the page, and on phones every form
control at least 16 px (iOS zooms on smaller ones) and every target at least 24×24 px (WCAG 2.2 2.5.8;
links inside a sentence are exempt, as 2.5.8 says). Then keyboard-only walks through the checker and
the query page, and the saved-query list's regression (WCAG 3.2.2).

axe-core comes bundled in the ``axe-playwright-python`` package: nothing is fetched at run time.
One browser per session and one tab per width: every page of a width is loaded in the same tab.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect
from test_browse_browser import QUERY_MODES, query_field, shown_query, write_query

WIDTHS = (320, 390, 768, 1280)
PHONES = (320, 390)
HEIGHT = {320: 640, 390: 844, 768: 1024, 1280: 900}

SELECT = "SELECT ?cause ?label WHERE { ?cause a tw:Cause ; rdfs:label ?label } ORDER BY ?label"
CHECK = "/check?feature=persistent-twitching&feature=with-numbness&trigger=caffeine-and-stimulants&condition=dystonia"

#: Every page type of the site. A new page type joins this list.
PAGES = {
    "home": "/",
    "cause": "/id/neurological-disorders",
    "condition": "/id/als",
    "source": "/id/healthline",
    "class": "/id/NeurologicalDisorder",
    "property": "/id/canCause",
    "claim": "/id/claim-dehydration",
    "ontology": "/ontology",
    "shapes": "/shapes",
    "validation": "/validation",
    "queries": "/queries",
    "saved-query": "/queries/causes",
    "saved-query-choices": "/queries/causes-by-source?source=tw:nhs",
    "saved-query-not-in-graph": "/queries/cause-neighbourhood?cause=tw:nope",
    "sparql-results": "/sparql?query=" + quote(SELECT),
    "sparql-error": "/sparql?query=" + quote("SELECT ?x WHERE {"),
    "check-form": "/check",
    "check-answer": CHECK,
    "downloads": "/downloads",
    "api": "/api",
    "search": "/search?q=twitch",
    "article": "/article",
    "404": "/no-such-page",
}

#: Every visible target's box, unless it is a link inside running text (2.5.8's inline exception).
TARGETS = """() => {
  const sel = 'a[href], button, input:not([type=hidden]), select, textarea, summary, [tabindex]:not([tabindex="-1"])';
  const out = [];
  for (const el of document.querySelectorAll(sel)) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden') continue;
    if (el.matches('a') && style.display === 'inline') {
      let block = el.parentElement;
      while (block && getComputedStyle(block).display.startsWith('inline')) block = block.parentElement;
      const own = el.textContent.trim().length;
      if (block && block.textContent.replace(/\\s+/g, ' ').trim().length > own + 3) continue;
    }
    if (r.width < 24 || r.height < 24)
      out.push(`${el.outerHTML.slice(0, 120)} is ${r.width.toFixed(1)}×${r.height.toFixed(1)}`);
  }
  return out;
}"""

SMALL_CONTROLS = """() => [...document.querySelectorAll(
    'input:not([type=hidden]):not([type=checkbox]):not([type=radio]), select, textarea, button')]
  .filter(el => el.getClientRects().length && parseFloat(getComputedStyle(el).fontSize) < 16)
  .map(el => `${el.outerHTML.slice(0, 100)}: ${getComputedStyle(el).fontSize}`)"""


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe

    return Axe()


@pytest.fixture(scope="module")
def tabs(browser):
    """One tab per width, made on first use and kept for the module."""
    made = {}

    def tab(width):
        if width not in made:
            context = browser.new_context(viewport={"width": width, "height": HEIGHT[width]})
            made[width] = context.new_page()
            made[width].set_default_timeout(15_000)
        return made[width]

    yield tab
    for page in made.values():
        page.context.close()


def axe_violations(axe, page) -> list[str]:
    """axe's default rules plus every wcag22aa rule, nothing excluded: one line per violation."""
    page.evaluate(axe.axe_script)
    wcag22 = page.evaluate("axe.getRules(['wcag22aa']).map(r => r.ruleId)")
    assert "target-size" in wcag22
    results = page.evaluate("rules => axe.run(document, {resultTypes: ['violations'], rules})",
                            {rule: {"enabled": True} for rule in wcag22})
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:5]}" for v in results["violations"]]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", PAGES)
def test_every_page_at_every_width(tabs, axe, live_server, name, width):
    page = tabs(width)
    response = page.goto(live_server.url + PAGES[name])
    assert response.status == (404 if name == "404" else 400 if name == "sparql-error" else 200)
    assert axe_violations(axe, page) == []
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{name} scrolls sideways at {width} px: {scroll_width} px wide"
    # the article's disclaimer, once, inside a landmark
    assert page.locator("[data-disclaimer]").count() == 1
    assert page.locator("main [data-disclaimer]").is_visible()
    # a diagram is drawn at its real size (13 px labels), never shrunk to fit: its own box scrolls
    drawn = page.evaluate("[...document.querySelectorAll('main svg.diagram')]"
                          ".map(s => [s.getBoundingClientRect().width, s.width.baseVal.value])")
    assert all(abs(shown - real) < 1 for shown, real in drawn), drawn
    if width in PHONES:
        assert page.evaluate(SMALL_CONTROLS) == []
        assert page.evaluate(TARGETS) == []


@pytest.mark.parametrize("name", PAGES)
def test_every_page_in_the_dark_scheme(browser, axe, live_server, name):
    """prefers-color-scheme: dark keeps every contrast (axe checks the colours as drawn)."""
    page = _dark_tab(browser)
    page.goto(live_server.url + PAGES[name])
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    assert axe_violations(axe, page) == []


_DARK = {}


def _dark_tab(browser):
    if "tab" not in _DARK:
        context = browser.new_context(viewport={"width": 390, "height": 844}, color_scheme="dark")
        _DARK["tab"] = context.new_page()
    return _DARK["tab"]


# ---------------------------------------------------------------- keyboard only


def focused(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement, s = getComputedStyle(e);
      return {tag: e.tagName.toLowerCase(), id: e.id, text: e.textContent.trim().slice(0, 60), value: e.value,
              outline: s.outlineStyle, outlineWidth: parseFloat(s.outlineWidth),
              top: e.getBoundingClientRect().top}; }""")


def tab_to(page, predicate, limit: int = 60) -> dict:
    """Press Tab until the focused element satisfies ``predicate``; fail after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if predicate(now):
            return now
    raise AssertionError(f"not reached by Tab in {limit} presses; last: {now}")


def skip_to_content(page) -> None:
    """The first Tab reaches the skip link, visibly focused; Enter moves focus to the main content."""
    page.keyboard.press("Tab")
    link = focused(page)
    assert (link["tag"], link["text"]) == ("a", "Skip to the content")
    assert link["outline"] != "none" and link["outlineWidth"] >= 2 and link["top"] >= 0  # visible :focus-visible
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "content"


def test_keyboard_only_through_the_checker(tabs, live_server):
    page = tabs(390)
    page.goto(live_server.url + "/check")
    assert page.get_attribute("header.site nav a[href='/check']", "aria-current") == "page"
    skip_to_content(page)
    # the first stop after the skip is the form's first box
    first = tab_to(page, lambda f: f["tag"] == "input", limit=1)
    assert first["value"] == "persistent-twitching"
    page.keyboard.press("Space")
    assert page.is_checked("input[value=persistent-twitching]")
    box = tab_to(page, lambda f: f["value"] == "with-numbness")
    assert box["outline"] != "none" and box["outlineWidth"] >= 2
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["id"] == "symptom-1")
    page.keyboard.type("difficulty swallowing")
    tab_to(page, lambda f: f["id"] == "check-submit")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_selector("#verdict")
    assert page.get_attribute("#verdict", "data-escalated") == "true"
    # on a phone the answer comes first: the verdict starts within the first screen, above the disclaimer
    verdict = page.locator("#verdict").bounding_box()
    disclaimer = page.locator("#check-disclaimer").bounding_box()
    assert verdict["y"] < 844 / 2 and verdict["y"] < disclaimer["y"]
    assert disclaimer["y"] < 844 * 1.5  # and the disclaimer right after it, prominent
    assert page.locator("[data-disclaimer]").count() == 1
    assert page.get_attribute("header.site nav a[href='/check']", "aria-current") == "page"


@pytest.mark.parametrize("mode", QUERY_MODES)
def test_keyboard_only_through_the_query_page(browser, live_server, mode):
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT[390]})  # its own: "textarea" is remembered
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        page.goto(live_server.url + "/sparql")
        field = "query-editor" if mode == "editor" else "query"  # the code editor is on unless switched off
        query_field(page, mode)
        if mode == "textarea":  # switched off before, remembered: the walk starts on a fresh page
            page.reload()
            assert page.get_attribute("#editor-toggle", "aria-pressed") == "false"
            query_field(page, mode)
        assert page.get_attribute("header.site nav a[href='/sparql']", "aria-current") == "page"
        assert page.get_attribute("#query", "aria-keyshortcuts") == "Control+Enter Meta+Enter"
        assert page.get_attribute(f"#{field}", "aria-keyshortcuts") == "Control+Enter Meta+Enter"
        assert page.get_attribute(f"#{field}", "aria-describedby") == "query-help"
        assert page.is_visible("#query-help")  # the shortcut is announced, and shown
        assert "Ctrl+Enter" in page.inner_text("#query-help")
        skip_to_content(page)
        tab_to(page, lambda f: f["id"] == field)
        # visibly focused: the code editor draws its ring round the whole editor (.cm-focused)
        ring = page.locator("#query" if mode == "textarea" else ".cm-editor.query-editor")
        expect(ring).to_have_css("outline-style", "solid")
        assert ring.evaluate("e => parseFloat(getComputedStyle(e).outlineWidth)") >= 2
        page.keyboard.press("Control+a")
        page.keyboard.type("SELECT ?cause WHERE { ?cause a tw:Cause } LIMIT 2")
        typed = page.input_value("#query")
        assert typed == shown_query(page, mode) == "SELECT ?cause WHERE { ?cause a tw:Cause } LIMIT 2"
        page.keyboard.press("Shift+Tab")
        assert focused(page)["id"] == "load-saved"  # (Undo is hidden: nothing to undo yet)
        page.keyboard.press("Shift+Tab")
        assert focused(page)["id"] == "saved"
        page.keyboard.press("ArrowDown")  # moving through the list changes nothing (WCAG 3.2.2)
        page.keyboard.press("ArrowDown")
        assert page.input_value("#query") == typed
        assert focused(page)["id"] == "saved"
        page.keyboard.press("Tab")
        assert focused(page)["id"] == "load-saved"
        page.keyboard.press("Enter")  # the explicit action loads it
        chosen = page.eval_on_selector("#saved", "s => s.options[s.selectedIndex].dataset.sparql")
        assert page.input_value("#query") == chosen != typed
        assert shown_query(page, mode) == chosen
        page.wait_for_function("() => document.getElementById('saved-status').textContent.startsWith('Loaded')")
        page.keyboard.press("Tab")
        assert focused(page)["id"] == "undo-load"
        page.keyboard.press("Enter")  # and what was typed comes back
        assert page.input_value("#query") == typed
        assert shown_query(page, mode) == typed
        assert focused(page)["id"] == field
        with page.expect_navigation():
            page.keyboard.press("Control+Enter")
        assert page.locator("table.sparql-table tbody tr").count() == 2
        page.wait_for_function(
            "() => document.getElementById('sparql-status').textContent.startsWith('Results: 2 rows')")
        assert page.locator("#sparql-results [role=region][tabindex='0']").count() == 1  # the table's own scroll box
    finally:
        context.close()


@pytest.mark.parametrize("mode", QUERY_MODES)
def test_choosing_in_the_saved_list_never_replaces_the_text(page, live_server, mode):
    """Regression (issue 15): the first ArrowDown in the list replaced what the user typed."""
    page.goto(live_server.url + "/sparql")
    write_query(page, mode, "ASK { ?s ?p ?o }")
    page.focus("#saved")
    page.keyboard.press("ArrowDown")
    page.select_option("#saved", "causes-without-source")  # a change event, as a mouse makes
    assert page.input_value("#query") == shown_query(page, mode) == "ASK { ?s ?p ?o }"
    assert page.evaluate("document.activeElement.id") == "saved"
    page.click("#load-saved")
    assert page.input_value("#query") == shown_query(page, mode) != "ASK { ?s ?p ?o }"
    page.click("#undo-load")
    assert page.input_value("#query") == shown_query(page, mode) == "ASK { ?s ?p ?o }"
    assert page.is_hidden("#undo-load")


def test_a_query_error_is_announced(page, live_server):
    page.goto(live_server.url + PAGES["sparql-error"])
    assert page.get_attribute("#sparql-error", "role") == "alert"
    page.wait_for_function("() => document.getElementById('sparql-status').textContent.startsWith('Error: 400')")


def test_a_checker_answer_prints_on_at_most_two_pages(page, live_server, screenshot_dir):
    """To take to a doctor: the verdict, the permalink, the criteria matched, the article's words and the
    disclaimer, on one or two A4 pages, without the site's navigation and forms."""
    page.goto(live_server.url + CHECK)
    page.emulate_media(media="print")
    for shown in ("#verdict", "#permalink", "#criteria blockquote >> nth=0", "#check-disclaimer", "#why"):
        assert page.is_visible(shown), shown
    for hidden in ("header.site nav", "header.site form", "#check-form", "section.again"):
        assert page.is_hidden(hidden), hidden
    # the permalink in full, so that the paper carries an address to type
    assert page.inner_text("#permalink") == live_server.url + CHECK
    pdf = page.pdf(format="A4", print_background=False)
    (screenshot_dir / "checker-answer.pdf").write_bytes(pdf)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 1 <= pages <= 2, f"{pages} pages"
