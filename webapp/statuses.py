"""The one place where what went wrong becomes an HTTP status, a title and a message.

:mod:`kg.query` raises one exception kind per cause and knows nothing of HTTP; the protocol
reader raises :class:`QueryError` directly for malformed requests. Views catch ``KGError``
and answer :func:`http_error` of it.
"""

from __future__ import annotations

from kg.errors import KGError
from kg.query import errors as query
from kg.query.saved import ParameterError


class QueryError(KGError):
    """A query (or protocol request) we will not answer; ``status`` is the HTTP status."""

    def __init__(self, status: int, title: str, message: str):
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message


READ_ONLY = ("This SPARQL endpoint is read-only: SPARQL Update requests are refused and nothing was changed.")

#: The kinds that mean "not now": the server is busy, stopping, or stopped the query; try again later.
UNAVAILABLE = (query.QueryTimeout, query.WorkersBusy, query.QueryOutOfMemory, query.WorkersUnavailable,
               query.ShuttingDown)

#: Each kind of failure, the most specific first: (kinds, status, title).
STATUSES: tuple[tuple[type[KGError] | tuple[type[KGError], ...], int, str], ...] = (
    (query.QueryTooLarge, 413, "Payload Too Large"),
    (query.UpdateRefused, 403, "Forbidden"),
    (query.QueryRefused, 400, "Query refused"),
    (query.MalformedQuery, 400, "Malformed query"),
    (query.UnknownGraph, 400, "Unknown graph"),
    (query.QueryFailed, 400, "Query failed"),
    (query.NotSerializable, 406, "Not Acceptable"),
    (ParameterError, 400, "Bad Request"),
    (UNAVAILABLE, 503, "Service Unavailable"),
)


def read_only() -> QueryError:
    return QueryError(403, "Forbidden", READ_ONLY)


def http_error(exc: KGError) -> QueryError:
    """The HTTP answer for ``exc``: itself if it is one already; else by its kind (``STATUSES``)."""
    if isinstance(exc, QueryError):
        return exc
    if isinstance(exc, query.UpdateRefused):
        return read_only()
    for kind, status, title in STATUSES:
        if isinstance(exc, kind):
            return QueryError(status, title, str(exc))
    raise exc
