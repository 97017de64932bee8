"""The API: its OpenAPI description (``/api/openapi.json``: the checker and one path per saved query)
and a page that reads it (``/api``, server-rendered: no script, nothing fetched)."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template

from ..pages.api import SAVED_TAG, document, operations
from ..state import state
from ..urls import public_url

bp = Blueprint("api", __name__)


def openapi_document() -> dict:
    """The OpenAPI document, made once per served build (enumerated values come from the graph)."""
    app_state = state()
    server = public_url("site.home")
    return app_state.cache.once(("openapi", server), lambda: document(
        app_state.saved_queries.values(), app_state.choices, app_state.prefixes, server))


@bp.get("/api/openapi.json")
def openapi():
    # in the document's own order (jsonify would sort the keys: paths, media types, fields), written once
    body = state().cache.once(("openapi.json", public_url("site.home")),
                              lambda: json.dumps(openapi_document(), ensure_ascii=False, indent=1).encode("utf-8"))
    response = Response(body, mimetype="application/json")
    response.cache_control.max_age = 300
    return response


@bp.get("/api")
def page():
    doc = openapi_document()
    found = operations(doc)
    groups = [("The presentation checker", [op for op in found if op.page is None]),
              ("Saved queries", [op for op in found if op.page is not None])]
    return render_template("api.html", doc=doc, groups=groups, saved_tag=SAVED_TAG)
