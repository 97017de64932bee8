"""Sorting a kept answer by one of its columns, as SPARQL's ``ORDER BY`` would.

The query page sorts and pages the answer it already holds (never by rewriting the user's query),
so the order follows SPARQL 1.1 §15.1: unbound first, then blank nodes, IRIs, literals; numeric
literals by value (before other literals), the others by their text, then language or datatype.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + name for name in (
    "integer", "decimal", "float", "double", "nonPositiveInteger", "negativeInteger", "long", "int", "short",
    "byte", "nonNegativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    "positiveInteger")}

_UNBOUND, _BLANK, _IRI, _NUMBER, _LITERAL, _TRIPLE = range(6)
_NOTHING = Decimal(0)


def sort_key(term) -> tuple:
    """A key under which terms compare as ``ORDER BY`` compares them (None: unbound)."""
    if term is None:
        return (_UNBOUND, _NOTHING, "", "")
    if isinstance(term, ox.BlankNode):
        return (_BLANK, _NOTHING, term.value, "")
    if isinstance(term, ox.NamedNode):
        return (_IRI, _NOTHING, term.value, "")
    if isinstance(term, ox.Literal):
        if term.datatype.value in NUMERIC:
            number = _number(term.value)
            if number is not None:
                return (_NUMBER, number, term.value, "")
        return (_LITERAL, _NOTHING, term.value, term.language or term.datatype.value)
    return (_TRIPLE, _NOTHING, str(term), "")


def _number(text: str) -> Decimal | None:
    """The value of a numeric literal's text; None for NaN and text that is no number (sorted as text)."""
    try:
        number = Decimal(text.strip().replace("INF", "Infinity"))
    except InvalidOperation:
        return None
    return None if number.is_nan() else number


def ordered(items: list, column, descending: bool = False) -> list:
    """``items`` sorted (stable) by ``column(item)``, a term or None."""
    return sorted(items, key=lambda item: sort_key(column(item)), reverse=descending)
