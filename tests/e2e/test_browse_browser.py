"""In a real browser, the newcomer's tour of issue 3: home → a serious cause → its sources and back,
a saved query with a parameter, a typed query (and a malformed one), and the Turtle download.

Every page is watched for console errors, uncaught script errors and Content-Security-Policy
violations, and is saved as a screenshot under test-output/screenshots/.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import rdflib

from kg.export import export, export_format
from support import TOTAL

ALS_QUOTE = "Conditions like amyotrophic lateral sclerosis (ALS) can manifest with muscle twitching as a symptom."
PINCHED_NERVE_QUOTE = "Irritation or compression of a nerve can lead to localized twitching."
BFS_QUOTE = "This condition involves long-lasting twitches and cramps due to overactive nerves."
DYSTONIA_QUOTE = "A group of rare conditions causing involuntary muscle spasms."
DEHYDRATION_QUOTE = "Insufficient fluid intake can contribute to muscle spasms and twitching."

# Records every CSP violation of a document, before any of the page's own scripts run.
CSP_LISTENER = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation",
    (e) => window.__cspViolations.push(e.violatedDirective + " blocked " + (e.blockedURI || "inline")));
"""


class Watch:
    """Console errors, page errors and CSP violations of a page; checked (and screenshot) per page."""

    def __init__(self, page, screenshot_dir):
        self.page = page
        self.screenshot_dir = screenshot_dir
        self.errors: list[str] = []
        page.add_init_script(CSP_LISTENER)
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))

    def check(self, name: str, expected_errors: tuple[str, ...] = ()) -> None:
        """Assert the page so far is clean (apart from ``expected_errors``), then save its screenshot."""
        self.page.wait_for_load_state("load")
        violations = self.page.evaluate("window.__cspViolations || []")
        self.page.screenshot(path=str(self.screenshot_dir / f"browse-{name}.png"), full_page=True)
        assert violations == [], f"CSP violations on {self.page.url}"
        assert self.errors == list(expected_errors), f"console errors on {self.page.url}"
        self.errors.clear()


@pytest.fixture()
def watch(page, screenshot_dir):
    return Watch(page, screenshot_dir)


def path_of(page) -> str:
    return urlsplit(page.url).path


def texts(locator) -> list[str]:
    return [text.strip() for text in locator.all_inner_texts()]


def table_rows(page, selector: str) -> list[list[str]]:
    return [texts(row.locator("td")) for row in page.locator(f"{selector} tbody tr").all()]


#: The query page's two ways to write a query: the code editor (on by default wherever its bundle runs)
#: and the plain textarea (after a press of the "Code editor" toggle; the page without JavaScript).
QUERY_MODES = ("editor", "textarea")


def query_field(page, mode: str):
    """The text box a person writes the query in, in ``mode`` (the toggle is pressed for "textarea",
    and the browser context remembers it); the textarea ``#query`` stays the form's field either way."""
    toggle = page.get_by_role("button", name="Code editor", exact=True)
    if mode == "textarea" and toggle.get_attribute("aria-pressed") == "true":
        toggle.click()
    field = page.locator("#query-editor" if mode == "editor" else "#query")
    assert field.is_visible()
    assert toggle.get_attribute("aria-pressed") == ("true" if mode == "editor" else "false")
    assert page.locator("#query-editor").count() == (1 if mode == "editor" else 0)
    return field


def write_query(page, mode: str, text: str) -> None:
    """Replaces the query with ``text`` as a person does: filled in in the textarea; pasted over
    (Ctrl+A, Ctrl+V) in the code editor, which takes a paste itself. (Playwright's fill() edits a
    contenteditable with Chrome's editing commands, which write style attributes the CSP refuses.)"""
    field = query_field(page, mode)
    if mode == "textarea":
        field.fill(text)
        return
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    field.focus()
    page.keyboard.press("Control+a")
    page.keyboard.press("Control+v")


def shown_query(page, mode: str) -> str:
    """The query as the person sees it: the code editor's document, or the textarea's text."""
    if mode == "textarea":
        return page.input_value("#query")
    return page.evaluate("window.TwitchEditor.EditorView.findFromDOM("
                         "document.querySelector('.cm-editor.query-editor')).state.doc.toString()")


