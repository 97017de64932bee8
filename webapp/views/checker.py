"""The presentation checker: "should I see a doctor?" as a form, a permalink answer page, a JSON API.

GET /check shows the form; with ``feature``, ``symptom``, ``trigger`` or ``condition`` parameters it is the
answer (HTML, or JSON for ``Accept: application/json`` and at /check.json). POST /api/check takes
the same as a JSON body. The decision is the reasoner's (kg.checker); this module only speaks HTTP.
"""

from __future__ import annotations

import json
from functools import lru_cache

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from jsonschema import Draft202012Validator
from jsonschema.exceptions import best_match

from kg.checker import INPUTS, MAX_SYMPTOM_LENGTH, MAX_SYMPTOMS, Answer, Checker, RejectedInput
from kg.formats import Format

from ..negotiation import HTML, best
from ..pages.api import checker_part
from ..state import state
from ..urls import query_values
from .errors import problem

bp = Blueprint("checker", __name__)

JSON = Format("json", "application/json", "json")
#: A check's JSON body: far more than any real one (a few hundred bytes), small enough that reading,
#: parsing and validating it costs the server next to nothing.
MAX_BODY = 16 * 1024
MAX_DEPTH = 8


def checker() -> Checker:
    """The app's checker, read from its store on first use (and again after a new build: webapp/freshness.py)."""
    app_state = state()
    return app_state.cache.once(("checker",), lambda: Checker.from_store(app_state.store))


@lru_cache(maxsize=1)
def _components() -> dict:
    """The OpenAPI document's ``components`` (its schemas)."""
    return checker_part()["components"]


@lru_cache(maxsize=1)
def _request_validator() -> Draft202012Validator:
    return Draft202012Validator({"$ref": "#/components/schemas/CheckRequest", "components": _components()})


def _request_fields() -> list[str]:
    return list(_components()["schemas"]["CheckRequest"]["properties"])


def _answer_json(answer: Answer) -> dict:
    permalink = url_for("checker.form", **query_values(answer.presentation.query_args()))
    return {**answer.to_json(), "links": {"permalink": permalink}}


def _bad_request(message: str):
    return problem(400, "Bad Request", message)


# ---------------------------------------------------------------- the form and the answer page


def _selected(args) -> dict[str, list[str]]:
    return {kind: args.getlist(kind) for kind in INPUTS}


def _form_page(status: int = 200, error: str | None = None):
    return render_template("check.html", options=checker().options, selected=_selected(request.args),
                           error=error, **_limits()), status


def _limits() -> dict:
    return {"max_symptoms": MAX_SYMPTOMS, "max_symptom_length": MAX_SYMPTOM_LENGTH}


@bp.get("/check")
@bp.get("/check.json", endpoint="form_json")
def form():
    fmt = JSON if request.endpoint == "checker.form_json" else best((JSON,), html=True)
    if fmt is None:
        return problem(406, "Not Acceptable", "The checker answers text/html or application/json.")
    if not any(kind in request.args for kind in INPUTS):
        response = jsonify(checker().options_json()) if fmt is JSON else _form_page()
    else:
        response = _answer(fmt)
    response = current_app.make_response(response)
    response.vary.add("Accept")
    return response


def _reject(fmt, message: str):
    if fmt == HTML:
        return _form_page(400, message)
    return problem(400, "Bad Request", message, plain=request.endpoint == "checker.form_json")


def _answer(fmt):
    conditions = [c for c in request.args.getlist("condition") if c]
    if len(conditions) > 1:
        return _reject(fmt, f"give at most one condition, not {len(conditions)}: {', '.join(map(repr, conditions))}")
    try:
        presentation = checker().presentation(
            request.args.getlist("feature"), request.args.getlist("trigger"), conditions[0] if conditions else None,
            request.args.getlist("symptom"))
    except RejectedInput as exc:
        return _reject(fmt, str(exc))
    answer = checker().check(presentation)
    if fmt is JSON:
        return jsonify(_answer_json(answer))
    return render_template("check_answer.html", answer=answer, options=checker().options,
                           selected=presentation.query_args(), **_limits(),
                           permalink=url_for("checker.form", **query_values(presentation.query_args())))


# ---------------------------------------------------------------- the JSON API


@bp.post("/api/check")
def api_check():
    if not request.is_json:
        return problem(415, "Unsupported Media Type",
                       'Send the presentation as application/json, e.g. {"features": ["persistent-twitching"]}.')
    if request.content_length is not None and request.content_length > MAX_BODY:
        return problem(413, "Payload Too Large", f"A check's body is at most {MAX_BODY} bytes.")
    raw = request.stream.read(MAX_BODY + 1)
    if len(raw) > MAX_BODY:
        return problem(413, "Payload Too Large", f"A check's body is at most {MAX_BODY} bytes.")
    if _depth(raw) > MAX_DEPTH:
        return _bad_request(f"The body nests arrays or objects more than {MAX_DEPTH} deep; a check needs 2.")
    try:
        body = json.loads(raw)
    except ValueError as exc:
        return _bad_request(f"The body is not valid JSON: {str(exc)[:200]}")
    error = best_match(_request_validator().iter_errors(body))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "body"
        return _bad_request(f"{where}: {error.message} (see /api/openapi.json, schema CheckRequest)")
    try:
        presentation = checker().presentation(body.get("features", []), body.get("triggers", []),
                                              body.get("condition") or None, body.get("symptoms", []))
    except RejectedInput as exc:
        fields = ", ".join(f'"{name}"' for name in _request_fields())
        return _bad_request(f"{exc} (the fields: {fields})" if exc.__class__ is RejectedInput else str(exc))
    return jsonify(_answer_json(checker().check(presentation)))


def _depth(raw: bytes) -> int:
    """How deep the JSON text nests brackets (outside strings), found without parsing it."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in raw:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:  # quote
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):  # [ {
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):  # ] }
            depth -= 1
    return deepest


@bp.get("/api/check/options")
def api_options():
    return jsonify(checker().options_json())
