"""A remote SPARQL 1.1 store (``sparql:URL``): Virtuoso, Fuseki, GraphDB, Oxigraph server.

Reads go through the SPARQL 1.1 Protocol: the query as a form POST, our three graphs named
with ``default-graph-uri`` (their union is the default graph) and ``named-graph-uri``,
results asked as ``application/sparql-results+json`` or N-Triples and parsed by pyoxigraph,
so a :class:`~kg.query.results.QueryResult` is the same as from the embedded store. Variables are
bound as data (see :mod:`kg.query.binding`), never pasted.

Writes (``twitch-kg build --store sparql:URL`` only): the graphs are sent in bounded requests,
several at a time (SPARQL Update ``INSERT DATA``, or the Graph Store Protocol when
``TWITCH_KG_SPARQL_GRAPH_STORE`` names its endpoint, about three times faster). A store that
holds a build already gets the new one under temporary graph names, then swapped in by one
SPARQL Update request of ``MOVE`` operations, so readers see the old build or the new one,
never a mix, on every store that runs an update request as one transaction (Virtuoso,
Fuseki/TDB2, Oxigraph server). A store without our build is filled in place: nothing reads it
yet (a server refuses a store without the build marker, which is written last), and a copy
of a million triples in one transaction costs Virtuoso more than the whole upload.

The update endpoint is the query URL unless ``TWITCH_KG_SPARQL_UPDATE`` names another (such
as Virtuoso's ``/sparql-auth``); credentials in a URL (``http://user:secret@host/…``) answer
the store's Basic or Digest challenge. Servers never write, so they need no credentials and
keep no state: any number of them can serve one store.
"""

from __future__ import annotations

import os
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from datetime import UTC, datetime
from pathlib import Path

import pyoxigraph as ox
from networkx.utils import UnionFind

from ..artefact import Artefact
from ..config import Settings
from ..errors import KGError
from ..namespaces import GRAPH_NAMES
from ..query.binding import bind, boolean_variables, query_form
from ..query.errors import MalformedQuery
from ..query.results import QueryResult, from_oxigraph
from .base import GraphStore

UPDATE_URL_ENV = "TWITCH_KG_SPARQL_UPDATE"
#: The graph that records which build a store holds (per base IRI: its input hash, and when it was loaded).
MARKER = "urn:twitch-kg:loaded-input-hash"
LOADED_AT = "urn:twitch-kg:loaded-at"
#: Names no graph: an empty list of graphs still has to be said in the protocol.
NO_GRAPH = "urn:twitch-kg:no-graph"
GRAPH_STORE_URL_ENV = "TWITCH_KG_SPARQL_GRAPH_STORE"
#: Triples per staging request: SPARQL Update, and Graph Store Protocol (about 8 MB).
CHUNK = 2_000
GSP_CHUNK = 50_000
#: Staging requests in flight at once: the store parses and indexes each on its own thread (the
#: figures: README, "Performance and scale").
CONCURRENT_REQUESTS = 4

_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
# Virtuoso names blank nodes "nodeID://b123", which is not a blank node label: keep the "b123".
_BNODE_LABEL = re.compile(rb"_:([A-Za-z0-9_.-]+)")
_LITERAL_KIND = re.compile(rb'"(@[A-Za-z0-9-]+|\^\^<[^>]*>) \.$')
_VIRTUOSO_BNODE = re.compile(rb'("type"\s*:\s*"bnode"\s*,\s*"value"\s*:\s*")nodeID://')


class RemoteStoreError(KGError):
    """The SPARQL store cannot be reached or refused a request."""


