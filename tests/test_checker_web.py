"""The checker on the web: the form, the answer page (a permalink), the JSON API validated against
its own OpenAPI description, and clear 4xx answers for bad input."""

from __future__ import annotations

import html
import json
import re

import pytest
from jsonschema import Draft202012Validator
from openapi_spec_validator import validate as validate_openapi

from support import DISCLAIMER, MOST_CASES_BENIGN, SAVED_QUERIES, TW

RED_FLAG = "/check?feature=persistent-twitching&feature=with-weakness&trigger=caffeine-and-stimulants"
NO_FLAG = "/check?trigger=lack-of-sleep&condition="


#: Two steps of a justification (issue 14) in the "Why" of an answer, each in plain words, then in OWL.
PERSISTENT_IS_A_WARNING_FEATURE = (
    "Fact: persistent belongs to warning feature persistent Type: 'warning feature' "
    "Definition: has a warning feature is defined as: presentation and ('has feature' some 'warning feature') "
    "'has a warning feature' EquivalentTo: presentation and ('has feature' some 'warning feature')")


def text_of(page: str, element_id: str) -> str:
    """The text of the element with ``element_id`` (up to its closing tag of the same name), whitespace collapsed."""
    match = re.search(rf'<(\w+)[^>]*\bid="{element_id}"[^>]*>(.*?)</\1>', page, re.S)
    assert match, f"no element #{element_id}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())


@pytest.fixture(scope="module")
def openapi(app):
    with app.test_client() as client:
        return client.get("/api/openapi.json").get_json()


def validator(openapi, schema: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"#/components/schemas/{schema}", "components": openapi["components"]})


# ---------------------------------------------------------------- the form


def test_the_form_offers_the_graphs_options(client):
    response = client.get("/check")
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert re.findall(r'name="feature" value="([^"]+)"', page) == [
        "persistent-twitching", "worsening-twitching", "with-weakness", "with-numbness", "with-pain",
        "multiple-muscle-groups"]
    assert re.findall(r'name="trigger" value="([^"]+)"', page) == [
        "lack-of-sleep", "medication-side-effects", "exercise", "nutritional-deficiencies", "stress-and-anxiety",
        "caffeine-and-stimulants", "dehydration"]
    assert re.findall(r'<option value="([^"]*)"', page) == [
        "", "neurological-disorders", "als", "autoimmune-disorders", "isaacs-syndrome",
        "benign-fasciculation-syndrome", "dystonia", "pinched-nerve"]
    assert '<option value="als">amyotrophic lateral sclerosis (an example of neurological disorders)</option>' in page
    assert 'method="get" action="/check"' in page
    assert 'href="/api/openapi.json"' in page
    assert DISCLAIMER.replace("'", "&#39;") in page  # base.html's banner


# ---------------------------------------------------------------- answer pages


