"""``GET /api/complete``: what to offer while a query (or a search) is typed, as JSON, read-only.

``token`` is the text being completed (``tw:Ca``), ``before`` the query text before it (its place
and its subject's classes come from there: ``?x a tw:Cause ;`` offers the properties causes have).
``kind`` (prefix, class, property, entity) overrides the place (the header search asks for entities).
``limit`` caps the suggestions (default 20). Each suggestion has the text to insert, the IRI, its
label, definition, type and ``href`` (its page here, or null). The vocabulary is read once per
build (``webapp/completion.py``).
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from kg.query.context import place

from ..completion import KINDS, MAX_SUGGESTIONS, suggest, vocabulary
from ..state import state
from .errors import problem

bp = Blueprint("completion", __name__)

#: The longest token, and the most query text before it, read (the client sends the end of a longer text).
MAX_TOKEN = 200
MAX_BEFORE = 20_000
#: Seconds a client (or a cache between) may keep an answer: the graph changes only with a build.
MAX_AGE = 300


@bp.get("/api/complete")
def complete():
    token = request.args.get("token", "")
    before = request.args.get("before", "")
    if len(token) > MAX_TOKEN:
        return problem(400, "Token too long", f"Complete at most {MAX_TOKEN} characters (you sent {len(token)}).")
    if len(before) > MAX_BEFORE:
        return problem(400, "Context too long", f"Send at most the last {MAX_BEFORE:,} characters of the query "
                                                f"before the token (you sent {len(before):,}).")
    limit = request.args.get("limit", "20").strip()
    if not limit.isdigit() or not 1 <= int(limit) <= MAX_SUGGESTIONS:
        return problem(400, "Bad limit", f"limit={limit[:20]!r}: give a whole number from 1 to {MAX_SUGGESTIONS}.")
    asked = request.args.get("kind", "").strip() or None
    if asked is not None and asked not in KINDS:
        return problem(400, "Bad kind", f"kind={asked[:20]!r}: give one of {', '.join(KINDS)} (or none: the "
                                        "place in the query decides).")
    where = place(before)
    app_state = state()
    kind, found = suggest(vocabulary(app_state), where, token.strip(), int(limit), asked)
    response = jsonify({"token": token, "kind": kind, "subjectClasses": where.subject_classes,
                        "suggestions": [{**s.json(), "href": app_state.local_path(s.iri)} for s in found]})
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response
