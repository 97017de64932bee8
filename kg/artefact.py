"""The build artefact: one N-Quads file of the three named graphs, plus a manifest.

Deterministic (blank nodes canonically labelled, lines sorted), keyed by a hash of the
inputs so an unchanged build is not reasoned again, checksummed so corruption is caught,
and written atomically so a failed build leaves the previous artefact untouched.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from rdflib import BNode, Graph
from rdflib.compare import to_canonical_graph

from . import __version__
from .config import Settings
from .errors import ArtefactError

LOG = logging.getLogger(__name__)

ARTEFACT_NAME = "twitch-kg.nq"
MANIFEST_NAME = "manifest.json"
FORMAT_VERSION = 4  # 3: the SHACL shapes, a named-only graph; 4: inverse property values inferred


@dataclass(frozen=True)
class Artefact:
    path: Path
    manifest: dict

    @property
    def input_hash(self) -> str:
        return self.manifest["input_hash"]

    @property
    def sha256(self) -> str:
        return self.manifest["sha256"]


def input_hash(settings: Settings) -> str:
    """A hash of everything the artefact depends on."""
    digest = hashlib.sha256()
    digest.update(f"format={FORMAT_VERSION};version={__version__};base={settings.base_iri}\n".encode())
    for path in [settings.ontology_file, settings.shapes_file, *settings.data_files, *settings.text_files]:
        digest.update(path.name.encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def nquads_lines(graph: Graph, graph_iri: str) -> list[str]:
    """Canonical N-Quads lines for one named graph (stable blank node labels). Each graph's labels
    start with a digest of its IRI: canonical labels depend on structure alone, and a copy of a
    structure in another graph (an axiom in the justifications) is another node, not the same one."""
    tag = hashlib.sha256(graph_iri.encode("utf-8")).hexdigest()[:8]
    canonical = Graph()
    for triple in to_canonical_graph(graph):
        canonical.add(tuple(BNode(f"g{tag}{t}") if isinstance(t, BNode) else t for t in triple))  # type: ignore[arg-type]
    lines = []
    for line in canonical.serialize(format="nt", encoding="utf-8").decode("utf-8").splitlines():
        line = line.strip()
        if line:
            lines.append(line[:-1].rstrip() + f" <{graph_iri}> .")
    return lines


def render(graphs: dict[str, Graph], graph_iris: dict[str, str]) -> bytes:
    lines: list[str] = []
    for name in sorted(graphs):
        lines.extend(nquads_lines(graphs[name], graph_iris[name]))
    return ("\n".join(sorted(lines)) + "\n").encode("utf-8")


def atomic_write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.fchmod(fd, 0o644)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(build_dir: Path, content: bytes, manifest: dict) -> Artefact:
    """Write artefact then manifest, each atomically; the manifest names the artefact's checksum."""
    manifest = {**manifest, "sha256": hashlib.sha256(content).hexdigest(), "format": FORMAT_VERSION}
    try:
        atomic_write(build_dir / ARTEFACT_NAME, content)
        atomic_write(build_dir / MANIFEST_NAME, (json.dumps(manifest, indent=2, sort_keys=True) + "\n").encode())
    except OSError as exc:
        raise ArtefactError(f"cannot write the build artefact to {build_dir}: {exc.strerror or exc}") from exc
    return Artefact(build_dir / ARTEFACT_NAME, manifest)


def read_manifest(build_dir: Path) -> dict | None:
    try:
        return json.loads((build_dir / MANIFEST_NAME).read_text())
    except (OSError, ValueError):
        return None


def verified(build_dir: Path) -> Artefact | None:
    """The artefact in ``build_dir`` if present and its checksum matches; None if absent."""
    manifest = read_manifest(build_dir)
    path = build_dir / ARTEFACT_NAME
    if manifest is None or not path.is_file():
        return None
    with path.open("rb") as handle:  # streamed: a million-triple artefact is 220 MB
        actual = hashlib.file_digest(handle, "sha256").hexdigest()
    if actual != manifest.get("sha256"):
        raise ArtefactError(
            f"the build artefact {path} is corrupt (checksum {actual[:12]}… does not match "
            f"the manifest's {str(manifest.get('sha256'))[:12]}…); run `twitch-kg build --force`"
        )
    return Artefact(path, manifest)


def current(settings: Settings) -> Artefact | None:
    """The artefact if it was built from exactly the present inputs."""
    try:
        found = verified(settings.build_dir)
    except ArtefactError as exc:
        LOG.warning("%s; building it again", exc)  # rebuilt, but never without a word
        return None
    if found is not None and found.input_hash == input_hash(settings):
        return found
    return None
