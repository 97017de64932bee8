"""The article view in a browser (issue 18): every claim's id on a highlight with the claim's words,
a highlight followed to its claim and back, and the notes below the text on a phone (no script)."""

from __future__ import annotations

import pytest

from support import CLAIMS, select

#: For each claim id on the page: the text of the highlight that carries it (the element itself, or
#: the highlight it is nested in when several claims share a span).
HIGHLIGHT_TEXTS = """() => Object.fromEntries([...document.querySelectorAll('.article-text [id]')]
  .map(e => [e.id, (e.closest('a.highlight') || {textContent: null}).textContent]))"""


@pytest.fixture(scope="module")
def quotes(store) -> dict[str, str]:
    return dict(select(store, """SELECT ?claim ?exact WHERE {
        ?claim a tw:Claim ; oa:hasTarget/oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?exact }"""))


def test_every_claim_has_an_id_on_a_highlight_with_its_quote(page, live_server, quotes):
    page.goto(live_server.url + "/article")
    found = page.evaluate(HIGHLIGHT_TEXTS)
    assert len(quotes) == CLAIMS
    assert {slug: found.get(slug) for slug in quotes} == quotes


def test_a_highlight_leads_to_its_claim_and_back(page, live_server, quotes):
    page.goto(live_server.url + "/article#claim-dystonia")
    assert page.evaluate("location.hash") == "#claim-dystonia"
    assert page.evaluate("document.querySelector(':target').textContent") == quotes["claim-dystonia"]
    top = page.locator("#claim-dystonia").bounding_box()["y"]
    assert 0 <= top < 900  # scrolled to it
    with page.expect_navigation():
        page.click("#claim-dystonia")
    assert page.url == live_server.url + "/id/claim-dystonia"
    assert page.inner_text("h1").startswith("claim: ")
    with page.expect_navigation():
        page.click("p.in-article-link a.in-article")
    assert page.url == live_server.url + "/article#claim-dystonia"
    assert page.evaluate("document.querySelector(':target').id") == "claim-dystonia"


def test_on_a_phone_the_notes_open_below_the_text_without_script(browser, live_server):
    context = browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/article#claim-dehydration")
        block = page.locator(".block", has=page.locator("#claim-dehydration"))
        assert block.locator(".margin-notes").is_hidden()
        note = block.locator("details.notes-below [data-claim=claim-dehydration]")
        assert note.is_hidden()
        block.locator("details.notes-below summary").click()
        assert note.is_visible()
        assert "The article cites no source for this." in note.inner_text()
    finally:
        context.close()


def test_on_a_wide_screen_the_notes_stand_beside_the_text(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(live_server.url + "/article#claim-neurological-disorders")
    block = page.locator(".block", has=page.locator("#claim-neurological-disorders"))
    note = block.locator(".margin-notes [data-claim=claim-neurological-disorders]")
    assert note.is_visible() and block.locator("details.notes-below").is_hidden()
    text, beside = block.locator(".text").bounding_box(), note.bounding_box()
    assert beside["x"] >= text["x"] + text["width"] and abs(beside["y"] - text["y"]) < 40
    assert "calls for professional attention" in note.inner_text()
