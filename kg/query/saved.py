"""Saved queries: one ``queries/*.rq`` file per question, grlc style.

The file's top ``#+`` lines are a YAML header (summary, description, tags,
``parameters: {name: description}``, ``defaults: {name: value}``, grlc's ``enumerate: [name, …]``); its ``?_name``
variables are the parameters, typed by grlc's suffixes (``?_cause_iri`` is an IRI,
``?_n_integer`` an integer, anything else a plain literal). Values are bound by
substitution (SEP-0007) on the parsed query, never pasted into the SPARQL text.
pyoxigraph substitutes only variables a SELECT projects, so a parameterised SELECT
must project its parameters (``parse`` says so if one does not). The query text is
lexed by :mod:`kg.query.binding`, which also writes the bound values into the text
a person may edit.

An enumerated parameter may take only the values the graph gives it: those its variable takes in the
query's own answer with nothing bound (:mod:`kg.query.choices` reads them), so only a SELECT, which
projects its parameters, can enumerate one.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
import yaml

from ..config import SOURCE_BASE
from ..errors import KGError
from ..formats import GRAPH_FORMATS, RESULT_FORMATS, Format
from ..terms import display, expand
from .binding import bind, query_form, tokens
from .errors import MalformedQuery

_XSD = "http://www.w3.org/2001/XMLSchema#"
_TYPE_SUFFIXES = ("iri", "integer", "decimal", "boolean", "date")
_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_PARAM = re.compile(r"[?$]_([A-Za-z][A-Za-z0-9_]*)")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20<>\"{}|\\^`]*")
_LEXICAL = {
    "integer": re.compile(r"[+-]?[0-9]+"),
    "decimal": re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)"),
    "boolean": re.compile(r"true|false"),
    "date": re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}"),
}


class ParameterError(KGError):
    """A saved query parameter is unknown, missing or of the wrong type."""


class QueryFileError(KGError):
    """A saved query file cannot be used as it is written."""


@dataclass(frozen=True)
class Parameter:
    name: str  # as the user writes it, e.g. "cause"
    variable: str  # the SPARQL variable without "?", e.g. "_cause_iri"
    type: str  # iri, integer, decimal, boolean, date, string
    description: str = ""
    default: str | None = None
    required: bool = True
    enumerated: bool = False  # its values are read from the graph (kg.query.choices)

    def bind(self, raw: str, prefixes: dict[str, str]) -> ox.NamedNode | ox.Literal:
        """The RDF term for a value the user typed; ParameterError says what is wrong."""
        raw = raw.strip()
        if self.type == "iri":
            iri = expand(raw, prefixes)
            try:
                if not _IRI.fullmatch(iri):
                    raise ValueError(iri)
                return ox.NamedNode(iri)
            except ValueError:
                raise ParameterError(
                    f"parameter {self.name!r} must be an IRI (or prefixed name), got {raw!r}"
                ) from None
        if self.type == "string":
            return ox.Literal(raw)
        if not _LEXICAL[self.type].fullmatch(raw) or not _valid_value(self.type, raw):
            raise ParameterError(f"parameter {self.name!r} must be of type xsd:{self.type}, got {raw!r}")
        return ox.Literal(raw, datatype=ox.NamedNode(_XSD + self.type))


def _valid_value(type_: str, raw: str) -> bool:
    if type_ != "date":
        return True
    try:
        datetime.date.fromisoformat(raw)
    except ValueError:
        return False
    return True


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
        """select, construct, describe or ask: the query form's keyword."""
        return query_form(self.sparql)

    @property
    def formats(self) -> dict[str, Format]:
        """The formats its answer comes in, by the file extension of its page's twins."""
        if self.is_graph:
            return {f.extension: f for f in GRAPH_FORMATS}
        return {f.name: f for f in RESULT_FORMATS}

    @property
    def enumerated(self) -> tuple[Parameter, ...]:
        return tuple(p for p in self.parameters if p.enumerated)

    @property
    def is_graph(self) -> bool:
        return self.kind in ("construct", "describe")

    def bindings(self, values: dict[str, str], prefixes: dict[str, str],
                 choices: Mapping[str, Sequence[ox.NamedNode | ox.Literal]] | None = None,
                 ) -> dict[str, ox.NamedNode | ox.Literal]:
        """The variable → term substitutions for ``values`` (defaults fill in what is missing); an IRI
        parameter may be written as a prefixed name with one of ``prefixes``. ``choices`` are the
        values an enumerated parameter may take, by name (:func:`kg.query.choices.choices`); a
        value not among them is a ParameterError naming it and them."""
        known = {p.name for p in self.parameters}
        unknown = sorted(set(values) - known)
        if unknown:
            named = ", ".join(name[:40] for name in unknown[:5])
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            raise ParameterError(
                f"unknown parameter(s) {named}{more} for query {self.name!r}; "
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
            term = param.bind(raw, prefixes)
            if choices is not None and param.name in choices and term not in choices[param.name]:
                raise ParameterError(_not_a_choice(param, raw, choices[param.name], prefixes))
            bound[param.variable] = term
        return bound

    def editable(self, bound: dict[str, ox.NamedNode | ox.Literal]) -> str:
        """The SPARQL text with the bound values written in as a VALUES block, for a person to edit.

        Only for showing and for the SPARQL editor's link: runs bind by substitution.
        """
        return bind(self.sparql, bound)


#: The valid values an error message names at most.
SHOWN_CHOICES = 20


def _not_a_choice(param: Parameter, raw: str, valid: Sequence[ox.NamedNode | ox.Literal],
                  prefixes: dict[str, str]) -> str:
    named = ", ".join(display(term, prefixes) for term in valid[:SHOWN_CHOICES])
    more = f" and {len(valid) - SHOWN_CHOICES} more" if len(valid) > SHOWN_CHOICES else ""
    return (f"parameter {param.name!r}: {raw[:80]!r} is not among its values in the graph, "
            f"which are: {named or 'none'}{more}")


def _header(name: str, text: str) -> dict:
    lines = [line[2:] for line in text.splitlines() if line.startswith("#+")]
    if not lines:
        return {}
    try:
        header = yaml.safe_load("\n".join(line[1:] if line.startswith(" ") else line for line in lines))
    except yaml.YAMLError as exc:
        raise QueryFileError(f"saved query {name!r}: its #+ header is not valid YAML: {exc}") from exc
    return header if isinstance(header, dict) else {}


def _enumerated(name: str, header: dict) -> set[str]:
    listed = header.get("enumerate") or []
    if isinstance(listed, str):
        listed = [listed]
    if not isinstance(listed, list):
        raise QueryFileError(f"saved query {name!r}: enumerate must list parameter names, e.g. [source]")
    return {str(item) for item in listed}


def _parameter(variable: str, header: dict, enumerated: set[str]) -> Parameter:
    parts = variable.split("_")
    type_ = "string"
    name_parts = parts
    if len(parts) > 1 and parts[-1] in _TYPE_SUFFIXES:
        type_ = parts[-1]
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
        default=_text(default),
        required=default is None,
        enumerated=name in enumerated,
    )


