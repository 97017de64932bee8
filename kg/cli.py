"""twitch-kg: build, validate, query, export, serve, check, explain."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import __version__
from . import build as builder
from .artefact import atomic_write
from .config import load_settings
from .errors import KGError
from .export import EXPORT_FORMATS, EXPORT_GRAPHS, export, export_format
from .formats import GRAPH_ALIASES, GRAPH_FORMATS, RESULT_FORMATS, by_name
from .graph import load_build, open_graph
from .query.choices import choices
from .query.errors import MalformedQuery
from .query.guard import UPDATE_KEYWORDS, is_update, keywords
from .query.saved import SavedQuery, load_all
from .store import open_store
from .terms import display

EXIT_USAGE = 2

QUERY_FORMATS = ("table", "json", "csv", "tsv", "xml", "turtle", "nt", "jsonld")


class UsageError(KGError):
    """Bad command-line input."""


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args, epilog_from=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.epilog_from = epilog_from  # an epilog made only when help is asked for

    def format_help(self) -> str:
        if self.epilog_from is not None and not self.epilog:
            self.epilog = self.epilog_from()
        return super().format_help()

    def error(self, message):  # one clear line and exit 2, like every other bad input
        raise UsageError(message)


def _server_settings() -> str:
    from webapp.settings import help_table

    return help_table()


def _print_counts(report) -> None:
    counts = report.counts
    state = "cached (inputs unchanged, reasoner not run)" if report.cached else "built"
    print(f"{state}: {report.artefact.path}")
    print(
        f"  triples: ontology {counts['ontology']}, asserted {counts['asserted']}, "
        f"inferred {counts['inferred']}; classes {counts['classes']}, individuals {counts['individuals']}"
    )
    for step, seconds in report.timings.items():
        print(f"  {step:<9} {seconds * 1000:8.1f} ms")


def cmd_build(args, settings) -> int:
    report = builder.build(settings, force=args.force)
    _print_counts(report)
    spec = args.store or settings.store
    if spec != "memory":  # a persistent or shared store gets the build (atomically replaced)
        loaded = load_build(open_store(spec, settings), report.artefact, force=args.force)
        print(f"  store     {spec}: {'loaded' if loaded else 'holds this build already'}")
    return 0


def cmd_validate(args, settings) -> int:
    _ontology, data, inferred = builder.check(settings)
    print(f"valid: SHACL conforms and the ontology is consistent ({len(data)} asserted triples, "
          f"{len(inferred)} inferred)")
    return 0


def _resolve_query(text: str, settings) -> tuple[str, SavedQuery | None]:
    """(SPARQL, saved query or None) for a .rq path, a saved query's name or inline SPARQL."""
    saved = load_all(settings.queries_dir, settings.base_iri)
    if text.endswith(".rq"):
        path = Path(text)
        if not path.is_file():
            raise UsageError(f"query file not found: {text}")
        return path.read_text(encoding="utf-8"), None
    if text in saved:
        return saved[text].sparql, saved[text]
    if "{" in text or is_update(text):
        return text, None
    raise UsageError(
        f"{text!r} is not a .rq file, a saved query or SPARQL; saved queries: {', '.join(saved) or 'none'}"
    )


def _params(pairs: list[str]) -> dict[str, str]:
    values = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise UsageError(f"--param takes NAME=VALUE, got {pair!r}")
        values[key] = value
    return values


def _table(result, prefixes) -> str:
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    header = result.variables
    rows = [[display(row[v], prefixes) if v in row else "" for v in header] for row in result.rows]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
    line = lambda cells: " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()  # noqa: E731
    out = [line(header), "-+-".join("-" * w for w in widths)] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def _refuse(sparql: str, allow_service: bool) -> None:
    """Refuse, before any engine sees it, what this command does not run: an update, or (unless
    allowed) SERVICE, which would make the engine fetch other URLs, as the endpoint refuses it."""
    words = keywords(sparql)
    if words & UPDATE_KEYWORDS and is_update(sparql):
        raise UsageError("the query is SPARQL Update: the graph is read-only here (only twitch-kg build writes it); "
                         "query runs SELECT, ASK, CONSTRUCT and DESCRIBE")
    if "SERVICE" in words and not allow_service:
        raise UsageError("SERVICE (federated query) is refused, as the SPARQL endpoint refuses it: "
                         "it would fetch other URLs; add --allow-service to run it")


