"""Parameter binding for stores that cannot substitute (SEP-0007), by a VALUES block.

A remote SPARQL 1.1 store takes a query as text, so a bound variable must travel in the
text. It does, as data: an inline ``VALUES (?v …) { (term …) }`` block whose terms are
pyoxigraph's own N-Triples serialisation (escaped by the library; nothing the user typed
is pasted as SPARQL). The block opens the query's outermost WHERE group, so it joins
before everything else in the group: filters, OPTIONAL, NOT EXISTS and aggregates all see
the value, exactly as Oxigraph's substitution does (it binds at the top of the query and
leaves a sub-SELECT's unprojected variables alone). A VALUES clause appended after the
solution modifiers would not do: it joins *after* projection and aggregation.

Finding that group needs only a lexer (strings, IRIs, comments and escaped local names
skipped), not a parser: it is the first ``{`` after SELECT/ASK/DESCRIBE outside
parentheses, or the group after a CONSTRUCT template (``CONSTRUCT WHERE { P }`` becomes
``CONSTRUCT { P } WHERE { VALUES … P }``). A DESCRIBE without a WHERE clause gets the
trailing VALUES clause, which is then equivalent.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pyoxigraph as ox

from .errors import MalformedQuery
from .lexer import CLOSING, OPENING, Token, closing
from .lexer import tokens as all_tokens

_VARNAME = re.compile(r"^[A-Za-z0-9_\u00B7\u00C0-\uFFFF]+$")
_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
#: Texts up to this long have their tokens remembered (our own queries are asked again and again);
#: longer ones, which only an untrusted client sends, are not kept.
_REMEMBERED_CHARS = 20_000

_remembered_tokens = lru_cache(maxsize=512)(all_tokens)


def tokens(sparql: str) -> tuple[Token, ...]:
    """The query's tokens, remembered for texts of our own size."""
    return _remembered_tokens(sparql) if len(sparql) <= _REMEMBERED_CHARS else all_tokens(sparql)


def _form_index(toks: tuple[Token, ...]) -> int | None:
    """Index of the query-form keyword that follows the prologue; None if the text is no query."""
    i = 0
    while i < len(toks):
        if toks[i].is_word("PREFIX"):
            i += 3
        elif toks[i].is_word("BASE"):
            i += 2
        else:
            return i if toks[i].is_word(*_FORMS) else None
    return None


def query_form(sparql: str) -> str:
    """select, construct, describe or ask; "" when the text is not a query (e.g. an update)."""
    toks = tokens(sparql)
    form = _form_index(toks)
    return "" if form is None else toks[form].text.lower()


def _first_group(toks: tuple[Token, ...], start: int) -> int | None:
    """Index of the first ``{`` from ``start`` that is outside parentheses."""
    parens = 0
    for i in range(start, len(toks)):
        token = toks[i]
        if token.is_punct("("):
            parens += 1
        elif token.is_punct(")"):
            parens -= 1
        elif token.is_punct("{") and parens <= 0:
            return i
    return None


def _projection(toks: tuple[Token, ...], form: int, group: int) -> tuple[bool, set[str]]:
    """(SELECT *, the variables a SELECT projects)."""
    star, names, parens = False, set(), 0
    for i in range(form + 1, group):
        token = toks[i]
        if token.is_punct("("):
            parens += 1
        elif token.is_punct(")"):
            parens -= 1
        elif token.text == "*" and parens == 0:
            star = True
        elif token.kind == "var" and (parens == 0 or toks[i - 1].is_word("AS")):
            names.add(token.text[1:])
    return star, names


def _check(name: str, term) -> None:
    if not _VARNAME.match(name):
        raise ValueError(f"not a SPARQL variable name: {name!r}")
    if not isinstance(term, (ox.NamedNode, ox.Literal)):
        raise ValueError(f"?{name} can only be bound to an IRI or a literal, not {term!r}")


def _values_block(substitutions: dict[str, ox.NamedNode | ox.Literal]) -> str:
    names = " ".join("?" + name for name in substitutions)
    terms = " ".join(str(term) for term in substitutions.values())  # N-Triples, escaped by pyoxigraph
    return f" VALUES ({names}) {{ ({terms}) }} "


