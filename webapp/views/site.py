"""Home page (the whole picture at a glance, with its diagram), ontology page, label search."""

from __future__ import annotations

import pyoxigraph as ox
from flask import Blueprint, Response, jsonify, render_template, request

from ..completion import search as close_matches
from ..completion import vocabulary
from ..pages import SPARQL
from ..pages.overview import overview
from ..state import state
from . import ontology as ontology_view
from .downloads import dataset_jsonld
from .errors import problem

bp = Blueprint("site", __name__)

#: The longest search text we accept.
MAX_QUERY = 100


@bp.get("/")
def home():
    return render_template("home.html", overview=overview(), jsonld=dataset_jsonld())


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


def _search(text: str) -> tuple[list[dict], bool]:
    """(the entities whose label or alternative label contains ``text``, each once, best first, with
    their type and definition; whether they are only close matches): when no label contains the
    text, the labels close to it (typo-tolerant: "twiching" finds "twitching")."""
    app_state = state()
    vocab = vocabulary(app_state)
    found: dict[str, dict] = {}
    for row in SPARQL.run(app_state.store, "entity-search", q=ox.Literal(text)).rows:
        found.setdefault(row["entity"].value, {"entity": row["entity"], "match": row["match"].value,
                                               "label": row["label"].value if "label" in row else ""})
    close = not found
    if close:
        for suggestion in close_matches(vocab, text):
            found[suggestion.iri] = {"entity": ox.NamedNode(suggestion.iri), "match": suggestion.label,
                                     "label": suggestion.label}
    for iri, result in found.items():
        about = vocab.about(iri)
        result["definition"] = about.definition
        result["type"] = ", ".join(app_state.label(t) for t in about.types)
    return list(found.values()), close


@bp.get("/search")
@bp.get("/search.json", endpoint="search_json")
def search():
    """The search page, and its twin as JSON at /search.json (``close``: only close matches were found)."""
    text = request.args.get("q", "").strip()
    if len(text) > MAX_QUERY:
        return problem(400, "Search text too long",
                       f"Search for at most {MAX_QUERY} characters (you sent {len(text)}).")
    results, close = _search(text) if text else ([], False)
    if not request.path.endswith(".json"):
        return render_template("search.html", q=text, results=results, close=close)
    app_state = state()
    return jsonify({"q": text, "close": close, "results": [
        {"iri": r["entity"].value, "label": r["label"] or app_state.label(r["entity"].value), "match": r["match"],
         "type": r["type"], "definition": r["definition"], "href": app_state.local_path(r["entity"].value)}
        for r in results]})
