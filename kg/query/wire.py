"""How an answer travels from a query worker to the server: each distinct term once, rows as numbers.

Pickling pyoxigraph terms one by one costs about 10 µs a term each way, which made shipping a
10,000-row answer back from a worker take longer than running the query. Here an answer is a table
of its distinct terms, each as plain strings (kind, value, language or datatype), and its rows or
triples as positions in that table: what pickle handles fastest, and an answer that repeats terms
(most do: a join repeats its subjects) sends each one once. Terms rebuilt from their strings are
equal to the originals; quoted triples and any other term travel as they are.
"""

from __future__ import annotations

from array import array
from typing import Any

import pyoxigraph as ox

#: A cell with no term (an unbound variable).
UNBOUND = -1
_IRI, _LITERAL, _LANGUAGE, _BLANK, _OTHER = range(5)


def encode(terms_in_order) -> tuple[list[tuple], array]:
    """(the distinct terms as plain tuples, each cell's position among them or UNBOUND) of
    ``terms_in_order``, an iterable of terms or None."""
    positions: dict[Any, int] = {}
    table: list[tuple] = []
    cells = array("i")
    for term in terms_in_order:
        if term is None:
            cells.append(UNBOUND)
            continue
        position = positions.get(term)
        if position is None:
            position = positions[term] = len(table)
            table.append(_plain(term))
        cells.append(position)
    return table, cells


def decode(table: list[tuple]) -> list:
    """The terms of an :func:`encode` table, rebuilt."""
    return [_term(entry) for entry in table]


def _plain(term) -> tuple:
    kind = type(term)
    if kind is ox.NamedNode:
        return (_IRI, term.value)
    if kind is ox.Literal:
        if term.direction is not None:
            return (_OTHER, term)  # a directional literal (RDF 1.2): rare, pickled whole
        if term.language:
            return (_LANGUAGE, term.value, term.language)
        return (_LITERAL, term.value, term.datatype.value)
    if kind is ox.BlankNode:
        return (_BLANK, term.value)
    return (_OTHER, term)


def _term(entry: tuple):
    kind = entry[0]
    if kind == _IRI:
        return ox.NamedNode(entry[1])
    if kind == _LANGUAGE:
        return ox.Literal(entry[1], language=entry[2])
    if kind == _LITERAL:
        return ox.Literal(entry[1], datatype=ox.NamedNode(entry[2]))
    if kind == _BLANK:
        return ox.BlankNode(entry[1])
    return entry[1]
