"""Home page, ontology page, label search."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("site", __name__)


@bp.get("/")
def home():
    return render_template("home.html")


@bp.get("/ontology")
def ontology():
    return render_template("ontology.html")


@bp.get("/search")
def search():
    return render_template("search.html", results=[])
