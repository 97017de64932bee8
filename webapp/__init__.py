"""The twitch-kg web app: ``create_app()`` application factory, one blueprint per concern."""

from __future__ import annotations

import os

from flask import Flask

from kg.config import Settings, load_settings
from kg.graph import open_graph
from kg.store import GraphStore

from .state import AppState


def create_app(test_config: dict | None = None, *, settings: Settings | None = None,
               store: GraphStore | None = None) -> Flask:
    """The app over ``store`` (default: the current build loaded into the configured store)."""
    app = Flask(__name__)
    app.config.from_mapping(
        QUERY_TIMEOUT=float(os.environ.get("TWITCH_KG_QUERY_TIMEOUT", 10.0)),
        ROW_LIMIT=int(os.environ.get("TWITCH_KG_ROW_LIMIT", 10_000)),
        QUERY_WORKERS=int(os.environ.get("TWITCH_KG_QUERY_WORKERS", 2)),
        BUILD_CHECK_SECONDS=float(os.environ.get("TWITCH_KG_BUILD_CHECK_SECONDS", 5.0)),
        METRICS=os.environ.get("TWITCH_KG_METRICS", "1"),  # 0: no /metrics
        LOG_HEALTH_CHECKS=os.environ.get("TWITCH_KG_LOG_HEALTH_CHECKS", "0"),  # 1: /healthz, /readyz in the access log
        MAX_CONTENT_LENGTH=1_000_000,
    )
    if test_config:
        app.config.from_mapping(test_config)
    settings = settings or load_settings()
    # Absolute URLs (VoID, the service description, a query's base IRI) come from here, never from
    # the Host header a client sends; unset, from the IRIs the graph is minted under.
    app.config.setdefault("PUBLIC_URL", os.environ.get("TWITCH_KG_PUBLIC_URL") or settings.base_iri)
    store = store or open_graph(settings)
    app.extensions["twitch_kg"] = AppState.create(settings, store, app.config)

    from . import filters, freshness, operations, security
    from .views import checker, downloads, entities, errors, queries, site, sparql

    operations.register(app)  # first: its before_request notes the route of every request
    filters.register(app)
    freshness.register(app)
    security.register(app)
    errors.register(app)
    for module in (site, sparql, queries, entities, downloads, checker):
        app.register_blueprint(module.bp)
    return app
