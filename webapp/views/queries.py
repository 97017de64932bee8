"""Saved queries from queries/*.rq, Datasette style: a page per query and its twins.

``/queries`` lists them (``/queries.json`` too). ``/queries/<name>`` shows the query,
a GET form for its parameters (so the URL is a permalink) and its answer; the same
answer comes as ``/queries/<name>.json|.xml|.csv|.tsv`` for SELECT and ASK, and
``.ttl|.nt|.jsonld|.rdf`` for CONSTRUCT and DESCRIBE. Parameters are bound by
substitution, never pasted into the SPARQL.
"""

from __future__ import annotations

import shlex
from dataclasses import asdict

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from kg.formats import GRAPH_FORMATS, RESULT_FORMATS, Format
from kg.query.errors import NotSerializable
from kg.query.saved import ParameterError, SavedQuery
from kg.terms import display

from ..negotiation import HTML, best, offered_list
from ..pages import SPARQL
from ..state import state
from ..statuses import http_error
from ..urls import query_values
from .errors import problem

bp = Blueprint("queries", __name__)


def twins(saved: SavedQuery) -> dict[str, Format]:
    """The machine-readable twins of a query's page, by file extension."""
    return saved.formats


def _twin_urls(saved: SavedQuery, args: dict[str, str]) -> dict[str, str]:
    return {ext: url_for("queries.query", name=f"{saved.name}.{ext}", **query_values(args)) for ext in twins(saved)}


def _describe(saved: SavedQuery) -> dict:
    return {
        "name": saved.name,
        "summary": saved.summary,
        "description": saved.description,
        "tags": list(saved.tags),
        "kind": saved.kind,
        "parameters": [asdict(p) for p in saved.parameters],
        "url": url_for("queries.query", name=saved.name),
        "formats": [
            {"extension": ext, "media_type": fmt.media_type,
             "url": url_for("queries.query", name=f"{saved.name}.{ext}")}
            for ext, fmt in twins(saved).items()
        ],
    }


@bp.get("/queries")
def index():
    return render_template("queries.html", queries=list(state().saved_queries.values()), twin_urls=_twin_urls)


@bp.get("/queries.json")
def index_json():
    return jsonify([_describe(q) for q in state().saved_queries.values()])


def _values() -> dict[str, str]:
    """The parameter values of the request; a parameter given twice is an error."""
    values = {}
    for key in request.args:
        given = request.args.getlist(key)
        if len(given) > 1:
            raise ParameterError(f"parameter {key!r} is given {len(given)} times; give it once")
        values[key] = given[0]
    return values


def _run(saved: SavedQuery):
    """(bindings, result) of the saved query for the request's parameters; an enumerated parameter's
    value must be one of the graph's."""
    app_state = state()
    bound = saved.bindings(_values(), app_state.prefixes, app_state.choices(saved))
    result = app_state.store.query(
        saved.sparql, substitutions=bound or None, row_limit=current_app.config["ROW_LIMIT"]
    )
    return bound, result


def _wrong_twin(saved: SavedQuery, ext: str):
    offered = ", ".join("." + e for e in twins(saved))
    kind = saved.kind.upper()
    other = {f.extension for f in GRAPH_FORMATS} | {f.name for f in RESULT_FORMATS}
    if ext in other:
        reason = f"'.{ext}' is not a format for the answer of a {kind} query"
    else:
        reason = f"'.{ext}' is not a format we serve"
    return problem(404, "Not Found", f"{reason}; saved query {saved.name!r} comes as {offered}.", plain=True)


def _serve_as(saved: SavedQuery, fmt: Format):
    try:
        _bound, result = _run(saved)
        body = result.serialize(fmt, state().prefixes)
    except (ParameterError, NotSerializable) as exc:
        error = http_error(exc)
        return problem(error.status, error.title, error.message, plain=True)
    return Response(body, mimetype=fmt.media_type, headers={"Vary": "Accept"})


def _options(saved: SavedQuery) -> dict[str, list[tuple[str, str]]]:
    """(value as typed, label) of each enumerated parameter's values, for its drop-down."""
    app_state = state()
    return {name: [(display(term, app_state.prefixes),
                    app_state.label(term.value) if isinstance(term, ox.NamedNode) else term.value)
                   for term in terms]
            for name, terms in app_state.choices(saved).items()}


def _absent(saved: SavedQuery, bound: dict[str, ox.NamedNode | ox.Literal]) -> list[tuple[str, str]]:
    """(parameter, IRI as typed) of each open IRI parameter bound to an IRI the graph does not hold:
    its empty answer says nothing about the entity, so the page says so beside it."""
    app_state = state()
    absent = []
    for param in saved.parameters:
        term = bound.get(param.variable)
        if param.type == "iri" and not param.enumerated and isinstance(term, ox.NamedNode):
            rows = SPARQL.run(app_state.store, "entity-kind", entity=term).rows
            if not (rows and rows[0]["exists"].value == "true"):
                absent.append((param.name, display(term, app_state.prefixes)))
    return absent


def _page(saved: SavedQuery):
    bound, result, error = {}, None, None
    try:
        bound, result = _run(saved)
    except ParameterError as exc:
        error = str(exc)
    args = request.args.to_dict()
    values = {p.name: args.get(p.name) or p.default or "" for p in saved.parameters}
    html = render_template(
        "queries_show.html",
        saved=saved,
        result=result,
        triples=sorted(set(result.triples), key=str) if result is not None and result.is_graph else [],
        bound=bound,
        error=error,
        values=values,
        options=_options(saved),
        absent=_absent(saved, bound) if result is not None else [],
        twin_urls=_twin_urls(saved, args),
        edit_url=url_for("sparql.endpoint", query=saved.editable(bound)),
        command_line=_command_line(saved, values if bound else {}),
    )
    return html, 400 if error else 200, {"Vary": "Accept"}


def _command_line(saved: SavedQuery, values: dict[str, str]) -> str:
    params = [token for name, value in values.items() if value for token in ("--param", f"{name}={value}")]
    return shlex.join(["twitch-kg", "query", saved.name, *params])


@bp.get("/queries/<name>")
def query(name: str):
    name, dot, ext = name.partition(".")
    saved = state().saved_queries.get(name)
    if saved is None:
        return problem(
            404, "Not Found", f"There is no saved query {name!r}; /queries lists them.", plain=bool(dot)
        )
    if dot:
        fmt = twins(saved).get(ext)
        return _serve_as(saved, fmt) if fmt is not None else _wrong_twin(saved, ext)
    choice = best(tuple(twins(saved).values()), html=True)
    if choice is None:
        offered = offered_list(tuple(twins(saved).values()))
        return problem(406, "Not Acceptable", f"Saved query {name!r} is served as: {HTML}, {offered}.", plain=True)
    return _serve_as(saved, choice) if isinstance(choice, Format) else _page(saved)  # else HTML
