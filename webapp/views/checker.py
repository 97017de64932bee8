"""The presentation checker: "should I see a doctor?"."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("checker", __name__)


@bp.get("/check")
def form():
    return "checker: not yet", 501
