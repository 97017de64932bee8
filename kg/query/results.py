"""Query results independent of the engine, and their serialisation in the W3C formats.

SELECT rows are materialised (so a row cap can be applied and a page can show them),
terms are pyoxigraph terms, and the four result formats follow the W3C specifications:
SPARQL 1.1 Query Results JSON, XML, and CSV/TSV.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass, field
from typing import Any, cast
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..formats import Format
from . import wire
from .errors import NotSerializable

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
#: Characters XML 1.0 cannot carry at all, not even as character references.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
XML_FORMATS = (ox.RdfFormat.RDF_XML,)


RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Row = dict[str, Any]


@dataclass
class QueryResult:
    """One query's answer: ``kind`` is "select", "ask" or "graph"."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    boolean: bool | None = None
    triples: list[ox.Triple] = field(default_factory=list)
    truncated: bool = False
    #: The answer was cut at the byte budget (the size of its terms' text), before any row cap.
    byte_limited: bool = False

    @property
    def is_graph(self) -> bool:
        return self.kind == "graph"

    def size(self) -> int:
        """Characters of term text in the answer (what the byte budget counts)."""
        if self.is_graph:
            return sum(map(term_size, self.triples))
        return sum(map(row_size, self.rows))

    def __reduce__(self):
        """Pickled as a table of distinct terms and rows of positions (:mod:`.wire`): how a query
        worker sends its answer (several times faster than pickling each term)."""
        if self.is_graph:
            table, cells = wire.encode(part for t in self.triples for part in (t.subject, t.predicate, t.object))
        else:
            table, cells = wire.encode(row.get(name) for row in self.rows for name in self.variables)
        return _from_wire, (self.kind, self.variables, len(self.rows), table, cells, self.boolean, self.truncated,
                            self.byte_limited)

    def serialize(self, fmt: Format, prefixes: dict[str, str] | None = None) -> bytes:
        """The answer in ``fmt``; :class:`NotSerializable` when the format cannot carry it."""
        if self.is_graph:
            if fmt.rdf_format in XML_FORMATS:
                _refuse_for_xml(fmt, (text for t in self.triples for text in _texts(t)))
            try:
                # given no output, pyoxigraph returns the bytes (its stubs say bytes | None)
                return cast(bytes, ox.serialize(self.triples, format=fmt.rdf_format, prefixes=prefixes or {}))
            except (OSError, ValueError) as exc:  # e.g. "JSON-LD does not support RDF 1.2 yet"
                raise NotSerializable(f"this answer cannot be written as {fmt.name} ({str(exc)[:200]}); "
                                      "ask for N-Triples or Turtle") from exc
        if fmt.name == "xml":
            _refuse_for_xml(fmt, (text for row in self.rows for t in row.values() for text in _texts(t)))
        writer = _RESULT_WRITERS[fmt.name]
        return writer(self).encode("utf-8")


def _from_wire(kind: str, variables: list[str], row_count: int, table: list[tuple], cells, boolean: bool | None,
               truncated: bool, byte_limited: bool) -> QueryResult:
    """The answer :meth:`QueryResult.__reduce__` sent."""
    terms = wire.decode(table)
    result = QueryResult(kind, variables=variables, boolean=boolean, truncated=truncated, byte_limited=byte_limited)
    if kind == "graph":
        result.triples = [ox.Triple(terms[cells[i]], terms[cells[i + 1]], terms[cells[i + 2]])
                          for i in range(0, len(cells), 3)]
    elif kind == "select":
        width = len(variables)
        row_cells = (cells[i * width:(i + 1) * width] for i in range(row_count))
        result.rows = [{name: terms[cell] for name, cell in zip(variables, row, strict=True) if cell != wire.UNBOUND}
                       for row in row_cells]
    return result


def _texts(term):
    """The strings a term is written with (values, not their escaped N-Triples form)."""
    if isinstance(term, ox.Triple):
        for part in (term.subject, term.predicate, term.object):
            yield from _texts(part)
    elif isinstance(term, ox.Literal):
        yield term.value
        yield term.language or term.datatype.value
    else:
        yield term.value


def _refuse_for_xml(fmt: Format, texts) -> None:
    for text in texts:
        found = NOT_XML.search(text)
        if found:
            raise NotSerializable(f"this answer holds the character U+{ord(found.group()):04X}, which XML 1.0 cannot "
                                  f"carry, so it cannot be written as {fmt.name}; ask for JSON, CSV or N-Triples")


