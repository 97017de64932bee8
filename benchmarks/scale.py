"""The graph at scale: N synthetic articles, reasoned, loaded into each store, queried.

    python benchmarks/scale.py [--articles 17,170,1700] [--stores memory,oxigraph,sparql] [--runs 5]

1700 articles are about a million triples. Every figure comes from one run of this script, each
step in its own Python process (so its peak memory is its own) and bounded in time:

1. Reasoners on the whole graph at small sizes (HermiT through owlready2, as the build runs it,
   and OWL 2 RL with ``reasonable``), against the scalable way: HermiT for the terminology once
   plus OWL 2 RL per batch of articles (benchmarks/_materialise.py), with a check that its
   inferred graph is exactly HermiT's where HermiT finishes.
2. The build at each size: generate (benchmarks/synthetic.py), reason the scalable way, write
   the artefact (the build's own format: N-Quads of the three named graphs, sorted).
3. Each store at each size: load (sparql: into an empty store, then again, replacing the build),
   peak memory, and every saved query (queries/*.rq, default parameters) through the store
   interface, against the same query run directly on its engine: pyoxigraph's Store, or the same
   HTTP request sent straight to Virtuoso (the median of ``--runs`` runs, or of as many as fit in
   half a second for fast queries). At the largest size: the whole graph exported as Turtle and as
   JSON-LD (expanded and streamed there, above kg.export.COMPACT_JSONLD_LIMIT) against pyoxigraph's
   own dump of the same graphs, and a server's two query workers started over each
   embedded store (time until ready, peak memory of each).

Targets at ~1M triples: load <= 10 s, peak RSS <= 600 MB, each saved query within 1.5x of
its engine, export within 2x of pyoxigraph's dump. A missed target is printed as missed.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import itertools
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent.parent / "tests"))

import _materialise  # noqa: E402
import synthetic  # noqa: E402
from _measure import child, emit, peak_rss_mb, process_peak_rss_mb, table, timed  # noqa: E402

from kg.config import load_settings  # noqa: E402
from kg.query.saved import load_all  # noqa: E402

STORES = ("memory", "oxigraph", "sparql")
SLOW = 10.0  # seconds: a saved query this slow is not run again at the next (10x) size
AT_LEAST = 0.5  # seconds of runs per median: a query of microseconds is run until then (--runs at least)


# ---------------------------------------------------------------- children (one process each)


def child_reason(kind: str, articles: int, work: Path) -> dict:
    """One reasoner on the whole graph of ``articles`` articles: time, inferred count, memory."""
    from rdflib import Graph, URIRef

    from kg import reason

    settings = load_settings()
    ontology, asserted = work / "ontology.nt", work / f"asserted-{articles}.nt"
    synthetic.write_ontology(settings, ontology)
    triples = synthetic.write_ntriples(settings, articles, asserted)
    started = time.perf_counter()
    if kind == "hermit":
        graph = Graph()
        graph.parse(ontology, format="nt")
        graph.parse(asserted, format="nt")
        started = time.perf_counter()
        inferred = reason.infer(graph)
        found = set(inferred)
    elif kind == "rl-whole":
        import reasonable

        for path in (ontology, asserted):
            path.with_suffix(".ttl").write_bytes(path.read_bytes())
        reasoner = reasonable.PyReasoner()
        reasoner.load_file(str(ontology.with_suffix(".ttl")))
        reasoner.load_file(str(asserted.with_suffix(".ttl")))
        found = set(reasoner.reason()) - set(reasoner.get_base_triples())
    else:  # the scalable way
        found = _scalable(settings, ontology, asserted, work)
    seconds = time.perf_counter() - started
    digest = hashlib.sha256("".join(sorted(f"{s} {p} {o}" for s, p, o in found if isinstance(s, URIRef))).encode())
    return {"seconds": seconds, "triples": triples + synthetic_ontology_size(settings), "inferred": len(found),
            "digest": digest.hexdigest(), "rss": peak_rss_mb(), "java_rss": peak_rss_mb(children=True)}


def synthetic_ontology_size(settings) -> int:
    return len(synthetic.template(settings)[0])


def _scalable(settings, ontology: Path, asserted: Path, work: Path) -> set[tuple]:
    """HermiT on the terminology once, then OWL 2 RL per batch of articles."""
    _ontology, article, own = synthetic.template(settings)
    first = work / "article-0.nt"
    synthetic.write_ntriples(settings, 1, first)
    tbox = _materialise.terminology(ontology, first, own)
    found = set(tbox)
    batch_size = len(article) * _materialise.BATCH
    with asserted.open(encoding="utf-8") as handle:  # streamed, one batch of articles at a time
        while batch := list(itertools.islice(handle, batch_size)):
            subjects = {line[1:line.index(">")] for line in batch if line.startswith("<")}
            found |= _materialise.individuals(ontology, tbox, batch, subjects - _defined(settings))
    return found


_DEFINED: set[str] | None = None


def _defined(settings) -> set[str]:
    global _DEFINED
    if _DEFINED is None:
        ontology = synthetic.template(settings)[0]
        _DEFINED = {t.subject.value for t in ontology if hasattr(t.subject, "value")}
    return _DEFINED


def child_build(articles: int, work: Path) -> dict:
    """Generate, reason (the scalable way) and write the artefact; timings and peak memory."""
    from kg import artefact as artefacts
    from kg.namespaces import Vocabulary

    settings = load_settings()
    timings = {}
    started = time.perf_counter()
    ontology, asserted = work / "ontology.nt", work / f"asserted-{articles}.nt"
    synthetic.write_ontology(settings, ontology)
    count = synthetic.write_ntriples(settings, articles, asserted)
    timings["generate"] = time.perf_counter() - started
    started = time.perf_counter()
    inferred = _scalable(settings, ontology, asserted, work)
    timings["reason"] = time.perf_counter() - started
    started = time.perf_counter()
    graphs = Vocabulary(settings.base_iri).graph_iris
    content = io.BytesIO()  # N-Quads in generation order (deterministic; not sorted, to bound memory)
    for name, path in (("ontology", ontology), ("asserted", asserted)):
        suffix = f" <{graphs[name]}> .\n".encode()
        with path.open("rb") as handle:
            for line in handle:
                content.write(line[:-3] + suffix)
    inferred_suffix = f" <{graphs['inferred']}> .\n"
    content.write("".join(line[:-2] + inferred_suffix
                          for line in _materialise.to_ntriples(inferred).splitlines()).encode())
    manifest = {"input_hash": hashlib.sha256(f"synthetic:{articles}".encode()).hexdigest(),
                "base_iri": settings.base_iri, "graphs": graphs,
                "counts": {"ontology": synthetic_ontology_size(settings), "asserted": count, "inferred": len(inferred)}}
    artefacts.write(work / f"build-{articles}", content.getvalue(), manifest)
    timings["write"] = time.perf_counter() - started
    return {"timings": timings, "asserted": count, "inferred": len(inferred), "rss": peak_rss_mb(),
            "java_rss": peak_rss_mb(children=True)}


def _open(kind: str, articles: int, work: Path, urls: dict):
    from kg.store import open_store
    from kg.store.remote import RemoteStore

    settings = load_settings()
    if kind == "sparql":
        return RemoteStore(settings, urls["query"], update_url=urls["update"], graph_store_url=urls["graph_store"],
                           timeout=300)
    if kind == "oxigraph":  # one folder per size: the query steps open what the load step wrote
        return open_store(f"oxigraph:{work / f'oxigraph-{articles}'}", settings)
    return open_store("memory", settings)


def child_load(kind: str, articles: int, work: Path, urls: dict, extras: list[str]) -> None:
    """Load the artefact into one store: time and peak memory; if asked, the whole graph as Turtle
    ("export") and the server's two query workers started over the loaded store ("workers")."""
    import pyoxigraph as ox

    from kg.artefact import verified
    from kg.export import export as export_graph
    from kg.export import export_format

    store = _open(kind, articles, work, urls)
    build = verified(work / f"build-{articles}")
    if kind == "sparql":  # an empty store first (filled in place), then a replacement (staged, then MOVE)
        _empty(store)
    started = time.perf_counter()
    store.load(build)
    emit({"load": time.perf_counter() - started, "rss": peak_rss_mb()})
    if kind == "sparql":
        started = time.perf_counter()
        store.load(build)
        emit({"replace": time.perf_counter() - started, "rss": peak_rss_mb()})
    if "workers" in extras:
        from kg.query.sandbox import open_pool

        started = time.perf_counter()
        pool = open_pool(store, 2, timeout=60)
        assert pool is not None  # "workers" is asked of the embedded stores only, which have worker openers
        seconds = time.perf_counter() - started
        worker_rss = [process_peak_rss_mb(worker.process.pid) for worker in list(pool._idle.queue)]
        pool.close()
        emit({"workers_start": seconds, "worker_rss": max((rss for rss in worker_rss if rss is not None), default=None),
              "server_rss": peak_rss_mb(),
              "opener": type(pool.opener).__name__})
    if "export" in extras:
        raw, graphs = store._store, [ox.NamedNode(iri) for iri in store.graph_iris.values()]
        seconds, _ = timed(lambda: export_graph(store, "all", export_format("turtle")), 3)
        dump, _ = timed(lambda: [raw.dump(format=ox.RdfFormat.TURTLE, from_graph=g) for g in graphs], 3)
        # JSON-LD above COMPACT_JSONLD_LIMIT: expanded, streamed (kg/export.py), against the same dump
        jsonld, _ = timed(lambda: export_graph(store, "all", export_format("jsonld")), 3)
        jsonld_dump, _ = timed(lambda: [raw.dump(format=ox.RdfFormat.JSON_LD, from_graph=g) for g in graphs], 3)
        emit({"export": seconds, "dump": dump, "export_jsonld": jsonld, "dump_jsonld": jsonld_dump})


