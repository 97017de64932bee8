"""Reading a SPARQL 1.1 Protocol request: which query, over which dataset, in which format.

The three ways to send a query (GET ``?query=``, POST form, POST ``application/sparql-query``)
become one :class:`Operation`; every malformed request becomes a :class:`QueryError` with
the status the protocol asks for (400, 403 for updates on this read-only endpoint, 415).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Request
from werkzeug.datastructures import MultiDict

from kg.formats import GRAPH_ALIASES, Format, by_extension, by_media_type

from .statuses import QueryError, read_only

FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
UPDATE_PARAMETERS = ("update", "using-graph-uri", "using-named-graph-uri")

#: Names other endpoints (Fuseki, Virtuoso, SPARQLWrapper's ``format=``) use for our formats.
FORMAT_ALIASES = {**GRAPH_ALIASES, "json": "jsonld", "n3": "turtle", "rdf+xml": "xml"}


@dataclass(frozen=True)
class Operation:
    """One protocol request: ``query`` is None when none was sent (a bare GET)."""

    query: str | None
    default_graphs: list[str] | None = None
    named_graphs: list[str] | None = None
    formats: list[str] = field(default_factory=list)

    @property
    def dataset_parameters(self) -> dict[str, list[str]]:
        """The protocol's dataset parameters, to repeat in links to the same query."""
        found = {"default-graph-uri": self.default_graphs or [], "named-graph-uri": self.named_graphs or []}
        return {k: v for k, v in found.items() if v}


def read_operation(request: Request) -> Operation:
    """The operation a GET or POST carries; raises QueryError for anything the protocol forbids."""
    params = MultiDict(request.args)
    if request.method == "POST":
        _read_body(request, params)
    if any(name in params for name in UPDATE_PARAMETERS):
        raise read_only()
    queries = params.getlist("query")
    if len(queries) > 1:
        raise QueryError(400, "Bad Request", f"The request carries {len(queries)} queries; send exactly one "
                                             "(one query parameter, or the query as the body of a direct POST).")
    default, named = _graphs(params, "default-graph-uri"), _graphs(params, "named-graph-uri")
    if default is not None or named is not None:  # a protocol dataset replaces the query's own entirely
        default, named = default or [], named or []
    query = queries[0] if queries else None
    if query is None and (request.method == "POST" or default is not None):
        raise QueryError(400, "Bad Request", "The request has no query: send it as the query parameter "
                                             "(GET or form POST) or as the body of an application/sparql-query POST.")
    if query is not None and not query.strip():
        raise QueryError(400, "Bad Request", "The query is empty.")
    return Operation(query, default, named, params.getlist("format"))


def _read_body(request: Request, params: MultiDict) -> None:
    media_type = request.mimetype
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if media_type == UPDATE:
        raise read_only()
    if media_type not in (FORM, DIRECT):
        given = f"media type {media_type}" if media_type else "no Content-Type"
        raise QueryError(415, "Unsupported Media Type", f"A query POST with {given} is not understood; send "
                                                        f"{FORM} (query=...) or {DIRECT} (the query as the body).")
    if charset not in ("utf-8", "utf8"):
        raise QueryError(415, "Unsupported Media Type", f"The body's charset {charset} is not supported; "
                                                        "send the query in UTF-8.")
    if media_type == FORM:
        for name, value in request.form.items(multi=True):
            params.add(name, value)
        return
    if "query" in params:
        raise QueryError(400, "Bad Request", "A direct POST carries the query as its body; "
                                             "it must not have a query parameter as well.")
    try:
        params.add("query", request.get_data().decode("utf-8"))
    except UnicodeDecodeError:
        raise QueryError(400, "Bad Request", "The request body is not valid UTF-8.") from None


def _graphs(params: MultiDict, name: str) -> list[str] | None:
    values = [v.strip() for v in params.getlist(name) if v.strip()]
    return values or None


def requested_format(formats: tuple[Format, ...], values: list[str]) -> Format | None:
    """The first ``format`` parameter value that names one of ``formats``; None if none was given.

    A value may be a name (``csv``), an alias other endpoints use (``json-ld``), a file
    extension (``ttl``) or a media type. Values given but none usable: QueryError 400.
    """
    for value in values:
        found = _find(formats, value.strip().lower())
        if found:
            return found
    if values:
        raise QueryError(400, "Bad Request", f"format={', '.join(values)} is not offered for this result; "
                                             f"choose from {', '.join(f.name for f in formats)}.")
    return None


def _find(formats: tuple[Format, ...], key: str) -> Format | None:
    for name in (key, FORMAT_ALIASES.get(key)):
        found = next((f for f in formats if f.name == name), None)
        if found:
            return found
    return by_extension(formats, key) or by_media_type(formats, key)
