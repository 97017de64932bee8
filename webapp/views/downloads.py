"""Downloads of the graphs, and the VoID description."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("downloads", __name__)


@bp.get("/downloads")
def index():
    return "downloads: not yet", 501


@bp.get("/.well-known/void")
def void():
    return "void: not yet", 501
