"""Absolute URLs of this site, from the configured public base URL and never from the Host header."""

from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    """``TWITCH_KG_PUBLIC_URL`` (default: the graph's base IRI) joined with the route's path."""
    return current_app.config["PUBLIC_URL"].rstrip("/") + url_for(endpoint, **values)
