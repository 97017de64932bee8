"""One page of a kept answer: its size, number and sort order read from the URL (so a page is a
permalink), the answer sorted and cut in memory, never by rewriting the user's query."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from kg.query.order import ordered
from kg.query.results import QueryResult

from .statuses import QueryError

#: Rows a page shows when the URL does not say (``rows=``); never more than the PAGE_ROWS setting.
DEFAULT_SIZE = 250
#: The page sizes the page offers to choose from (any other number up to PAGE_ROWS works in the URL).
SIZES = (10, 25, 50, 100, 250, 500, 1000)
#: The columns of a graph answer (CONSTRUCT, DESCRIBE).
TRIPLE_COLUMNS = ("subject", "predicate", "object")


@dataclass(frozen=True)
class Paging:
    """What the URL asks: ``size`` rows, page ``number`` (from 1), sorted by ``sort`` (or as answered)."""

    size: int
    number: int = 1
    sort: str | None = None
    descending: bool = False

    def parameters(self, **changes) -> dict[str, str]:
        """The URL parameters for this paging with ``changes`` (size, number, sort, descending)."""
        values = {"size": self.size, "number": self.number, "sort": self.sort, "descending": self.descending}
        values.update(changes)
        found = {"rows": str(values["size"]), "page": str(values["number"])}
        if values["sort"]:
            found["sort"] = str(values["sort"])
            found["order"] = "desc" if values["descending"] else "asc"
        return found


def page_sizes(max_rows: int) -> list[int]:
    """The page sizes to offer when a page shows at most ``max_rows``."""
    return [size for size in SIZES if size < max_rows] + [max_rows] if max_rows not in SIZES else \
        [size for size in SIZES if size <= max_rows]


def _whole(args: Mapping[str, str], name: str, default: int) -> int:
    text = args.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < 1:
        what = "size" if name == "rows" else "number"
        raise QueryError(400, "Bad Request", f"{name}={text[:20]!r} is not a page {what}: give a whole number from 1.")
    return int(text)


def read_paging(args: Mapping[str, str], max_rows: int) -> Paging:
    """The paging the URL asks for; QueryError 400 for a value it cannot mean."""
    size = _whole(args, "rows", min(DEFAULT_SIZE, max_rows))
    if size > max_rows:
        raise QueryError(400, "Bad Request", f"rows={size} is more than a page shows ({max_rows}); "
                                             "the downloads hold the whole answer.")
    order = args.get("order", "asc").strip().lower() or "asc"
    if order not in ("asc", "desc"):
        raise QueryError(400, "Bad Request", f"order={order[:20]!r} is not an order: give asc or desc.")
    sort = args.get("sort", "").strip().lstrip("?$") or None
    return Paging(size, _whole(args, "page", 1), sort, order == "desc")


@dataclass(frozen=True)
class Page:
    """The items (rows, or triples) of one page, and where it lies in the answer."""

    columns: tuple[str, ...]
    items: list
    total: int
    paging: Paging

    @property
    def first(self) -> int:
        """The position in the answer (from 1) of the first item shown."""
        return (self.paging.number - 1) * self.paging.size + 1 if self.items else 0

    @property
    def last(self) -> int:
        return self.first + len(self.items) - 1 if self.items else 0

    @property
    def count(self) -> int:
        """The number of pages (at least one)."""
        return max(1, -(-self.total // self.paging.size))

    def numbers(self, around: int = 2) -> list[int]:
        """The page numbers to link: the first, the last and those near this one."""
        wanted = {1, self.count} | set(range(self.paging.number - around, self.paging.number + around + 1))
        return sorted(n for n in wanted if 1 <= n <= self.count)


def page_of(result: QueryResult, paging: Paging) -> Page:
    """The page ``paging`` asks of ``result`` (a SELECT or graph answer); QueryError 400 for a sort
    column the answer does not have. A page past the end is the last one."""
    columns: tuple[str, ...] = TRIPLE_COLUMNS if result.is_graph else tuple(result.variables)
    items: list = result.triples if result.is_graph else result.rows
    column: Callable[[Any, str], Any] = _triple_part if result.is_graph else _binding
    if paging.sort is not None:
        if paging.sort not in columns:
            raise QueryError(400, "Bad Request", f"sort={paging.sort[:40]!r} is not a column of this answer; "
                                                 f"sort by one of {', '.join(columns) or '(none)'}.")
        name = paging.sort
        items = ordered(items, lambda item: column(item, name), paging.descending)
    count = max(1, -(-len(items) // paging.size))
    if paging.number > count:
        paging = Paging(paging.size, count, paging.sort, paging.descending)
    start = (paging.number - 1) * paging.size
    return Page(columns, items[start:start + paging.size], len(items), paging)


def _binding(row: dict, name: str):
    return row.get(name)


def _triple_part(triple, name: str):
    return getattr(triple, name)