def cmd_query(args, settings) -> int:
    sparql, saved = _resolve_query(args.query, settings)
    _refuse(sparql, args.allow_service)
    store = open_graph(settings, args.store)
    prefixes = store.vocab.prefixes
    values = _params(args.param)
    if saved is None and values:
        raise UsageError("--param applies only to saved queries")
    bindings = saved.bindings(values, prefixes, choices(saved, store)) if saved else None
    try:
        result = store.query(sparql, substitutions=bindings)
    except OSError as exc:  # a SERVICE it was allowed to call did not answer
        raise KGError(f"the query could not be evaluated: {exc}") from None
    fmt = args.format or ("turtle" if result.is_graph else "table")
    if result.is_graph:
        graph_names = [f.name for f in GRAPH_FORMATS]
        name = GRAPH_ALIASES.get(fmt, fmt)
        if name not in graph_names:
            raise UsageError(f"format {fmt!r} is not for a graph result; use one of: {', '.join(graph_names)}")
        sys.stdout.write(result.serialize(by_name(GRAPH_FORMATS, name), prefixes).decode("utf-8"))
        return 0
    if fmt == "table":
        print(_table(result, prefixes))
        return 0
    names = [f.name for f in RESULT_FORMATS]
    if fmt not in names:
        raise UsageError(f"format {fmt!r} is not for SELECT/ASK results; use one of: table, {', '.join(names)}")
    sys.stdout.write(result.serialize(by_name(RESULT_FORMATS, fmt)).decode("utf-8"))
    return 0


def cmd_export(args, settings) -> int:
    fmt = export_format(args.format)
    store = open_graph(settings, args.store)
    content = export(store, args.graph, fmt)
    if args.output:
        atomic_write(Path(args.output), content)
    else:
        sys.stdout.buffer.write(content)
    return 0


