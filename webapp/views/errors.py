"""Errors as pages (or plain text / JSON for machines) that say what was wrong: never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed

log = logging.getLogger(__name__)

#: Seconds a client is asked to wait after a 503 (the workers were busy, a query was stopped, ...).
RETRY_AFTER_SECONDS = 5


def wants_html() -> bool:
    accept = request.accept_mimetypes
    return accept.best == "text/html" or (accept["text/html"] > 0 and accept["text/html"] >= accept["application/json"]
                                            and not request.path.startswith(("/sparql", "/api/")))


def problem(status: int, title: str, message: str, extra_headers: dict | None = None, *, plain: bool = False):
    """A response for an error: HTML for browsers, JSON for /api, plain text for the rest.

    ``plain`` answers plain text whatever the Accept header (for a page's .csv/.json twins).
    """
    headers = dict(extra_headers or {})
    response: Response | str | tuple[str, int, dict[str, str]]
    if not plain and (request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"):
        response = jsonify({"error": title, "message": message, "status": status})
    elif not plain and wants_html():
        response = render_template("error.html", status=status, title=title, message=message)
    else:
        response = (f"{status} {title}: {message}\n", status, {"Content-Type": "text/plain; charset=utf-8"})
    if isinstance(response, tuple):
        body, code, base_headers = response
        base_headers.update(headers)
        return body, code, base_headers
    if isinstance(response, str):
        return response, status, headers
    response.status_code = status
    response.headers.update(headers)
    return response


def _http_error(exc: HTTPException):
    headers = {}
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    return problem(exc.code or 500, exc.name, exc.description or exc.name, headers)


def _unexpected(exc: Exception):
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    log.error("unexpected error on %s", request.path, exc_info=exc)
    return problem(500, "Internal Server Error", "The server hit an unexpected error; it has been logged.")


def _retry_after(response):
    """Every 503 says when to try again (RFC 9110, 10.2.3)."""
    if response.status_code == 503 and "Retry-After" not in response.headers:
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
    app.after_request(_retry_after)
