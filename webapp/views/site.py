"""Home page (the whole picture at a glance, with its diagram), ontology page, label search."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from ..pages import SPARQL
from ..pages.overview import overview
from ..state import state
from . import ontology as ontology_view
from .errors import problem

bp = Blueprint("site", __name__)

#: The longest search text we accept.
MAX_QUERY = 100


@bp.get("/")
def home():
    return render_template("home.html", overview=overview())


@bp.get("/diagram.svg")
def diagram():
    picture = overview().picture
    if picture is None:
        return problem(404, "No diagram", "The graph holds no causes to draw.")
    return Response(render_template("partials/diagram.svg", picture=picture), mimetype="image/svg+xml")


@bp.get("/<name>.txt")
def text(name: str):
    """A text the graph's selectors select from (``/article.txt``), byte for byte: every
    ``oa:hasSource`` of the data is the base IRI plus such a file's name."""
    found = {path.name: path for path in state().settings.text_files}.get(f"{name}.txt")
    if found is None:
        return problem(404, "Not Found", f"There is no text {name[:80]!r}.txt here; the texts are: "
                       + ", ".join("/" + n for n in sorted(p.name for p in state().settings.text_files)))
    response = Response(found.read_bytes(), mimetype="text/plain")
    response.headers["Content-Type"] = "text/plain; charset=utf-8"
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.add_etag()
    return response.make_conditional(request)


@bp.get("/ontology")
def ontology():
    """The ontology's documentation for a browser, the ontology itself for an RDF client."""
    return ontology_view.ONTOLOGY.respond()


@bp.get("/ontology.<extension>")
def ontology_as(extension: str):
    return ontology_view.ONTOLOGY.by_suffix(extension)


def _search(text: str) -> list[dict]:
    """Entities whose label or alternative label contains ``text``, each once, best first."""
    found: dict[ox.NamedNode, dict] = {}
    for row in SPARQL.run(state().store, "entity-search", q=ox.Literal(text)).rows:
        found.setdefault(row["entity"], {"entity": row["entity"], "match": row["match"].value,
                                         "label": row["label"].value if "label" in row else ""})
    return list(found.values())


@bp.get("/search")
def search():
    text = request.args.get("q", "").strip()
    if len(text) > MAX_QUERY:
        return problem(400, "Search text too long",
                       f"Search for at most {MAX_QUERY} characters (you sent {len(text)}).")
    results = _search(text) if text else []
    return render_template("search.html", q=text, results=results)