def _empty(store) -> None:
    """Remove our graphs and the build marker from a remote store (as if it never held a build)."""
    from kg.store.remote import MARKER

    graphs = [*store.graph_iris.values(), MARKER]
    store._update(" ;\n".join(f"DROP SILENT GRAPH <{g}>" for g in graphs))


def child_query(kind: str, articles: int, work: Path, urls: dict, name: str, runs: int) -> None:
    """One saved query through the store (median of ``runs``), and directly on its pyoxigraph Store."""
    import pyoxigraph as ox

    from kg.artefact import verified
    from kg.query.saved import load_all

    settings = load_settings()
    store = _open(kind, articles, work, urls)
    if kind == "memory":
        store.load(verified(work / f"build-{articles}"))
    if hasattr(store, "answers"):
        store.answers.size = 0  # measure the evaluation, not the store's memory of answers
    saved = load_all(settings.queries_dir, settings.base_iri)[name]
    bound = saved.bindings({}, store.vocab.prefixes)
    ours, result = timed(lambda: store.query(saved.sparql, substitutions=bound), runs, at_least=AT_LEAST)
    entry = {"query": name, "seconds": ours,
             "rows": len(result.rows) if result.kind == "select" else len(result.triples)}
    raw = getattr(store, "_store", None)  # the pyoxigraph Store underneath, for the direct baseline
    if kind == "sparql":  # the baseline: the same request straight to Virtuoso, its JSON answer read
        request = _raw_request(urls["query"], store.request_form(saved.sparql, substitutions=bound), result.kind)
        entry["direct"], _ = timed(lambda: _read_raw(request), runs, at_least=AT_LEAST)
    if raw is not None:
        graphs = [ox.NamedNode(iri) for iri in store.graph_iris.values()]
        options = {"prefixes": store.vocab.prefixes, "default_graph": graphs, "named_graphs": graphs,
                   "substitutions": {ox.Variable(k): v for k, v in bound.items()} or None}
        entry["direct"], _ = timed(lambda: _drain(raw.query(saved.sparql, **options)), runs, at_least=AT_LEAST)
    emit(entry)


