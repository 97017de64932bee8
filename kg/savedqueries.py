"""Saved queries: one ``queries/*.rq`` file per question, grlc style.

The file's top ``#+`` lines are a YAML header (summary, description, tags, defaults);
its ``?_name`` variables are the parameters, typed by grlc's suffixes (``?_cause_iri``
is an IRI, ``?_n_integer`` an integer, anything else a plain literal). Values are bound
by substitution (SEP-0007) on the parsed query, never pasted into the SPARQL text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from .errors import KGError

_PARAM = re.compile(r"\?_([A-Za-z][A-Za-z0-9_]*)")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPE_SUFFIXES = {
    "iri": "iri",
    "integer": "integer",
    "decimal": "decimal",
    "boolean": "boolean",
    "date": "date",
}
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


class ParameterError(KGError):
    """A saved query parameter is unknown, missing or of the wrong type."""


@dataclass(frozen=True)
class Parameter:
    name: str  # as the user writes it, e.g. "cause"
    variable: str  # the SPARQL variable without "?", e.g. "_cause_iri"
    type: str  # iri, integer, decimal, boolean, date, string
    description: str = ""
    default: str | None = None
    required: bool = True

    def bind(self, raw: str, expand_prefix) -> ox.NamedNode | ox.Literal:
        """The RDF term for a value the user typed; ParameterError says what is wrong."""
        raw = raw.strip()
        if self.type == "iri":
            iri = expand_prefix(raw)
            if not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]*$", iri):
                raise ParameterError(f"parameter {self.name!r} must be an IRI (or prefixed name), got {raw!r}")
            return ox.NamedNode(iri)
        if self.type == "string":
            return ox.Literal(raw)
        checks = {
            "integer": r"^[+-]?\d+$",
            "decimal": r"^[+-]?(\d+(\.\d*)?|\.\d+)$",
            "boolean": r"^(true|false)$",
            "date": r"^\d{4}-\d{2}-\d{2}$",
        }
        if not re.match(checks[self.type], raw):
            raise ParameterError(f"parameter {self.name!r} must be of type xsd:{self.type}, got {raw!r}")
        return ox.Literal(raw, datatype=ox.NamedNode(_XSD + self.type))


@dataclass(frozen=True)
class SavedQuery:
    name: str
    sparql: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)

    @property
    def kind(self) -> str:
        body = re.sub(r"#[^\n]*", "", self.sparql)
        body = re.sub(r"(?is)^\s*((PREFIX|BASE)\s+[^<]*<[^>]*>\s*)*", "", body)
        return body.split(None, 1)[0].lower() if body.strip() else "select"

    def bindings(self, values: dict[str, str], expand_prefix) -> dict[str, ox.NamedNode | ox.Literal]:
        known = {p.name for p in self.parameters}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ParameterError(
                f"unknown parameter(s) {', '.join(unknown)} for query {self.name!r}; "
                f"it takes: {', '.join(sorted(known)) or 'none'}"
            )
        bound = {}
        for param in self.parameters:
            raw = values.get(param.name)
            if raw in (None, ""):
                raw = param.default
            if raw in (None, ""):
                if param.required:
                    raise ParameterError(f"query {self.name!r} needs parameter {param.name!r} ({param.type})")
                continue
            bound[param.variable] = param.bind(raw, expand_prefix)
        return bound


def _header(text: str) -> dict:
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        return {}
    header = yaml.safe_load("\n".join(line[1:] if line.startswith(" ") else line for line in lines))
    return header if isinstance(header, dict) else {}


def _parameter(variable: str, header: dict) -> Parameter:
    parts = variable.split("_")
    type_ = "string"
    name_parts = parts
    if len(parts) > 1 and parts[-1] in _TYPE_SUFFIXES:
        type_ = _TYPE_SUFFIXES[parts[-1]]
        name_parts = parts[:-1]
        if len(name_parts) > 1 and name_parts[-1] == "xsd":
            name_parts = name_parts[:-1]
    name = "_".join(name_parts)
    described = (header.get("parameters") or {}).get(name, "")
    default = (header.get("defaults") or {}).get(name)
    return Parameter(
        name=name,
        variable="_" + variable,
        type=type_,
        description=str(described),
        default=None if default is None else str(default),
        required=default is None,
    )


def parse(name: str, text: str) -> SavedQuery:
    header = _header(text)
    variables = list(dict.fromkeys(_PARAM.findall(re.sub(r"#[^\n]*", "", text))))
    tags = header.get("tags") or []
    return SavedQuery(
        name=name,
        sparql=text,
        summary=str(header.get("summary", name)),
        description=str(header.get("description", "")).strip(),
        tags=tuple(str(t) for t in tags),
        parameters=tuple(_parameter(v, header) for v in variables),
    )


def load_all(folder: Path) -> dict[str, SavedQuery]:
    """Every saved query in ``folder``, by name (the file name without ``.rq``)."""
    found = {}
    for path in sorted(folder.glob("*.rq")):
        if _NAME.match(path.stem):
            found[path.stem] = parse(path.stem, path.read_text(encoding="utf-8"))
    return found