def bind(sparql: str, substitutions: dict[str, ox.NamedNode | ox.Literal] | None) -> str:
    """``sparql`` with ``substitutions`` bound as Oxigraph's SEP-0007 substitution binds them."""
    if not substitutions:
        return sparql
    for name, term in substitutions.items():
        _check(name, term)
    toks = tokens(sparql)
    form = _form_index(toks)
    if form is None:
        raise MalformedQuery("not a SPARQL query: no SELECT, CONSTRUCT, DESCRIBE or ASK")
    keyword = toks[form].text.upper()
    mentioned = {t.text[1:] for t in toks if t.kind == "var"}
    used = {name: term for name, term in substitutions.items() if name in mentioned}
    if keyword == "CONSTRUCT":
        return _bind_construct(sparql, toks, form, used)
    group = _first_group(toks, form + 1)
    if keyword == "SELECT":
        star, projected = _projection(toks, form, group if group is not None else len(toks))
        for name in substitutions:
            if not (name in projected or (star and name in mentioned)):
                # The same refusal (and message) as Oxigraph's substitution.
                raise MalformedQuery(f"The SPARQL query does not contains variable ?{name} in its SELECT projection")
    if not used:
        return sparql
    block = _values_block(used)
    if group is None:  # DESCRIBE ?v … without a WHERE clause
        return f"{sparql.rstrip()}\n{block}\n"
    at = toks[group].end
    return sparql[:at] + block + sparql[at:]


def _bind_construct(sparql: str, toks: tuple[Token, ...], form: int, used: dict) -> str:
    if not used:
        return sparql
    block = _values_block(used)
    nxt = form + 1
    if nxt < len(toks) and toks[nxt].is_word("WHERE"):  # CONSTRUCT WHERE { P }: P is the template too
        open_ = _first_group(toks, nxt + 1)
        close = _closing(toks, open_)  # raises when there is no group
        assert open_ is not None
        pattern = sparql[toks[open_].end:toks[close].start]
        where = toks[nxt].start
        return sparql[:where] + "{" + pattern + "}\n" + sparql[where:toks[open_].end] + block + sparql[toks[open_].end:]
    template = _first_group(toks, nxt)
    if template is None:
        raise MalformedQuery("a CONSTRUCT query needs a template")
    group = _first_group(toks, _closing(toks, template) + 1)
    if group is None:
        raise MalformedQuery("a CONSTRUCT query needs a WHERE clause")
    at = toks[group].end
    return sparql[:at] + block + sparql[at:]


_BOOLEAN_FUNCTIONS = {"BOUND", "ISIRI", "ISURI", "ISBLANK", "ISLITERAL", "ISNUMERIC", "ISTRIPLE", "REGEX",
                      "SAMETERM", "LANGMATCHES", "CONTAINS", "STRSTARTS", "STRENDS"}
_BOOLEAN_OPERATORS = {"=", "!=", "<", ">", ">=", "<=", "&&", "||"}
_BOOLEAN_WORDS = ("IN", "NOT")


def _is_boolean(expr: tuple[Token, ...]) -> bool:
    """Whether an expression's value is a boolean in every SPARQL 1.1 store (by its outermost operator)."""
    while len(expr) > 2 and expr[0].is_punct("(") and closing(expr, 0) == len(expr) - 1:
        expr = expr[1:-1]
    if not expr:
        return False
    first = expr[0]
    if first.is_word("EXISTS") or (first.kind == "operator" and first.text == "!"):
        return True
    if (first.is_word(*_BOOLEAN_FUNCTIONS) and len(expr) > 1 and expr[1].is_punct("(")
            and closing(expr, 1) == len(expr) - 1):
        return True
    depth = 0
    for token in expr:
        if token.is_punct(OPENING):
            depth += 1
        elif token.is_punct(CLOSING):
            depth -= 1
        elif depth == 0 and ((token.kind == "operator" and token.text in _BOOLEAN_OPERATORS)
                             or token.is_word(*_BOOLEAN_WORDS)):
            return True
    return False


def _closing(toks: tuple[Token, ...], open_index: int | None) -> int:
    at = -1 if open_index is None else closing(toks, open_index)
    if at < 0:
        raise MalformedQuery("unbalanced braces in the SPARQL query")
    return at


def boolean_variables(sparql: str) -> set[str]:
    """The variables a query binds to a boolean expression: ``(expr AS ?v)`` and ``BIND(expr AS ?v)``.

    Some stores (Virtuoso 7) return such values as the integers 1 and 0; knowing which
    variables hold booleans lets the results be read back as true and false.
    """
    toks = tokens(sparql)
    found = set()
    for i, token in enumerate(toks):
        if token.is_word("AS") and i + 2 < len(toks) and toks[i + 1].kind == "var" and toks[i + 2].is_punct(")"):
            depth, start = 0, i - 1
            while start >= 0:  # back to the "(" that opens this (expr AS ?v)
                if toks[start].is_punct(CLOSING):
                    depth += 1
                elif toks[start].is_punct(OPENING):
                    if depth == 0:
                        break
                    depth -= 1
                start -= 1
            if start >= 0 and _is_boolean(toks[start + 1:i]):
                found.add(toks[i + 1].text[1:])
    return found
