"""How a build is cut into requests for a remote store, without a store: the artefact read line by
line, and requests sent several at a time with the first failure as the error."""

from __future__ import annotations

import threading
import time

import pyoxigraph as ox
import pytest

from kg.store.remote import _artefact_lines, _Concurrently, _linked_chunks, _ntriples_line
from support import ARTEFACT_BLANK_NODE_TRIPLES, GRAPH_TRIPLES, HANG_GUARD


def test_artefact_lines_are_the_parsed_quads(built):
    """Cutting each line at its last term gives what parsing it gives, graph by graph."""
    cut = list(_artefact_lines(built.artefact.path))
    parsed = [(q.graph_name.value, *_ntriples_line(q))
              for q in ox.parse(path=str(built.artefact.path), format=ox.RdfFormat.N_QUADS)]
    assert [(graph, line) for graph, line, _ in cut] == [(graph, line) for graph, line, _ in parsed]
    assert len(cut) == sum(GRAPH_TRIPLES.values())
    # every triple with a blank node is flagged; a flag without one needs "_:" in a literal
    for (_, line, flagged), (_, _, blank) in zip(cut, parsed, strict=True):
        assert flagged or not blank
        assert not flagged or blank or b'"' in line
    assert sum(blank for _, _, blank in parsed) == sum(flagged for _, _, flagged in cut) == ARTEFACT_BLANK_NODE_TRIPLES


def test_lines_with_blank_nodes_go_in_chunks_of_whole_linked_groups_one_graph_each():
    lines = {"g": [b"_:a <p> _:b .", b"_:b <p> <x> .", b'_:c <p> "_: in a literal" .', b"<z> <p> _:d .",
                   b"_:d <q> _:a .", b'<s> <p> "only _: in a literal" .'],
             "h": [b"_:e <p> <w> ."]}
    assert list(_linked_chunks(lines, 2)) == [
        {"g": [b"_:a <p> _:b .", b"_:b <p> <x> .", b"<z> <p> _:d .", b"_:d <q> _:a ."]},  # one group, over size
        {"g": [b'_:c <p> "_: in a literal" .', b'<s> <p> "only _: in a literal" .']},
        {"h": [b"_:e <p> <w> ."]},
    ]


def test_a_literal_with_spaces_and_a_graph_cut_right(tmp_path):
    artefact = tmp_path / "one.nq"
    artefact.write_bytes(b'<http://e.org/s> <http://e.org/p> "a b _:c . <d> ." <http://e.org/g> .\n'
                         b'_:b0 <http://e.org/p> <http://e.org/o> <http://e.org/h> .\n')
    assert list(_artefact_lines(artefact)) == [
        ("http://e.org/g", b'<http://e.org/s> <http://e.org/p> "a b _:c . <d> ." .', True),
        ("http://e.org/h", b"_:b0 <http://e.org/p> <http://e.org/o> .", True),
    ]


def test_calls_run_concurrently_and_bounded():
    running, most = [0], [0]
    lock = threading.Lock()
    together = threading.Barrier(4, timeout=HANG_GUARD)  # passed only by 4 calls running at once

    def call():
        with lock:
            running[0] += 1
            most[0] = max(most[0], running[0])
        together.wait()
        with lock:
            running[0] -= 1

    with _Concurrently(4) as calls:
        for _ in range(12):
            calls.submit(call)
    assert running[0] == 0  # leaving the block waited for every call
    assert most[0] == 4
    assert not together.broken


def test_the_first_failure_is_raised_and_no_call_starts_after_it():
    started = []

    def call(n):
        started.append(n)
        if n == 2:
            raise OSError("refused: request 2")
        time.sleep(0.02)

    with pytest.raises(OSError, match=r"^refused: request 2$"), _Concurrently(2) as calls:
        for n in range(100):
            calls.submit(call, n)
    assert len(started) < 10
