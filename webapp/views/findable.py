"""What crawlers read: ``/robots.txt`` and ``/sitemap.xml`` (every page type's entry page, every entity
page and every saved query), with absolute URLs under the public base URL, never the Host header."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pyoxigraph as ox
from flask import Blueprint, Response

from ..pages import SPARQL
from ..pages.entity import valid_slug
from ..pages.exports import served_since
from ..state import state
from ..urls import public_url

bp = Blueprint("findable", __name__)

#: A sitemap lists at most this many URLs (the sitemaps.org protocol's limit).
MAX_URLS = 50_000
#: The site's own pages, by endpoint.
PAGES = ("site.home", "queries.index", "site.ontology", "downloads.index", "checker.form", "api.page",
         "sparql.endpoint")
#: Where crawlers are not sent: answers computed per request from parameters without end. (The downloads
#: stay open: the Dataset markup points dataset search engines at them, and they are made once.)
DISALLOWED = ("/sparql?", "/search", "/check?", "/api/check")


@bp.get("/robots.txt")
def robots():
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in DISALLOWED), "",
             f"Sitemap: {public_url('findable.sitemap')}", ""]
    return Response("\n".join(lines), mimetype="text/plain")


def _entity_slugs() -> list[str]:
    app_state = state()
    namespace = str(app_state.store.vocab.entity_ns)
    rows = SPARQL.run(app_state.store, "sitemap-entities", namespace=ox.Literal(namespace)).rows
    slugs = (row["entity"].value[len(namespace):] for row in rows)
    return [slug for slug in slugs if valid_slug(slug)]


def _urls() -> list[str]:
    urls = [public_url(endpoint) for endpoint in PAGES]
    urls += [public_url("queries.query", name=name) for name in state().saved_queries]
    urls += [public_url("entities.describe", slug=slug) for slug in _entity_slugs()]
    return urls[:MAX_URLS]


@bp.get("/sitemap.xml")
def sitemap():
    def make() -> bytes:
        modified = served_since().date().isoformat()
        entries = "".join(f"<url><loc>{escape(url)}</loc><lastmod>{modified}</lastmod></url>\n" for url in _urls())
        return ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                f"{entries}</urlset>\n").encode()

    body = state().cache.once(("sitemap", public_url("site.home")), make)
    return Response(body, mimetype="application/xml")
