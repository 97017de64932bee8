"""How ``twitch-kg serve`` holds up against many, slow or malformed connections (waitress settings).

waitress reads request headers and bodies in its event loop, without a thread: a client that is slow
to send (slowloris, a slow upload) or that sends nothing (an idle keep-alive connection) holds only a
connection, never one of the 8 threads. What such clients can exhaust is the number of connections
waitress keeps open (``connection_limit``, 100 by default: the 101st connection waits, unaccepted,
until one of them closes) and the process's open files. So:

- ``connection_limit`` is :data:`DEFAULT_CONNECTION_LIMIT` (``TWITCH_KG_CONNECTION_LIMIT``), and the
  soft limit on open files is raised to what that needs (:func:`connection_limit`; never above the
  hard limit);
- waiting connections are accepted up to :data:`ACCEPT_BATCH` at a time (waitress: one per turn of
  its event loop, each turn walking every open connection);
- a connection with nothing in flight is closed after :data:`CHANNEL_TIMEOUT` seconds without a byte
  (``channel_timeout``), looked for every :data:`CLEANUP_INTERVAL` seconds (``cleanup_interval``);
- a request body longer than the app's limit plus :data:`BODY_MARGIN` is refused (413) by waitress
  itself (``max_request_body_size``): a declared ``Content-Length`` as soon as the headers are read,
  before a byte of the body; a chunked body once that much has arrived (waitress's default, 1 GB, let a
  body be written to a temporary file in full before the app's 413);
- a request with both ``Transfer-Encoding: chunked`` and ``Content-Length`` (a request-smuggling shape,
  RFC 9112 section 6.1) is answered 400 and its connection closed (:class:`GuardedParser`): waitress
  would read it as chunked and keep the connection open; so is an HTTP/1.0 request with
  ``Transfer-Encoding``, which waitress would read by its ``Content-Length``.
"""

from __future__ import annotations

import functools
import logging
import resource

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.server import BaseWSGIServer

from kg.errors import KGError

log = logging.getLogger("twitch_kg.serve")

#: Connections waitress keeps open at most (waitress's default is 100).
DEFAULT_CONNECTION_LIMIT = 4000
#: Seconds a connection with no request in flight may stay silent before it is closed (waitress: 120).
#: Longer than a proxy's idle keep-alive to us (deploy/nginx/twitch-kg.conf: 20 s), so the proxy,
#: not we, closes an idle upstream connection.
CHANNEL_TIMEOUT = 30
#: Seconds between two looks for silent connections (waitress: 30).
CLEANUP_INTERVAL = 5
#: Bytes waitress accepts beyond the app's own body limit, so that a body just over it gets the app's
#: 413 (with its message) and only a far larger one waitress's.
BODY_MARGIN = 64 * 1024
#: Connections accepted at most per turn of the event loop (waitress accepts one): each turn walks
#: every open connection, so with hundreds open a burst of new ones (an attacker reconnecting after
#: the timeout) would keep a visitor's connection waiting behind them for hundreds of turns.
ACCEPT_BATCH = 64
#: Open files the process needs besides its connections: the build, the query workers' pipes, logs, ...
SPARE_FILES = 256


class GuardedParser(HTTPRequestParser):
    """waitress's request parser, refusing the requests whose framing RFC 9112 (section 6.1) calls
    faulty: ``Transfer-Encoding: chunked`` with ``Content-Length``, and ``Transfer-Encoding`` in an
    HTTP/1.0 request (which waitress would frame by its ``Content-Length``). 400, and the connection
    is then closed, as after any parse error."""

    def parse_header(self, header_plus):
        super().parse_header(header_plus)
        if self.chunked and "CONTENT_LENGTH" in self.headers:
            raise ParsingError("a request may not carry both Transfer-Encoding and Content-Length")
        if self.version == "1.0" and "TRANSFER_ENCODING" in self.headers:
            raise ParsingError("an HTTP/1.0 request may not carry Transfer-Encoding")


class GuardedChannel(HTTPChannel):
    parser_class = GuardedParser  # type: ignore[mutable-override]  # waitress reads it as a class attribute


def waitress_settings(max_content_length: int, connection_limit: int = DEFAULT_CONNECTION_LIMIT) -> dict:
    """The waitress adjustments (``create_server`` keywords) for an app whose bodies are at most
    ``max_content_length`` bytes."""
    return {
        "connection_limit": connection_limit,
        "channel_timeout": CHANNEL_TIMEOUT,
        "cleanup_interval": CLEANUP_INTERVAL,
        "max_request_body_size": max_content_length + BODY_MARGIN,
    }


def _accept_batch(listener: BaseWSGIServer) -> None:
    """waitress's ``handle_accept``, again while connections are waiting: at most :data:`ACCEPT_BATCH`,
    and never past the connection limit."""
    for _ in range(ACCEPT_BATCH):
        before = len(listener._map)  # type: ignore[attr-defined]  # waitress's asyncore map of channels
        if before >= listener.adj.connection_limit:
            return
        type(listener).handle_accept(listener)
        if len(listener._map) == before:  # type: ignore[attr-defined]
            return  # none waiting (or one that failed, which waitress logs)


def guard(server) -> None:
    """Make every listening socket of a waitress server (``create_server``'s answer) parse requests
    with :class:`GuardedParser` and accept waiting connections in batches; before it has accepted one."""
    dispatchers = getattr(server, "_map", None) or getattr(server, "map", {})
    for dispatcher in list(dispatchers.values()):
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = GuardedChannel
            dispatcher.handle_accept = functools.partial(_accept_batch, dispatcher)  # type: ignore[method-assign]


def connection_limit(limit: int, explicit: bool = False) -> int:
    """The connections to serve at most (``TWITCH_KG_CONNECTION_LIMIT``, default
    :data:`DEFAULT_CONNECTION_LIMIT`); the soft limit on open files (``ulimit -n``) is raised to what
    they need, never above the hard limit (``ulimit -Hn``). Past the hard limit, a limit that was
    set (``explicit``) is a :class:`KGError` (one line, what to do); the default is lowered to fit,
    with a warning."""
    setting = explicit
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and hard < limit + SPARE_FILES:
        fits = max(hard - SPARE_FILES, 1)
        if setting:
            raise KGError(f"TWITCH_KG_CONNECTION_LIMIT={limit} needs {limit + SPARE_FILES} open files, but the "
                          f"hard limit is {hard} (ulimit -Hn): raise it, or set TWITCH_KG_CONNECTION_LIMIT to {fits} "
                          "or less")
        log.warning("the hard limit on open files (ulimit -Hn) is %d: serving at most %d connections, not %d",
                    hard, fits, limit)
        limit = fits
    if soft != resource.RLIM_INFINITY and soft < limit + SPARE_FILES:
        resource.setrlimit(resource.RLIMIT_NOFILE, (limit + SPARE_FILES, hard))
    return limit
