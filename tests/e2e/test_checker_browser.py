"""In a real browser: fill the checker's form, submit it, see the escalation and its reasons."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from support import DISCLAIMER


def test_fill_the_form_and_see_the_escalation_and_its_reasons(page, live_server, screenshot_dir):
    page.goto(live_server.url + "/check")
    page.get_by_label("persistent", exact=True).check()
    page.get_by_label("with numbness").check()
    page.get_by_label("caffeine and stimulants").check()
    page.fill("#symptom-1", "difficulty swallowing")
    page.select_option("#condition", "dystonia")
    page.click("#check-submit")
    page.wait_for_selector("#verdict")
    page.wait_for_load_state("load")  # the stylesheet that uppercases the verdict has been applied

    query = parse_qs(urlsplit(page.url).query)
    assert urlsplit(page.url).path == "/check"
    assert query == {"feature": ["persistent-twitching", "with-numbness"], "symptom": ["difficulty swallowing"],
                     "trigger": ["caffeine-and-stimulants"], "condition": ["dystonia"]}
    assert page.get_attribute("#verdict", "data-escalated") == "true"
    assert page.locator("#verdict .verdict-need").all_inner_texts() == [  # CSS uppercases
        "The reasoner concluded: PROFESSIONAL ATTENTION.", "The reasoner concluded: CONSULT A DOCTOR."]
    assert page.is_visible("#check-disclaimer")
    assert page.inner_text("#check-disclaimer") == f"This is not medical advice. The article says: “{DISCLAIMER}”"
    criteria = page.locator("#criteria blockquote").all_inner_texts()
    assert criteria == ["“Persistent or worsening”",
                        "“Associated with other symptoms like weakness, numbness, or pain”"]
    assert page.locator("#criteria .matched").all_inner_texts()[1] == (
        "You entered: with numbness, difficulty swallowing")
    assert page.locator("#condition-claims blockquote").all_inner_texts() == [
        "“A group of rare conditions causing involuntary muscle spasms.”"]
    assert page.locator("#condition-claims .source").all_inner_texts() == ["NHS"]
    assert page.locator("#trigger-claims .source").all_inner_texts() == ["WebMD", "MedlinePlus"]
    assert "because you entered diagnosed condition dystonia" in page.inner_text("#why")
    # the form below the answer keeps what was entered
    assert page.locator("section.again input[value=with-numbness]").is_checked()
    page.screenshot(path=str(screenshot_dir / "checker-red-flag.png"), full_page=True)


def test_nothing_found_is_worded_for_what_it_is(page, live_server, screenshot_dir):
    page.goto(live_server.url + "/check")
    page.get_by_label("stress and anxiety").check()
    page.click("#check-submit")
    page.wait_for_selector("#verdict")
    assert page.get_attribute("#verdict", "data-escalated") == "false"
    verdict = page.inner_text("#verdict")
    assert verdict.startswith("No warning sign in what you described.")
    assert "closed-world reading of what you entered" in verdict
    assert page.locator("#criteria").count() == 0
    assert page.locator("#watch-for li").count() == 3  # no escalation: the three criteria to watch for
    assert page.locator("#trigger-claims .source").all_inner_texts() == ["WebMD", "Healthline"]
    assert page.is_visible("#check-disclaimer")
    page.screenshot(path=str(screenshot_dir / "checker-no-flag.png"), full_page=True)


def test_an_unknown_value_in_a_permalink_shows_the_form_with_the_message(page, live_server):
    response = page.goto(live_server.url + "/check?feature=twitchy")
    assert response.status == 400
    assert page.inner_text("#check-error").startswith("unknown feature 'twitchy'; valid features: persistent-twitching")
    assert page.is_visible("#check-form")
