"""/queries and /queries/<name>: pages, twins, permalinks and errors, with exact answers."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from markupsafe import escape
from rdflib import Graph

from kg.config import PROJECT_ROOT
from kg.query.saved import load_all
from support import BROWSER, CAUSES, DYSTONIA_NEIGHBOURHOOD_TRIPLES, SAVED_QUERIES, TW, make_app, select

SAVED = load_all(PROJECT_ROOT / "queries")


def _rows(html: str) -> list[list[str]]:
    """The text of each cell of the results table's body rows."""
    body = html.split('<table class="results">', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row, flags=re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, flags=re.S)]


# ---------------------------------------------------------------- the list


def test_index_lists_every_saved_query(client):
    response = client.get("/queries")
    assert (response.status_code, response.mimetype) == (200, "text/html")
    html = response.get_data(as_text=True)
    linked = re.findall(r'<a href="/queries/([a-z-]+)"><code>', html)
    assert linked == SAVED_QUERIES
    assert '<a href="/queries/causes-by-source.csv">.csv</a>' in html
    assert '<a href="/queries/cause-neighbourhood.ttl">.ttl</a>' in html
    assert "Educational, not medical advice." in html


def test_index_json(client):
    response = client.get("/queries.json")
    assert (response.status_code, response.mimetype) == (200, "application/json")
    listed = response.get_json()
    assert [q["name"] for q in listed] == SAVED_QUERIES
    by_name = {q["name"]: q for q in listed}
    assert by_name["causes-by-source"] == {
        "name": "causes-by-source",
        "summary": "Causes a given source is cited for",
        "description": SAVED["causes-by-source"].description,
        "tags": ["sources", "causes"],
        "kind": "select",
        "parameters": [{"name": "source", "variable": "_source_iri", "type": "iri",
                        "description": "the source, as an IRI or a prefixed name such as tw:nhs",
                        "default": "tw:webmd", "required": False, "enumerated": True}],
        "url": "/queries/causes-by-source",
        "formats": [
            {"extension": "json", "media_type": "application/sparql-results+json",
             "url": "/queries/causes-by-source.json"},
            {"extension": "xml", "media_type": "application/sparql-results+xml",
             "url": "/queries/causes-by-source.xml"},
            {"extension": "csv", "media_type": "text/csv", "url": "/queries/causes-by-source.csv"},
            {"extension": "tsv", "media_type": "text/tab-separated-values", "url": "/queries/causes-by-source.tsv"},
        ],
    }
    assert [(f["extension"], f["media_type"]) for f in by_name["cause-neighbourhood"]["formats"]] == [
        ("ttl", "text/turtle"), ("nt", "application/n-triples"), ("jsonld", "application/ld+json"),
        ("rdf", "application/rdf+xml")]
    assert by_name["is-serious"]["kind"] == "ask"


# ---------------------------------------------------------------- a query's page


def test_page_shows_description_query_answer_and_links(client):
    response = client.get("/queries/causes")
    assert (response.status_code, response.mimetype) == (200, "text/html")
    html = response.get_data(as_text=True)
    assert f"<h1>{escape(SAVED['causes'].summary)}</h1>" in html
    assert str(escape(SAVED["causes"].description)) in html
    assert f'<pre class="sparql"><code>{escape(SAVED["causes"].sparql)}</code></pre>' in html  # the query it ran
    rows = _rows(html)
    assert len(rows) == len(CAUSES)
    assert rows[0] == ["lack of sleep", "lack of sleep", "common (our reading)", "not among the more serious",
                       "WebMD, MedlinePlus, Medical News Today"]
    assert rows[6] == ["dehydration", "dehydration", "common (our reading)", "not among the more serious", ""]
    assert f'<a href="/id/lack-of-sleep" title="{TW}lack-of-sleep">lack of sleep</a>' in html
    for ext in ("json", "xml", "csv", "tsv"):
        assert f'<a href="/queries/causes.{ext}">.{ext}</a>' in html
    assert "Educational, not medical advice." in html


def test_page_links_to_the_sparql_editor_with_the_bound_query(client, store):
    html = client.get("/queries/causes-by-source?source=tw:nhs").get_data(as_text=True)
    href = re.search(r'<a href="(/sparql\?query=[^"]+)">edit this query', html).group(1)
    edited = parse_qs(urlsplit(unescape(href)).query)["query"][0]
    assert f"WHERE {{ VALUES (?_source_iri) {{ (<{TW}nhs>) }}" in edited
    assert edited.startswith(SAVED["causes-by-source"].sparql.split("WHERE", 1)[0])
    assert [row[1] for row in select(store, edited)] == ["benign-fasciculation-syndrome", "dystonia"]
    followed = client.get(unescape(href), headers={"Accept": "text/csv"})
    assert followed.status_code == 200
    assert followed.data == client.get("/queries/causes-by-source.csv?source=tw:nhs").data


