"""Serve the app with waitress, a production WSGI server (not Flask's development server)."""

from __future__ import annotations

import errno
import logging
import time

from waitress.server import create_server

from kg.config import Settings
from kg.errors import KGError

from . import create_app


class CannotListen(KGError):
    """The server cannot listen where it was asked to (the port is taken, the host is not ours, ...)."""


def listen(app, host: str, port: int, threads: int = 8):
    """A waitress server bound to ``host:port``, not serving yet; :class:`CannotListen` if it cannot be."""
    try:
        return create_server(app, host=host, port=port, threads=threads, ident="twitch-kg")
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CannotListen(f"port {port} on {host} is already in use (another twitch-kg serve?); "
                               "choose a free one with --port") from None
        raise CannotListen(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None


def serve(settings: Settings, store_spec: str | None = None, host: str = "127.0.0.1", port: int = 8000,
          threads: int = 8) -> None:
    from kg.graph import open_graph

    started = time.perf_counter()
    store = open_graph(settings, store_spec)
    app = create_app(settings=settings, store=store)
    server = listen(app, host, port, threads)  # before the query workers start: an error leaves nothing running
    app.extensions["twitch_kg"].warm_up()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    port = getattr(server, "effective_port", port)  # the one chosen, for --port 0
    print(f"twitch-kg: serving http://{host}:{port}/ (store {store_spec or settings.store}, "
          f"ready in {time.perf_counter() - started:.2f} s); SPARQL endpoint http://{host}:{port}/sparql", flush=True)
    server.run()