def run(page, form: str):
    """Click the form's Run button and wait for the page it loads."""
    with page.expect_navigation():
        page.locator(form).get_by_role("button", name="Run").click()


def test_the_watch_sees_a_csp_violation(page, live_server, watch):
    """The watch itself can fail: an inline script is refused by our CSP, and the watch says so."""
    page.goto(live_server.url + "/")
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = '1'; document.body.append(s); }")
    page.wait_for_function("window.__cspViolations.length > 0")
    assert page.evaluate("window.__cspViolations") == ["script-src-elem blocked inline"]
    with pytest.raises(AssertionError, match="CSP violations"):
        watch.check("csp-self-test")


def test_home_to_a_serious_cause_to_als_and_its_sources_and_back(page, live_server, watch, article_text):
    page.goto(live_server.url + "/")
    assert page.inner_text("h1") == "twitch-kg: what causes muscle twitching"
    serious = page.locator(".cause-group.severity-serious")
    assert texts(serious.locator("li.cause > .term")) == [
        "neurological disorders", "autoimmune disorders", "benign fasciculation syndrome", "dystonia", "pinched nerve"]
    watch.check("home")

    serious.get_by_role("link", name="neurological disorders", exact=True).click()
    page.wait_for_url("**/id/neurological-disorders")
    assert page.inner_text("h1") == "neurological disorders"
    # the escalation is the reasoner's, and marked so
    escalation = page.locator(".escalation")
    assert escalation.count() == 1
    assert "inferred" in escalation.get_attribute("class").split()
    assert escalation.inner_text().strip() == (
        "The reasoner concludes: requires professional attention — calls for professional attention.")
    assert escalation.locator(".need").inner_text() == "professional attention"
    assert escalation.evaluate("e => getComputedStyle(e, '::after').content") == '" (inferred)"'
    assert page.inner_text(".asserted-types") == "Asserted: owl:NamedIndividual, underlying medical condition"
    assert page.inner_text(".inferred-types") == "Inferred by the reasoner: cause, requires professional attention"
    assert page.locator(".inferred-types .term.inferred").count() == 2
    # the article's words, verbatim, with the source it cites
    assert ALS_QUOTE in article_text
    assert texts(page.locator(".claim blockquote")) == [ALS_QUOTE]
    assert texts(page.locator(".claim .sources")) == ["Sources: ALS Association"]
    assert page.locator(".claim p.muted").inner_text().split(" · ")[1] == "section Less Common, More Serious Causes"
    watch.check("neurological-disorders")

    # to the class of neurological disorders, then ALS, the article's example (a member), and back
    page.locator("section.outgoing").get_by_role("link", name="neurological disorder", exact=True).click()
    page.wait_for_url("**/id/NeurologicalDisorder")
    page.locator("p.instances").get_by_role("link", name="amyotrophic lateral sclerosis").click()
    page.wait_for_url("**/id/als")
    assert page.inner_text("h1") == "amyotrophic lateral sclerosis"
    assert page.inner_text(".alt-labels") == "Also called: ALS"
    assert page.inner_text(".escalation").strip() == (
        "The reasoner concludes: requires professional attention — calls for professional attention.")
    assert page.inner_text(".inferred-types") == (
        "Inferred by the reasoner: medical condition, requires professional attention")
    assert texts(page.locator(".claim blockquote")) == [ALS_QUOTE]  # the article's words about ALS
    watch.check("als")
    page.go_back()
    page.wait_for_url("**/id/NeurologicalDisorder")
    page.go_back()
    page.wait_for_url("**/id/neurological-disorders")

    # to the ALS Association, the source the article cites, and back
    page.locator(".claim .sources").get_by_role("link", name="ALS Association").click()
    page.wait_for_url("**/id/als-association")
    assert page.inner_text("h1") == "ALS Association"
    assert page.inner_text(".definition") == 'The source the article cites as "ALS Association".'
    assert texts(page.locator(".claim blockquote")) == [ALS_QUOTE, PINCHED_NERVE_QUOTE]
    assert page.inner_text(".asserted-types") == "Asserted: owl:NamedIndividual, source"
    watch.check("als-association")
    page.go_back()
    page.wait_for_url("**/id/neurological-disorders")
    assert page.inner_text("h1") == "neurological disorders"
    page.go_back()
    page.wait_for_url(live_server.url + "/")

    # to NHS from the home page's sources, and back
    sources = page.locator("section.sources")
    assert [texts(r.locator("td")) for r in sources.locator("tr").all()][-1] == ["NHS", "2"]
    sources.get_by_role("link", name="NHS", exact=True).click()
    page.wait_for_url("**/id/nhs")
    assert page.inner_text("h1") == "NHS"
    assert texts(page.locator(".claim blockquote")) == [BFS_QUOTE, DYSTONIA_QUOTE]
    assert texts(page.locator(".claim .sources")) == ["Sources: NHS", "Sources: NHS"]
    watch.check("nhs")
    page.go_back()
    page.wait_for_url(live_server.url + "/")
    assert page.inner_text("h1") == "twitch-kg: what causes muscle twitching"