def _text(value: object) -> str | None:
    """A header value as the text a user would type (YAML reads ``true`` as a boolean, ``2024-02-29`` as a date)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _check(name: str, text: str, parameters: tuple[Parameter, ...], enumerated: set[str]) -> None:
    """A query form, a SELECT that projects its parameters (pyoxigraph substitutes no others), and
    enumerated parameters that are parameters of a SELECT."""
    form = query_form(text)
    if not form:
        raise QueryFileError(f"saved query {name!r} is not a SPARQL query: no SELECT, CONSTRUCT, DESCRIBE or ASK")
    unknown = sorted(enumerated - {p.name for p in parameters})
    if unknown:
        raise QueryFileError(f"saved query {name!r}: enumerate names {', '.join(unknown)}, which "
                             f"{'is not a parameter' if len(unknown) == 1 else 'are not parameters'}")
    if enumerated and form != "select":
        raise QueryFileError(f"saved query {name!r}: only a SELECT can enumerate its parameters' values "
                             f"(they are read from its answer); this one is {form.upper()}")
    try:
        bind(text, {p.variable: ox.NamedNode("urn:x") for p in parameters})
    except MalformedQuery as exc:
        raise QueryFileError(f"saved query {name!r}: {exc}") from None


def parse(name: str, text: str) -> SavedQuery:
    header = _header(name, text)
    enumerated = _enumerated(name, header)
    found = (_PARAM.fullmatch(t.text) for t in tokens(text) if t.kind == "var")
    variables = list(dict.fromkeys(m.group(1) for m in found if m))
    tags = header.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    query = SavedQuery(
        name=name,
        sparql=text,
        summary=str(header.get("summary", name)).strip(),
        description=str(header.get("description", "")).strip(),
        tags=tuple(str(t) for t in tags),
        parameters=tuple(_parameter(v, header, enumerated) for v in variables),
    )
    _check(name, text, query.parameters, enumerated)
    return query


def rebase(text: str, base_iri: str) -> str:
    """The SPARQL with IRIs written in the source namespace moved under ``base_iri``."""
    return text if base_iri == SOURCE_BASE else text.replace("<" + SOURCE_BASE, "<" + base_iri)


def load_all(folder: Path, base_iri: str = SOURCE_BASE) -> dict[str, SavedQuery]:
    """Every saved query in ``folder``, by name (the file name without ``.rq``).

    IRIs the files write in full under the source namespace (such as the named graphs)
    are moved under ``base_iri``, as the Turtle sources are.
    """
    found = {}
    for path in sorted(folder.glob("*.rq"), key=lambda p: p.stem):
        if _NAME.match(path.stem):
            found[path.stem] = parse(path.stem, rebase(path.read_text(encoding="utf-8"), base_iri))
    return found