class _Endpoint:
    """One URL spoken to with form POSTs; credentials in the URL answer Basic or Digest challenges."""

    def __init__(self, url: str, timeout: float):
        parts = urllib.parse.urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise KGError(f"a sparql: store needs an http(s) URL, got {url!r}")
        netloc = parts.hostname + (f":{parts.port}" if parts.port else "")
        self.url = urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, parts.query, ""))
        self.timeout = timeout
        self._credentials = (urllib.parse.unquote(parts.username), urllib.parse.unquote(parts.password or "")) \
            if parts.username else None
        self._local = threading.local()  # one opener per thread: the Digest handler counts its retries

    @property
    def _opener(self) -> urllib.request.OpenerDirector:
        opener = getattr(self._local, "opener", None)
        if opener is None:
            handlers = []
            if self._credentials:
                passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                passwords.add_password(None, self.url, *self._credentials)
                handlers = [urllib.request.HTTPBasicAuthHandler(passwords),
                            urllib.request.HTTPDigestAuthHandler(passwords)]
            opener = self._local.opener = urllib.request.build_opener(*handlers)
        return opener

    def post(self, form: list[tuple[str, str]], accept: str) -> tuple[int, str, bytes, dict]:
        """(status, media type, body, headers) of a form POST; HTTP errors are returned, a dead store raises."""
        data = urllib.parse.urlencode(form).encode("utf-8")
        return self._send(self.url, data, {"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})

    def send(self, data: bytes, content_type: str, params: dict[str, str]) -> tuple[int, str, bytes, dict]:
        """POST ``data`` to the URL with ``params`` in its query string (the Graph Store Protocol)."""
        url = self.url + ("&" if "?" in self.url else "?") + urllib.parse.urlencode(params)
        return self._send(url, data, {"Accept": "*/*", "Content-Type": content_type})

    def _send(self, url: str, data: bytes, headers: dict[str, str]) -> tuple[int, str, bytes, dict]:
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        try:
            with self._opener.open(request, timeout=self.timeout) as response:
                return response.status, _media_type(response), response.read(), dict(response.headers)
        except urllib.error.HTTPError as exc:
            return exc.code, _media_type(exc), exc.read(), dict(exc.headers or {})
        except TimeoutError:
            raise RemoteStoreError(f"the SPARQL store at {self.url} did not answer within {self.timeout:g} s") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise RemoteStoreError(f"cannot reach the SPARQL store at {self.url}: {reason}") from None


_XSD = "http://www.w3.org/2001/XMLSchema#"
_AS_BOOLEAN = {"1": ox.Literal("true", datatype=ox.NamedNode(_XSD + "boolean")),
               "0": ox.Literal("false", datatype=ox.NamedNode(_XSD + "boolean"))}


def _booleans_as_booleans(result: QueryResult, variables: set[str]) -> QueryResult:
    """Read back as true/false the booleans a store returned as the integers 1/0 (Virtuoso 7)."""
    variables = variables & set(result.variables)
    if not variables:
        return result
    for row in result.rows:
        for name in variables:
            term = row.get(name)
            if isinstance(term, ox.Literal) and term.datatype.value == _XSD + "integer" and term.value in _AS_BOOLEAN:
                row[name] = _AS_BOOLEAN[term.value]
    return result


def _media_type(response) -> str:
    return (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()


def _message(body: bytes) -> str:
    """The store's error text without the echo of the query (Virtuoso appends one)."""
    text = body.decode("utf-8", "replace").split("\n\nSPARQL query:")[0]
    text = " ".join(text.split())
    return text if len(text) <= 400 else text[:397] + "..."


class RemoteStore(GraphStore):
    shared = True

    def __init__(self, settings: Settings, url: str, update_url: str | None = None,
                 graph_store_url: str | None = None, timeout: float = 60.0):
        super().__init__(settings)
        self._reader = _Endpoint(url, timeout)
        self.url = self._reader.url
        self._writer = _Endpoint(update_url or os.environ.get(UPDATE_URL_ENV) or url, timeout)
        graph_store_url = graph_store_url or os.environ.get(GRAPH_STORE_URL_ENV)
        self._graph_store = _Endpoint(graph_store_url, timeout) if graph_store_url else None
        self._extra_graphs: dict[str, str] = {}

    @property
    def graph_iris(self) -> dict[str, str]:
        return {**super().graph_iris, **self._extra_graphs}

    # ------------------------------------------------------------------ reading

    def query(self, sparql, *, default_graphs=None, named_graphs=None, substitutions=None, row_limit=None,
              byte_limit=None, base_iri=None) -> QueryResult:
        form = query_form(sparql)
        if not form:
            raise MalformedQuery("not a SPARQL query: expected SELECT, CONSTRUCT, DESCRIBE or ASK after the prologue")
        fields = self.request_form(sparql, default_graphs=default_graphs, named_graphs=named_graphs,
                                   substitutions=substitutions, base_iri=base_iri)
        text = fields[0][1]
        graph = form in ("construct", "describe")
        status, media_type, body, headers = self._reader.post(fields, _GRAPH_ACCEPT if graph else _RESULTS_JSON)
        self._check(status, body, query=True)
        if graph:
            result = self._graph_result(media_type, body, row_limit, byte_limit)
        else:
            solutions = self._solutions(form, media_type, body, row_limit, byte_limit)
            result = _booleans_as_booleans(solutions, boolean_variables(text))
        if "X-SPARQL-MaxRows" in headers:  # Virtuoso cut the answer at its ResultSetMaxRows
            result.truncated = True
        return result

    def request_form(self, sparql, *, default_graphs=None, named_graphs=None, substitutions=None,
                     base_iri=None) -> list[tuple[str, str]]:
        """The protocol's form fields for a query: its text (our prologue, values bound) and its dataset."""
        every = list(self.graph_iris.values())
        fields = [("query", self._prologue(base_iri) + bind(sparql, substitutions))]
        fields += [("default-graph-uri", g)
                   for g in (self.default_graph_iris if default_graphs is None else default_graphs or [NO_GRAPH])]
        fields += [("named-graph-uri", g) for g in (every if named_graphs is None else named_graphs or [NO_GRAPH])]
        return fields

    def _prologue(self, base_iri: str | None) -> str:
        """Our prefixes (and the base), on the query's first line so the store's line numbers are the user's."""
        declared = [f"BASE {ox.NamedNode(base_iri)}"] if base_iri else []
        declared += [f"PREFIX {p}: {ox.NamedNode(iri)}" for p, iri in self.vocab.prefixes.items()]
        return " ".join(declared) + " "

    def _check(self, status: int, body: bytes, query: bool) -> None:
        if 200 <= status < 300:
            return
        if status == 400 and query:
            raise MalformedQuery(_message(body))
        raise RemoteStoreError(f"the SPARQL store at {self.url} answered {status}: {_message(body)}")

    def _solutions(self, form: str, media_type: str, body: bytes, row_limit: int | None,
                   byte_limit: int | None = None) -> QueryResult:
        body = _VIRTUOSO_BNODE.sub(rb"\1", body)
        fmt = ox.QueryResultsFormat.from_media_type(media_type) or ox.QueryResultsFormat.JSON
        answer = ox.parse_query_results(body, fmt)
        if form == "ask" and isinstance(answer, ox.QuerySolutions):
            # Virtuoso 7.2 answers ASK in JSON as one row of ?__ASK_RETVAL (1 or 0).
            rows = [s[0] for s in answer]
            return QueryResult("ask", boolean=bool(rows) and rows[0] is not None and rows[0].value in ("1", "true"))
        return from_oxigraph(answer, row_limit, byte_limit)

    def _graph_result(self, media_type: str, body: bytes, row_limit: int | None,
                      byte_limit: int | None = None) -> QueryResult:
        fmt = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.N_TRIPLES
        triples = (quad.triple for quad in ox.parse(body, fmt))
        return from_oxigraph(triples, row_limit, byte_limit)

    def loaded_hash(self) -> str | None:
        return self._recorded(MARKER)

    def loaded_at(self) -> datetime | None:
        recorded = self._recorded(LOADED_AT)
        try:
            return datetime.fromisoformat(recorded.replace("Z", "+00:00")) if recorded else None
        except ValueError:
            return None

    def _recorded(self, predicate: str) -> str | None:
        """What the store's build record says of our base IRI with ``predicate``, if anything."""
        marker = ox.NamedNode(MARKER)
        sparql = (f"SELECT ?value WHERE {{ GRAPH {marker} {{ {ox.NamedNode(self.settings.base_iri)} "
                  f"{ox.NamedNode(predicate)} ?value }} }}")
        status, _media_type, body, _ = self._reader.post([("query", sparql)], _RESULTS_JSON)
        self._check(status, body, query=False)
        rows = from_oxigraph(ox.parse_query_results(body, ox.QueryResultsFormat.JSON)).rows
        return rows[0]["value"].value if rows else None

    def quads(self, graph_names: list[str]) -> list[ox.Quad]:
        found: list[ox.Quad] = []
        for name in graph_names:
            graph = ox.NamedNode(self.graph_iris[name])
            result = self.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}",
                                default_graphs=[], named_graphs=[graph.value])
            if result.truncated or len(result.triples) < self.count(name):  # Virtuoso cuts CONSTRUCTs silently
                raise RemoteStoreError(f"the SPARQL store at {self.url} cut graph <{graph.value}> short at "
                                       f"{len(result.triples)} triples; raise its result limit "
                                       "(Virtuoso: [SPARQL] ResultSetMaxRows)")
            found.extend(ox.Quad(t.subject, t.predicate, t.object, graph) for t in result.triples)
        return sorted(found, key=str)

    def count(self, graph_name: str | None = None) -> int:
        names = [graph_name] if graph_name else list(GRAPH_NAMES)
        total = 0
        for name in names:
            graph = self.graph_iris[name]
            rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
                              default_graphs=[], named_graphs=[graph]).rows
            total += int(rows[0]["n"].value)
        return total

    # ------------------------------------------------------------------ writing

    def _update(self, sparql: str) -> None:
        status, _media_type, body, _ = self._writer.post([("update", sparql)], "*/*")
        self._check(status, body, query=False)

    def load(self, artefact: Artefact) -> None:
        targets = list(super().graph_iris.values())
        in_place = self.loaded_hash() is None  # no build here: nothing reads these graphs yet
        into = {g: g if in_place else f"urn:twitch-kg:staging:{artefact.input_hash[:16]}:{i}"
                for i, g in enumerate(targets)}
        self._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in into.values()))
        filled = self._stage((into[graph], line, blank) for graph, line, blank in _artefact_lines(artefact.path)
                             if graph in into)
        marker, base = ox.NamedNode(MARKER), ox.NamedNode(self.settings.base_iri)
        swap = [] if in_place else [f"MOVE <{into[g]}> TO <{g}>" if into[g] in filled else f"DROP SILENT GRAPH <{g}>"
                                    for g in targets]
        now = datetime.now(UTC).replace(microsecond=0)
        loaded_at = ox.Literal(now.isoformat().replace("+00:00", "Z"), datatype=ox.NamedNode(_XSD + "dateTime"))
        swap.append(f"DELETE WHERE {{ GRAPH {marker} {{ {base} ?recorded ?value }} }}")
        swap.append(f"INSERT DATA {{ GRAPH {marker} {{ {base} {marker} {ox.Literal(artefact.input_hash)} . "
                    f"{base} {ox.NamedNode(LOADED_AT)} {loaded_at} }} }}")
        self._update(" ;\n".join(swap))
        self._extra_graphs = {}

    def _stage(self, lines: Iterable[tuple[str, bytes, bool]]) -> set[str]:
        """Insert ``(graph, N-Triples line, has a blank node)``, streamed, in requests of a bounded
        size, several at a time; the graphs filled.

        Through the Graph Store Protocol (POST, N-Triples) when one is configured, else SPARQL
        Update ``INSERT DATA`` (at most CHUNK triples a request: Virtuoso's parser gives up at
        about 5,000 lines). Triples with a blank node go last, in requests that each hold whole
        groups of triples linked by their blank nodes (:func:`_linked_chunks`), since a blank node
        label names one node only within one document or operation.
        """
        size = GSP_CHUNK if self._graph_store else CHUNK
        with_bnodes: dict[str, list[bytes]] = defaultdict(list)
        batch: dict[str, list[bytes]] = defaultdict(list)
        filled, waiting = set(), 0
        kinds: set[bytes] = set()
        with _Concurrently(CONCURRENT_REQUESTS) as requests:
            for graph, line, blank in lines:
                filled.add(graph)
                if blank:
                    with_bnodes[graph].append(line)
                    continue
                kind = _LITERAL_KIND.search(line)
                if kind and kind.group(1) not in kinds:
                    # the first literal of a language or datatype is sent on its own, and waited for,
                    # before any request holding another: Virtuoso 7.2 registers a new language tag or
                    # datatype in the transaction that first uses it, and two at once lose one
                    # ("Unknown language in DB.DBA.RDF_LANGUAGE_OF_OBJ" on later reads)
                    kinds.add(kind.group(1))
                    self._insert({graph: [line]}, False)
                batch[graph].append(line)
                waiting += 1
                if waiting >= size:
                    requests.submit(self._insert, batch, False)
                    batch, waiting = defaultdict(list), 0
            if waiting:
                requests.submit(self._insert, batch, False)
        for chunk in _linked_chunks(with_bnodes, size):
            self._insert(chunk, blank_nodes=True)
        return filled

    def _insert(self, lines_by_graph: dict[str, list[bytes]], blank_nodes: bool) -> None:
        if self._graph_store and not (blank_nodes and len(lines_by_graph) > 1):
            for graph, lines in lines_by_graph.items():
                status, _media_type, body, _ = self._graph_store.send(b"\n".join(lines), "text/turtle",
                                                                      {"graph": graph})
                self._check(status, body, query=False)
            return
        graphs = " ".join(f"GRAPH <{g}> {{\n" + b"\n".join(lines).decode("utf-8") + "\n}"
                          for g, lines in lines_by_graph.items())
        # Virtuoso refuses blank nodes in INSERT DATA; INSERT … WHERE {} takes them everywhere.
        self._update(f"INSERT {{ {graphs} }} WHERE {{}}" if blank_nodes else f"INSERT DATA {{ {graphs} }}")

    def add_graph(self, iri: str, source: Path | None = None) -> None:
        """Hold one more named graph (the triples of an RDF file, or none) until the next load."""
        graph = ox.NamedNode(iri)
        if source is not None:
            self._update(f"DROP SILENT GRAPH {graph}")
            self._stage((iri, *_ntriples_line(q)) for q in ox.parse(path=str(source)))
        self._extra_graphs[iri] = iri