def test_parameter_form_is_a_get_permalink(client):
    response = client.get("/queries/causes-by-source?source=tw:nhs")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert '<form class="parameters" method="get" action="/queries/causes-by-source">' in html
    # source is enumerated: a drop-down of the graph's sources, the one given selected
    assert '<select id="param-source" name="source">' in html
    assert '<option value="tw:nhs" selected>NHS (tw:nhs)</option>' in html
    assert re.findall(r'<option value="([^"]+)"', html) == [  # sorted by IRI
        "tw:als-association", "tw:healthline", "tw:medical-news-today", "tw:medlineplus", "tw:nhs",
        "tw:provided-reference", "tw:webmd"]
    assert [row[1:3] for row in _rows(html)] == [
        ["benign fasciculation syndrome", "benign fasciculation syndrome"], ["dystonia", "dystonia"]]
    assert '<a href="/queries/causes-by-source.csv?source=tw:nhs">.csv</a>' in html
    assert "twitch-kg query causes-by-source --param source=tw:nhs" in html
    assert f"<code>?_source_iri</code> = <code>&lt;{TW}nhs&gt;</code>" in html


def test_defaults_fill_the_form(client):
    html = client.get("/queries/cause-profile").get_data(as_text=True)
    # cause is enumerated: the causes some claim is about, the default selected
    assert '<option value="tw:dystonia" selected>dystonia (tw:dystonia)</option>' in html
    assert sorted(re.findall(r'<option value="tw:([^"]+)"', html)) == sorted(CAUSES)
    assert _rows(html) == [["dystonia", "claim: A group of rare conditions causing involuntary muscle spa...",
                            "A group of rare conditions causing involuntary muscle spasms.",
                            "Less Common, More Serious Causes", "muscle spasms", "involuntary", "", "NHS"]]


def test_ask_page(client):
    assert "<strong>yes</strong>" in client.get("/queries/is-serious").get_data(as_text=True)
    assert "<strong>no</strong>" in client.get("/queries/is-serious?cause=tw:dehydration").get_data(as_text=True)


def test_construct_page_lists_triples(client):
    html = client.get("/queries/cause-neighbourhood").get_data(as_text=True)
    rows = _rows(html)
    assert len(rows) == DYSTONIA_NEIGHBOURHOOD_TRIPLES
    assert ["dystonia", "has severity", "more serious"] in rows
    assert ["claim: A group of rare conditions causing involuntary muscle spa...", "cites as evidence", "NHS"] in rows


# ---------------------------------------------------------------- twins


def test_json_twin(client):
    response = client.get("/queries/causes-without-source.json")
    assert (response.status_code, response.mimetype) == (200, "application/sparql-results+json")
    assert json.loads(response.data) == {
        "head": {"vars": ["cause", "label", "quote"]},
        "results": {"bindings": [{
            "cause": {"type": "uri", "value": TW + "dehydration"},
            "label": {"type": "literal", "value": "dehydration", "xml:lang": "en"},
            "quote": {"type": "literal",
                      "value": "Insufficient fluid intake can contribute to muscle spasms and twitching."},
        }]},
    }


def test_csv_twin_with_parameter(client):
    response = client.get("/queries/causes-by-source.csv?source=tw:nhs")
    assert (response.status_code, response.mimetype) == (200, "text/csv")
    assert list(csv.reader(io.StringIO(response.get_data(as_text=True)))) == [
        ["_source_iri", "cause", "label", "quote"],
        [TW + "nhs", TW + "benign-fasciculation-syndrome", "benign fasciculation syndrome",
         "This condition involves long-lasting twitches and cramps due to overactive nerves."],
        [TW + "nhs", TW + "dystonia", "dystonia", "A group of rare conditions causing involuntary muscle spasms."],
    ]


def test_csv_twin_sources_ranked(client):
    text = client.get("/queries/sources-ranked.csv").get_data(as_text=True)
    assert [(r[1], r[2]) for r in list(csv.reader(io.StringIO(text)))[1:]] == [
        ("WebMD", "3"), ("MedlinePlus", "3"), ("Provided reference", "3"), ("Medical News Today", "2"),
        ("Healthline", "2"), ("ALS Association", "2"), ("NHS", "2"),
    ]