def test_red_flag_answer_page(client):
    response = client.get(RED_FLAG)
    assert response.status_code == 200 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert 'data-escalated="true"' in page
    assert text_of(page, "verdict") == ("The reasoner concluded: consult a doctor . "
                                        "The article: “Consult a doctor if muscle twitching is:” …")
    assert text_of(page, "check-disclaimer") == f"This is not medical advice. The article says: “{DISCLAIMER}”"
    assert text_of(page, "criteria") == (
        "The article's “When to See a Doctor” criteria you matched "
        "persistent or worsening You entered: persistent “Persistent or worsening” "
        "The article cites no source for this. read it in the article "
        "associated with other symptoms like weakness, numbness, or pain You entered: with weakness "
        "“Associated with other symptoms like weakness, numbness, or pain” The article cites no source for this. "
        "read it in the article")
    assert text_of(page, "trigger-claims") == (
        "What the article says about your suspected triggers caffeine and stimulants "
        "“Excessive consumption of caffeine and other stimulants can trigger muscle twitching.” "
        "Sources the article cites: WebMD , MedlinePlus read it in the article")
    assert text_of(page, "serious-causes") == (
        f"What the article says about its more serious causes “{MOST_CASES_BENIGN}” "
        "The article cites no source for this. read it in the article")
    assert text_of(page, "why") == (
        "Why The reasoner put what you described in these classes of the ontology: "
        "has a warning feature : A presentation that shows at least one warning feature: one of the article's "
        '"When to See a Doctor" features, or another symptom that comes with the twitching. '
        "because you entered has feature persistent , has feature with weakness "
        "Why does that follow? The reasoner's justification You entered: has feature persistent "
        f"{PERSISTENT_IS_A_WARNING_FEATURE} "
        "needs a doctor's consultation : A presentation that needs a doctor's consultation: the article says "
        '"Consult a doctor if muscle twitching is:" and lists its criteria. '
        "Why does that follow? The reasoner's justification You entered: has feature persistent "
        f"{PERSISTENT_IS_A_WARNING_FEATURE} "
        "Definition: whatever belongs to has a warning feature satisfies: needs value 'consult a doctor' "
        "'has a warning feature' SubClassOf: needs value 'consult a doctor' "
        "Definition: needs a doctor's consultation is defined as: presentation and (needs value 'consult a doctor') "
        "'needs a doctor's consultation' EquivalentTo: presentation and (needs value 'consult a doctor')")
    assert '<a href="/id/webmd">WebMD</a>' in page
    assert ('href="/check?feature=persistent-twitching&amp;feature=with-weakness'
            '&amp;trigger=caffeine-and-stimulants"') in page
    assert "No warning sign" not in page
    assert response.headers["Vary"] == "Accept, Accept-Encoding"


def test_no_flag_answer_page_says_what_it_is(client):
    response = client.get(NO_FLAG)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'data-escalated="false"' in page
    verdict = text_of(page, "verdict")
    assert verdict.startswith("No warning sign in what you described. Nothing you entered is one of the article")
    assert "closed-world reading of what you entered" in verdict
    assert "it is not a finding that your twitching is harmless" in verdict
    assert 'id="criteria"' not in page and 'id="why"' not in page and "consult a doctor" not in text_of(page, "verdict")
    assert text_of(page, "trigger-claims") == (
        "What the article says about your suspected triggers lack of sleep "
        "“Insufficient sleep can disrupt the body's natural processes, increasing the likelihood of muscle twitches.” "
        "Mechanism: disruption of the body's natural processes "
        "Sources the article cites: WebMD , MedlinePlus , Medical News Today read it in the article")
    assert f"“{MOST_CASES_BENIGN}”" in text_of(page, "serious-causes")
    assert text_of(page, "check-disclaimer") == f"This is not medical advice. The article says: “{DISCLAIMER}”"


def test_a_diagnosed_condition_page(client):
    page = client.get("/check?condition=isaacs-syndrome").get_data(as_text=True)
    assert text_of(page, "condition-claims") == (
        "What the article says about your diagnosed condition Isaacs syndrome "
        "The article names it as an example of autoimmune disorders . "
        "“Certain autoimmune diseases, such as Isaac syndrome, can cause persistent muscle twitching.” "
        "Sources the article cites: MedlinePlus read it in the article")
    assert "because you entered diagnosed condition Isaacs syndrome" in text_of(page, "why")


def test_the_answer_as_json_by_accept_and_twin(client, openapi):
    by_accept = client.get(RED_FLAG, headers={"Accept": "application/json"})
    twin = client.get(RED_FLAG.replace("/check?", "/check.json?"))
    assert by_accept.mimetype == twin.mimetype == "application/json"
    assert by_accept.get_json() == twin.get_json()
    data = twin.get_json()
    assert list(validator(openapi, "CheckAnswer").iter_errors(data)) == []
    assert data["links"] == {"permalink": "/check?feature=persistent-twitching&feature=with-weakness"
                                          "&trigger=caffeine-and-stimulants"}


# ---------------------------------------------------------------- the JSON API


