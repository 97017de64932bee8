"""The home page (with its diagram), the ontology page and the label search."""

from __future__ import annotations

import hashlib
import re
import xml.etree.ElementTree as ET
from datetime import datetime
from email.utils import parsedate_to_datetime

import pytest

from support import (
    CAUSES,
    CITATIONS,
    CLAIMS,
    COMMON_CAUSES,
    GRAPH_TRIPLES,
    HTML,
    SERIOUS_CAUSES,
    TW,
    make_app,
    page_files,
    select,
    without_file_facts,
)

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def home(app):
    response = app.test_client().get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    return response.get_data(as_text=True)


def _section(html: str, css_class: str) -> str:
    return re.search(rf'<section class="{css_class}[^"]*">(.*?)</section>', html, re.S).group(1)


def _cause_links(block: str) -> list[str]:
    return re.findall(r'<li class="cause">\s*<span class="term"><a href="/id/([^"]+)"', block)


# ---------------------------------------------------------------- home


def test_home_groups_causes_by_prevalence_and_severity_in_article_order(home):
    groups = re.findall(r'<div class="card cause-group severity-(\w+)">(.*?)</div>', _section(home, "causes"), re.S)
    assert [tone for tone, _ in groups] == ["benign", "serious"]
    common, serious = (block for _, block in groups)
    assert '<a href="/id/common">common (our reading)</a>' in common
    assert '<a href="/id/benign">not among the more serious</a>' in common
    assert '<a href="/id/less-common">less common</a>' in serious
    assert '<a href="/id/more-serious">more serious</a>' in serious
    assert _cause_links(common) == COMMON_CAUSES
    assert _cause_links(serious) == SERIOUS_CAUSES


def test_home_shows_the_escalation_the_reasoner_concluded(home):
    causes = _section(home, "causes")
    badge = '<span class="badge serious inferred" title="concluded by the reasoner">professional attention</span>'
    assert causes.count(badge) == len(SERIOUS_CAUSES)


def test_home_shows_sources_per_cause_and_the_uncited_one(home):
    causes = _section(home, "causes")
    dehydration = re.search(r'href="/id/dehydration">.*?</li>', causes, re.S).group(0)
    assert "Sources: none cited" in dehydration
    dystonia = re.search(r'href="/id/dystonia">.*?</li>', causes, re.S).group(0)
    assert re.findall(r'Sources: .*?href="/id/([^"]+)"', dystonia, re.S) == ["nhs"]
    neurological = re.search(r'href="/id/neurological-disorders">.*?</li>', causes, re.S).group(0)
    assert 'e.g. <span class="term"><a href="/id/als">amyotrophic lateral sclerosis</a></span>' in neurological


def test_home_lists_the_warning_signs(home):
    warnings = _section(home, "warnings")
    criteria = re.findall(r'<li class="criterion"><span class="term"><a href="/id/([^"]+)"', warnings)
    assert criteria == ["criterion-persistent-or-worsening", "criterion-other-symptoms",
                        "criterion-multiple-muscle-groups"]
    features = re.findall(r'href="/id/([^"]+)"', "".join(re.findall(r"features: (.*?)</span>\s*</li>", warnings, re.S)))
    assert features == ["persistent-twitching", "worsening-twitching", "with-weakness", "with-numbness", "with-pain",
                        "multiple-muscle-groups"]


def test_home_lists_sources_with_their_number_of_claims(home):
    rows = re.findall(r'<tr><td><span class="term"><a href="/id/([^"]+)">[^<]+</a></span></td>'
                      r'<td class="count">(\d+)</td></tr>',
                      _section(home, "sources"))
    assert rows == [("webmd", "3"), ("medlineplus", "3"), ("medical-news-today", "2"), ("provided-reference", "3"),
                    ("healthline", "2"), ("als-association", "2"), ("nhs", "2")]