def test_run_a_saved_query_with_a_parameter(page, live_server, watch):
    page.goto(live_server.url + "/")
    page.locator("header.site nav").get_by_role("link", name="Saved queries").click()
    page.wait_for_url("**/queries")
    assert page.inner_text("h1") == "Saved queries"
    watch.check("queries")

    page.locator("tr#causes-by-source").get_by_role("link", name="causes-by-source").click()
    page.wait_for_url("**/queries/causes-by-source")
    assert page.inner_text("h1") == "Causes a given source is cited for"
    assert page.input_value("#param-source") == "tw:webmd"  # the default, run already
    watch.check("causes-by-source-default")

    page.select_option("#param-source", "tw:nhs")  # an enumerated parameter: its values from the graph
    run(page, "form.parameters")
    page.wait_for_url("**/queries/causes-by-source?source=tw%3Anhs")
    assert parse_qs(urlsplit(page.url).query) == {"source": ["tw:nhs"]}
    assert texts(page.locator("table.results thead th")) == ["_source_iri", "cause", "label", "quote"]
    assert table_rows(page, "table.results") == [
        ["NHS", "benign fasciculation syndrome", "benign fasciculation syndrome", BFS_QUOTE],
        ["NHS", "dystonia", "dystonia", DYSTONIA_QUOTE],
    ]
    assert texts(page.locator("ul.bindings li")) == ["?_source_iri = <https://w3id.org/twitch-kg/id/nhs>"]
    assert page.inner_text("text=Run it on the command line") == (
        "Run it on the command line: twitch-kg query causes-by-source --param source=tw:nhs")
    assert page.input_value("#param-source") == "tw:nhs"
    watch.check("causes-by-source-nhs")

    # the answer's IRIs are links to the entity pages
    page.locator("table.results").get_by_role("link", name="dystonia").click()
    page.wait_for_url("**/id/dystonia")
    assert page.inner_text("h1") == "dystonia"
    watch.check("dystonia")


def test_an_ask_query_with_a_parameter_answers_yes_for_als(page, live_server, watch):
    page.goto(live_server.url + "/queries")
    page.locator("tr#is-serious").get_by_role("link", name="is-serious").click()
    page.wait_for_url("**/queries/is-serious")
    page.fill("#param-cause", "tw:als")
    run(page, "form.parameters")
    page.wait_for_url("**/queries/is-serious?cause=tw%3Aals")
    assert page.inner_text("p.answer") == "yes (ASK: true)"
    page.fill("#param-cause", "tw:caffeine-and-stimulants")
    run(page, "form.parameters")
    page.wait_for_url("**/queries/is-serious?cause=tw%3Acaffeine-and-stimulants")
    assert page.inner_text("p.answer") == "no (ASK: false)"
    watch.check("is-serious")


TYPED_QUERY = """SELECT ?cause ?source WHERE {
  ?claim tw:claimCause ?cause ;
         cito:citesAsEvidence ?source .
  ?cause tw:hasSeverity tw:more-serious ;
         tw:displayOrder ?order .
}
ORDER BY ?order ?source"""

MALFORMED_QUERY = """SELECT ?cause WHERE {
  ?cause a tw:Cause .
}
LIMIT ten"""


