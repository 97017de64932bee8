"""Query workers read the served graph from disk, read-only: an on-disk store's own version folder,
or the copy a memory store makes once. Either way they answer as the store does, and a query past
the time limit is stopped."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.query.errors import QueryTimeout
from kg.query.sandbox import open_pool
from kg.store import open_store
from kg.store.oxigraph import ReadOnlyOpener
from support import (
    ARTEFACT_BLANK_NODE_TRIPLES,
    ARTEFACT_BLANK_SUBJECTS,
    GRAPH_TRIPLES,
    HANG_GUARD,
    PATHOLOGICAL,
    PROFESSIONAL_ATTENTION,
    TW,
)

SERIOUS = f"SELECT ?c WHERE {{ ?c a <{TW}RequiresProfessionalAttention> }} ORDER BY ?c"
EXTRA = "http://example.org/extra-graph"


@pytest.fixture(scope="module")
def on_disk(settings, built, tmp_path_factory):
    store = open_store(f"oxigraph:{tmp_path_factory.mktemp('served')}", settings)
    store.load(built.artefact)
    return store


def _values(result) -> list[str]:
    return [row["c"].value for row in result.rows]


def test_workers_of_an_on_disk_store_open_its_version_read_only(on_disk):
    pool = open_pool(on_disk, size=1, timeout=10)
    try:
        assert isinstance(pool.opener, ReadOnlyOpener)
        assert pool.opener.version == str(on_disk.version)
        assert on_disk.version.parent == on_disk.path
        assert _values(pool.run(SERIOUS)) == _values(on_disk.query(SERIOUS))
        assert len(_values(pool.run(SERIOUS))) == len(PROFESSIONAL_ATTENTION)
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert pool.run(count).rows[0]["n"].value == str(sum(GRAPH_TRIPLES.values()))  # every graph, by name
    finally:
        pool.close()


def test_a_query_past_the_limit_is_stopped_on_a_read_only_worker(on_disk):
    pool = open_pool(on_disk, size=1, timeout=1.0)
    try:
        with pytest.raises(QueryTimeout, match=r"^the query did not finish within the 1 s time limit"):
            pool.run(PATHOLOGICAL)
        assert pool.restarts == 1
        # a fresh worker, same version
        assert len(_values(pool.run(SERIOUS, timeout=HANG_GUARD))) == len(PROFESSIONAL_ATTENTION)
    finally:
        pool.close()


def test_a_graph_added_on_disk_is_seen_by_workers_started_after(settings, built, tmp_path):
    extra = tmp_path / "extra.ttl"
    extra.write_text("<http://example.org/a> <http://example.org/p> 1, 2, 3 .\n", encoding="utf-8")
    store = open_store(f"oxigraph:{tmp_path / 'with-extra'}", settings)
    store.load(built.artefact)
    store.add_graph(EXTRA, extra)
    pool = open_pool(store, size=1, timeout=10)
    try:
        in_extra = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{EXTRA}> {{ ?s ?p ?o }} }}"
        assert pool.run(in_extra).rows[0]["n"].value == "3"
        in_default = "SELECT (COUNT(*) AS ?n) WHERE { <http://example.org/a> ?p ?o }"
        assert pool.run(in_default).rows[0]["n"].value == "3"  # the default graph is the union, extra included
    finally:
        pool.close()


def test_workers_of_a_memory_store_read_a_copy_on_disk(store, settings):
    """The server copies its in-memory graphs to a temporary folder once; workers open it read-only."""
    pool = open_pool(store, size=1, timeout=10)
    try:
        assert isinstance(pool.opener, ReadOnlyOpener)
        copy = Path(pool.opener.version)
        assert copy.is_dir() and copy.parent.name.startswith("twitch-kg-served-")
        assert _values(pool.run(SERIOUS)) == _values(store.query(SERIOUS))
        assert len(_values(pool.run(SERIOUS))) == len(PROFESSIONAL_ATTENTION)
        count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
        assert pool.run(count).rows[0]["n"].value == str(sum(GRAPH_TRIPLES.values()))  # every graph, by name
        blank = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o FILTER(isBlank(?s) || isBlank(?o)) } }"
        every = str(ARTEFACT_BLANK_NODE_TRIPLES)
        assert pool.run(blank).rows[0]["n"].value == store.query(blank).rows[0]["n"].value == every
        labels = "SELECT DISTINCT ?s WHERE { GRAPH ?g { ?s ?p ?o FILTER isBlank(?s) } }"
        in_worker = {r["s"].value for r in pool.run(labels).rows}
        assert in_worker == {r["s"].value for r in store.query(labels).rows}  # the artefact's labels, kept
        assert len(in_worker) == ARTEFACT_BLANK_SUBJECTS
    finally:
        pool.close()