def test_home_counts(home):
    counts = _section(home, "counts")
    for graph, triples in GRAPH_TRIPLES.items():
        assert f'<td class="count" data-graph="{graph}">{triples}</td>' in counts
    assert f'<td class="count" data-count="causes">{len(CAUSES)}</td>' in counts
    assert '<td class="count" data-count="sources">7</td>' in counts
    assert f'<td class="count" data-count="claims">{CLAIMS}</td>' in counts


def test_home_has_a_search_box(home):
    assert '<form class="search big" action="/search" method="get" role="search" aria-label="Search the graph">' in home
    assert '<input id="home-search" type="search" name="q" maxlength="100"' in home


def _inline_svg(html: str) -> str:
    return re.search(r'<svg xmlns="http://www.w3.org/2000/svg" class="diagram" id="overview".*?</svg>', html,
                     re.S).group(0)


def _nodes(svg):
    """The drawn nodes that lead to a page: ``<g class="node" data-href>`` (nothing focusable in the picture)."""
    return [g for g in svg.iter(f"{SVG}g") if g.get("data-href")]


def test_home_diagram_links_every_cause_source_and_symptom(home):
    svg = ET.fromstring(_inline_svg(home))
    assert not list(svg.iter(f"{SVG}a"))  # role="img": no interactive content inside (issue 15)
    links = [g.get("data-href") for g in _nodes(svg)]
    # the same links, as a list after the picture
    listed = re.search(r'<details class="diagram-links" id="overview-links">(.*?)</details>', home, re.S).group(1)
    assert set(re.findall(r'<a href="([^"]+)"', listed)) == set(links)
    assert sorted(links) == sorted(
        [f"/id/{c}" for c in CAUSES]
        + [f"/id/{s}" for s in ("webmd", "medlineplus", "medical-news-today", "provided-reference", "healthline",
                                "als-association", "nhs")]
        + ["/id/muscle-twitching", "/id/muscle-spasms", "/id/muscle-cramps"]
    )


def test_home_diagram_colours_causes_by_severity(home):
    svg = ET.fromstring(_inline_svg(home))
    strokes = {}
    for g in _nodes(svg):
        rect = g.find(f"{SVG}rect")
        if rect is not None:
            strokes[g.get("data-href").removeprefix("/id/")] = rect.get("stroke")
    assert {strokes[c] for c in COMMON_CAUSES} == {"#2e7d32"}
    assert {strokes[c] for c in SERIOUS_CAUSES} == {"#b3261e"}
    # causes keep the article's order, top to bottom
    ys = {g.get("data-href").removeprefix("/id/"): float(g.find(f"{SVG}rect").get("y"))
          for g in _nodes(svg) if g.find(f"{SVG}rect") is not None}
    assert sorted(ys, key=ys.get) == CAUSES


def test_home_diagram_draws_sources_to_causes_to_symptoms(home):
    svg = ET.fromstring(_inline_svg(home))
    titles = [p.find(f"{SVG}title").text for p in svg.iter(f"{SVG}path") if p.find(f"{SVG}title") is not None]
    assert "NHS — cited for → dystonia" in titles
    assert "dystonia — can cause → muscle spasms" in titles
    assert "dehydration — can cause → muscle twitching" in titles
    assert not [t for t in titles if t.endswith("→ dehydration")]  # the article cites no source for it
    assert len([t for t in titles if "cited for" in t]) == CITATIONS
    assert len([t for t in titles if "can cause" in t]) == 14


def test_diagram_is_deterministic_and_also_an_svg_image(client, home):
    response = client.get("/diagram.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    standalone = response.get_data(as_text=True)
    assert standalone.strip() == _inline_svg(home).strip()
    assert client.get("/diagram.svg").get_data(as_text=True) == standalone
    ET.fromstring(standalone)  # well-formed XML


def test_diagram_layout_does_not_depend_on_the_hash_seed(settings, built):
    """The layout comes out the same in a fresh interpreter with another PYTHONHASHSEED."""
    import os
    import subprocess
    import sys

    script = (
        "from kg.graph import open_graph; from kg.config import load_settings; from webapp import create_app;"
        "app = create_app({'TESTING': True}, settings=load_settings(), store=open_graph(load_settings(), 'memory'));"
        "import sys; sys.stdout.write(app.test_client().get('/diagram.svg').get_data(as_text=True))"
    )
    outputs = set()
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "TWITCH_KG_BUILD_DIR": str(settings.build_dir)}
        outputs.add(subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True,
                                   check=True, timeout=120).stdout)
    assert len(outputs) == 1


