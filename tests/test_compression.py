"""Compressed answers (issue 15): large text bodies are gzip/brotli/zstd-compressed when the client asks,
every answer says ``Vary: Accept-Encoding``, ETags stay correct, and tiny bodies, ``/metrics`` and
already-compressed bodies are sent as they are."""

from __future__ import annotations

import gzip

import brotli
import pytest

GZIP = {"Accept-Encoding": "gzip"}
HTML = {"Accept": "text/html"}
BIG_QUERY = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


def test_a_large_html_page_is_gzipped_with_vary(client):
    plain = client.get("/sparql", query_string={"query": BIG_QUERY}, headers=HTML)
    assert plain.status_code == 200 and "Content-Encoding" not in plain.headers
    assert "Accept-Encoding" in plain.headers["Vary"]
    squeezed = client.get("/sparql", query_string={"query": BIG_QUERY}, headers={**HTML, **GZIP})
    assert squeezed.status_code == 200
    assert squeezed.headers["Content-Encoding"] == "gzip"
    assert squeezed.headers["Content-Type"].startswith("text/html")
    assert "Accept-Encoding" in squeezed.headers["Vary"]
    body = gzip.decompress(squeezed.get_data())
    assert len(plain.get_data()) > 100_000
    assert int(squeezed.headers["Content-Length"]) == len(squeezed.get_data()) < len(plain.get_data()) / 5
    # the same page, apart from the time it took
    assert body.split(b" ms.")[1] == plain.get_data().split(b" ms.")[1]


def test_brotli_is_used_when_preferred(client):
    response = client.get("/", headers={"Accept-Encoding": "br;q=1, gzip;q=0.5"})
    assert response.headers["Content-Encoding"] == "br"
    assert b"<!doctype html>" in brotli.decompress(response.get_data())


@pytest.mark.parametrize("path", ["/export/all.ttl", "/export/all.nt", "/export/all.jsonld", "/export/all.rdf",
                                  "/export/all.trig", "/export/all.nq",
                                  "/sparql?query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D&format=csv",
                                  "/sparql?query=SELECT+*+WHERE+%7B+%3Fs+%3Fp+%3Fo+%7D&format=json"])
def test_rdf_csv_and_json_are_compressed(client, path):
    plain = client.get(path)
    squeezed = client.get(path, headers=GZIP)
    assert squeezed.status_code == 200 and squeezed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(squeezed.get_data()) == plain.get_data()


def test_etags_stay_correct(client):
    plain = client.get("/export/asserted.ttl")
    squeezed = client.get("/export/asserted.ttl", headers=GZIP)
    assert squeezed.headers["ETag"] == plain.headers["ETag"][:-1] + ':gzip"'  # another body, another tag
    again = client.get("/export/asserted.ttl", headers={**GZIP, "If-None-Match": squeezed.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    # the identity tag still validates the identity body
    assert client.get("/export/asserted.ttl", headers={"If-None-Match": plain.headers["ETag"]}).status_code == 304
    # a gzip tag does not validate the identity body (a client holding the identity body may keep it)
    assert client.get("/export/asserted.ttl", headers={"If-None-Match": squeezed.headers["ETag"]}).status_code == 200


def test_tiny_bodies_metrics_and_images_are_not_compressed(client):
    for path in ("/healthz", "/metrics", "/static/favicon.svg"):
        response = client.get(path, headers=GZIP)
        assert response.status_code == 200
        assert "Content-Encoding" not in response.headers, path
    assert len(client.get("/metrics").get_data()) > 1024  # large enough, and still sent as it is


def test_an_already_encoded_body_is_left_alone(app):
    from flask import Response

    with app.test_request_context("/", headers=GZIP):
        response = Response(gzip.compress(b"x" * 10_000), mimetype="text/plain", headers={"Content-Encoding": "gzip"})
        after = app.process_response(response)
        assert after.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(after.get_data()) == b"x" * 10_000
    with app.test_request_context("/", headers=GZIP):
        zipped = app.process_response(Response(b"PK" + b"\0" * 5000, mimetype="application/zip"))
        assert "Content-Encoding" not in zipped.headers
