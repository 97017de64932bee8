"""Jinja filters that render graph terms safely: only http(s) IRIs ever become links."""

from __future__ import annotations

from urllib.parse import urlsplit

import pyoxigraph as ox
from flask import Flask
from markupsafe import Markup

from .pages.article import anchor_of
from .state import state


def is_web_iri(iri: str) -> bool:
    """True only for http and https IRIs; javascript:, data: and the rest stay text."""
    try:
        return urlsplit(iri).scheme.lower() in ("http", "https")
    except ValueError:
        return False


def href(iri: str) -> str | None:
    """Where a link to ``iri`` should go: our page for our IRIs, the IRI itself if web, else None."""
    local = state().local_path(iri)
    if local is not None:
        return local
    return iri if is_web_iri(iri) else None


def link_rel(url: str | None) -> Markup:
    """` rel="noopener noreferrer external"` for a link that leaves the site, nothing for ours."""
    if url and is_web_iri(url):
        return Markup(' rel="noopener noreferrer external"')
    return Markup("")


def is_external(iri: str) -> bool:
    return state().local_path(iri) is None


def term_label(term) -> str:
    if isinstance(term, ox.NamedNode):
        return state().label(term.value)
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return term.value
    if isinstance(term, str):
        return state().label(term)
    return str(term)


def in_article(iri) -> str | None:
    """Where the article view shows a claim (``/article#<slug>``), or None for anything else."""
    return anchor_of(iri.value if isinstance(iri, ox.NamedNode) else str(iri))


def register(app: Flask) -> None:
    app.jinja_env.filters["href"] = href
    app.jinja_env.filters["label"] = term_label
    app.jinja_env.filters["is_external"] = is_external
    app.jinja_env.filters["rel"] = link_rel
    app.jinja_env.filters["in_article"] = in_article
    app.jinja_env.tests["iri"] = lambda t: isinstance(t, ox.NamedNode)
    app.jinja_env.tests["literal"] = lambda t: isinstance(t, ox.Literal)
    app.jinja_env.globals["kg_state"] = state
    app.jinja_env.globals["disclaimer_text"] = lambda: state().disclaimer
