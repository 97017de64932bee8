"""Answers remembered by an embedded store: its graphs only change when it loads a build.

The same saved and internal queries are asked again and again of an immutable graph, and
evaluating one (Oxigraph parses the SPARQL text every time) costs more than the rest of an
HTTP request. Small answers are kept (bounded in number, in rows and in bytes: the question's text
and parameters count too), least recently used first out;
each caller gets its own copy, so no caller can change what another one sees. ``load`` and
``add_graph`` clear it.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from ..query.results import QueryResult

#: Answers with more rows (or triples) than this are not kept: big answers are rare and costly to hold.
MAX_ITEMS = 1_000
#: At most this many rows and triples are kept in all (some tens of MB), whatever the questions.
TOTAL_ITEMS = 50_000
#: An answer whose question and terms weigh more than this many bytes (of text) is not kept ...
MAX_BYTES = 256 * 1024
#: ... and all kept answers weigh at most this much: one client asking thousands of questions with
#: long parameters cannot fill the server's memory.
TOTAL_BYTES = 16 * 1024 * 1024


class AnswerCache:
    """``size`` answers at most; the other bounds default to this module's constants (read when made).

    The query page keeps whole answers of untrusted queries for their next pages in another one,
    made with its own bounds (``webapp/state.py``).
    """

    def __init__(self, size: int = 512, *, max_items: int | None = None, total_items: int | None = None,
                 max_bytes: int | None = None, total_bytes: int | None = None):
        self.size = size
        self.max_items = MAX_ITEMS if max_items is None else max_items
        self.total_items = TOTAL_ITEMS if total_items is None else total_items
        self.max_bytes = MAX_BYTES if max_bytes is None else max_bytes
        self.total_bytes = TOTAL_BYTES if total_bytes is None else total_bytes
        self._answers: OrderedDict[tuple, QueryResult] = OrderedDict()
        self._items = 0
        self._bytes = 0
        self._weights: dict[tuple, int] = {}
        self._lock = threading.Lock()
        self.hits = 0  # lookups answered from the cache (for the app's metrics)
        self.misses = 0

    @staticmethod
    def key(sparql: str, default_graphs, named_graphs, substitutions, limits, base_iri) -> tuple:
        return (
            sparql,
            None if default_graphs is None else tuple(default_graphs),
            None if named_graphs is None else tuple(named_graphs),
            tuple(sorted((name, str(term)) for name, term in (substitutions or {}).items())),
            limits,
            base_iri,
        )

    def get(self, key: tuple) -> QueryResult | None:
        with self._lock:
            found = self._answers.get(key)
            if found is None:
                self.misses += 1
                return None
            self.hits += 1
            self._answers.move_to_end(key)
        return _copy(found)

    def put(self, key: tuple, result: QueryResult) -> None:
        if self.size <= 0 or len(result.rows) > self.max_items or len(result.triples) > self.max_items:
            return
        weight = _bytes(key, result)
        if weight > self.max_bytes:
            return
        with self._lock:
            if key in self._answers:
                return
            self._answers[key] = _copy(result)
            self._weights[key] = weight
            self._items += _items(result)
            self._bytes += weight
            while (len(self._answers) > self.size or self._items > self.total_items
                   or self._bytes > self.total_bytes):
                dropped_key, dropped = self._answers.popitem(last=False)
                self._items -= _items(dropped)
                self._bytes -= self._weights.pop(dropped_key)

    @property
    def weight(self) -> int:
        """The bytes of text the kept answers and their questions hold."""
        return self._bytes

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._weights.clear()
            self._items = 0
            self._bytes = 0


def _bytes(key: tuple, result: QueryResult) -> int:
    """A cheap measure of what an answer holds: the characters of its question and of its terms."""
    question = _text_size(key)
    terms = sum(len(str(term)) for row in result.rows for term in row.values())
    terms += sum(len(str(triple)) for triple in result.triples)
    return question + terms


def _text_size(value) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, tuple):
        return sum(_text_size(part) for part in value)
    return 0


def _items(result: QueryResult) -> int:
    return len(result.rows) + len(result.triples) + 1


def _copy(result: QueryResult) -> QueryResult:
    return QueryResult(result.kind, list(result.variables), [dict(row) for row in result.rows], result.boolean,
                       list(result.triples), result.truncated, result.byte_limited)
