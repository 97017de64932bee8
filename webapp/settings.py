"""Every setting of the server, declared once: name, type, default, what it does.

The table is read from the environment (``TWITCH_KG_<NAME>``) into the Flask config by
:func:`load`, printed by ``twitch-kg serve --help`` (:func:`help_table`) and written in the README
(``tests/test_readme.py`` holds the two to the same rows). The build's own settings (inputs, store,
base IRI) are in :mod:`kg.config`, documented in :data:`kg.config.BUILD_SETTINGS`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kg.config import BUILD_SETTINGS, Documented
from kg.errors import KGError
from kg.query.untrusted import DEFAULT_BYTE_LIMIT, DEFAULT_QUEUE_SECONDS, DEFAULT_ROW_LIMIT, DEFAULT_TIMEOUT

from .connections import DEFAULT_CONNECTION_LIMIT

PREFIX = "TWITCH_KG_"


class BadSetting(KGError):
    """An environment variable holds a value its setting cannot take."""


@dataclass(frozen=True)
class Setting:
    """One server setting: the Flask config key ``name``, read from ``TWITCH_KG_<name>``."""

    name: str
    type: type
    default: object
    help: str
    #: How the default reads in the docs, when it is not the value itself (e.g. another setting).
    shown_default: str | None = None
    #: The smallest value a number may take.
    minimum: float = 0

    @property
    def variable(self) -> str:
        return PREFIX + self.name

    def parse(self, text: str) -> object:
        """The typed value of ``text``; :class:`BadSetting` names the variable and what it takes."""
        text = text.strip()
        if self.type is bool:
            if text.lower() in ("1", "true", "yes", "on"):
                return True
            if text.lower() in ("0", "false", "no", "off"):
                return False
            raise BadSetting(f"{self.variable} must be 1 or 0, not {text[:40]!r}")
        try:
            value = self.type(text)
        except ValueError:
            kind = {int: "a whole number", float: "a number"}.get(self.type, "a value")
            raise BadSetting(f"{self.variable} must be {kind}, not {text[:40]!r}") from None
        if isinstance(value, (int, float)) and value < self.minimum:
            bound = "must not be negative" if self.minimum == 0 else f"must be at least {self.minimum:g}"
            raise BadSetting(f"{self.variable} {bound}, not {text[:40]!r}")
        return value

    def documented(self) -> Documented:
        if self.shown_default is not None:
            shown = self.shown_default
        elif self.type is bool:
            shown = "`1`" if self.default else "`0`"
        else:
            shown = f"`{self.default:g}`" if isinstance(self.default, float) else f"`{self.default}`"
        return Documented(f"`{self.variable}`", shown, self.help)


SERVER_SETTINGS: tuple[Setting, ...] = (
    Setting("PUBLIC_URL", str, "", "the start of every absolute URL the site writes (VoID, service description, "
            "a query's base IRI, canonical links, sitemap); never the `Host` header",
            shown_default="the address `serve` listens on"),
    Setting("QUERY_TIMEOUT", float, DEFAULT_TIMEOUT, "seconds a `/sparql` query may run before its worker is stopped"),
    Setting("ROW_LIMIT", int, DEFAULT_ROW_LIMIT,
            "rows (or triples) of an answer at most (`X-SPARQL-MaxRows` says when it was cut)"),
    Setting("ANSWER_BYTES", int, DEFAULT_BYTE_LIMIT, "characters of term text an answer holds at most, counted as "
            "its rows are produced (`X-SPARQL-MaxBytes` says when it was cut)"),
    Setting("PAGE_ROWS", int, 1000, "rows the query page shows at most (the downloads hold the whole answer)"),
    Setting("QUERY_WORKERS", int, 2, "query worker processes (`0`: queries run in the server process)"),
    Setting("WORKER_MEMORY_MB", int, 128, "memory a query may add to its worker (address space, beyond the "
            "opened store); a query that needs more is stopped (503) and its worker replaced"),
    Setting("QUEUE_SECONDS", float, DEFAULT_QUEUE_SECONDS, "seconds a query may wait for a free worker (within "
            "its time limit) before a 503 with `Retry-After`"),
    Setting("QUERY_QUEUE", int, 2, "queries that may wait for a worker at once; more get a 503 at once, so "
            "queries never hold every server thread"),
    Setting("BUILD_CHECK_SECONDS", float, 5.0, "how often a server over a shared store looks for a new build"),
    Setting("METRICS", bool, True, "`0`: no `/metrics`"),
    Setting("LOG_FORMAT", str, "text", "`json`: one JSON object per line (`--log-format`)"),
    Setting("LOG_LEVEL", str, "info", "the least severe line logged (`--log-level`)"),
    Setting("LOG_HEALTH_CHECKS", bool, False, "`1`: `/healthz` and `/readyz` in the access log"),
    Setting("SHUTDOWN_SECONDS", float, 15.0, "how long in-flight requests may take to finish after SIGTERM"),
    Setting("CONNECTION_LIMIT", int, DEFAULT_CONNECTION_LIMIT, "connections waitress keeps open at once; the soft "
            "limit on open files is raised to this plus 256 (never above the hard limit: an error if the value set "
            "needs more, and the default lowered to fit, with a warning)", minimum=1),
)


def load(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Every server setting: its environment variable's value if set (and not empty), else its default."""
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}  # each of its setting's type
    for setting in SERVER_SETTINGS:
        text = environ.get(setting.variable, "")
        values[setting.name] = setting.parse(text) if text.strip() else setting.default
    return values


def is_set(name: str, environ: Mapping[str, str] | None = None) -> bool:
    """Whether the environment sets the setting ``name`` (not empty)."""
    environ = os.environ if environ is None else environ
    return bool(environ.get(PREFIX + name, "").strip())


def documented() -> list[Documented]:
    """Every setting, the build's and the server's, as the README and ``serve --help`` list them."""
    return list(BUILD_SETTINGS) + [setting.documented() for setting in SERVER_SETTINGS]


def markdown_table() -> str:
    rows = ["| setting | default | what it does |", "|---|---|---|"]
    rows += [f"| {d.name} | {d.default} | {d.help} |" for d in documented()]
    return "\n".join(rows)


def help_table() -> str:
    """The same rows as plain text, for ``twitch-kg serve --help``."""
    lines = ["settings (environment variables; a command-line option, where there is one, wins):"]
    for d in documented():
        lines.append(f"  {_plain(d.name)}  (default {_plain(d.default)})")
        lines.append(f"      {_plain(d.help)}")
    return "\n".join(lines)


def _plain(text: str) -> str:
    return text.replace("`", "")
