"""The SHACL shapes (/shapes) and this build's validation report (/validation): each a page for a
browser and RDF for an RDF client (``documents.py``); a shape's IRI (``/id/LabelledShape``) is sent
to its anchor on /shapes (``entities.py``)."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, render_template
from rdflib import Graph

from kg.formats import GRAPH_FORMATS, Format
from kg.query.results import QueryResult

from ..pages import shapes as model
from ..state import state
from .documents import Document, serialised

bp = Blueprint("shapes", __name__)

#: How the page names each RDF format.
FORMAT_NAMES = {"turtle": "Turtle", "nt": "N-Triples", "jsonld": "JSON-LD", "xml": "RDF/XML"}


def _serialised(key: str, graph_of: Callable[[], Graph]) -> Callable[[Format], bytes]:
    """The graph ``graph_of()`` in a format, serialised once per served build."""
    def make(fmt: Format) -> bytes:
        return serialised(key, fmt, lambda: QueryResult("graph", triples=model.as_triples(graph_of()))
                          .serialize(fmt, {**state().prefixes, "sh": str(model.SH)}))
    return make


SHAPES = Document(
    "The SHACL shapes", "shapes.index",
    page=lambda: render_template("shapes.html", page=model.shapes_page(), formats=GRAPH_FORMATS,
                                 format_names=FORMAT_NAMES, named_graph=state().store.graph_iris["shapes"]),
    rdf=_serialised("shapes", model.shapes_graph),
)

VALIDATION = Document(
    "The validation report", "shapes.validation",
    page=lambda: render_template("validation.html", report=model.validation(), formats=GRAPH_FORMATS,
                                 format_names=FORMAT_NAMES),
    rdf=_serialised("validation", lambda: model.validation().report),
)


@bp.get("/shapes")
def index():
    return SHAPES.respond()


@bp.get("/shapes.<extension>")
def index_as(extension: str):
    return SHAPES.by_suffix(extension)


@bp.get("/validation")
def validation():
    return VALIDATION.respond()


@bp.get("/validation.<extension>")
def validation_as(extension: str):
    return VALIDATION.by_suffix(extension)
