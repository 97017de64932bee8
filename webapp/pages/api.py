"""The OpenAPI description of the site's API (``/api/openapi.json``) and the model of its page (``/api``).

The checker's part is written by hand (``webapp/static/openapi.json``); every saved query adds one path,
generated from its ``.rq`` header as grlc does: summary, description, tags, typed parameters with their
defaults, an enumerated parameter's values (read from the graph) as an ``enum``, and the media types
its query form answers in.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from kg.query.choices import Choices
from kg.query.saved import Parameter, SavedQuery
from kg.resources import path
from kg.terms import display

#: The hand-written part: the checker's paths and the schemas of its bodies.
CHECKER_OPENAPI = path("webapp", "static", "openapi.json")
#: The tag every saved query's operation carries (its own tags follow).
SAVED_TAG = "saved queries"

#: A parameter's JSON Schema by its type (grlc's suffixes): what a client may send in the query string.
SCHEMAS: dict[str, dict] = {
    "iri": {"type": "string", "minLength": 1},
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "decimal": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
}
_TYPE_WORDS = {"iri": "an IRI, or a prefixed name", "string": "a plain literal",
               "integer": "an xsd:integer", "decimal": "an xsd:decimal", "boolean": "true or false",
               "date": "an xsd:date (YYYY-MM-DD)"}


def checker_part() -> dict:
    return json.loads(CHECKER_OPENAPI.read_text(encoding="utf-8"))


def _parameter(param: Parameter, values: Iterable[ox.NamedNode | ox.Literal] | None,
               prefixes: dict[str, str]) -> dict:
    schema = dict(SCHEMAS[param.type])
    if values is not None:
        schema = {"type": "string", "enum": [display(v, prefixes) for v in values]}
    if param.default is not None:
        schema["default"] = _typed(param.type, param.default) if values is None else param.default
    description = param.description or _TYPE_WORDS[param.type]
    return {"name": param.name, "in": "query", "required": param.required, "description": description,
            "schema": schema}


def _typed(type_: str, raw: str) -> object:
    """A default as the JSON value of its type (the header writes every value as text)."""
    if type_ == "integer":
        return int(raw)
    if type_ == "decimal":
        return float(raw)
    if type_ == "boolean":
        return raw == "true"
    return raw


def _operation(saved: SavedQuery, choices: Choices, prefixes: dict[str, str]) -> dict:
    form = saved.kind.upper()
    formats = saved.formats
    twins = ", ".join(f"`/queries/{saved.name}.{ext}`" for ext in formats)
    html = {"text/html": {"schema": {"type": "string"}}}
    content = {**html, **{fmt.media_type: {} for fmt in formats.values()}}
    plain = {"text/plain": {"schema": {"type": "string"}}}
    return {
        "operationId": "query-" + saved.name,
        "summary": saved.summary,
        "description": (f"{saved.description}\n\nA {form} query (saved as `queries/{saved.name}.rq`): "
                        f"the answer by `Accept`, or as {twins}.").strip(),
        "tags": [SAVED_TAG, *saved.tags],
        "parameters": [_parameter(p, choices.get(p.name), prefixes) for p in saved.parameters],
        "responses": {
            "200": {"description": f"The answer of the {form} query, as the page (HTML) or in the format "
                                   "Accept asks for.", "content": content},
            "400": {"description": "A parameter that is unknown, given twice, missing, of the wrong type, or "
                                   "(for an enumerated one) not among its values in the graph; the message "
                                   "names it and, for an enumerated one, the valid values.",
                    "content": {**html, **plain}},
            "406": {"description": "None of the formats the query's answer comes in is acceptable.",
                    "content": plain},
        },
    }


def document(saved_queries: Iterable[SavedQuery], choices_of, prefixes: dict[str, str], server: str) -> dict:
    """The whole OpenAPI 3.1 document: the checker's part and one path per saved query.

    ``choices_of(saved)`` gives a query's enumerated values; ``server`` is the site's public base URL.
    """
    doc = copy.deepcopy(checker_part())
    doc["info"]["title"] = "twitch-kg API: saved queries and the presentation checker"
    doc["info"]["description"] += (
        "\n\nEvery saved query (`/queries`) is a path of its own, generated from its `.rq` file's header "
        "as grlc does. Its parameters are typed by their SPARQL variable's suffix (`?_cause_iri` is an IRI); "
        "an enumerated parameter lists, as its `enum`, the values it takes in the graph.")
    doc["servers"] = [{"url": server.rstrip("/") or "/"}]
    saved_list = list(saved_queries)
    tags = dict.fromkeys([SAVED_TAG, *(t for q in saved_list for t in q.tags)])
    doc["tags"] = [{"name": "checker", "description": "Should I see a doctor?"},
                   *({"name": t} for t in tags)]
    for operation in (op for item in doc["paths"].values() for op in item.values()):
        operation.setdefault("tags", ["checker"])
    for saved in saved_list:
        doc["paths"][f"/queries/{saved.name}"] = {"get": _operation(saved, choices_of(saved), prefixes)}
    return doc


@dataclass(frozen=True)
class Operation:
    """One operation as the ``/api`` page shows it."""

    method: str
    path: str
    spec: dict
    page: str | None  # a page of the site it stands for (a saved query's), if any

    @property
    def anchor(self) -> str:
        return self.spec.get("operationId") or f"{self.method}-{self.path}"

    def schema_text(self, schema: dict) -> str:
        """A parameter's or body's schema in a few words: its type, format, enum or reference."""
        if "$ref" in schema:
            return schema["$ref"].rsplit("/", 1)[-1]
        if schema.get("type") == "array":
            return "list of " + self.schema_text(schema.get("items", {}))
        words = schema.get("type", "any")
        if "format" in schema:
            words += f" ({schema['format']})"
        return words

    @property
    def media_types(self) -> list[tuple[str, list[str]]]:
        """(status, its media types) of each response."""
        return [(status, list(response.get("content", {}))) for status, response in self.spec["responses"].items()]

    @property
    def request_body(self) -> list[tuple[str, str]]:
        body = self.spec.get("requestBody", {}).get("content", {})
        return [(media, self.schema_text(item.get("schema", {}))) for media, item in body.items()]


def operations(doc: dict) -> list[Operation]:
    """Every operation of ``doc``, in its order."""
    found = []
    for route, item in doc["paths"].items():
        for method, spec in item.items():
            page = route if method == "get" and route.startswith("/queries/") else None
            found.append(Operation(method.upper(), route, spec, page))
    return found