# ---------------------------------------------------------------- ontology


@pytest.fixture(scope="module")
def ontology_page(app):
    response = app.test_client().get("/ontology")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_ontology_lists_every_class_and_property(ontology_page):
    classes = _section(ontology_page, "classes")
    properties = _section(ontology_page, "properties")
    assert "<h2>Classes (38)</h2>" in classes
    assert ("counts something else: every distinct class any resource of the graph is typed with"
            in " ".join(classes.split()))
    assert "<h2>Properties (35)</h2>" in properties
    assert classes.count('<li class="class"') == 43  # a class with several parents stands under each
    assert properties.count('<li class="property"') == 35
    assert len(set(re.findall(r'<li class="class" data-iri="([^"]+)"', classes))) == 38


def test_ontology_shows_the_hierarchy_with_inferred_links_marked(ontology_page):
    classes = _section(ontology_page, "classes")
    presentation = re.search(rf'<li class="class" data-iri="{TW}Presentation">(.*?)</li>\s*</ul>\s*</li>', classes,
                             re.S).group(1)
    assert ('<span class="inferred"><span class="term"><a href="#NeedsDoctorConsultation">'
            "needs a doctor&#39;s consultation</a></span></span>") in presentation
    cause = re.search(rf'<li class="class" data-iri="{TW}Cause">(.*?)<li class="class" data-iri="{TW}Claim">', classes,
                      re.S).group(1)
    assert '<span class=""><span class="term"><a href="#LifestyleFactor">lifestyle factor</a></span></span>' in cause
    assert "A cause that lies in how a person lives, such as how much they sleep." in cause


def test_ontology_shows_defined_classes_and_their_escalation(ontology_page):
    classes = _section(ontology_page, "classes")
    rpa = re.search(rf'<li class="class" data-iri="{TW}RequiresProfessionalAttention">(.*?)</li>', classes,
                    re.S).group(1)
    assert "≡ defined" in rpa
    assert ('escalates to <span class="term"><a href="/id/professional-attention">professional attention</a></span>'
            in rpa)


def test_ontology_shows_property_hierarchy_and_signature(ontology_page):
    properties = _section(ontology_page, "properties")
    about = re.search(r'<a href="#about">about</a>(.*?)</ul>', properties, re.S).group(1)
    assert re.findall(r'<a href="#(claim\w+)">', about) == ["claimCause", "claimEffect", "claimMechanism"]
    severity = re.search(r'<a href="#hasSeverity">has severity</a>.*?</li>', properties, re.S).group(0)
    assert ('(<span class="term"><a href="#Cause">cause</a></span> → '
            '<span class="term"><a href="#Severity">severity</a></span>)') in severity


# ---------------------------------------------------------------- search


