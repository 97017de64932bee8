"""Downloads of the served graphs: the bytes of ``twitch-kg export``, made once, with validators."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from kg.artefact import ARTEFACT_NAME
from kg.export import EXPORT_GRAPHS, export
from kg.formats import DATASET_FORMATS, GRAPH_FORMATS, SSSOM, Format, by_extension
from kg.namespaces import ALL_GRAPH_NAMES, GRAPH_NAMES
from kg.sssom import FILENAME as MAPPINGS

from ..state import state

#: Every format a graph can be downloaded in, by file extension.
DOWNLOAD_FORMATS: tuple[Format, ...] = GRAPH_FORMATS + DATASET_FORMATS
EXTENSIONS = tuple(f.extension for f in DOWNLOAD_FORMATS)


class UnknownDownload(LookupError):
    """A graph or file extension we do not export; the message lists the valid ones."""


@dataclass(frozen=True)
class Download:
    graph: str
    format: Format
    content: bytes
    etag: str
    last_modified: datetime

    @property
    def size(self) -> int:
        return len(self.content)

    @property
    def sha256(self) -> str:
        return self.etag  # the ETag is the SHA-256 of the bytes

    @property
    def filename(self) -> str:
        return filename(self.graph, self.format)

    @property
    def name(self) -> str:
        return export_name(self.graph, self.format)


def export_name(graph: str, fmt: Format) -> str:
    """A download's name under /export/ (what ``parse_filename`` reads back)."""
    return MAPPINGS if fmt is SSSOM else f"{graph}.{fmt.extension}"


def filename(graph: str, fmt: Format) -> str:
    """The name a download is saved under."""
    return f"twitch-kg-{export_name(graph, fmt)}"


def offered() -> list[tuple[str, Format]]:
    """(graph, format) of every download this site offers: each graph in each format, then the SSSOM table."""
    return [(graph, fmt) for graph in EXPORT_GRAPHS for fmt in DOWNLOAD_FORMATS] + [("all", SSSOM)]


def valid_choices() -> str:
    return f"graphs: {', '.join(EXPORT_GRAPHS)}; extensions: {', '.join(EXTENSIONS)}; or {MAPPINGS}"


def parse_filename(filename: str) -> tuple[str, Format]:
    """``all.ttl`` → ("all", Turtle), ``mappings.sssom.tsv`` → ("all", SSSOM); anything else raises UnknownDownload."""
    if filename == MAPPINGS:
        return "all", SSSOM
    graph, dot, extension = filename.rpartition(".")
    fmt = by_extension(DOWNLOAD_FORMATS, extension) if dot else None
    if graph not in EXPORT_GRAPHS or fmt is None:
        raise UnknownDownload(f"there is no download {filename[:80]!r}; {valid_choices()}")
    return graph, fmt


def _served_since() -> datetime:
    """When the store says its build was loaded (a shared store: the same on every server), else
    when the served artefact was written (its file time), else when we first served it."""
    loaded_at = state().store.loaded_at()
    if loaded_at is not None:
        return loaded_at
    path = state().settings.build_dir / ARTEFACT_NAME
    try:
        stamp = datetime.fromtimestamp(int(path.stat().st_mtime), tz=UTC)
    except OSError:
        stamp = datetime.now(tz=UTC).replace(microsecond=0)
    return stamp


def served_since() -> datetime:
    """When the served build was made or loaded (``_served_since``), once per app."""
    return state().cache.once(("served-since",), _served_since)


def download(graph: str, fmt: Format) -> Download:
    """The export of ``graph`` in ``fmt``, serialised once per app."""

    def make() -> Download:
        content = export(state().store, graph, fmt)
        etag = hashlib.sha256(content).hexdigest()
        return Download(graph, fmt, content, etag, served_since())

    return state().cache.once(("download", graph, fmt.extension), make)


def every_download() -> list[Download]:
    """Every download this site offers (``offered``), made."""
    return [download(graph, fmt) for graph, fmt in offered()]


def triple_counts() -> dict[str, int]:
    """Triples per named graph, once per app."""
    store = state().store
    return state().cache.once(("triple-counts",), lambda: {name: store.count(name) for name in ALL_GRAPH_NAMES})


def download_counts() -> dict[str, int]:
    """Triples per download: "all" (the default graph: its graphs' union), then each graph."""
    counts = triple_counts()
    return {"all": sum(counts[name] for name in GRAPH_NAMES), **counts}