@pytest.mark.parametrize("mode", QUERY_MODES)
def test_run_a_typed_query_then_a_malformed_one(page, live_server, watch, mode):
    page.goto(live_server.url + "/")
    page.locator("header.site nav").get_by_role("link", name="SPARQL").click()
    page.wait_for_url("**/sparql")
    assert page.inner_text("h1") == "SPARQL query"
    query_field(page, mode)
    assert page.input_value("#query").startswith("PREFIX tw: <https://w3id.org/twitch-kg/id/>\n")
    assert shown_query(page, mode) == page.input_value("#query")
    assert page.locator("#load-saved").is_visible()  # a saved query loads only on "Load" (WCAG 3.2.2)
    assert page.locator("#undo-load").is_hidden()
    watch.check(f"sparql-empty-{mode}")

    typed = f"# written in the {mode}\n{TYPED_QUERY}"  # a first run in each mode (runs are kept by their text)
    write_query(page, mode, typed)
    run(page, "form.sparql-query")
    query_field(page, mode)  # the same way on the next page
    # the permalink is the URL (a form sends its text with CRLF line breaks)
    assert parse_qs(urlsplit(page.url).query)["query"] == [typed.replace("\n", "\r\n")]
    assert texts(page.locator("table.sparql-table thead th")) == ["?cause", "?source"]
    assert table_rows(page, "table.sparql-table") == [
        ["neurological disorders", "ALS Association"],
        ["autoimmune disorders", "MedlinePlus"],
        ["benign fasciculation syndrome", "NHS"],
        ["dystonia", "NHS"],
        ["pinched nerve", "ALS Association"],
    ]
    links = page.locator("table.sparql-table tbody tr").first.locator("a")
    assert [links.nth(i).get_attribute("href") for i in range(2)] == [
        "/id/neurological-disorders", "/id/als-association"]
    assert page.inner_text(".sparql-results p.muted").startswith("5 rows in ")
    assert page.input_value("#query") == typed
    assert shown_query(page, mode) == typed
    watch.check(f"sparql-results-{mode}")

    # a saved query as a starting point: choosing it and pressing Load fills the editor (sparql.js), Run runs it
    page.select_option("#saved", "causes-without-source")
    assert page.input_value("#query") == typed  # choosing alone changes nothing
    assert shown_query(page, mode) == typed
    page.click("#load-saved")
    sparql = page.locator("#saved option[value=causes-without-source]").get_attribute("data-sparql")
    assert page.input_value("#query") == sparql
    assert shown_query(page, mode) == sparql
    assert page.locator("#undo-load").is_visible()  # what was typed can come back
    run(page, "form.sparql-query")
    assert texts(page.locator("table.sparql-table thead th")) == ["?cause", "?label", "?quote"]
    assert table_rows(page, "table.sparql-table") == [["dehydration", "dehydration @en", DEHYDRATION_QUOTE]]
    watch.check(f"sparql-saved-start-{mode}")

    write_query(page, mode, MALFORMED_QUERY)
    with page.expect_response(lambda r: urlsplit(r.url).path == "/sparql") as answer:
        page.locator("form.sparql-query").get_by_role("button", name="Run").click()
    assert answer.value.status == 400
    error = page.locator(".sparql-error")
    assert error.get_attribute("role") == "alert"
    assert error.locator("h2").inner_text() == "400 Malformed query"
    message = error.locator(".error-message").inner_text()
    assert message.startswith("error at 4:7: expected ")  # line 4, column 7: the 't' of 'ten'
    assert page.input_value("#query") == MALFORMED_QUERY  # kept, to be fixed
    assert shown_query(page, mode) == MALFORMED_QUERY
    if mode == "editor":
        assert page.locator(".cm-lintRange-error").text_content() == "t"  # marked at 4:7
    assert page.locator("table.sparql-table").count() == 0
    watch.check(f"sparql-error-{mode}", expected_errors=(
        "Failed to load resource: the server responded with a status of 400 (BAD REQUEST)",))


