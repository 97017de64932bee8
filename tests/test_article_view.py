"""The article view (issue 18): /article, its coverage, its links both ways, and its data twins."""

from __future__ import annotations

import html
import json
import re
from collections import Counter

import pytest

from support import ARTICLE, CLAIMS, PROJECT_ROOT, make_app, select

#: Every sentence of the article that no claim covers, with why that is no gap in the graph. A
#: sentence with a fact in it that no claim covers fails test_every_uncovered_sentence_is_exempt.
EXEMPT = {
    "What Causes Muscle Twitching?": "the article's title: a heading, it states nothing",
    "Less Common, More Serious Causes": "a heading; the graph holds it as the section's text (tw:text) and the "
                                        "causes' placement (tw:hasPrevalence, tw:hasSeverity)",
    "When to See a Doctor": "a heading; the graph holds it as the section's text (tw:text)",
    "These include:": "introduces a list (twice); each item is a claim of its own",
    "Lack of Sleep:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Medication Side Effects:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Exercise:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Nutritional Deficiencies:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Stress and Anxiety:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Caffeine and Stimulants:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Dehydration:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Neurological Disorders:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Autoimmune Disorders:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Benign Fasciculation Syndrome:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Dystonia:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "Pinched Nerve:": "a list label: the item's cause, named by the claim's tw:claimCause",
    "(Source: WebMD, MedlinePlus, Medical News Today)": "a source marker: the claim's cito:citesAsEvidence",
    "(Source: Provided reference)": "a source marker: the claim's cito:citesAsEvidence",
    "(Source: Healthline, Provided reference)": "a source marker: the claim's cito:citesAsEvidence",
    "(Source: Medical News Today, Provided reference)": "a source marker: the claim's cito:citesAsEvidence",
    "(Source: WebMD, Healthline)": "a source marker: the claim's cito:citesAsEvidence",
    "(Source: MedlinePlus, WebMD)": "a source marker: the claim's cito:citesAsEvidence",
    "(Source: ALS Association)": "a source marker (twice): the claim's cito:citesAsEvidence",
    "(Source: MedlinePlus)": "a source marker: the claim's cito:citesAsEvidence",
    "(Source: NHS)": "a source marker (twice): the claim's cito:citesAsEvidence",
}
#: The figures the page shows (and the README quotes).
SENTENCES, SENTENCES_COVERED, CHARACTERS, CHARACTERS_COVERED = 50, 22, 2525, 1797

HIGHLIGHT = re.compile(r'<a class="highlight" href="([^"]+)" id="([^"]+)">(.*?)</a>', re.S)


@pytest.fixture(scope="module")
def page(client) -> str:
    response = client.get("/article")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture(scope="module")
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def model(app):
    from webapp.pages.article import article_view

    with app.test_request_context("/article"):
        return article_view()


@pytest.fixture(scope="module")
def anchored(store) -> dict[str, str]:
    """Every claim's slug and oa:exact."""
    return dict(select(store, """SELECT ?claim ?exact WHERE {
        ?claim a tw:Claim ; oa:hasTarget/oa:hasSelector ?q . ?q a oa:TextQuoteSelector ; oa:exact ?exact }"""))


# ---------------------------------------------------------------- the unit: sentences


@pytest.mark.parametrize(("block", "expected"), [
    ("Label: A statement. (Source: X, Y)", ["Label:", "A statement.", "(Source: X, Y)"]),
    ("Persistent or worsening", ["Persistent or worsening"]),
    ("A (ALS) thing: yes? No! Maybe.", ["A (ALS) thing:", "yes?", "No!", "Maybe."]),
    ("  Version 2.5 is out.  ", ["Version 2.5 is out."]),
    ("Time 10:30 here.", ["Time 10:30 here."]),
    ("", []),
])
def test_sentences(block, expected):
    from webapp.pages.sentences import sentences

    assert [block[a:b] for a, b in sentences(block, 0, len(block))] == expected


# ---------------------------------------------------------------- /article


def test_every_claim_has_one_highlight_with_its_id_and_its_words(page, anchored):
    found = {slug: (href, html.unescape(text)) for href, slug, text in HIGHLIGHT.findall(page)}
    assert len(anchored) == CLAIMS
    assert found == {slug: (f"/id/{slug}", exact) for slug, exact in anchored.items()}
    for slug in anchored:
        assert page.count(f'id="{slug}"') == 1


def test_the_text_is_drawn_whole_in_the_articles_order(model):
    """Every character of the text is in a heading, paragraph or list item, except the line breaks and the
    list markers ("- ") before each item; the blocks follow each other in the text's order."""
    text = model.text
    blocks = [b for s in model.sections for b in s.blocks]
    assert [b.start for b in blocks] == sorted(b.start for b in blocks)
    drawn = set().union(*(range(b.start, b.end) for b in blocks))
    left = Counter(text[i] for i in range(len(text)) if i not in drawn)
    items = sum(len(p.blocks) for s in model.sections for p in s.parts if p.kind == "list")
    assert left == Counter("\n" * text.count("\n") + "- " * items)
    for block in blocks:
        assert "".join(p.text for p in block.pieces) == text[block.start:block.end]