def _results(client, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    block = re.search(r'<ul class="results">(.*?)</ul>', html, re.S)
    return re.findall(r'<li><span class="term"><a href="/id/([^"]+)">', block.group(1)) if block else []


def test_search_finds_by_alternative_label_case_insensitively(client):
    assert _results(client, "ALS")[:2] == ["als", "als-association"]
    assert _results(client, "als") == _results(client, "ALS")
    # the symptom (alternative label) first, then the claim whose label quotes the article
    assert _results(client, "fasciculations") == ["muscle-twitching", "claim-twitching-defined"]
    assert _results(client, "Isaac syndrome") == ["isaacs-syndrome", "claim-autoimmune-disorders"]
    assert _results(client, "ISAACS") == ["isaacs-syndrome"]


def test_search_exact_match_first(client):
    assert _results(client, "dystonia")[0] == "dystonia"


def test_search_shows_what_matched(client):
    html = client.get("/search?q=fasciculations").get_data(as_text=True)
    assert ('<a href="/id/muscle-twitching">muscle twitching</a></span> '
            '<span class="muted">(matched “fasciculations”)</span>') in html
    assert "2 entities match “fasciculations”." in html
    assert "1 entity match “Isaacs”." in client.get("/search?q=Isaacs").get_data(as_text=True)


def test_search_without_match(client):
    response = client.get("/search?q=zzzz")
    assert response.status_code == 200
    assert "No label contains “zzzz”." in response.get_data(as_text=True)


def test_empty_search_asks_for_a_word(client):
    for path in ("/search", "/search?q=", "/search?q=%20%20"):
        response = client.get(path)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Type a word to find the entities" in html
        assert '<ul class="results">' not in html


def test_too_long_search_is_400(client):
    response = client.get("/search", query_string={"q": "x" * 101}, headers=HTML)
    assert response.status_code == 400
    assert "Search for at most 100 characters (you sent 101)." in response.get_data(as_text=True)
    assert client.get("/search", query_string={"q": "x" * 100}).status_code == 200


@pytest.mark.parametrize("q", ['"}', "') }", "\\", "%", "<script>", "a\u0000b", "(((((a+)+)+)+)$"])
def test_search_text_is_data_not_sparql(client, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    assert "<script>" not in response.get_data(as_text=True).split("<main")[1]


# ---------------------------------------------------------------- the same pages on a remote store


@pytest.fixture(scope="module")
def remote_client(request, settings, built):
    """The app over a real Virtuoso (tests/virtuoso.py) holding the same build."""
    from kg.store.remote import RemoteStore

    server = request.getfixturevalue("virtuoso")
    store = RemoteStore(settings, server.query_url, update_url=server.update_url)
    store.load(built.artefact)
    return make_app(settings, store).test_client()


@pytest.mark.parametrize("path,accept", [
    ("/", "text/html"), ("/ontology", "text/html"), ("/search?q=ALS", "text/html"), ("/diagram.svg", "image/svg+xml"),
    ("/downloads", "text/html"), ("/id/Cause", "text/html"), ("/id/hasSeverity", "text/html"),
    ("/id/muscle-twitching", "text/html"), ("/id/more-serious", "text/html"), ("/id/nhs", "text/html"),
    ("/.well-known/void", "text/turtle"),
])
def test_pages_are_the_same_on_a_remote_store(remote_client, client, path, accept):
    ours = remote_client.get(path, headers={"Accept": accept})
    reference = client.get(path, headers={"Accept": accept})
    assert ours.status_code == 200
    if path == "/downloads":  # but for what the files' bytes and the load time make (the next test)
        assert without_file_facts(ours.get_data(as_text=True)) == without_file_facts(reference.get_data(as_text=True))
    else:
        assert ours.get_data(as_text=True) == reference.get_data(as_text=True)


def test_the_downloads_page_on_a_remote_store_describes_its_own_bytes(remote_client):
    files = page_files(remote_client.get("/downloads").get_data(as_text=True))
    assert len(files) == 37
    for name, (link, size, _shown, _exact, sha256, date) in files.items():
        served = remote_client.get(link)
        assert (int(size), sha256) == (len(served.data), hashlib.sha256(served.data).hexdigest()), name
        assert datetime.fromisoformat(date) == parsedate_to_datetime(served.headers["Last-Modified"]), name


# ---------------------------------------------------------------- the article's text, the selectors' source


def test_the_article_text_is_served_byte_for_byte(client, article_text):
    response = client.get("/article.txt")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert response.data == article_text.encode("utf-8")
    assert client.get("/article.txt", headers={"If-None-Match": response.headers["ETag"]}).status_code == 304
    missing = client.get("/nothing.txt")
    assert missing.status_code == 404 and "/article.txt" in missing.get_data(as_text=True)


def test_every_selector_source_is_served(client, store):
    sources = {r[0] for r in select(store, "SELECT DISTINCT ?t WHERE { ?x oa:hasSource ?t }")}
    assert sources == {"https://w3id.org/twitch-kg/article.txt"}
    assert client.get("/article.txt").status_code == 200