def from_oxigraph(answer, row_limit: int | None = None, byte_limit: int | None = None) -> QueryResult:
    """Materialise a pyoxigraph answer, keeping at most ``row_limit`` rows or triples and at most
    ``byte_limit`` characters of term text (:func:`term_size`): both are counted as the rows are
    produced, so an answer never grows past them in memory."""
    if isinstance(answer, ox.QueryBoolean):
        return QueryResult("ask", boolean=bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = ({v: t for v, t in zip(variables, s, strict=True) if t is not None} for s in answer)
        taken, truncated, byte_limited = _take(rows, row_limit, byte_limit, row_size)
        return QueryResult("select", variables=variables, rows=taken, truncated=truncated, byte_limited=byte_limited)
    triples, truncated, byte_limited = _take(_distinct(answer), row_limit, byte_limit, term_size)
    return QueryResult("graph", triples=triples, truncated=truncated, byte_limited=byte_limited)


def row_size(row: Row) -> int:
    return sum(map(term_size, row.values()))


def term_size(term) -> int:
    """The characters a term's text takes (value, language or datatype; a triple term's parts):
    what every result format writes at least once."""
    if isinstance(term, ox.Triple):
        return term_size(term.subject) + term_size(term.predicate) + term_size(term.object)
    if isinstance(term, ox.Literal):
        return len(term.value) + len(term.language or term.datatype.value)
    return len(term.value)


def _distinct(triples):
    """Each triple once (a CONSTRUCT yields one per solution): a cap counts distinct triples."""
    seen = set()
    for triple in triples:
        if triple not in seen:
            seen.add(triple)
            yield triple


def _take(items, limit, byte_limit, size) -> tuple[list, bool, bool]:
    """(the items kept, cut at ``limit`` items, cut at ``byte_limit`` of ``size``)."""
    taken: list = []
    used = 0
    for item in items:
        if limit is not None and len(taken) >= limit:
            return taken, True, False
        if byte_limit is not None:
            used += size(item)
            if used > byte_limit:
                return taken, False, True
        taken.append(item)
    return taken, False, False


# ---------------------------------------------------------------- JSON


def term_json(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {k: term_json(getattr(term, k)) for k in ("subject", "predicate", "object")},
        }
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def _json(result: QueryResult) -> str:
    if result.kind == "ask":
        return json.dumps({"head": {}, "boolean": result.boolean})
    bindings = [{v: term_json(t) for v, t in row.items()} for row in result.rows]
    return json.dumps({"head": {"vars": result.variables}, "results": {"bindings": bindings}}, ensure_ascii=False)


# ---------------------------------------------------------------- XML


def _term_xml(term) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        return f"<literal>{escape(str(term))}</literal>"
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != XSD_STRING:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


def _xml(result: QueryResult) -> str:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out.extend(f"<variable name={quoteattr(v)}/>" for v in result.variables)
    out.append("</head>")
    if result.kind == "ask":
        out.append(f"<boolean>{'true' if result.boolean else 'false'}</boolean>")
    else:
        out.append("<results>")
        for row in result.rows:
            out.append("<result>")
            out.extend(f"<binding name={quoteattr(v)}>{_term_xml(t)}</binding>" for v, t in row.items())
            out.append("</result>")
        out.append("</results>")
    out.append("</sparql>\n")
    return "\n".join(out)


# ---------------------------------------------------------------- CSV and TSV


def _term_csv(term) -> str:
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Triple):
        return str(term)
    return term.value


def _csv(result: QueryResult) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    if result.kind == "ask":
        writer.writerow(["_askResult"])
        writer.writerow(["true" if result.boolean else "false"])
        return buffer.getvalue()
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow([_term_csv(row[v]) if v in row else "" for v in result.variables])
    return buffer.getvalue()


def _term_tsv(term) -> str:
    text = str(term)
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _tsv(result: QueryResult) -> str:
    if result.kind == "ask":
        return "?_askResult\n" + ("true" if result.boolean else "false") + "\n"
    lines = ["\t".join("?" + v for v in result.variables)]
    for row in result.rows:
        lines.append("\t".join(_term_tsv(row[v]) if v in row else "" for v in result.variables))
    return "\n".join(lines) + "\n"


_RESULT_WRITERS = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}
