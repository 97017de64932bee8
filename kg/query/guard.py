"""Checks on untrusted SPARQL text, done before any engine parses it.

A public endpoint must not be turned against its host: no ``SERVICE`` (both rdflib and
pyoxigraph would fetch the remote URL), no update, and nothing so large
or so deeply nested or so long a chain of operators that the parser itself falls over (5,000
nested parentheses crash pyoxigraph's process; deep braces hit Python's recursion limit; so does a
chain of operators at nesting depth 2, below).

The checks work on tokens: comments, strings and IRIs are recognised first, so a word
inside a string (``"service"``) is harmless, and a keyword hidden by codepoint escapes
(``\\u0053ERVICE``) or odd case (``sErViCe``) is still found.
"""

from __future__ import annotations

from .errors import FederationRefused, QueryTooComplex, QueryTooLarge, UpdateRefused
from .lexer import Shape, shape, unescape_codepoints

DEFAULT_MAX_CHARS = 100_000
DEFAULT_MAX_DEPTH = 64
#: Operator characters (+ - * / = ! < > & |) in one query. Measured with pyoxigraph 0.5.13 on this
#: project's machine, one process per query: ``FILTER(1+1+…+1 > 0)`` parses with 6,500 ``+`` and
#: segfaults the process with 7,000; ``*`` the same between 6,000 and 7,000; ``&&`` between 7,000
#: and 10,000. The limit is far below, and far above any real query (tests/test_query_guard.py).
DEFAULT_MAX_OPERATORS = 1_000
OPERATOR_CHARACTERS = frozenset("+-*/=!<>&|")

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)


def _readings(query: str) -> list[Shape]:
    """The shape of ``query`` as written and with codepoint escapes applied (as a parser reads it)."""
    return [shape(text, OPERATOR_CHARACTERS) for text in {query, unescape_codepoints(query)}]


def keywords(query: str) -> set[str]:
    """The bare words of ``query`` in upper case, in either reading (not those inside strings, IRIs
    or comments): ``SERVICE`` and the update keywords are found however they are spelled."""
    return set().union(*(reading.words for reading in _readings(query)))


def is_update(sparql: str) -> bool:
    """True if ``sparql`` parses as a SPARQL Update with at least one operation (never executed)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(sparql)
    except Exception:  # not an update, or not SPARQL at all
        return False
    return "request" in parsed


def check(
    query: str,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_operators: int = DEFAULT_MAX_OPERATORS,
) -> None:
    """Raise a :class:`~kg.query.errors.QueryRefused` if ``query`` must not reach an engine."""
    if len(query) > max_chars:
        raise QueryTooLarge(f"the query is {len(query):,} characters long; the limit is {max_chars:,}")
    readings = _readings(query)
    for reading in readings:
        if reading.depth > max_depth:
            raise QueryTooComplex(f"the query nests brackets {reading.depth} deep; the limit is {max_depth}")
        if reading.operators > max_operators:
            raise QueryTooComplex(f"the query has {reading.operators:,} operators; the limit is {max_operators:,}")
    words = set().union(*(reading.words for reading in readings))
    if "SERVICE" in words:
        raise FederationRefused("SERVICE (federated query) is not allowed on this endpoint: "
                                "it would make the server fetch other URLs")
    updates = sorted(words & UPDATE_KEYWORDS)
    if updates:
        raise UpdateRefused(f"this endpoint is read-only: SPARQL Update ({', '.join(updates)}) is not allowed")
