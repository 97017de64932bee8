"""Content negotiation with q-values (werkzeug parses Accept), shared by every view."""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal, overload

from flask import request

from kg.formats import Format

HTML = "text/html"


@overload
def best(formats: tuple[Format, ...], *, html: Literal[False] = False) -> Format | None: ...
@overload
def best(formats: tuple[Format, ...], *, html: bool) -> Format | str | None: ...


def best(formats: tuple[Format, ...], *, html: bool = False) -> Format | str | None:
    """The best of ``formats`` (or "text/html" if ``html``) for the request's Accept header.

    No Accept header means the first format (or HTML for a browser view). None means
    nothing acceptable: the caller answers 406.
    """
    offered = ([HTML] if html else []) + [f.media_type for f in formats]
    if not request.headers.get("Accept"):
        return HTML if html else formats[0]
    # application/xhtml+xml is what browsers mean by HTML
    accept = request.accept_mimetypes
    choice = accept.best_match(offered)
    if choice is None and html and accept["application/xhtml+xml"]:
        choice = HTML
    if choice is None:
        return None
    if choice == HTML:
        return HTML
    return next(f for f in formats if f.media_type == choice)


def offered_list(formats: tuple[Format, ...]) -> str:
    return ", ".join(f.media_type for f in formats)


def alternates(url: Callable[[Format | None], str], formats: tuple[Format, ...], served: Format | str) -> str:
    """A ``Link`` header naming a resource's other representations: ``url(fmt)`` is where ``fmt`` is
    served, ``url(None)`` the HTML page (listed first, unless it is what was served)."""
    links = [f'<{url(f)}>; rel="alternate"; type="{f.media_type}"' for f in formats if f != served]
    if served != HTML:
        links.insert(0, f'<{url(None)}>; rel="alternate"; type="{HTML}"')
    return ", ".join(links)
