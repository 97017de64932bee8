"""The SPARQL 1.1 Protocol endpoint, read-only, and its query page.

Machines get results by content negotiation (or a ``format`` parameter); a browser (an
Accept that prefers HTML) gets the query page with the results as a table, so the page
works without JavaScript and its URL is the permalink. A bare GET is the Service
Description for RDF clients and the empty query page for browsers.
"""

from __future__ import annotations

import time

from flask import Blueprint, Response, current_app, render_template, request, url_for

from kg import heap
from kg.errors import KGError
from kg.formats import GRAPH_FORMATS, RESULT_FORMATS, Format
from kg.query.results import QueryResult
from kg.query.untrusted import run_untrusted

from ..negotiation import HTML, best, offered_list
from ..pages.service_description import PREFIXES as SD_PREFIXES
from ..pages.service_description import service_description
from ..protocol import Operation, read_operation, requested_format
from ..state import state
from ..statuses import QueryError, http_error
from ..urls import public_url, query_values
from .errors import problem

bp = Blueprint("sparql", __name__)

EXAMPLE = "SELECT ?s ?p ?o WHERE {\n  ?s ?p ?o\n}\nLIMIT 20\n"


@bp.after_request
def _vary(response: Response) -> Response:
    response.vary.add("Accept")
    return response


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":  # CORS preflight; security.py adds the Access-Control headers
        return Response(status=204, headers={"Allow": "GET, HEAD, POST, OPTIONS"})
    arrival = time.monotonic()  # the time limit counts from here, waiting for a worker included
    page = wants_page()
    try:
        operation = read_operation(request)
        if operation.query is None:
            return query_page() if page else describe_service(operation)
        started = time.perf_counter()
        app_state = state()
        with app_state.query_slot():
            result = run_untrusted(app_state.store, operation.query, default_graphs=operation.default_graphs,
                                   named_graphs=operation.named_graphs, base_iri=endpoint_url(),
                                   pool=app_state.query_pool(), limits=app_state.limits, arrival=arrival)
        elapsed_ms = (time.perf_counter() - started) * 1000
        response = query_page(operation, result=result, elapsed_ms=elapsed_ms) if page else \
            results_response(result, operation)
        if isinstance(response, Response) and result.size() >= heap.LARGE:  # its memory goes back once sent
            del result
            response.call_on_close(heap.trim)
        return response
    except KGError as exc:
        error = http_error(exc)
        if page:
            return query_page(error=error)
        return problem(error.status, error.title, error.message)


def endpoint_url() -> str:
    return public_url("sparql.endpoint")


def wants_page() -> bool:
    """A browser: the Accept header names HTML and prefers it, and no ``format`` was asked for."""
    if request.values.getlist("format"):
        return False
    names_html = any(q > 0 and media in (HTML, "application/xhtml+xml") for media, q in request.accept_mimetypes)
    return names_html and best(RESULT_FORMATS + GRAPH_FORMATS, html=True) == HTML


def _bounded(text: str | None, limit: int = 200) -> str:
    """What a client sent, echoed at most ``limit`` characters long."""
    text = text or ""
    return text if len(text) <= limit else text[:limit] + f"… ({len(text)} characters)"


def formats_for(result: QueryResult) -> tuple[Format, ...]:
    return GRAPH_FORMATS if result.is_graph else RESULT_FORMATS


def results_response(result: QueryResult, operation: Operation) -> Response:
    formats = formats_for(result)
    fmt = requested_format(formats, operation.formats) or best(formats)
    if fmt is None:
        return problem(406, "Not Acceptable",
                       f"No format in the Accept header ({_bounded(request.headers.get('Accept'))}) "
                       f"is offered for this result; we offer {offered_list(formats)}.")
    try:
        body = result.serialize(fmt, state().prefixes)
    except KGError as exc:  # an answer the format cannot carry
        error = http_error(exc)
        return problem(error.status, error.title, error.message)
    response = Response(body, mimetype=fmt.media_type)
    if result.truncated:
        response.headers["X-SPARQL-MaxRows"] = str(state().limits.row_limit)
    if result.byte_limited:
        response.headers["X-SPARQL-MaxBytes"] = str(state().limits.byte_limit)
    return response


def describe_service(operation: Operation) -> Response:
    fmt = requested_format(GRAPH_FORMATS, operation.formats) or best(GRAPH_FORMATS)
    if fmt is None:
        return problem(406, "Not Acceptable", "The service description is offered as text/html and "
                                              f"{offered_list(GRAPH_FORMATS)}.")
    description = QueryResult("graph",
                              triples=service_description(endpoint_url(), list(state().store.graph_iris.values()),
                                                         state().store.default_graph_iris))
    return Response(description.serialize(fmt, SD_PREFIXES), mimetype=fmt.media_type)


def query_page(operation: Operation | None = None, *, result: QueryResult | None = None,
               elapsed_ms: float | None = None, error: QueryError | None = None):
    """The query form, with the results (or the error) of the query in the URL, if any."""
    app_state = state()
    saved_name = request.args.get("saved", "")
    saved = app_state.saved_queries.get(saved_name)
    status = error.status if error else 200
    if saved_name and saved is None and error is None:
        error, status = QueryError(404, "Not Found", f"There is no saved query named {saved_name!r}."), 404
    query = operation.query if operation else request.values.get("query")
    dataset = operation.dataset_parameters if operation else {}
    text = query or (saved.sparql if saved else app_state.store.vocab.sparql_prologue() + "\n" + EXAMPLE)
    body = render_template(
        "sparql.html",
        query=text,
        ran=query,
        saved_queries=app_state.saved_queries,
        saved_name=saved_name,
        dataset=dataset,
        graphs=list(app_state.store.graph_iris.values()),
        result=result,
        elapsed_ms=elapsed_ms,
        error=error,
        downloads=download_links(query, result, dataset) if result else [],
        permalink=url_for("sparql.endpoint", query=query, **query_values(dataset)) if query else None,
        endpoint_url=endpoint_url(),
        page_rows=current_app.config["PAGE_ROWS"],
    )
    return Response(body, status=status, mimetype=HTML)


def download_links(query: str | None, result: QueryResult,
                   dataset: dict[str, list[str]]) -> list[tuple[Format, str]]:
    """The same query's results in every format we offer for them."""
    return [(fmt, url_for("sparql.endpoint", query=query, format=fmt.name, **query_values(dataset)))
            for fmt in formats_for(result)]