def test_completions_are_described_by_the_openapi(client, openapi):
    """/api/complete (issue 16): an answer and a refusal, each as its description says."""
    response = client.get("/api/complete", query_string={"token": "tw:Ca", "before": "SELECT * WHERE { ?x a "})
    assert response.status_code == 200
    data = response.get_json()
    assert list(validator(openapi, "Completions").iter_errors(data)) == []
    assert data["kind"] == "class" and data["suggestions"][0]["text"] == "tw:Cause"
    refused = client.get("/api/complete", query_string={"limit": "0"})
    assert refused.status_code == 400 and refused.mimetype == "application/json"
    assert list(validator(openapi, "Problem").iter_errors(refused.get_json())) == []


def test_api_check_red_flag(client, openapi):
    response = client.post("/api/check", json={"features": ["persistent", "multiple-muscle-groups"],
                                               "triggers": ["exercise"], "condition": "dystonia"})
    assert response.status_code == 200 and response.mimetype == "application/json"
    data = response.get_json()
    assert list(validator(openapi, "CheckAnswer").iter_errors(data)) == []
    assert (data["escalated"], data["basis"]) == (True, "entailment")
    assert [(e["id"], e["label"], e["class"]["id"]) for e in data["escalations"]] == [
        ("professional-attention", "professional attention", "AttributedToSeriousCause"),
        ("doctor-consultation", "consult a doctor", "HasWarningFeature")]
    assert [c["id"] for c in data["classes"]] == ["AttributedToSeriousCause", "HasWarningFeature",
                                                  "NeedsDoctorConsultation", "NeedsProfessionalAttention"]
    assert [(r["class"]["id"], r["property"]["id"], r["value"]["id"]) for r in data["reasons"]] == [
        ("AttributedToSeriousCause", "diagnosedCondition", "dystonia"),
        ("HasWarningFeature", "hasFeature", "persistent-twitching"),
        ("HasWarningFeature", "hasFeature", "multiple-muscle-groups"),
    ]
    article = data["article"]
    assert [(c["id"], c["claim"]["quote"], c["claim"]["sources"]) for c in article["criteria"]] == [
        ("criterion-persistent-or-worsening", "Persistent or worsening", []),
        ("criterion-multiple-muscle-groups", "Affecting multiple muscle groups", []),
    ]
    assert article["triggers"] == [{
        "id": "exercise", "iri": TW + "exercise", "label": "exercise", "exampleOf": None,
        "claims": [{
            "iri": TW + "claim-exercise",
            "quote": "Intense physical activity can lead to temporary muscle twitching due to lactic acid buildup.",
            "mechanisms": [{"id": "lactic-acid-buildup", "iri": TW + "lactic-acid-buildup",
                            "label": "lactic acid buildup"}],
            "sources": [{"id": "provided-reference", "iri": TW + "provided-reference", "label": "Provided reference"},
                        {"id": "healthline", "iri": TW + "healthline", "label": "Healthline"}],
        }],
    }]
    assert [(c["quote"], [s["id"] for s in c["sources"]]) for c in article["condition"]["claims"]] == [
        ("A group of rare conditions causing involuntary muscle spasms.", ["nhs"])]
    assert [c["quote"] for c in article["seriousCauses"]] == [MOST_CASES_BENIGN]
    assert article["disclaimer"] == DISCLAIMER
    assert data["links"]["permalink"] == ("/check?feature=persistent-twitching&feature=multiple-muscle-groups"
                                          "&trigger=exercise&condition=dystonia")


def test_api_check_no_flag(client, openapi):
    response = client.post("/api/check", json={"features": [], "triggers": ["dehydration"], "condition": None})
    data = response.get_json()
    assert response.status_code == 200
    assert list(validator(openapi, "CheckAnswer").iter_errors(data)) == []
    assert (data["escalated"], data["basis"], data["escalations"], data["classes"], data["reasons"]) == (
        False, "closed-world", [], [], [])
    assert data["article"]["triggers"][0]["claims"][0]["sources"] == []  # the article cites none for dehydration
    assert data["article"]["criteria"] == []
    assert [c["id"] for c in data["article"]["watchFor"]] == [  # no escalation: the three criteria to watch for
        "criterion-persistent-or-worsening", "criterion-other-symptoms", "criterion-multiple-muscle-groups"]


