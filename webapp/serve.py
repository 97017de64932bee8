"""Serve the app with waitress, a production WSGI server (not Flask's development server).

SIGTERM (or SIGINT) stops the server gracefully: it stops listening, lets the requests in flight
finish for at most ``TWITCH_KG_SHUTDOWN_SECONDS`` (``webapp/settings.py``), then stops the query workers
(a query still running is stopped and answered 503), sends what is left to send and exits 0.
A second signal skips the wait.
"""

from __future__ import annotations

import errno
import logging
import signal
import threading
import time

from waitress import wasyncore
from waitress.server import create_server

from kg.config import Settings
from kg.errors import KGError

from . import connections, create_app
from . import settings as server_settings
from .operations import configure_logging
from .state import state_of
from .urls import listening_url

log = logging.getLogger("twitch_kg.serve")

#: Seconds left, after the query workers are stopped, to send the answers of the queries they were running.
FLUSH_SECONDS = 5.0
#: How often the server loop looks whether a shutdown was asked for (seconds).
POLL = 0.2


class CannotListen(KGError):
    """The server cannot listen where it was asked to (the port is taken, the host is not ours, ...)."""


def listen(app, host: str, port: int, threads: int = 8,
           connection_limit: int = connections.DEFAULT_CONNECTION_LIMIT):
    """A waitress server bound to ``host:port``, not serving yet; :class:`CannotListen` if it cannot be.
    Its connection limits, timeouts and body limit: :mod:`webapp.connections`."""
    limits = connections.waitress_settings(app.config["MAX_CONTENT_LENGTH"], connection_limit)
    try:
        server = create_server(app, host=host, port=port, threads=threads, ident="twitch-kg", asyncore_use_poll=True,
                               **limits)
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise CannotListen(f"port {port} on {host} is already in use (another twitch-kg serve?); "
                               "choose a free one with --port") from None
        raise CannotListen(f"cannot listen on {host} port {port}: {exc.strerror or exc}") from None
    connections.guard(server)
    return server


class GracefulServer:
    """A waitress server that, once :meth:`stop` is called (from any thread or a signal handler),
    stops accepting connections, waits (bounded) for the requests in flight, and returns from :meth:`run`."""

    def __init__(self, server, grace: float, on_deadline=None):
        self.server = server
        self.grace = grace
        self.on_deadline = on_deadline  # called once the wait is over (e.g. to stop the query workers)
        self._stop = threading.Event()
        self._hurry = threading.Event()

    def stop(self, hurry: bool = False) -> None:
        """Ask for a shutdown; safe in a signal handler (it only sets flags)."""
        if self._stop.is_set() or hurry:
            self._hurry.set()
        self._stop.set()

    def _loop_once(self, timeout: float = POLL) -> None:
        wasyncore.loop(timeout=timeout, map=self.server._map, use_poll=True, count=1)

    def _busy_channels(self) -> list:
        """The connections with a request being served or output not yet sent; idle ones are closed."""
        busy = []
        for channel in list(self.server.active_channels.values()):
            if channel.requests or channel.total_outbufs_len:
                busy.append(channel)
            elif not channel.will_close:
                channel.will_close = True  # an idle keep-alive connection: closed on the next loop
        return busy

    def _drain(self, seconds: float) -> int:
        """Serve the connections in flight for at most ``seconds``; how many are still busy then."""
        deadline = time.monotonic() + seconds
        while self._busy_channels() and time.monotonic() < deadline and not self._hurry.is_set():
            self._loop_once(0.05)
        self._loop_once(0)
        return len(self._busy_channels())

    def run(self) -> None:
        server = self.server
        try:
            while not self._stop.is_set():
                self._loop_once()
        except KeyboardInterrupt:
            pass
        wasyncore.dispatcher.close(server)  # stop listening: new connections are refused; the trigger stays
        in_flight = len(self._busy_channels())
        log.info("shutting down: %d request(s) in flight, waiting at most %g s", in_flight, self.grace)
        left = self._drain(self.grace)
        if left:
            log.warning("shutting down: %d request(s) still running after %g s; stopping them", left, self.grace)
        if self.on_deadline is not None:
            self.on_deadline()
        if left:
            self._hurry.clear()
            self._drain(FLUSH_SECONDS)  # their answers (503) are written once their queries are stopped
        server.task_dispatcher.shutdown(cancel_pending=True, timeout=FLUSH_SECONDS)
        for channel in list(server.active_channels.values()):
            channel.close()
        server.trigger.close()
        log.info("stopped")


def serve(settings: Settings, store_spec: str | None = None, host: str = "127.0.0.1", port: int = 8000,
          threads: int = 8, log_format: str | None = None, log_level: str | None = None) -> None:
    from kg.graph import open_graph

    values = server_settings.load()
    configure_logging(log_format or str(values["LOG_FORMAT"]), log_level or str(values["LOG_LEVEL"]))
    grace = float(values["SHUTDOWN_SECONDS"])
    connection_limit = connections.connection_limit(values["CONNECTION_LIMIT"],
                                                    explicit=server_settings.is_set("CONNECTION_LIMIT"))
    started = time.perf_counter()
    store = open_graph(settings, store_spec)
    app = create_app(settings=settings, store=store)
    # Before the query workers start: an error leaves nothing running.
    server = listen(app, host, port, threads, connection_limit)
    app_state = state_of(app)
    graceful = GracefulServer(server, grace, on_deadline=app_state.close)

    def on_signal(signum, _frame):
        graceful.stop()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    app_state.warm_up()
    port = getattr(server, "effective_port", port)  # the one chosen, for --port 0
    url = listening_url(host, port)
    if not server_settings.is_set("PUBLIC_URL"):  # absolute URLs name where this server listens
        if url is None:
            log.warning("listening on every address (%s) with TWITCH_KG_PUBLIC_URL unset: the links the site "
                        "writes start with the graph's base IRI %s; set TWITCH_KG_PUBLIC_URL to the URL people "
                        "reach this server at", host or "''", app.config["PUBLIC_URL"])
        else:
            app.config["PUBLIC_URL"] = url
    shown = url or f"http://{host or '0.0.0.0'}:{port}/"
    print(f"twitch-kg: serving {shown} (store {store_spec or settings.store}, "
          f"ready in {time.perf_counter() - started:.2f} s); SPARQL endpoint {shown}sparql", flush=True)
    try:
        graceful.run()
    finally:
        app_state.close()