def _ntriples_line(quad: ox.Quad) -> tuple[bytes, bool]:
    """The quad's triple as one N-Triples line, and whether it names a blank node."""
    blank = isinstance(quad.subject, ox.BlankNode) or isinstance(quad.object, ox.BlankNode)
    return (str(quad.triple) + " .").encode("utf-8"), blank


def _artefact_lines(path: Path) -> Iterator[tuple[str, bytes, bool]]:
    """(graph IRI, N-Triples line, may name a blank node) for each quad of a build artefact.

    The artefact is canonical N-Quads (one quad a line, always in a named graph), so each line
    is cut at its last term instead of parsed: about five times faster at a million quads.
    "May name a blank node" errs on the safe side: a literal holding ``_:`` counts too.
    """
    with path.open("rb") as handle:
        for line in handle:
            triple, _, graph = line.rstrip()[:-2].rstrip().rpartition(b" ")
            yield graph[1:-1].decode("utf-8"), triple + b" .", b"_:" in triple


class _Concurrently:
    """Calls run on ``workers`` threads, at most twice as many waiting (bounded memory).

    Leaving the block waits for every call and raises the first failure; after a failure
    no further call starts.
    """

    def __init__(self, workers: int):
        self._pool = ThreadPoolExecutor(workers, thread_name_prefix="twitch-kg-load")
        self._pending: set[Future] = set()
        self._limit = workers * 2

    def __enter__(self) -> _Concurrently:
        return self

    def submit(self, call: Callable, *args) -> None:
        if len(self._pending) >= self._limit:
            done, self._pending = wait(self._pending, return_when=FIRST_COMPLETED)
            _raise_first(done)
        self._pending.add(self._pool.submit(call, *args))

    def __exit__(self, kind, error, trace) -> None:
        try:
            if kind is None:
                _raise_first(wait(self._pending).done)
        finally:
            self._pool.shutdown(wait=True, cancel_futures=True)