def test_headings_lists_and_paragraphs_come_from_the_data(page):
    assert re.search(r"<h2 class=\"text\"><span class=\"uncovered\">What Causes Muscle Twitching\?</span></h2>", page)
    assert '<h3 class="text"><span class="uncovered">Less Common, More Serious Causes</span></h3>' in page
    assert page.count('<ul class="article-list">') == 3
    assert page.count('<li><div class="block">') == 15


def test_one_highlight_per_distinct_span(model):
    spans = [(h.start, h.end) for h in model.highlights]
    assert len(spans) == len(set(spans)) == len({(c.start, c.end) for c in model.claims})


def test_coverage_figures_are_on_the_page(page, model):
    figures = dict(re.findall(r'data-figure="(\w+)">(\d+)', page))
    assert figures == {"sentences": str(SENTENCES), "sentences_covered": str(SENTENCES_COVERED),
                       "characters_covered": str(CHARACTERS_COVERED)}
    assert f"{CHARACTERS_COVERED} of {CHARACTERS}" in page
    assert len(model.sentences) == SENTENCES and len(model.covered_sentences) == SENTENCES_COVERED
    assert len(model.text) == CHARACTERS == len(ARTICLE.read_text(encoding="utf-8"))


def test_every_uncovered_sentence_is_exempt(model):
    """A sentence with a fact in it that no claim covers is a gap in the model: it fails here."""
    uncovered = Counter(s.text for s in model.uncovered_sentences)
    assert set(uncovered) - set(EXEMPT) == set(), "sentences no claim covers, not exempt"
    assert set(EXEMPT) - set(uncovered) == set(), "exempt sentences that are covered now: take them out"
    assert sum(uncovered.values()) == SENTENCES - SENTENCES_COVERED


def test_every_uncovered_span_is_marked(page, model):
    text = page.split("<article", 1)[1]
    marked = [html.unescape(t) for t in re.findall(r'<span class="uncovered">(.*?)</span>', text)]
    assert Counter(marked) == Counter(s.text for s in model.uncovered_sentences)


def test_notes_say_kind_entities_badges_and_sources(page, model):
    def note(slug: str) -> str:
        start = page.index(f'<div class="note" data-claim="{slug}">')
        return page[start:page.index("</div>", start)]

    dehydration = note("claim-dehydration")
    assert "The article cites no source for this." in dehydration
    assert 'href="/id/CausalClaim">causal claim</a>' in dehydration
    assert 'href="/id/dehydration"' in dehydration and 'href="/id/muscle-spasms"' in dehydration
    sleep = note("claim-lack-of-sleep")
    assert re.findall(r'href="/id/(webmd|medlineplus|medical-news-today)"', sleep) == [
        "webmd", "medlineplus", "medical-news-today"]
    als = note("claim-neurological-disorders")
    assert 'href="/id/als"' in als
    assert re.search(r'<span class="badge serious escalation-badge inferred">calls for professional attention</span>',
                     als)
    assert "escalation-badge" not in note("claim-lack-of-sleep")
    # every note twice: in the margin (wide screens) and in the <details> below its block (phones)
    assert page.count('data-claim="claim-dehydration"') == 2
    blocks = [b for s in model.sections for b in s.blocks]
    assert page.count('<details class="notes-below">') == len([b for b in blocks if b.highlights]) == 20


# ---------------------------------------------------------------- both directions


