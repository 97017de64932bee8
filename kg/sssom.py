"""The graph's cross-references as an SSSOM mapping table (Simple Standard for Sharing Ontological Mappings).

One row per SKOS mapping relation (``skos:exactMatch``, ``closeMatch``, ``broadMatch``,
``narrowMatch``, ``relatedMatch``) from an entity of the graph to a term of another ontology, read
from the store; the metadata block (YAML in ``#`` lines, as the SSSOM TSV format has it) names the
mapping set by the base IRI, its licence and version from the ontology's header. Every mapping of
the graph was curated by hand and checked against a release of its target ontology
(tests/test_xrefs.py), so each row's justification is ``semapv:ManualMappingCuration``.
"""

from __future__ import annotations

import csv
import io
import re

from .resources import path
from .store import GraphStore

FOLDER = path("kg", "sparql")
FILENAME = "mappings.sssom.tsv"
COLUMNS = ("subject_id", "subject_label", "predicate_id", "object_id", "mapping_justification")
JUSTIFICATION = "semapv:ManualMappingCuration"
SEMAPV = "https://w3id.org/semapv/vocab/"
OBO = re.compile(r"http://purl\.obolibrary\.org/obo/([A-Za-z][A-Za-z0-9]*)_(\w+)")


def _query(store: GraphStore, name: str):
    return store.query((FOLDER / f"export-{name}.rq").read_text(encoding="utf-8")).rows


class _Curies:
    """Compact IRIs with the store's prefixes, and OBO PURLs by the OBO convention (HP_0002380 → HP:0002380)."""

    def __init__(self, prefixes: dict[str, str]):
        self.known = dict(prefixes)
        self.used: dict[str, str] = {"semapv": SEMAPV}

    def __call__(self, iri: str) -> str | None:
        obo = OBO.fullmatch(iri)
        if obo:
            prefix, local = obo.groups()
            self.used[prefix] = f"http://purl.obolibrary.org/obo/{prefix}_"
            return f"{prefix}:{local}"
        for prefix, namespace in sorted(self.known.items(), key=lambda p: -len(p[1])):
            if iri.startswith(namespace) and len(iri) > len(namespace):
                self.used[prefix] = namespace
                return f"{prefix}:{iri[len(namespace):]}"
        return None  # not a term of an ontology we can name: an SSSOM table holds CURIEs only


def mapping_table(store: GraphStore) -> bytes:
    """The SSSOM/TSV bytes for the store's mappings (deterministic: the same build gives the same bytes)."""
    curie = _Curies(store.vocab.prefixes)
    rows = []
    for r in _query(store, "mappings"):
        row = (curie(r["subject"].value), r["label"].value if "label" in r else "", curie(r["predicate"].value),
               curie(r["object"].value), JUSTIFICATION)
        if None not in row:
            rows.append(row)
    header = _query(store, "mapping-set")
    meta = header[0] if header else {}
    lines = ["curie_map:"] + [f"  {p}: {ns}" for p, ns in sorted(curie.used.items())]
    lines.append(f"mapping_set_id: {store.vocab.base_iri}export/{FILENAME}")
    if "title" in meta:
        lines.append(f"mapping_set_title: {_yaml(meta['title'].value + ': cross-references')}")
    if "version" in meta:
        lines.append(f"mapping_set_version: {_yaml(meta['version'].value)}")
    if "license" in meta:
        lines.append(f"license: {meta['license'].value}")
    out = io.StringIO()
    out.write("".join(f"# {line}\n" for line in lines))
    writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(COLUMNS)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _yaml(text: str) -> str:
    """A YAML scalar: double-quoted, with backslashes and quotes escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
