"""Saved queries from queries/*.rq."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("queries", __name__)


@bp.get("/queries")
def index():
    return "saved queries: not yet", 501
