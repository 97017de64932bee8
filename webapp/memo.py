"""Per-app memoisation: the served graph is immutable, so what is computed from it once holds
(until a shared store gets a new build: see webapp/freshness.py)."""

from __future__ import annotations

import threading
from typing import Callable, TypeVar

from flask import current_app

T = TypeVar("T")

_EXTENSION = "twitch_kg_memo"
_lock = threading.RLock()  # re-entrant: one memoised value may need another


def once(key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` the first time ``key`` is asked for in this app, the kept value after."""
    cache = current_app.extensions.setdefault(_EXTENSION, {})
    if key in cache:
        return cache[key]
    with _lock:
        if key not in cache:
            cache[key] = compute()
        return cache[key]


def forget_all() -> None:
    """Drop every kept value of this app: they are computed again from the store on next use."""
    with _lock:
        current_app.extensions.pop(_EXTENSION, None)
