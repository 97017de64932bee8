"""Linked-data entity pages at /id/<slug>, and our graph IRIs at /graph/<name>.

Every IRI we mint dereferences: a browser gets a page, an RDF client the entity's description
(Turtle, JSON-LD, N-Triples, RDF/XML) at the same IRI by content negotiation (``Vary: Accept``);
a suffix (``/id/als.ttl``) forces a format, and ``Link`` headers advertise the alternates.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
from flask import Blueprint, Response, redirect, render_template, url_for

from kg import jsonld
from kg.formats import DATASET_FORMATS, GRAPH_FORMATS, Format, by_extension
from kg.namespaces import ALL_GRAPH_NAMES
from kg.query.results import QueryResult

from ..negotiation import HTML, alternates, best, offered_list
from ..pages import entity, schemaorg
from ..pages.ontology import ontology_page
from ..pages.shapes import shape_anchor
from ..state import state
from ..urls import public_url
from . import ontology as ontology_view
from .errors import problem

bp = Blueprint("entities", __name__)

#: An entity's RDF: its triples (the graphs merged), or its quads (TriG, N-Quads: which graph says what,
#: so the asserted/inferred split travels with it).
ENTITY_FORMATS = GRAPH_FORMATS + DATASET_FORMATS


def _alternates(slug: str, served: Format | str) -> str:
    """``Link`` header: the entity's other representations."""
    return alternates(lambda f: url_for("entities.describe", slug=f"{slug}.{f.extension}" if f else slug),
                      ENTITY_FORMATS, served)


def _resolve(slug: str) -> tuple[str, str, Format | None] | None:
    """(slug, IRI, forced format) of a slug naming an entity, with or without a format suffix."""
    app_state = state()
    namespace = str(app_state.store.vocab.entity_ns)
    if entity.kind(app_state.store, namespace + slug).exists:
        return slug, namespace + slug, None
    stem, dot, extension = slug.rpartition(".")
    fmt = by_extension(ENTITY_FORMATS, extension) if dot and stem else None
    if fmt is not None and entity.kind(app_state.store, namespace + stem).exists:
        return stem, namespace + stem, fmt
    return None


def _rdf(iri: str, fmt: Format) -> Response:
    app_state = state()
    if fmt in DATASET_FORMATS:
        body = entity.dataset_description(app_state.store, iri, fmt, app_state.prefixes)
        return Response(body, mimetype=fmt.media_type)
    triples = entity.description(app_state.store, iri)
    if fmt.rdf_format == ox.RdfFormat.JSON_LD:  # compact, against the published context
        body = jsonld.compact(triples, app_state.prefixes, jsonld.context_url(app_state.base_iri))
        return Response(body, mimetype=fmt.media_type)
    return Response(QueryResult("graph", triples=triples).serialize(fmt, app_state.prefixes), mimetype=fmt.media_type)


@bp.get("/" + jsonld.CONTEXT_PATH)
def context():
    """The JSON-LD context an entity's compact JSON-LD names (its prefixes)."""
    response = Response(json.dumps(jsonld.context(state().prefixes), indent=2) + "\n", mimetype="application/ld+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.cache_control.max_age = 3600
    return response


@bp.get("/id/<path:slug>")
def describe(slug: str):
    if not entity.valid_slug(slug):
        return problem(400, "Bad entity name",
                       "An entity name is 1 to 200 letters, digits, '-', '_', '.' or '~' "
                       "(starting with a letter or digit), as in /id/dehydration.")
    found = _resolve(slug)
    shape = shape_anchor(str(state().store.vocab.entity_ns) + slug) if found is None else None
    if shape is not None:  # a SHACL shape: the shapes are a graph of their own, documented at /shapes
        return redirect(url_for("shapes.index") + f"#{shape}", code=303)
    if found is None:
        return problem(404, "No such entity",
                       f"Nothing in the graph is called {slug!r}. Search the labels at /search, "
                       "or browse the classes and properties at /ontology.")
    stem, iri, forced = found
    namespace = str(state().store.vocab.entity_ns)
    replaced_by = entity.replacement(state().store, iri)
    if replaced_by and replaced_by.startswith(namespace) and entity.valid_slug(replaced_by[len(namespace):]):
        # a term renamed in a later version of the ontology: its IRI keeps working, permanently moved
        new = replaced_by[len(namespace):] + (f".{forced.extension}" if forced else "")
        return redirect(url_for("entities.describe", slug=new), code=301)
    if iri in ontology_view.iris():  # the ontology's IRI or version IRI: the whole ontology
        return ontology_view.ONTOLOGY.respond(forced, page_here=False)
    choice = forced or best(ENTITY_FORMATS, html=True)
    if choice is None:
        return problem(406, "Not Acceptable",
                       f"This entity is available as {HTML}, {offered_list(ENTITY_FORMATS)}.",
                       {"Vary": "Accept", "Link": _alternates(stem, HTML)})
    if not isinstance(choice, Format):  # HTML
        app_state = state()
        page = entity.page(app_state, iri, entity.kind(app_state.store, iri))
        jsonld = schemaorg.medical_entity(app_state, page, public_url("entities.describe", slug=stem))
        response = Response(render_template("entity.html", page=page, slug=stem, formats=ENTITY_FORMATS,
                                            jsonld=jsonld, documented=ontology_page().by_iri.get(iri)))
    else:
        response = _rdf(iri, choice)
        if forced is None:
            response.headers["Content-Location"] = url_for("entities.describe", slug=f"{stem}.{choice.extension}")
    response.headers["Link"] = _alternates(stem, choice)
    if forced is None:
        response.vary.add("Accept")
    return response


@bp.get("/graph/<name>")
def graph(name: str):
    """A named graph's IRI: 303 See Other to its download (Turtle unless Accept asks otherwise)."""
    if name not in ALL_GRAPH_NAMES:  # the named-only graphs (justifications, shapes) too
        return problem(404, "No such graph", f"The named graphs are: {', '.join(ALL_GRAPH_NAMES)}.")
    fmt = best(GRAPH_FORMATS + DATASET_FORMATS) or GRAPH_FORMATS[0]
    response = redirect(url_for("downloads.export", filename=f"{name}.{fmt.extension}"), code=303)
    response.vary.add("Accept")
    return response