def test_tsv_twin(client):
    response = client.get("/queries/medication-classes.tsv")
    assert (response.status_code, response.mimetype) == (200, "text/tab-separated-values")
    lines = response.get_data(as_text=True).splitlines()
    assert lines[0] == "?medicationClass\t?label\t?cause\t?chebi"
    assert lines[1] == (f"<{TW}diuretics>\t\"diuretics\"@en\t<{TW}medication-side-effects>\t"
                        "<http://purl.obolibrary.org/obo/CHEBI_35498>")
    assert len(lines) == 4


def test_xml_twin(client):
    response = client.get("/queries/conditions.xml")
    assert (response.status_code, response.mimetype) == (200, "application/sparql-results+xml")
    assert response.data.count(b"<result>") == 2


def test_ask_json_twin(client):
    assert json.loads(client.get("/queries/is-serious.json").data) == {"head": {}, "boolean": True}
    assert json.loads(client.get("/queries/is-serious.json?cause=tw:lack-of-sleep").data) == {
        "head": {}, "boolean": False}


@pytest.mark.parametrize("ext,media_type,rdflib_format", [
    ("ttl", "text/turtle", "turtle"),
    ("nt", "application/n-triples", "nt"),
    ("jsonld", "application/ld+json", "json-ld"),
    ("rdf", "application/rdf+xml", "xml"),
])
def test_construct_twins(client, ext, media_type, rdflib_format):
    response = client.get(f"/queries/cause-neighbourhood.{ext}?cause=tw:dystonia")
    assert (response.status_code, response.mimetype) == (200, media_type)
    graph = Graph().parse(data=response.data, format=rdflib_format)
    assert len(graph) == DYSTONIA_NEIGHBOURHOOD_TRIPLES
    assert (f"{TW}dystonia", f"{TW}hasSeverity", f"{TW}more-serious") in {tuple(map(str, t)) for t in graph}


def test_construct_of_another_cause(client):
    graph = Graph().parse(data=client.get("/queries/cause-neighbourhood.nt?cause=tw:neurological-disorders").data,
                          format="nt")
    assert {str(o) for s, p, o in graph if str(p) == f"{TW}about"} == {f"{TW}als", f"{TW}neurological-disorders",
                                                                      f"{TW}muscle-twitching"}


def test_negotiated_page(client):
    response = client.get("/queries/causes", headers={"Accept": "text/csv"})
    assert (response.status_code, response.mimetype) == (200, "text/csv")
    assert response.headers["Vary"] == "Accept, Accept-Encoding"
    response = client.get("/queries/cause-neighbourhood", headers={"Accept": "text/turtle"})
    assert (response.status_code, response.mimetype) == (200, "text/turtle")
    assert client.get("/queries/causes", headers=BROWSER).mimetype == "text/html"


# ---------------------------------------------------------------- errors


def test_unknown_query_is_404(client):
    response = client.get("/queries/no-such-query", headers=BROWSER)
    assert (response.status_code, response.mimetype) == (404, "text/html")
    assert "There is no saved query &#39;no-such-query&#39;; /queries lists them." in response.get_data(as_text=True)
    response = client.get("/queries/no-such-query.csv", headers=BROWSER)
    assert (response.status_code, response.mimetype) == (404, "text/plain")
    assert response.get_data(as_text=True) == (
        "404 Not Found: There is no saved query 'no-such-query'; /queries lists them.\n")


@pytest.mark.parametrize("url,message", [
    ("/queries/causes.ttl", ("'.ttl' is not a format for the answer of a SELECT query; "
                             "saved query 'causes' comes as .json, .xml, .csv, .tsv.")),
    ("/queries/is-serious.nt", ("'.nt' is not a format for the answer of a ASK query; "
                                "saved query 'is-serious' comes as .json, .xml, .csv, .tsv.")),
    ("/queries/cause-neighbourhood.csv", ("'.csv' is not a format for the answer of a CONSTRUCT query; "
                                          "saved query 'cause-neighbourhood' comes as .ttl, .nt, .jsonld, .rdf.")),
    ("/queries/causes.docx", ("'.docx' is not a format we serve; "
                              "saved query 'causes' comes as .json, .xml, .csv, .tsv.")),
])
def test_wrong_twin_for_the_kind_is_404(client, url, message):
    response = client.get(url, headers=BROWSER)
    assert (response.status_code, response.mimetype) == (404, "text/plain")
    assert response.get_data(as_text=True) == f"404 Not Found: {message}\n"


def test_unacceptable_media_type_is_406(client):
    response = client.get("/queries/causes", headers={"Accept": "text/turtle"})
    assert (response.status_code, response.mimetype) == (406, "text/plain")
    assert response.get_data(as_text=True) == (
        "406 Not Acceptable: Saved query 'causes' is served as: text/html, application/sparql-results+json, "
        "application/sparql-results+xml, text/csv, text/tab-separated-values.\n")


