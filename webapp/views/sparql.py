"""The SPARQL 1.1 Protocol endpoint, read-only."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("sparql", __name__)


@bp.route("/sparql", methods=["GET", "POST"])
def endpoint():
    return "SPARQL endpoint: not yet", 501
