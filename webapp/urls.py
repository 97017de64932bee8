"""Absolute URLs of this site, from the configured public base URL and never from the Host header."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from typing import Any

from flask import current_app, request, url_for

#: The keyword arguments of ``url_for`` that change the URL itself instead of adding a query parameter.
URL_FOR_OPTIONS = frozenset({"_anchor", "_method", "_scheme", "_external"})


def query_values(params: Mapping[str, object]) -> dict[str, Any]:
    """``params`` (a request's, say) as ``url_for`` query parameters: a name ``url_for`` keeps for
    itself (``?_external=1``, ``?_anchor=x``) cannot be passed on as a parameter, so it is left out."""
    return {name: value for name, value in params.items() if name not in URL_FOR_OPTIONS}


def listening_url(host: str, port: int) -> str | None:
    """The URL of a server listening on ``host`` and ``port``: the public base URL when
    ``TWITCH_KG_PUBLIC_URL`` is unset. None for a wildcard address (0.0.0.0, ::, empty): it names no
    place to send anyone, and the machine's own idea of its name is often ``localhost``."""
    if not host.strip():
        return None
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return f"http://{host}:{port}/"  # a host name
    if address.is_unspecified:
        return None
    if address.version == 6:
        return f"http://[{host.replace('%', '%25')}]:{port}/"  # a zone id's % escaped (RFC 6874)
    return f"http://{host}:{port}/"


def public_url(endpoint: str, **values) -> str:
    """``TWITCH_KG_PUBLIC_URL`` (unset: the address ``twitch-kg serve`` listens on, or the graph's
    base IRI for a wildcard address or an app no server of ours runs) joined with the route's path."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)


def canonical_url() -> str:
    """The current page's absolute URL under the public base: its path and its query string (a page's
    parameters are its permalink), never the Host header the client sent."""
    query = request.query_string.decode("utf-8", "replace")
    return current_app.config["PUBLIC_URL"].rstrip("/") + request.path + (f"?{query}" if query else "")
