"""What can go wrong running a query, one kind per cause; the web app maps each to an HTTP status
(``webapp/statuses.py``) and the command line prints its message."""

from __future__ import annotations

from ..errors import KGError


class QueryRefused(KGError):
    """The query was refused before any engine saw it."""


class QueryTooLarge(QueryRefused):
    """The query text is longer than the limit."""


class QueryTooComplex(QueryRefused):
    """The query nests too deep or chains too many operators for the engine's parser to survive."""


class FederationRefused(QueryRefused):
    """The query asks for ``SERVICE``, which would make the server fetch other URLs."""


class UpdateRefused(QueryRefused):
    """The request is SPARQL Update; the graph is read-only."""


class MalformedQuery(KGError):
    """The text is not a SPARQL query the engine can parse; the message says where and what."""


class UnknownGraph(KGError):
    """The query's dataset names a graph the store does not hold."""


class QueryTimeout(KGError):
    """The query ran past the time limit (or every worker stayed busy that long)."""


class WorkersUnavailable(KGError):
    """The worker processes could not be started (their store would not open): nothing to run on."""


class WorkersBusy(KGError):
    """Every query worker stayed busy for as long as a query may wait for one: try again shortly."""


class QueryOutOfMemory(KGError):
    """The query needed more memory than a worker may use; its worker was stopped and replaced."""


class QueryFailed(KGError):
    """The engine could not evaluate the query (it raised, or its process died)."""


class ShuttingDown(KGError):
    """The server is stopping: the query was not run, or was stopped."""


class NotSerializable(KGError):
    """An answer the asked-for format cannot carry (control characters in XML, RDF 1.2 triple terms
    in JSON-LD); the message says why and what to ask for instead."""


def malformed(exc: Exception) -> MalformedQuery:
    """One readable line for a parser's error: where (line and column) and what was expected."""
    text = " ".join(str(exc).split())
    return MalformedQuery(text if len(text) <= 240 else text[:237] + "...")