def _raw_request(url: str, fields: list[tuple[str, str]], kind: str):
    import urllib.parse
    import urllib.request

    accept = "application/n-triples" if kind == "graph" else "application/sparql-results+json"
    return urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST",
                                  headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})


def _read_raw(request):
    """A SPARQL answer as any client reads it: JSON results decoded, N-Triples split into lines."""
    import urllib.request

    with urllib.request.urlopen(request, timeout=300) as response:
        body = response.read()
    if response.headers.get_content_type() == "application/sparql-results+json":
        return json.loads(body)
    return body.splitlines()


def _drain(answer):
    import pyoxigraph as ox

    if isinstance(answer, ox.QueryBoolean):
        return bool(answer)
    if isinstance(answer, ox.QuerySolutions):
        return [tuple(solution) for solution in answer]  # every value read, as any consumer must
    return list(answer)


# ---------------------------------------------------------------- the run


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", default="17,170,1700", help="sizes, in articles (1700 is about 1M triples)")
    parser.add_argument("--stores", default=",".join(STORES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--hermit-sizes", default="1,10,50", help="sizes HermiT reasons on whole (50 takes ~45 s)")
    parser.add_argument("--rl-sizes", default="1,10,50,100,400", help="sizes OWL 2 RL reasons on whole")
    parser.add_argument("--timeout", type=float, default=600, help="bound on each step, in seconds")
    parser.add_argument("--query-timeout", type=float, default=180, help="bound on each saved query's step")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return _run_child(args)

    sizes = [int(n) for n in args.articles.split(",")]
    stores = args.stores.split(",")
    per_article = synthetic.triples_per_article(load_settings())
    print(f"synthetic articles: {per_article} asserted triples each (the real article's facts and 7 example "
          f"presentations); sizes {sizes}; {args.runs} runs per query; one process per step", flush=True)
    with tempfile.TemporaryDirectory(prefix="twitch-kg-scale-") as folder:
        work = Path(folder)
        _reasoners(args, work)
        builds = _builds(args, sizes, work)
        results = _stores(args, sizes, stores, work, builds)
    _summary(sizes, stores, builds, results)
    return 0


def _run_child(args) -> int:
    kind, *rest = args.child
    if kind == "reason":
        emit(child_reason(rest[0], int(rest[1]), Path(rest[2])))
    elif kind == "build":
        emit(child_build(int(rest[0]), Path(rest[1])))
    elif kind == "load":
        child_load(rest[0], int(rest[1]), Path(rest[2]), json.loads(rest[3]), extras=rest[4].split(","))
    else:
        child_query(rest[0], int(rest[1]), Path(rest[2]), json.loads(rest[3]), rest[4], args.runs)
    return 0


def _reasoners(args, work: Path) -> None:
    sizes = sorted({int(n) for n in (args.hermit_sizes + "," + args.rl_sizes).split(",") if n})
    rows = []
    for n in sizes:
        row: list = [n]
        found = {}
        for kind, allowed in (("hermit", args.hermit_sizes), ("rl-whole", args.rl_sizes), ("scalable", args.rl_sizes)):
            if str(n) not in allowed.split(","):
                row += [None, None]
                continue
            found[kind] = child(HERE, ["--child", "reason", kind, str(n), str(work)], args.timeout)
            result = found[kind]
            row += [result.get("error") or result["seconds"], None if "error" in result else
                    result["rss"] + result.get("java_rss", 0)]
        triples = next((r["triples"] for r in found.values() if "triples" in r), None)
        same = None
        if "hermit" in found and "scalable" in found and "digest" in found["hermit"] and "digest" in found["scalable"]:
            same = "yes" if found["hermit"]["digest"] == found["scalable"]["digest"] else "NO"
        rows.append([n, triples, *row[1:], same])
        print(f"  reasoners at {n} articles done", flush=True)
    print(table(["articles", "triples", "HermiT s", "HermiT MB", "RL whole s", "RL whole MB",
                 "HermiT TBox + RL per 10 articles s", "MB", "same inferred graph as HermiT"], rows,
                "Reasoning the whole graph (MB: peak RSS of Python plus, for HermiT, the JVM)"), flush=True)


def _builds(args, sizes, work: Path) -> dict:
    builds = {}
    for n in sizes:
        builds[n] = child(HERE, ["--child", "build", str(n), str(work)], args.timeout)
        print(f"  build at {n} articles done", flush=True)
    rows = []
    for n, b in builds.items():
        if "error" in b:
            rows.append([n, b["error"]] + [None] * 7)
            continue
        t = b["timings"]
        total = sum(t.values())
        rows.append([n, b["asserted"], b["inferred"], t["generate"], t["reason"], t["write"], total, b["rss"],
                     b["java_rss"]])
    print(table(["articles", "asserted", "inferred", "generate s", "reason s", "write s", "total s", "peak MB",
                 "JVM peak MB"], rows, "Build (HermiT for the terminology + OWL 2 RL per 10 articles)"), flush=True)
    return builds


def _stores(args, sizes, stores, work: Path, builds) -> dict:
    results: dict[tuple[int, str], dict] = {}
    virtuoso = None
    if "sparql" in stores:
        import virtuoso as vt

        if vt.binary() is None:
            print("sparql: skipped, virtuoso-t is not installed")
            stores = [s for s in stores if s != "sparql"]
        else:
            virtuoso = vt.running_virtuoso(work / "virtuoso", buffers=120_000)
    server = virtuoso.__enter__() if virtuoso else None
    try:
        urls = json.dumps({"query": server.query_url, "update": server.update_url,
                           "graph_store": server.update_url.replace("/sparql-auth", "/sparql-graph-crud-auth")}
                          if server else {})
        for i, n in enumerate(sizes):
            if "error" in builds[n]:
                continue
            for kind in stores:
                top = n == max(sizes)
                mode = ",".join(extra for extra, wanted in (("export", top and kind == "memory"),
                                                            ("workers", top and kind != "sparql")) if wanted) or "-"
                found = child(HERE, ["--child", "load", kind, str(n), str(work), urls, mode], args.timeout)
                if kind == "sparql":
                    assert server is not None  # started above when "sparql" is among the stores
                    found["virtuoso_rss"] = process_peak_rss_mb(server.process.pid)
                before = results.get((sizes[i - 1], kind), {}).get("queries", {}) if i else {}
                for name in sorted(load_all(load_settings().queries_dir)):
                    if "load" not in found:
                        break
                    previous = before.get(name, {})
                    if i and previous.get("seconds", SLOW + 1) > SLOW:  # too slow (or failed) one size down
                        found["queries"][name] = {"error": "not run: " + (
                            f"{previous['seconds']:.1f} s at {sizes[i - 1]} articles" if "seconds" in previous
                            else "failed one size down")}
                        continue
                    one = child(HERE, ["--runs", str(args.runs), "--child", "query", kind, str(n), str(work), urls,
                                       name], args.query_timeout)
                    found["queries"][name] = one["queries"].get(name) or {"error": one.get("error", "failed")}
                results[(n, kind)] = found
                print(f"  {kind} at {n} articles done", flush=True)
    finally:
        if virtuoso:
            virtuoso.__exit__(None, None, None)
    return results


def _summary(sizes, stores, builds, results) -> None:
    rows = []
    for (n, kind), r in sorted(results.items()):
        total = builds[n]["asserted"] + builds[n]["inferred"] + synthetic_ontology_size(load_settings())
        if "load" not in r:
            rows.append([n, total, kind, r.get("error"), None, None])
            continue
        rows.append([n, total, kind, r["load"], r.get("replace"), r["rss"], r.get("virtuoso_rss")])
    print(table(["articles", "triples", "store", "load s", "replacing a build s", "peak RSS MB (ours)",
                 "Virtuoso peak MB"], rows,
                "Load (targets at ~1M triples: load <= 10 s, peak RSS <= 600 MB); sparql: the first load "
                "fills an empty store in place, a replacement is staged, then swapped in with MOVE"))
    top = max(sizes)
    names = sorted({q for (n, _k), r in results.items() if n == top for q in r.get("queries", {})})
    rows = []
    for name in names:
        row = [name, next((r["queries"][name]["rows"] for (m, _k), r in results.items()
                           if m == top and "rows" in r.get("queries", {}).get(name, {})), None)]
        for kind in stores:
            q = results.get((top, kind), {}).get("queries", {}).get(name, {})
            # the baseline: the same query directly on the same engine (pyoxigraph; for sparql:, Virtuoso)
            direct = q.get("direct")
            if "seconds" not in q:
                row += [None, q.get("error", "—")[:40], None]
            else:
                row += [None if direct is None else direct * 1000, q["seconds"] * 1000,
                        f"{q['seconds'] / direct:.2f}×" if direct else None]
        rows.append(row)
    headers = ["saved query", "rows"]
    for kind in stores:
        engine = "Virtuoso" if kind == "sparql" else "pyoxigraph"
        headers += [f"{kind}: {engine} ms", "store ms", "ratio"]
    print(table(headers, rows, f"Saved queries at {top} articles, medians; ratio = through the store / the same "
                               "query directly on its engine (pyoxigraph's Store; for sparql:, the same HTTP request "
                               "to Virtuoso, its answer decoded by json or split into lines); target <= 1.5×"))
    workers = [[kind, r["opener"], r["workers_start"], r["worker_rss"], r["server_rss"]]
               for (n, kind), r in sorted(results.items()) if n == top and "workers_start" in r]
    if workers:
        print(table(["store", "how a worker opens it", "2 workers ready s", "peak RSS per worker MB",
                     "server's peak RSS MB (load included)"], workers,
                    f"Query workers of a server (kg/query/sandbox.py) over the store at {top} articles"))
    memory = results.get((top, "memory"), {})
    if "export" in memory:
        rows = [["all", "Turtle", memory["export"], memory["dump"], f"{memory['export'] / memory['dump']:.2f}×"]]
        if "export_jsonld" in memory:
            rows.append(["all", "JSON-LD (expanded)", memory["export_jsonld"], memory["dump_jsonld"],
                         f"{memory['export_jsonld'] / memory['dump_jsonld']:.2f}×"])
        print(table(["graph", "format", "export s", "pyoxigraph dump s", "ratio"], rows,
                    f"Export at {top} articles (target: within 2× of pyoxigraph's dump)"))


if __name__ == "__main__":
    sys.exit(main())
