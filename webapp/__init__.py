"""The twitch-kg web app: ``create_app()`` application factory, one blueprint per concern."""

from __future__ import annotations

from flask import Flask

from kg.config import Settings, load_settings
from kg.graph import open_graph
from kg.store import GraphStore

from . import settings as server_settings
from .state import AppState, attach

#: The largest request body the app reads (a SPARQL query or a check); larger ones get 413.
MAX_CONTENT_LENGTH = 1_000_000


def create_app(test_config: dict | None = None, *, settings: Settings | None = None,
               store: GraphStore | None = None) -> Flask:
    """The app over ``store`` (default: the current build loaded into the configured store).

    Its config is the settings table (``webapp/settings.py``) read from the environment, then
    ``test_config``.
    """
    app = Flask(__name__)
    app.config.from_mapping(server_settings.load(), MAX_CONTENT_LENGTH=MAX_CONTENT_LENGTH)
    if test_config:
        app.config.from_mapping(test_config)
    settings = settings or load_settings()
    # Absolute URLs (VoID, the service description, a query's base IRI) come from here, never from
    # the Host header a client sends; unset, from the address `twitch-kg serve` listens on (webapp/serve.py),
    # or, for an app no server of ours runs, from the IRIs the graph is minted under.
    app.config["PUBLIC_URL"] = app.config["PUBLIC_URL"] or settings.base_iri
    store = store or open_graph(settings)
    attach(app, AppState.create(settings, store, app.config))

    from . import filters, freshness, operations, security
    from .views import (
        api,
        article,
        checker,
        completion,
        compression,
        downloads,
        entities,
        errors,
        findable,
        queries,
        shapes,
        site,
        sparql,
    )

    operations.register(app)  # first: its before_request notes the route of every request
    filters.register(app)
    freshness.register(app)
    security.register(app)
    errors.register(app)
    compression.register(app)  # gzip/brotli/zstd answers with Vary: Accept-Encoding (issue 15)
    for module in (site, sparql, completion, queries, entities, downloads, checker, article, api, findable, shapes):
        app.register_blueprint(module.bp)
    return app
