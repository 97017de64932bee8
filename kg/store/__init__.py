"""Stores that hold the built graph: chosen by a spec string such as ``memory`` or ``oxigraph:PATH``."""

from __future__ import annotations

from ..config import Settings
from ..errors import KGError
from .base import GraphStore

STORE_KINDS = ("memory", "oxigraph:PATH", "sparql:URL")


def open_store(spec: str, settings: Settings) -> GraphStore:
    """A store for ``spec``; ``memory`` needs nothing installed or started."""
    kind, _, location = spec.partition(":")
    if kind == "memory" and not location:
        from .oxigraph import OxigraphStore

        return OxigraphStore(settings, path=None)
    if kind == "oxigraph" and location:
        from .oxigraph import OxigraphStore

        return OxigraphStore(settings, path=location)
    if kind == "sparql" and location:
        from .remote import RemoteStore

        return RemoteStore(settings, url=location)
    raise KGError(f"unknown store {spec!r}; use one of: {', '.join(STORE_KINDS)}")
