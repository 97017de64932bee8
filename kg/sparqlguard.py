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

import re
from dataclasses import dataclass

from .errors import KGError

DEFAULT_MAX_CHARS = 100_000
DEFAULT_MAX_DEPTH = 64
#: Operator characters (+ - * / = ! < > & |) in one query. Measured with pyoxigraph 0.5.13 on this
#: project's machine, one process per query: ``FILTER(1+1+…+1 > 0)`` parses with 6,500 ``+`` and
#: segfaults the process with 7,000; ``*`` the same between 6,000 and 7,000; ``&&`` between 7,000
#: and 10,000. The limit is far below, and far above any real query (tests/test_sparqlguard.py).
DEFAULT_MAX_OPERATORS = 1_000
OPERATOR_CHARACTERS = frozenset("+-*/=!<>&|")

UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH", "USING"}
)

_TOKEN = re.compile(
    r"""
     (?P<comment>\#[^\n\r]*)
    |(?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
               |'''(?:[^'\\]|\\.|'(?!''))*'''
               |"(?:[^"\\\n\r]|\\.)*"
               |'(?:[^'\\\n\r]|\\.)*')
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][^\s(){}\[\].,;'"<>=!|&+*/^@\#-]+)
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<pname>(?:[A-Za-z_][\w.-]*)?:[^\s(){}\[\],;'"<>=!|&+*/^@\#]*)
    |(?P<word>[A-Za-z_]\w*)
    |(?P<open>[({\[])
    |(?P<close>[)}\]])
    |(?P<space>\s+)
    |(?P<other>.)
    """,
    re.X | re.S,
)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class QueryRejected(KGError):
    """The query was refused before parsing; ``status`` is the HTTP status to answer with."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def unescape_codepoints(text: str) -> str:
    """Apply SPARQL's ``\\uXXXX`` / ``\\UXXXXXXXX`` escapes, as a parser would before reading."""

    def replace(match: re.Match) -> str:
        try:
            return chr(int(match.group(1) or match.group(2), 16))
        except ValueError:
            return match.group(0)

    return _ESCAPE.sub(replace, text)


def tokens(text: str) -> list[Token]:
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup
        if kind not in ("space", "comment"):
            found.append(Token(kind, match.group()))
    return found


def _max_depth(toks: list[Token]) -> int:
    depth = deepest = 0
    for tok in toks:
        if tok.kind == "open":
            depth += 1
            deepest = max(deepest, depth)
        elif tok.kind == "close":
            depth -= 1
    return deepest


def _operators(toks: list[Token]) -> int:
    return sum(1 for tok in toks if tok.kind == "other" and tok.text in OPERATOR_CHARACTERS)


def _words(toks: list[Token]) -> set[str]:
    return {t.text.upper() for t in toks if t.kind == "word"}


def _readings(query: str) -> list[list[Token]]:
    """The tokens of ``query`` as written and with codepoint escapes applied (as a parser reads it)."""
    return [tokens(text) for text in {query, unescape_codepoints(query)}]


def _keywords(readings: list[list[Token]]) -> set[str]:
    return set().union(*(_words(toks) for toks in readings))


def keywords(query: str) -> set[str]:
    """The bare words of ``query`` in upper case, in either reading (not those inside strings, IRIs
    or comments): ``SERVICE`` and the update keywords are found however they are spelled."""
    return _keywords(_readings(query))


def is_update(sparql: str) -> bool:
    """True if ``sparql`` parses as a SPARQL Update with at least one operation (never executed)."""
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        parsed = parseUpdate(sparql)
    except Exception:  # not an update, or not SPARQL at all
        return False
    return "request" in parsed.keys()


def check(
    query: str,
    *,
    max_chars: int = DEFAULT_MAX_CHARS,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_operators: int = DEFAULT_MAX_OPERATORS,
) -> None:
    """Raise :class:`QueryRejected` if ``query`` must not reach an engine."""
    if len(query) > max_chars:
        raise QueryRejected(f"the query is {len(query):,} characters long; the limit is {max_chars:,}", 413)
    readings = _readings(query)
    for toks in readings:
        depth = _max_depth(toks)
        if depth > max_depth:
            raise QueryRejected(f"the query nests brackets {depth} deep; the limit is {max_depth}")
        operators = _operators(toks)
        if operators > max_operators:
            raise QueryRejected(f"the query has {operators:,} operators; the limit is {max_operators:,}")
    words = _keywords(readings)
    if "SERVICE" in words:
        raise QueryRejected("SERVICE (federated query) is not allowed on this endpoint: it would make the server fetch other URLs")
    updates = sorted(words & UPDATE_KEYWORDS)
    if updates:
        raise QueryRejected(
            f"this endpoint is read-only: SPARQL Update ({', '.join(updates)}) is not allowed", 403
        )


def dataset(query: str, prefixes: dict[str, str], base_iri: str | None = None) -> tuple[list[str] | None, list[str] | None]:
    """The default and named graphs the query's ``FROM`` / ``FROM NAMED`` clauses name, read from
    its tokens (no parser: cheap for any text the size guard lets through); (None, None) if none.

    Per SPARQL 1.1 Query 13.2, naming only one kind leaves the other empty. Prefixed names resolve
    with the query's own ``PREFIX`` declarations over ``prefixes``; relative IRIs against its
    ``BASE`` or ``base_iri``. A clause that names no IRI is left to the engine to report.
    """
    from urllib.parse import urljoin

    toks = tokens(unescape_codepoints(query))
    known, base = dict(prefixes), base_iri or ""
    default: list[str] = []
    named: list[str] = []
    seen_from = False
    for i, tok in enumerate(toks):
        word = tok.text.upper() if tok.kind == "word" else ""
        if word == "BASE" and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = urljoin(base, toks[i + 1].text[1:-1])
        elif word == "PREFIX" and i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            known[toks[i + 1].text[:-1]] = urljoin(base, toks[i + 2].text[1:-1])
        elif word == "FROM":
            seen_from = True
            is_named = i + 1 < len(toks) and toks[i + 1].kind == "word" and toks[i + 1].text.upper() == "NAMED"
            target = toks[i + 2] if is_named and i + 2 < len(toks) else toks[i + 1] if i + 1 < len(toks) else None
            iri = _iri(target, known, base) if target is not None else None
            if iri is not None:
                (named if is_named else default).append(iri)
    if not seen_from or not (default or named):
        return None, None
    return default, named


def _iri(tok: Token, prefixes: dict[str, str], base: str) -> str | None:
    from urllib.parse import urljoin

    if tok.kind == "iri":
        return urljoin(base, tok.text[1:-1])
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None