def cmd_check(args, settings) -> int:
    from .checker import Checker
    from .checker.text import render

    checker = Checker.from_store(open_graph(settings, args.store))
    if len(args.condition) > 1:
        raise UsageError(f"give at most one --condition, not {len(args.condition)}: "
                         + ", ".join(map(repr, args.condition)))
    presentation = checker.presentation(args.feature, args.trigger, args.condition[0] if args.condition else None,
                                        args.symptom)
    answer = checker.check(presentation, reasoner=args.reasoner)
    if args.format == "json":
        print(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
    else:
        sys.stdout.write(render(answer))
    return 0


def cmd_explain(args, settings) -> int:
    from .explain import as_owl, as_text, explain

    if args.predicate is not None and args.object is None:
        raise UsageError("explain takes SUBJECT, or SUBJECT PREDICATE OBJECT")
    explanation = explain(open_graph(settings, args.store), args.subject, args.predicate, args.object)
    if args.format == "turtle":
        sys.stdout.buffer.write(as_owl(explanation))
    else:
        sys.stdout.write(as_text(explanation))
    return 0


def cmd_serve(args, settings) -> int:
    from webapp.serve import serve

    serve(settings, store_spec=args.store, host=args.host, port=args.port, log_format=args.log_format,
          log_level=args.log_level)
    return 0


def ontology_version(settings) -> str:
    """The ontology's ``owl:versionInfo``, read from the ontology file this command would build."""
    from rdflib import Graph
    from rdflib.namespace import OWL, RDF

    try:
        graph = Graph().parse(settings.ontology_file, format="turtle")
    except Exception as exc:  # a version banner reports the problem instead of a traceback
        return f"unreadable: {settings.ontology_file}: {exc}"
    versions = sorted(str(v) for o in graph.subjects(RDF.type, OWL.Ontology) for v in graph.objects(o, OWL.versionInfo))
    return ", ".join(versions) or "without owl:versionInfo"


class _Version(argparse.Action):
    """``--version``: the package's and the ontology's, read when asked (not on every command)."""

    def __init__(self, option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, help=None):
        super().__init__(option_strings, dest=dest, default=default, nargs=0, help=help)

    def __call__(self, parser, namespace, values, option_string=None):
        print(f"twitch-kg {__version__} (ontology {ontology_version(load_settings())})")
        parser.exit()


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"not a TCP port (0 to 65535): {text!r}")
    return int(text)


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="twitch-kg", description=__doc__)
    top.add_argument("--version", action=_Version, help="print the package's and the ontology's versions and exit")
    top.add_argument("--store", default=None, help="memory (default), oxigraph:PATH or sparql:URL")
    top.add_argument("--build-dir", default=None,
                     help="where the build artefact lives (default: TWITCH_KG_BUILD_DIR, else the user's cache folder)")
    sub = top.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("build", help="validate, reason and write the artefact")
    p.add_argument("--force", action="store_true", help="rebuild even if the inputs are unchanged")
    p.set_defaults(run=cmd_build)

    p = sub.add_parser("validate", help="SHACL and consistency only")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser("query", help="run a .rq file, a saved query or inline SPARQL")
    p.add_argument("query")
    p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    p.add_argument("--format", choices=QUERY_FORMATS)
    p.add_argument("--allow-service", action="store_true",
                   help="run SERVICE clauses (federated query: fetches the URLs they name); refused otherwise")
    p.set_defaults(run=cmd_query)

    p = sub.add_parser("export", help="write a graph in an RDF format")
    p.add_argument("--graph", choices=EXPORT_GRAPHS, default="all")
    p.add_argument("--format", choices=sorted(set(EXPORT_FORMATS) | {"xml", "ttl"}), default="turtle",
                   help="an RDF format, or sssom: the cross-references as an SSSOM mapping table (TSV)")
    p.add_argument("--output", help="a file (default: standard output)")
    p.set_defaults(run=cmd_export)

    p = sub.add_parser("serve", help="serve the web app and SPARQL endpoint", epilog_from=_server_settings,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=_port, default=8000, help="a free TCP port (default 8000; 0: any free port)")
    p.add_argument("--log-format", choices=("text", "json"), default=None,
                   help="text (default) or json: one JSON object per line (TWITCH_KG_LOG_FORMAT)")
    p.add_argument("--log-level", choices=("debug", "info", "warning", "error"), default=None,
                   help="the least severe lines logged (default info; TWITCH_KG_LOG_LEVEL)")
    p.set_defaults(run=cmd_serve)

    p = sub.add_parser("explain", help="why the reasoner concluded what it did: the justifications of the inferred "
                                       "statements about SUBJECT (or of one statement)")
    p.add_argument("subject", help="an entity, e.g. tw:dystonia")
    p.add_argument("predicate", nargs="?", help="a property (or a for rdf:type), e.g. rdf:type")
    p.add_argument("object", nargs="?", help="e.g. tw:RequiresProfessionalAttention")
    p.add_argument("--format", choices=("text", "turtle"), default="text",
                   help="text: the axioms in Manchester syntax, by label (default); turtle: the justification as a "
                        "standalone OWL 2 ontology (one statement)")
    p.set_defaults(run=cmd_explain)

    p = sub.add_parser("check", help="should I see a doctor? the reasoner's escalation for a described twitching, "
                                     "with reasons")
    p.add_argument("--feature", action="append", default=[],
                   help="a warning feature (repeatable), e.g. persistent-twitching")
    p.add_argument("--trigger", action="append", default=[],
                   help="a suspected trigger (repeatable), e.g. caffeine-and-stimulants")
    p.add_argument("--symptom", action="append", default=[],
                   help="another symptom that comes with the twitching, as free text (repeatable, at most 5, "
                        "each at most 100 characters), e.g. \"difficulty swallowing\"")
    p.add_argument("--condition", action="append", default=[],
                   help="a diagnosed condition (at most one), e.g. dystonia")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--reasoner", choices=("rl", "hermit"), default="rl",
                   help="rl: in-process OWL 2 RL (default, fast); hermit: HermiT, the build's reasoner (starts Java)")
    p.set_defaults(run=cmd_check)
    for command in sub.choices.values():  # the global options, also after the command's name
        command.add_argument("--store", default=argparse.SUPPRESS, help="memory (default), oxigraph:PATH or sparql:URL")
        command.add_argument("--build-dir", default=argparse.SUPPRESS, help="where the build artefact lives")
    return top


def main(argv: list[str] | None = None) -> int:
    try:
        args = parser().parse_args(argv)
        settings = load_settings()
        if args.build_dir:
            settings = settings.with_(build_dir=Path(args.build_dir))
        return args.run(args, settings)
    except MalformedQuery as exc:
        print(f"twitch-kg: error: malformed SPARQL: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KGError as exc:  # only the errors we know; anything else is a bug and shows its traceback
        print(f"twitch-kg: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
