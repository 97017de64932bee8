"""What an operator needs: health and readiness checks, Prometheus metrics, one log line per request.

- ``/healthz``: the process answers (200, a tiny body, nothing looked at).
- ``/readyz``: the store holds a build and a trivial query (``ASK {}``) answers, and the query
  workers are not still starting: 200, else 503 with the reason (e.g. a ``sparql:`` store that
  cannot be reached).
- ``/metrics``: the Prometheus text format, from a registry of this app's own (several apps in
  one process do not mix): requests by route template and status, their latency, the query
  workers, the answer cache, the triples per graph and the build. Labels are route templates and
  fixed names, never a path, a query string or a query: nothing a person typed. On unless
  ``TWITCH_KG_METRICS=0``.
- Every request gets a request id (``X-Request-Id``: the proxy's if it is a short string of safe
  characters, else a new one), returned in the response and written in its access-log line
  (logger ``twitch_kg.access``): time, method, route template, status, duration, bytes and
  request id; never the query string, the body or a header. The health checks are left out of the
  access log unless ``TWITCH_KG_LOG_HEALTH_CHECKS=1``.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid
from datetime import UTC, datetime

from flask import Flask, Response, request
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily

import kg
from kg.errors import KGError
from kg.namespaces import ALL_GRAPH_NAMES

from .state import state, state_of

access_log = logging.getLogger("twitch_kg.access")
log = logging.getLogger(__name__)

REQUEST_ID_HEADER = "X-Request-Id"
#: A request id we take from the proxy: at most 128 characters, letters, digits and ``-_.:/+=``.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:/+=-]{0,127}")
HEALTH_ROUTES = frozenset({"/healthz", "/readyz"})
#: The route label of a request no route matched (a 404, say): never its path.
UNMATCHED = "(unmatched)"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"})
#: Latency buckets (seconds): pages take milliseconds, queries up to the time limit.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

_ROUTE = "twitch_kg.route"
_REQUEST_ID = "twitch_kg.request_id"


def request_id_from(header: str | None) -> str:
    """The proxy's request id if it is safe to echo and log, else a new one."""
    if header and SAFE_REQUEST_ID.fullmatch(header):
        return header
    return uuid.uuid4().hex


def _flag(value, default: bool = True) -> bool:
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        return value
    return str(value).strip().lower() not in ("0", "false", "no", "off")


# ---------------------------------------------------------------- health and readiness


def healthz():
    return Response("ok\n", mimetype="text/plain")


def readiness(app_state) -> str | None:
    """Why the app is not ready to answer queries, or None if it is."""
    store = app_state.store
    try:
        if store.loaded_hash() is None:
            return "the store holds no build"
        answer = store.query("ASK {}")
    except (KGError, OSError) as exc:
        return f"the store does not answer: {exc}"
    if answer.boolean is not True:
        return "the store does not answer a trivial query (ASK {})"
    return app_state.workers_unready()


def readyz():
    reason = readiness(state())
    if reason is None:
        return Response("ready\n", mimetype="text/plain")
    return Response(f"not ready: {reason}\n", status=503, mimetype="text/plain", headers={"Retry-After": "5"})


# ---------------------------------------------------------------- metrics


class _StateCollector:
    """Read at every scrape from the app's state: the query workers, the answer cache, the store."""

    def __init__(self, app: Flask):
        self.app = app

    def collect(self):
        app_state = state_of(self.app)
        store = app_state.store

        pool = app_state.running_pool()
        workers = GaugeMetricFamily("twitch_kg_query_workers", "Query worker processes by state",
                                    labels=["state"])
        restarts = CounterMetricFamily("twitch_kg_query_worker_restarts",
                                       "Query workers replaced after a kill, a crash or a large answer")
        timeouts = CounterMetricFamily("twitch_kg_query_timeouts", "Queries stopped at the time limit")
        refusals = CounterMetricFamily("twitch_kg_query_refusals",
                                       "Queries refused because every worker stayed busy as long as they may wait")
        busy = len(pool.busy_pids()) if pool is not None else 0
        idle = len(pool.idle_pids()) if pool is not None else 0
        workers.add_metric(["busy"], busy)
        workers.add_metric(["idle"], idle)
        restarts.add_metric([], pool.restarts if pool is not None else 0)
        timeouts.add_metric([], pool.timeouts if pool is not None else 0)
        refusals.add_metric([], pool.refusals if pool is not None else 0)
        yield workers
        yield restarts
        yield timeouts
        yield refusals

        answers = getattr(store, "answers", None)
        if answers is not None:
            cache = CounterMetricFamily("twitch_kg_answer_cache_lookups", "Answer-cache lookups by outcome",
                                        labels=["outcome"])
            cache.add_metric(["hit"], answers.hits)
            cache.add_metric(["miss"], answers.misses)
            yield cache

        up = GaugeMetricFamily("twitch_kg_store_up", "1 if the store answered this scrape, else 0")
        try:
            with self.app.app_context():
                build = app_state.cache.once(("metrics", "build-hash"), store.loaded_hash)
                counts = app_state.cache.once(("metrics", "triples"),
                                              lambda: {name: store.count(name) for name in ALL_GRAPH_NAMES})
                loaded_at = app_state.cache.once(("metrics", "loaded-at"),
                                                 lambda: store.loaded_at() or app_state.started_at)
        except Exception as exc:  # a store that cannot answer is a 0 here, never a failed scrape
            log.warning("metrics: the store did not answer: %s", exc)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        triples = GaugeMetricFamily("twitch_kg_store_triples", "Triples in each named graph of the served build",
                                    labels=["graph"])
        for name, count in counts.items():
            triples.add_metric([name], count)
        yield triples
        info = InfoMetricFamily("twitch_kg_build", "The served build: package version and build (input) hash")
        info.add_metric([], {"version": kg.__version__, "build_hash": build or ""})
        yield info
        loaded = GaugeMetricFamily("twitch_kg_build_loaded_timestamp_seconds",
                                   "When the served build was loaded (Unix time)")
        loaded.add_metric([], loaded_at.timestamp())
        yield loaded


