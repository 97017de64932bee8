"""The dataset a query runs over: the protocol's graphs, else its own ``FROM`` clauses, else every
graph the store holds; and a refusal for a graph it does not hold (SPARQL 1.1 Query 13.2)."""

from __future__ import annotations

from urllib.parse import urljoin

from .errors import UnknownGraph
from .lexer import Token, tokens, unescape_codepoints


def from_clauses(query: str, prefixes: dict[str, str],
                 base_iri: str | None = None) -> tuple[list[str] | None, list[str] | None]:
    """The default and named graphs the query's ``FROM`` / ``FROM NAMED`` clauses name, read from
    its tokens (no parser: cheap for any text the size guard lets through); (None, None) if none.

    Per SPARQL 1.1 Query 13.2, naming only one kind leaves the other empty. Prefixed names resolve
    with the query's own ``PREFIX`` declarations over ``prefixes``; relative IRIs against its
    ``BASE`` or ``base_iri``. A clause that names no IRI is left to the engine to report.
    """
    toks = tokens(unescape_codepoints(query))
    known, base = dict(prefixes), base_iri or ""
    default: list[str] = []
    named: list[str] = []
    seen_from = False
    for i, tok in enumerate(toks):
        if tok.is_word("BASE") and i + 1 < len(toks) and toks[i + 1].kind == "iri":
            base = urljoin(base, toks[i + 1].text[1:-1])
        elif tok.is_word("PREFIX") and i + 2 < len(toks) and toks[i + 1].kind == "pname" and toks[i + 2].kind == "iri":
            known[toks[i + 1].text[:-1]] = urljoin(base, toks[i + 2].text[1:-1])
        elif tok.is_word("FROM"):
            seen_from = True
            is_named = i + 1 < len(toks) and toks[i + 1].is_word("NAMED")
            target = toks[i + 2] if is_named and i + 2 < len(toks) else toks[i + 1] if i + 1 < len(toks) else None
            iri = _iri(target, known, base) if target is not None else None
            if iri is not None:
                (named if is_named else default).append(iri)
    if not seen_from or not (default or named):
        return None, None
    return default, named


def _iri(tok: Token, prefixes: dict[str, str], base: str) -> str | None:
    if tok.kind == "iri":
        return urljoin(base, tok.text[1:-1])
    if tok.kind == "pname":
        prefix, _, local = tok.text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else None
    return None


def check_held(held: list[str], iris: list[str]) -> None:
    """Raise :class:`UnknownGraph` for the first of ``iris`` not among the ``held`` graphs."""
    for iri in iris:
        if iri not in held:
            raise UnknownGraph(f"This endpoint holds no graph <{iri}>; the graphs it holds are: "
                               + ", ".join(f"<{g}>" for g in held) + ".")
