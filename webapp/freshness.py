"""Follow a shared store's build: what the app computed from it is dropped when a new build lands.

An embedded store changes only when this process loads it, so nothing needs checking. A shared
(``sparql:``) store is loaded by ``twitch-kg build --store sparql:URL`` while servers keep
running: before a request, at most every ``BUILD_CHECK_SECONDS`` (default 5), the app reads the
store's build marker, and when it names another build it clears the app's cache (labels, page
data, downloads, the checker, the query page's kept answers), so every server shows the new build
within that interval, no restart.
"""

from __future__ import annotations

import threading
import time

from flask import Flask

from kg.errors import KGError

from .state import state, state_of


class BuildWatch:
    """The build a shared store held when last looked at, looked at again every ``interval`` seconds."""

    def __init__(self, interval: float, seen: str | None):
        self.interval = interval
        self._seen = seen
        self._checked_at = time.monotonic()
        self._lock = threading.Lock()

    def changed(self, read_build) -> bool:
        """True once per change of the build ``read_build()`` names; one thread looks, the others go on."""
        if time.monotonic() - self._checked_at < self.interval or not self._lock.acquire(blocking=False):
            return False
        try:
            self._checked_at = time.monotonic()
            build = read_build()
        except KGError:  # the store is unreachable for now: keep serving what we have
            return False
        else:
            before, self._seen = self._seen, build
            return build != before
        finally:
            self._lock.release()


def _follow_the_store() -> None:
    served = state()
    if served.build_watch is not None and served.build_watch.changed(served.store.loaded_hash):
        served.forget()


def register(app: Flask) -> None:
    served = state_of(app)
    if served.store.shared:
        served.build_watch = BuildWatch(float(app.config["BUILD_CHECK_SECONDS"]), served.store.loaded_hash())
        app.before_request(_follow_the_store)
