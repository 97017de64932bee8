"""Compressed answers (issue 15): zstd, brotli, gzip or deflate, as the client asks, via flask-compress.

Compressed: HTML, JSON, CSS, JavaScript, SVG and every text format of RDF and of SPARQL results, when
the body is at least ``COMPRESS_MIN_SIZE`` bytes. Never compressed: tiny bodies, bodies that are already
compressed (any other media type, or a ``Content-Encoding`` already set), partial content (206), error
pages, and ``/metrics`` (scrapers read it often and it is small). Every answer says
``Vary: Accept-Encoding``. A strong ETag gets the coding appended (``"abc:gzip"``), so a cache never
mixes the two bodies, and conditional requests are evaluated again on the compressed answer.
"""

from __future__ import annotations

from flask import Flask, Response, request
from flask_compress import Compress

from kg.formats import DATASET_FORMATS, GRAPH_FORMATS, RESULT_FORMATS

#: Media types worth compressing: text, all of them.
MIMETYPES = sorted({
    "text/html", "text/css", "text/plain", "text/javascript", "application/javascript", "application/json",
    "application/problem+json", "image/svg+xml", "application/xml",
    *(f.media_type for f in RESULT_FORMATS + GRAPH_FORMATS + DATASET_FORMATS),
})

#: Endpoints whose answers are always sent as they are.
NEVER = frozenset({"metrics", "healthz", "readyz"})


def register(app: Flask) -> None:
    app.config.setdefault("COMPRESS_MIMETYPES", MIMETYPES)
    app.config.setdefault("COMPRESS_MIN_SIZE", 1024)
    app.config["COMPRESS_REGISTER"] = False  # our own after_request below decides what is exempt
    compress = Compress(app)

    @app.after_request
    def _compress(response: Response) -> Response:
        if request.endpoint in NEVER or response.status_code == 206:
            return response
        return compress.after_request(response)