def _raise_first(futures: Iterable[Future]) -> None:
    for future in futures:
        error = future.exception()
        if error is not None:
            raise error


def _linked_chunks(lines_by_graph: dict[str, list[bytes]], size: int) -> Iterator[dict[str, list[bytes]]]:
    """The lines of each graph in chunks of about ``size`` lines, each holding every line that shares
    a blank node (directly or through others) with one of its lines; a group larger than ``size`` is
    a chunk of its own. A chunk holds one graph (the artefact labels each graph's blank nodes apart;
    Virtuoso 7.2 fails on templates with blank nodes in three graphs: "string_output_string needs a
    string output")."""
    for graph, lines in lines_by_graph.items():
        linked: UnionFind = UnionFind()
        for line in lines:
            linked.union(*_BNODE_LABEL.findall(line))
        groups: dict[bytes, list[bytes]] = defaultdict(list)
        for line in lines:
            labels = _BNODE_LABEL.findall(line)  # none: "_:" was in a literal only
            groups[linked[labels[0]] if labels else line].append(line)
        chunk: list[bytes] = []
        for group in groups.values():
            if chunk and len(chunk) + len(group) > size:
                yield {graph: chunk}
                chunk = []
            chunk.extend(group)
        if chunk:
            yield {graph: chunk}
