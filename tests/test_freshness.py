"""A server follows a shared store's build (webapp/freshness.py); the store itself is in
tests/test_virtuoso.py. Here: how often it looks, and what a failed look does."""

from __future__ import annotations

from kg.errors import KGError
from webapp.freshness import BuildWatch


class Store:
    def __init__(self, *builds):
        self.builds, self.looks = list(builds), 0

    def loaded_hash(self):
        self.looks += 1
        found = self.builds.pop(0)
        if isinstance(found, Exception):
            raise found
        return found


def test_a_change_is_seen_once():
    watch, store = BuildWatch(0, "a"), Store("a", "b", "b", "c")
    assert [watch.changed(store.loaded_hash) for _ in range(4)] == [False, True, False, True]
    assert store.looks == 4


def test_within_the_interval_the_store_is_not_asked():
    watch, store = BuildWatch(3600, "a"), Store("b")
    assert [watch.changed(store.loaded_hash) for _ in range(100)] == [False] * 100
    assert store.looks == 0


def test_an_unreachable_store_keeps_what_was_served():
    watch, store = BuildWatch(0, "a"), Store(KGError("cannot reach the SPARQL store"), "a", "b")
    assert [watch.changed(store.loaded_hash) for _ in range(3)] == [False, False, True]


def test_an_embedded_store_is_never_watched(app):
    assert "twitch_kg_build_watch" not in app.extensions
    assert app.config["BUILD_CHECK_SECONDS"] == 5.0