def test_claim_and_entity_pages_link_to_the_sentence(client):
    claim = client.get("/id/claim-dystonia", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<a href="/article#claim-dystonia" class="in-article">read it in the article</a>' in claim
    entity = client.get("/id/dehydration", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<a href="/article#claim-dehydration" class="in-article">read it in the article</a>' in entity
    source = client.get("/id/healthline", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert source.count('class="in-article"') == 2  # the two claims that cite it
    other = client.get("/id/CausalClaim", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'class="in-article"' not in other


def test_checker_answers_link_to_the_sentence(client):
    answer = client.get("/check?feature=persistent-twitching&condition=dystonia").get_data(as_text=True)
    assert '<a href="/article#claim-persistent-or-worsening" class="in-article">read it in the article</a>' in answer
    assert '<a href="/article#claim-dystonia" class="in-article">read it in the article</a>' in answer


def test_the_home_page_links_to_the_article(client):
    assert '<a href="/article">' in client.get("/").get_data(as_text=True)


# ---------------------------------------------------------------- the data twins


def test_article_json(client, article_text, anchored):
    response = client.get("/article.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert data["text"] == article_text
    assert data["coverage"] == {"sentences": SENTENCES, "sentences_covered": SENTENCES_COVERED,
                                "characters": CHARACTERS, "characters_covered": CHARACTERS_COVERED}
    for sentence in data["sentences"]:
        assert article_text[sentence["start"]:sentence["end"]] == sentence["text"]
    assert {c["id"]: c["exact"] for c in data["claims"]} == anchored
    for claim in data["claims"]:
        assert article_text[claim["start"]:claim["end"]] == claim["exact"]
        assert claim["page"] == f"/article#{claim['id']}"
    by_claim = Counter(slug for s in data["sentences"] for slug in s["claims"])
    assert by_claim == Counter(list(anchored))  # each claim anchored to exactly one sentence here


def test_an_article_whose_anchors_do_not_match_its_text_is_refused(settings, store, tmp_path):
    """The build refuses such anchors (tests/test_article.py); a store built from another text is refused too."""
    for path in settings.data_dir.iterdir():
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "article.txt").write_text("Another text.\n" + ARTICLE.read_text(encoding="utf-8"), encoding="utf-8")
    client = make_app(settings.with_(data_dir=tmp_path), store).test_client()
    response = client.get("/article")
    assert response.status_code == 503
    assert "do not match the text" in response.get_data(as_text=True)
    assert client.get("/article.json").status_code == 503
    page = client.get("/id/claim-dystonia", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert 'class="in-article"' not in page  # the entity pages still work, without the link


ANNO_CONTEXT = PROJECT_ROOT / "webapp" / "static" / "contexts" / "anno.jsonld"


def test_web_annotations_parse_into_annotations_whose_selectors_slice_the_text(client, article_text, anchored):
    from rdflib import RDF, Graph, Namespace, URIRef

    oa = Namespace("http://www.w3.org/ns/oa#")
    response = client.get("/article/annotations.jsonld")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
    document = response.get_json()
    assert document["@context"] == "http://www.w3.org/ns/anno.jsonld"  # the standard URL, served as is
    # resolved from the copy the project ships: nothing is fetched
    document["@context"] = json.loads(ANNO_CONTEXT.read_text(encoding="utf-8"))["@context"]
    graph = Graph().parse(data=json.dumps(document), format="json-ld")
    annotations = set(graph.subjects(RDF.type, oa.Annotation))
    assert {str(a).rsplit("/", 1)[1] for a in annotations} == set(anchored)
    for annotation in annotations:
        assert (annotation, oa.motivatedBy, oa.identifying) in graph
        target = graph.value(annotation, oa.hasTarget)
        assert graph.value(target, oa.hasSource) == URIRef("https://w3id.org/twitch-kg/article.txt")
        selectors = {graph.value(s, RDF.type): s for s in graph.objects(target, oa.hasSelector)}
        position, quote = selectors[oa.TextPositionSelector], selectors[oa.TextQuoteSelector]
        start, end = int(graph.value(position, oa.start)), int(graph.value(position, oa.end))
        exact = str(graph.value(quote, oa.exact))
        assert article_text[start:end] == exact == anchored[str(annotation).rsplit("/", 1)[1]]
        assert article_text[:start].endswith(str(graph.value(quote, oa.prefix) or ""))
        assert article_text[end:].startswith(str(graph.value(quote, oa.suffix) or ""))
    assert (URIRef("https://w3id.org/twitch-kg/id/claim-dystonia"), oa.hasBody,
            URIRef("https://w3id.org/twitch-kg/id/dystonia")) in graph
    # the collection: an ordered collection (AnnotationCollection) whose first page lists the 22, in order
    activity = Namespace("http://www.w3.org/ns/activitystreams#")
    (collection,) = graph.subjects(RDF.type, activity.OrderedCollection)
    assert int(graph.value(collection, activity.totalItems)) == CLAIMS
    items = list(graph.items(graph.value(graph.value(collection, activity.first), activity.items)))
    assert set(items) == annotations and len(items) == CLAIMS


def test_claims_that_share_or_nest_spans_each_get_their_id():
    """Generic over the data: two claims on one span share one highlight (two ids on it); a claim inside
    another's span splits the outer highlight, whose id stays where it starts."""
    import pyoxigraph as ox

    from webapp.pages.article import Claim, _highlights, _pieces

    text = "One two three. Four."
    made = [Claim(ox.NamedNode(f"https://example.org/{slug}"), slug, a, b, text[a:b])
            for slug, a, b in (("a", 0, 14), ("b", 0, 14), ("c", 4, 7), ("d", 15, 20))]
    highlights = _highlights(made)
    assert [(h.start, h.end, [c.slug for c in h.claims]) for h in highlights] == [
        (0, 14, ["a", "b"]), (4, 7, ["c"]), (15, 20, ["d"])]
    pieces = _pieces(text, 0, len(text), highlights)
    assert [(p.text, [c.slug for c in p.anchored], p.highlight.start if p.highlight else None, p.uncovered)
            for p in pieces] == [
        ("One ", ["a", "b"], 0, False), ("two", ["c"], 4, False), (" three.", [], 0, False),
        (" ", [], None, False), ("Four.", ["d"], 15, False)]
    assert "".join(p.text for p in pieces) == text