BAD_PARAMETERS = [
    ("/queries/cause-profile?cause=dystonia",
     "parameter 'cause' must be an IRI (or prefixed name), got 'dystonia'"),
    ("/queries/cause-profile?cause=tw:x%3E%20%7D%20UNION%20%7B%20%3Fs%20%3Fp%20%3Fo",
     "parameter 'cause' must be an IRI (or prefixed name), got 'tw:x> } UNION { ?s ?p ?o'"),
    ("/queries/cause-profile?colour=red",
     "unknown parameter(s) colour for query 'cause-profile'; it takes: cause"),
    ("/queries/cause-profile?cause=tw:nhs&cause=tw:webmd",
     "parameter 'cause' is given 2 times; give it once"),
    ("/queries/causes?cause=tw:dystonia",
     "unknown parameter(s) cause for query 'causes'; it takes: none"),
]


@pytest.mark.parametrize("url,message", BAD_PARAMETERS)
def test_bad_parameter_is_400_inline_on_the_page(client, url, message):
    response = client.get(url, headers=BROWSER)
    assert (response.status_code, response.mimetype) == (400, "text/html")
    html = response.get_data(as_text=True)
    assert f'<p class="error-message" role="alert">{escape(message)}</p>' in html
    assert "<h2>The query it ran</h2>" in html and '<table class="results">' not in html


@pytest.mark.parametrize("url,message", BAD_PARAMETERS)
def test_bad_parameter_is_400_text_for_a_twin(client, url, message):
    path, _, query = url.partition("?")
    response = client.get(f"{path}.csv?{query}", headers=BROWSER)
    assert (response.status_code, response.mimetype) == (400, "text/plain")
    assert response.get_data(as_text=True) == f"400 Bad Request: {message}\n"


@pytest.fixture()
def custom_client(settings, store, tmp_path):
    """An app over extra saved queries: a required parameter and a string one."""
    (tmp_path / "label-of.rq").write_text(
        "#+ summary: The label of an entity\n#+ description: Its rdfs:label.\n"
        "SELECT ?_entity_iri ?label WHERE { ?_entity_iri rdfs:label ?label }\n")
    (tmp_path / "with-label.rq").write_text(
        "#+ summary: Entities with a label\n#+ description: Exact match on the label text.\n"
        "#+ defaults:\n#+   text: dystonia\n"
        "SELECT ?_text ?s WHERE { ?s rdfs:label ?l FILTER(STR(?l) = ?_text) }\n")
    app = make_app(settings.with_(queries_dir=tmp_path), store)
    return app.test_client()


def test_missing_required_parameter_is_400(custom_client):
    response = custom_client.get("/queries/label-of.json")
    assert (response.status_code, response.get_data(as_text=True)) == (
        400, "400 Bad Request: query 'label-of' needs parameter 'entity' (iri)\n")
    response = custom_client.get("/queries/label-of", headers=BROWSER)
    assert response.status_code == 400
    assert "query &#39;label-of&#39; needs parameter &#39;entity&#39; (iri)" in response.get_data(as_text=True)
    response = custom_client.get("/queries/label-of.csv?entity=tw:nhs")
    assert response.get_data(as_text=True) == f"_entity_iri,label\r\n{TW}nhs,NHS\r\n"


def test_string_parameters_are_data_never_sparql(custom_client):
    rows = lambda text: list(csv.reader(io.StringIO(  # noqa: E731
        custom_client.get("/queries/with-label.csv", query_string={"text": text}).get_data(as_text=True))))
    assert rows("dystonia") == [["_text", "s"], ["dystonia", TW + "dystonia"]]
    assert rows('x") || true || ("') == [["_text", "s"]]
    assert rows("NHS") == [["_text", "s"], ["NHS", TW + "nhs"]]


def test_twins_over_http(live_server):
    from urllib.request import urlopen

    with urlopen(f"{live_server.url}/queries/causes-without-source.csv") as response:
        assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
        assert response.read().decode() == (
            f"cause,label,quote\r\n{TW}dehydration,dehydration,"
            "Insufficient fluid intake can contribute to muscle spasms and twitching.\r\n")


def test_a_flood_of_unknown_parameters_gets_a_bounded_message(client):
    """Issue 12, item 8: 10,000 unknown parameter names made a 200-line 400."""
    query = "&".join(f"p{n:05d}=1" for n in range(10_000))
    response = client.get(f"/queries/causes.json?{query}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "unknown parameter(s) p00000, p00001, p00002, p00003, p00004 and 9995 more for query 'causes'" in body
    assert len(body) < 500