def test_download_turtle_that_rdflib_opens(page, live_server, watch, store, tmp_path):
    page.goto(live_server.url + "/")
    page.locator("header.site nav").get_by_role("link", name="Downloads").click()
    page.wait_for_url("**/downloads")
    row = page.locator("tr[data-graph=all]")
    assert row.locator("td.count").inner_text() == str(store.count())
    watch.check("downloads")

    with page.expect_download() as waiting:
        row.get_by_role("link", name=".ttl").click()
    download = waiting.value
    assert download.suggested_filename == "twitch-kg-all.ttl"
    assert urlsplit(download.url).path == "/export/all.ttl"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    content = saved.read_bytes()
    assert content == export(store, "all", export_format("turtle"))  # what `twitch-kg export` writes
    graph = rdflib.Graph().parse(saved, format="turtle")
    assert len(graph) == TOTAL
    dystonia = rdflib.URIRef("https://w3id.org/twitch-kg/id/dystonia")
    assert list(graph.objects(dystonia, rdflib.RDFS.label)) == [rdflib.Literal("dystonia", lang="en")]
    assert path_of(page) == "/downloads"  # a download, not a navigation
    watch.check("downloads-after")


# ---------------------------------------------------------------- Why? (issue 14)


def words(locator) -> list[str]:
    """Each element's text as read aloud: its words, whatever the lines they are laid out on."""
    return [" ".join(text.split()) for text in locator.all_inner_texts()]


def open_why(page, summary: str):
    """Open the "Why?" of one conclusion with the keyboard (its summary is the control) and give its steps."""
    details = page.locator("details.justification", has=page.locator("summary", has_text=summary)).first
    assert details.get_attribute("open") is None
    details.locator("summary").focus()
    page.keyboard.press("Enter")
    assert details.get_attribute("open") == ""
    return details.locator("li")


def test_why_a_serious_cause_needs_professional_attention(page, live_server, watch):
    page.goto(live_server.url + "/id/dystonia")
    steps = open_why(page, "dystonia belongs to requires professional attention")
    assert words(steps) == [
        ("Fact: dystonia belongs to movement disorder dystonia Type: 'movement disorder' "
         f"The article: “{DYSTONIA_QUOTE}”"),
        ("Definition: whatever belongs to movement disorder belongs to neurological disorder "
         "'movement disorder' SubClassOf: 'neurological disorder'"),
        ("Definition: requires professional attention is defined as: (cause and ('has severity' value 'more "
         "serious')) or 'neurological disorder' or 'autoimmune disorder' 'requires professional attention' "
         "EquivalentTo: (cause and ('has severity' value 'more serious')) or 'neurological disorder' or "
         "'autoimmune disorder'"),
    ]
    watch.check("why-dystonia")
    with page.expect_navigation():
        steps.nth(1).get_by_role("link", name="neurological disorder").click()
    assert path_of(page) == "/id/NeurologicalDisorder"
    watch.check("why-to-the-definition")


def test_why_a_condition_and_why_a_class_has_its_members(page, live_server, watch):
    page.goto(live_server.url + "/id/als")
    steps = open_why(page, "amyotrophic lateral sclerosis belongs to requires professional attention")
    assert steps.count() == 2
    assert "Fact: amyotrophic lateral sclerosis belongs to neurological disorder" in words(steps)[0]
    watch.check("why-als")
    page.goto(live_server.url + "/id/RequiresProfessionalAttention")
    members = page.locator("section.why-members details.justification")
    assert members.count() == 7
    steps = open_why(page, "pinched nerve belongs to requires professional attention")
    assert steps.count() >= 2
    watch.check("why-members")


def test_why_in_a_checker_answer(page, live_server, watch):
    page.goto(live_server.url + "/check?feature=persistent-twitching&condition=dystonia")
    answers = page.locator("section.why details.justification")
    assert answers.count() == 4
    professional = page.locator("li", has=page.get_by_role("link", name="needs professional attention", exact=True))
    details = professional.locator("details.justification")
    details.locator("summary").click()
    steps = words(details.locator("li"))
    assert steps[0] == "You entered: diagnosed condition dystonia"
    assert steps[1] == "Fact: dystonia belongs to movement disorder dystonia Type: 'movement disorder'"
    assert len(steps) == 8
    watch.check("why-checker")
