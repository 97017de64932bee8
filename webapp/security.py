"""Response headers every page carries: no inline script, no sniffing, CORS for SPARQL clients."""

from __future__ import annotations

from flask import Flask, request

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)

#: The response headers a script on another site may read: a SPARQL client (YASGUI, say) needs to see
#: that an answer was cut (X-SPARQL-MaxRows, X-SPARQL-MaxBytes) and when to try again (Retry-After).
EXPOSED = ("Content-Type, Content-Length, Content-Disposition, Link, ETag, Last-Modified, Retry-After, "
           "X-SPARQL-MaxRows, X-SPARQL-MaxBytes, Server-Timing")

CORS_PREFIXES = ("/sparql", "/id/", "/export/", "/queries", "/.well-known/", "/api/", "/ontology", "/shapes",
                 "/validation")


def _headers(response):
    response.headers.setdefault("Content-Security-Policy", CSP)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "no-referrer")
    if request.path.startswith(CORS_PREFIXES):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Accept, Content-Type"
        response.headers["Access-Control-Expose-Headers"] = EXPOSED
    return response


def register(app: Flask) -> None:
    app.after_request(_headers)