class Metrics:
    """This app's registry and its request metrics."""

    def __init__(self, app: Flask):
        self.registry = CollectorRegistry()  # not auto_describe: the store is read at a scrape, never at startup
        self.requests = Counter("twitch_kg_http_requests", "HTTP requests by method, route template and status",
                                ["method", "route", "status"], registry=self.registry)
        self.latency = Histogram("twitch_kg_http_request_duration_seconds",
                                 "Time from a request's arrival to the last byte of its response",
                                 ["method", "route"], buckets=BUCKETS, registry=self.registry)
        self.registry.register(_StateCollector(app))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        method = method if method in METHODS else "other"
        self.requests.labels(method, route, str(status)).inc()
        self.latency.labels(method, route).observe(seconds)

    def exposition(self) -> Response:
        return Response(generate_latest(self.registry), mimetype=None, content_type=CONTENT_TYPE_LATEST)


# ---------------------------------------------------------------- request ids, timing, the access log


class _Body:
    """The response body, passed through; once it is sent (or closed) the request is logged and measured."""

    def __init__(self, body, finish):
        self._body = body
        self._finish = finish
        self._finished = False
        self.sent = 0

    def __iter__(self):
        for chunk in self._body:
            self.sent += len(chunk)
            yield chunk
        self._done()

    def _done(self):
        if not self._finished:
            self._finished = True
            self._finish(self.sent)

    def close(self):
        try:
            close = getattr(self._body, "close", None)
            if close is not None:
                close()
        finally:
            self._done()


class Operations:
    """WSGI middleware around the Flask app: request id, timing, metrics, access log."""

    def __init__(self, app: Flask, wsgi_app, metrics: Metrics | None, log_health_checks: bool):
        self.app = app
        self.wsgi_app = wsgi_app
        self.metrics = metrics
        self.log_health_checks = log_health_checks

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        request_id = request_id_from(environ.get("HTTP_X_REQUEST_ID"))
        environ[_REQUEST_ID] = request_id
        seen = {}

        def starting(status, headers, exc_info=None):
            seen["status"] = int(status.split(" ", 1)[0])
            headers = [(k, v) for k, v in headers if k.lower() != "x-request-id"]
            headers.append((REQUEST_ID_HEADER, request_id))
            return start_response(status, headers, exc_info)

        def finish(sent: int):
            self.finished(environ, seen.get("status", 500), sent, time.perf_counter() - started, request_id)

        return _Body(self.wsgi_app(environ, starting), finish)

    def finished(self, environ, status: int, sent: int, seconds: float, request_id: str) -> None:
        route = environ.get(_ROUTE) or UNMATCHED
        method = environ.get("REQUEST_METHOD", "")
        method = method if method in METHODS else "other"
        if self.metrics is not None:
            self.metrics.observe(method, route, status, seconds)
        if route in HEALTH_ROUTES and not self.log_health_checks:
            return
        if access_log.isEnabledFor(logging.INFO):
            access_log.info("%s %s %d %.1f ms %d B id=%s", method, route, status, seconds * 1000, sent, request_id,
                            extra={"access": {"method": method, "route": route, "status": status,
                                              "duration_ms": round(seconds * 1000, 3), "bytes": sent,
                                              "request_id": request_id}})


def _note_route() -> None:
    rule = request.url_rule
    request.environ[_ROUTE] = rule.rule if rule is not None else None


def current_request_id() -> str | None:
    """The id of the request being served, if any (for log lines written while serving it)."""
    try:
        return request.environ.get(_REQUEST_ID)
    except RuntimeError:  # outside a request
        return None


def register(app: Flask) -> None:
    """Add the health checks, the metrics (unless turned off) and the request middleware to ``app``."""
    metrics = Metrics(app) if _flag(app.config.get("METRICS"), True) else None
    app.before_request(_note_route)
    app.add_url_rule("/healthz", "healthz", healthz, methods=["GET"])
    app.add_url_rule("/readyz", "readyz", readyz, methods=["GET"])
    if metrics is not None:
        app.add_url_rule("/metrics", "metrics", metrics.exposition, methods=["GET"])
    # Flask's documented way to wrap the WSGI app in middleware; mypy forbids assigning to a method
    app.wsgi_app = Operations(  # type: ignore[method-assign]
        app, app.wsgi_app, metrics, _flag(app.config.get("LOG_HEALTH_CHECKS"), False))


# ---------------------------------------------------------------- log formats


class JSONFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, the request's fields if any."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds")
                    .replace("+00:00", "Z"),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        access = getattr(record, "access", None)
        if access is not None:
            line.update(access)
        else:
            line["message"] = record.getMessage()
            request_id = current_request_id()
            if request_id:
                line["request_id"] = request_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False)


LOG_FORMATS = ("text", "json")
LOG_LEVELS = ("debug", "info", "warning", "error", "critical")


def configure_logging(fmt: str = "text", level: str = "info", stream=None) -> None:
    """Log lines to standard error (or ``stream``): ``text`` for people, ``json`` for collectors."""
    if fmt not in LOG_FORMATS:
        raise KGError(f"unknown log format {fmt!r}; use one of: {', '.join(LOG_FORMATS)}")
    if level.lower() not in LOG_LEVELS:
        raise KGError(f"unknown log level {level!r}; use one of: {', '.join(LOG_LEVELS)}")
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JSONFormatter() if fmt == "json" else
                         logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level.upper())