def test_api_options(client, openapi):
    data = client.get("/api/check/options").get_json()
    assert list(validator(openapi, "Options").iter_errors(data)) == []
    assert [o["id"] for o in data["features"]][:2] == ["persistent-twitching", "worsening-twitching"]
    assert data["conditions"][1] == {"id": "als", "iri": TW + "als", "label": "amyotrophic lateral sclerosis",
                                     "exampleOf": {"id": "neurological-disorders", "iri": TW + "neurological-disorders",
                                                   "label": "neurological disorders"}}
    assert client.get("/check", headers={"Accept": "application/json"}).get_json() == data


def test_the_openapi_description_is_valid_and_served(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    spec = response.get_json()
    validate_openapi(spec)
    assert spec["openapi"] == "3.1.0"
    assert set(spec["paths"]) == {"/api/check", "/api/check/options", "/check", "/api/openapi.json", "/api/complete",
                                  *(f"/queries/{name}" for name in SAVED_QUERIES)}
    assert response.headers["Access-Control-Allow-Origin"] == "*"


def test_every_request_example_of_the_description_is_answered(client, openapi):
    examples = openapi["paths"]["/api/check"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    escalated = {name: client.post("/api/check", json=e["value"]).get_json()["escalated"]
                 for name, e in examples.items()}
    assert escalated == {"red-flag": True, "diagnosed": True, "other-symptom": True, "no-flag": False}


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize("body, message", [
    ({"features": ["twitchy"]}, "unknown feature 'twitchy'; valid features: persistent-twitching (persistent), "),
    ({"triggers": ["coffee"]}, "unknown trigger 'coffee'; valid triggers: lack-of-sleep (lack of sleep), "),
    ({"condition": "flu"},
     "unknown condition 'flu'; valid conditions: neurological-disorders (neurological disorders), "),
    ({"features": ["with"]}, "ambiguous feature 'with': it could be with-weakness, with-numbness, with-pain; "),
    ({"features": "persistent"}, "features: 'persistent' is not of type 'array'"),
    ({"features": [1]}, "features/0: 1 is not of type 'string'"),
    ({"condition": ["als"]}, "condition: ['als'] is not of type 'string', 'null'"),
    ({"symptom": []}, "body: Additional properties are not allowed ('symptom' was unexpected)"),
    ({}, ('nothing to check: enter at least one feature, symptom, trigger or condition (the fields: "features", '
          '"symptoms", "triggers", "condition")')),
    ({"features": [], "symptoms": [" "]}, "nothing to check: "),
    ({"symptoms": ["x" * 101]}, "symptoms/0: 'xxxxxxxxxx"),
    ({"symptoms": ["a", "b", "c", "d", "e", "f"]}, "symptoms: ['a', 'b', 'c', 'd', 'e', 'f'] is too long"),
    ([], "body: [] is not of type 'object'"),
    ("persistent", "body: 'persistent' is not of type 'object'"),
])
def test_api_bad_input_is_400_naming_the_value(client, openapi, body, message):
    response = client.post("/api/check", data=json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and response.mimetype == "application/json"
    data = response.get_json()
    assert list(validator(openapi, "Problem").iter_errors(data)) == []
    assert data["error"] == "Bad Request" and data["status"] == 400
    assert data["message"].startswith(message)


def test_api_malformed_json_and_wrong_media_type(client):
    malformed = client.post("/api/check", data='{"features": [', content_type="application/json")
    assert malformed.status_code == 400
    assert malformed.get_json()["message"].startswith("The body is not valid JSON: Expecting value: line 1 column 15")
    form = client.post("/api/check", data={"features": "persistent"})
    assert form.status_code == 415
    assert form.get_json()["error"] == "Unsupported Media Type"
    assert client.get("/api/check").status_code == 405


def test_page_bad_input_is_400_showing_the_form_and_the_message(client):
    response = client.get("/check?feature=twitchy&trigger=caffeine-and-stimulants")
    assert response.status_code == 400 and response.mimetype == "text/html"
    page = response.get_data(as_text=True)
    assert text_of(page, "check-error").startswith(
        "unknown feature 'twitchy'; valid features: persistent-twitching (persistent), worsening-twitching (worsening)")
    assert 'name="trigger" value="caffeine-and-stimulants" checked' in page  # what was valid stays ticked


@pytest.mark.parametrize("query, message", [
    ("condition=als&condition=dystonia", "give at most one condition, not 2: 'als', 'dystonia'"),
    ("trigger=ALS", "unknown trigger 'ALS'; valid triggers: "),
])
def test_page_bad_input_as_json_and_as_twin(client, query, message):
    as_json = client.get(f"/check?{query}", headers={"Accept": "application/json"})
    assert as_json.status_code == 400 and as_json.get_json()["message"].startswith(message)
    twin = client.get(f"/check.json?{query}")
    assert twin.status_code == 400 and twin.mimetype == "text/plain"
    assert twin.get_data(as_text=True).startswith(f"400 Bad Request: {message}")


def test_not_acceptable(client):
    response = client.get(RED_FLAG, headers={"Accept": "text/csv"})
    assert response.status_code == 406


def test_a_typed_symptom_on_the_web_escalates_and_is_never_echoed_unescaped(client, openapi):
    url = "/check?symptom=difficulty+swallowing&symptom=%3Cscript%3Ex%3C%2Fscript%3E"
    page = client.get(url).get_data(as_text=True)
    assert 'data-escalated="true"' in page
    assert text_of(page, "verdict").startswith("The reasoner concluded: consult a doctor")
    assert "<script>x</script>" not in page and "&lt;script&gt;x&lt;/script&gt;" in page
    assert 'value="difficulty swallowing"' in page  # the form keeps what was typed
    criteria = text_of(page, "criteria")
    assert "You entered: difficulty swallowing, <script>x</script>" in criteria  # text_of unescapes
    data = client.get("/check.json?symptom=difficulty+swallowing").get_json()
    assert list(validator(openapi, "CheckAnswer").iter_errors(data)) == []
    assert data["presentation"]["symptoms"] == ["difficulty swallowing"]
    assert data["links"]["permalink"] == "/check?symptom=difficulty+swallowing"


@pytest.mark.parametrize("query, message", [
    ("feature=&trigger=", "nothing to check: enter at least one feature, symptom, trigger or condition"),
    ("symptom=" + "x" * 101, "a symptom may be at most 100 characters long, not 101"),
])
def test_an_empty_or_oversized_check_shows_the_form_with_a_message(client, query, message):
    response = client.get(f"/check?{query}")
    assert response.status_code == 400 and 'id="check-form"' in response.get_data(as_text=True)
    assert text_of(response.get_data(as_text=True), "check-error").startswith(message)


@pytest.mark.parametrize("body, status, message", [
    ('{"features": ' + "[" * 5000 + "]" * 5000 + "}", 400,
     "The body nests arrays or objects more than 8 deep; a check needs 2."),
    ('{"features": [' + ",".join(["1"] * 100_000) + "]}", 413, "A check's body is at most 16384 bytes."),
    ('{"symptoms": ["[[[[[[[[[[[[[[[[[[[["]}', 200, None),  # brackets inside a string are text
])
def test_an_oversized_or_deep_body_is_refused_before_it_is_parsed(client, body, status, message):
    """Issue 12: JSON nested 5,000 deep was a 500 (RecursionError), and a 660 KB array was validated
    item by item before its length was checked."""
    response = client.post("/api/check", data=body, content_type="application/json")
    assert response.status_code == status
    if message:
        assert response.get_json()["message"] == message
    else:
        assert response.get_json()["presentation"]["symptoms"] == ["[[[[[[[[[[[[[[[[[[[["]
