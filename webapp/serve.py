"""Serve the app with waitress, a production WSGI server (not Flask's development server)."""

from __future__ import annotations

import logging
import time

from waitress import serve as waitress_serve

from kg.config import Settings

from . import create_app


def serve(settings: Settings, store_spec: str | None = None, host: str = "127.0.0.1", port: int = 8000,
          threads: int = 8) -> None:
    from kg.graph import open_graph

    started = time.perf_counter()
    store = open_graph(settings, store_spec)
    app = create_app(settings=settings, store=store)
    app.extensions["twitch_kg"].warm_up()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    print(f"twitch-kg: serving http://{host}:{port}/ (store {store_spec or settings.store}, "
          f"ready in {time.perf_counter() - started:.2f} s); SPARQL endpoint http://{host}:{port}/sparql", flush=True)
    waitress_serve(app, host=host, port=port, threads=threads, ident="twitch-kg")
