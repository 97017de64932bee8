"""The article view: /article (the text beside the graph), /article.json and /article/annotations.jsonld."""

from __future__ import annotations

import json

from flask import Blueprint, Response, render_template, url_for

from ..pages.article import ArticleUnavailable, Claim, article_view
from ..pages.article_data import ANNO_MEDIA_TYPE, annotation_collection, as_json, coverage
from ..urls import public_url
from .errors import problem

bp = Blueprint("article", __name__)


@bp.errorhandler(ArticleUnavailable)
def _unavailable(exc: ArticleUnavailable):
    return problem(503, "No article to show", f"The article view is not available: {exc}.")


def _place(claim: Claim) -> str:
    return url_for("article.page", _anchor=claim.slug)


@bp.get("/article")
def page():
    article = article_view()
    return render_template("article.html", article=article, coverage=coverage(article))


def _json(document: dict, media_type: str) -> Response:
    response = Response(json.dumps(document, ensure_ascii=False, indent=1) + "\n", mimetype="application/json")
    response.headers["Content-Type"] = media_type
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/article.json")
def data():
    article = article_view()
    return _json(as_json(article, _place), "application/json")


@bp.get("/article/annotations.jsonld")
def web_annotations():
    article = article_view()
    return _json(annotation_collection(article, public_url("article.web_annotations")), ANNO_MEDIA_TYPE)
