"""The benchmark harness: ``python -m benchmarks.run --sizes 1000 10000``.

For each size N: generate (or reuse) the corpus, measure extraction per core, build
the store in a child process (time, load speed, peak memory, size on disk), export
N-Quads, start each server on the same data in turn (this project, ``oxigraph
serve``, ``rdflib-endpoint``), check that every query of the mix gets the same number
of rows from each, then time the mix at each concurrency, and the REST endpoints.
Writes ``benchmarks/results/<timestamp>/`` (results.json, results.md, PNG plots).
Exits 1 when a server disagrees with ours on a query (after writing the results).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import sys
import time
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from benchmarks import build as bb
from benchmarks import corpus, load, queries, rest, servers, writes
from benchmarks.report import ratios, write_report

HERE = Path(__file__).resolve().parent
PEERS = ("oxigraph", "rdflib-endpoint")


def _log(msg: str) -> None:
    print(f"[{datetime.now():%H:%M:%S}] {msg}", file=sys.stderr, flush=True)


def _versions() -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for name in ("defence-kg", "pyoxigraph", "oxigraph", "rdflib", "rdflib-endpoint", "spacy", "fastapi", "uvicorn"):
        try:
            out[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            out[name] = None
    out["wrk"] = "4.x" if load.wrk_available() else None
    return out


def _verify(server: servers.Server, qs: list[queries.Query], *, timeout: float) -> dict[str, Any]:
    """Row counts per distinct query (``None`` when the server failed or timed out)."""
    counts: list[int | None] = []
    errors: list[str] = []
    for q in qs:
        try:
            status, body, _ = load.fetch(server.port, q.get_path(server.sparql_path), timeout=timeout)
            if status == 200:
                counts.append(load.result_rows(body))
            else:
                counts.append(None)
                errors.append(f"{q.kind}: HTTP {status}: {body[:200]!r}")
        except (OSError, ValueError, KeyError) as e:
            counts.append(None)
            errors.append(f"{q.kind}: {type(e).__name__}: {e}")
    return {"counts": counts, "errors": errors}


def _per_kind(
    server: servers.Server, qs: list[queries.Query], *, reps: int, budget: float, timeout: float
) -> dict[str, dict[str, float]]:
    """Sequential latency of each kind of query (median over its instances and repetitions)."""
    out: dict[str, dict[str, float]] = {}
    for kind in queries.TEMPLATES:
        samples: list[float] = []
        started = time.perf_counter()
        for _ in range(reps):
            for q in (q for q in qs if q.kind == kind):
                if time.perf_counter() - started > budget:
                    break
                try:
                    status, _, secs = load.fetch(server.port, q.get_path(server.sparql_path), timeout=timeout)
                except OSError:
                    continue
                if status == 200:
                    samples.append(secs * 1000)
        if samples:
            out[kind] = {
                "p50_ms": round(statistics.median(samples), 3),
                "max_ms": round(max(samples), 3),
                "n": len(samples),
            }
    return out


def _bench_size(n: int, args: argparse.Namespace, workdir: Path, results_dir: Path) -> dict[str, Any]:
    r: dict[str, Any] = {"documents": n}
    corpus_dir = args.corpus_root / str(n)
    _log(f"N={n}: corpus -> {corpus_dir}")
    r["corpus"] = corpus.generate(corpus_dir, n, seed=args.seed, workers=os.cpu_count() or 1)

    store = workdir / str(n) / "store"
    saved = store.parent / "build.json"  # the extraction and build figures, kept beside a kept store
    if args.reuse_builds and store.exists() and saved.exists():
        _log(f"N={n}: reusing the build in {store} (figures from {saved})")
        kept = json.loads(saved.read_text())
        r["extraction"], b = kept["extraction"], kept["build"]
        b["reused_from"] = str(saved)
    else:
        sample = min(n, args.extract_sample)
        _log(f"N={n}: extraction, one core, {sample} documents")
        r["extraction"] = bb.measure_extraction(corpus_dir, sample=sample, timeout=args.build_timeout)
        if store.exists():
            shutil.rmtree(store)
        store.parent.mkdir(parents=True, exist_ok=True)
        _log(f"N={n}: build -> {store}")
        b = bb.measure_build(
            corpus_dir, store, workers=args.workers, timeout=args.build_timeout, memory_cap_mib=args.memory_cap_mib
        )
        saved.write_text(json.dumps({"extraction": r["extraction"], "build": b}, indent=2))
    if "stopped" in b:
        r["build"] = b
        _log(f"N={n}: build STOPPED: {b['stopped']}; got to: {b['progress']}")
        return r
    b["docs_per_s"] = round(b["documents"] / b["build_seconds"], 1)
    b["words_per_s"] = round(r["corpus"]["words"] / b["build_seconds"])
    b["load_triples_per_s"] = round(b["triples"] / b["load_seconds"]) if b["load_seconds"] else None
    r["build"] = b
    _log(
        f"N={n}: built {b['documents']} docs, {b['store_triples']} triples in {b['build_seconds']} s, "
        f"peak {b['peak_pss_mib']} MiB"
    )
    if not args.no_serve:
        _bench_serving(r, n, store, args, workdir, results_dir)
    return r


def _bench_writes(r: dict[str, Any], n: int, dump: Path, args: argparse.Namespace, workdir: Path) -> None:
    _log(f"N={n}: store writes of the build's quads: Store.replace_graphs against pyoxigraph's bulk_load")
    r["writes"] = writes.measure_writes(
        dump,
        batch=args.write_batch,
        rounds=args.write_rounds,
        rebuild=not args.quick and not args.no_write_rebuild,
        timeout=args.build_timeout,
        workdir=workdir,
    )
    peer = max(r["writes"]["rounds"]["peer"], key=lambda x: x["triples_per_s"])
    r["bulk_load"] = {
        "quads": peer["quads"],
        "seconds": peer["seconds"],
        "quads_per_s": peer["triples_per_s"],
        "peak_pss_mib": peer["peak_pss_mib"],
    }


def _bench_serving(
    r: dict[str, Any], n: int, store: Path, args: argparse.Namespace, workdir: Path, results_dir: Path
) -> None:
    dump = workdir / str(n) / "dump.nq"
    r["export"] = bb.export_nquads(store, dump, timeout=args.build_timeout)
    if args.write_rounds:
        _bench_writes(r, n, dump, args, workdir)
    qs = queries.choose(store, per_kind=args.per_kind)
    seq = queries.mix(qs, length=400)
    r["queries"] = {
        "distinct": len(qs),
        "kinds": {k: sum(q.kind == k for q in qs) for k in queries.TEMPLATES},
        "weights": queries.WEIGHTS,
        "texts": {k: next(q.text for q in qs if q.kind == k) for k in queries.TEMPLATES},
    }
    r["servers"] = {}
    r["mismatches"] = []
    reference: list[int | None] | None = None
    wanted = ["kg", *(p for p in PEERS if p not in args.skip)]
    for name in wanted:
        if name in PEERS and n > args.peer_max_docs.get(name, 10**9):
            r["servers"][name] = {"skipped": f"over --{name}-max-docs ({args.peer_max_docs[name]})"}
            continue
        _log(f"N={n}: {name}: loading and starting")
        try:
            if name == "kg":
                srv: servers.Server | None = servers.ours(
                    store, results_dir, workers=args.kg_workers, env=dict(kv.split("=", 1) for kv in args.kg_env)
                )
            elif name == "oxigraph":
                srv = servers.oxigraph(dump, workdir / str(n))
            else:
                srv = servers.rdflib_endpoint(dump, workdir / str(n))
        except Exception as e:  # a peer that cannot load is reported, the run goes on
            r["servers"][name] = {"skipped": f"could not load: {type(e).__name__}: {e}"}
            continue
        if srv is None:
            r["servers"][name] = {"skipped": "not installed (pip install '.[bench]')"}
            continue
        with srv:
            try:
                srv.start(timeout=args.start_timeout)
            except (RuntimeError, TimeoutError) as e:
                r["servers"][name] = {"skipped": str(e)}
                continue
            s: dict[str, Any] = {"info": srv.info}
            v = _verify(srv, qs, timeout=args.request_timeout)
            s["verification"] = v
            if name == "kg":
                reference = v["counts"]
                if v["errors"]:
                    r["mismatches"] += [f"kg: {e}" for e in v["errors"]]
            elif reference is not None:
                for q, ours_n, theirs in zip(qs, reference, v["counts"], strict=True):
                    if ours_n != theirs:
                        r["mismatches"].append(
                            f"{name}: {q.kind}: kg {ours_n} rows, {name} {theirs} rows: "
                            f"{q.text[len(queries.PREFIXES) :][:160]}"
                        )
            _log(f"N={n}: {name}: per-kind latency")
            s["per_kind"] = _per_kind(srv, qs, reps=args.reps, budget=args.kind_budget, timeout=args.request_timeout)
            target = load.Target(srv.port, [q.get_path(srv.sparql_path) for q in seq])
            s["load"] = load.run_each(target, args, _log, f"N={n}: {name}: mix")
            s["memory_after_mib"] = srv.memory_mib()
            if name == "kg":
                r["rest"] = bench_rest(srv, store, args)
            r["servers"][name] = s
    r["ratios"] = ratios(r)


def bench_rest(srv: servers.Server, store: Path, args: argparse.Namespace) -> dict[str, Any]:
    qs = queries.choose(store, per_kind=2)
    iri = qs[[q.kind for q in qs].index("lookup")].text.split("<")[-1].split(">")[0]
    term = qs[[q.kind for q in qs].index("search")].text.split('"')[1]
    reqs, skipped = rest.discover(srv.port, entity_iri=iri, term=term, timeout=args.request_timeout)
    out: dict[str, Any] = {"endpoints": [q["path"] for q in reqs], "skipped": skipped, "per_endpoint": {}, "load": {}}
    if not reqs:
        return out
    for q in reqs:
        samples = []
        for _ in range(max(1, args.reps * 2)):
            status, _, secs = load.fetch(srv.port, q["path"], timeout=args.request_timeout, accept="application/json")
            if status == 200:
                samples.append(secs * 1000)
        if samples:
            out["per_endpoint"][q["endpoint"]] = {
                "p50_ms": round(statistics.median(samples), 3),
                "n": len(samples),
                "load": {},
            }
    # Each endpoint alone under load: its own p50/p95 at each REST concurrency (the target is per endpoint).
    for q in reqs:
        ep = out["per_endpoint"].get(q["endpoint"])
        if ep is None:
            continue
        for c in args.rest_concurrency:
            m = load.run(
                load.Target(srv.port, [q["path"]]),
                concurrency=c,
                seconds=args.rest_seconds,
                max_requests=args.max_requests,
                timeout=args.request_timeout,
                client=args.client,
            )
            ep["load"][str(c)] = {
                "p50_ms": m["latency_ms"]["p50"],
                "p95_ms": m["latency_ms"]["p95"],
                "rps": m["throughput_rps"],
                "ok": m["ok"],
                "failed": m["failed"],
            }
        _log(f"REST {q['endpoint']}: " + ", ".join(f"c={c} p95 {x['p95_ms']} ms" for c, x in ep["load"].items()))
    out["name_search"] = _name_search(srv, qs, args)
    target = load.Target(srv.port, [q["path"] for q in reqs])
    out["load"] = load.run_each(target, args, _log, "REST")
    return out


def _name_search(srv: servers.Server, qs: list[queries.Query], args: argparse.Namespace) -> dict[str, Any]:
    """The REST name search (prefix and fuzzy) for the mix's search terms, sequential p50/p95; the
    report sets it against the same terms as a SPARQL CONTAINS filter (the mix's ``search`` kind)."""
    terms = [q.text.split('"')[1] for q in qs if q.kind == "search"]
    out: dict[str, Any] = {"terms": terms}
    for match in ("prefix", "fuzzy"):
        samples = []
        for _ in range(max(1, args.reps * 3)):
            for t in terms:
                status, _, secs = load.fetch(
                    srv.port,
                    f"/api/v1/entities?{urlencode({'name': t, 'match': match})}",
                    timeout=args.request_timeout,
                    accept="application/json",
                )
                if status == 200:
                    samples.append(secs * 1000)
        if samples:
            samples.sort()
            out[match] = {
                "p50_ms": round(statistics.median(samples), 3),
                "p95_ms": round(samples[min(len(samples) - 1, int(0.95 * len(samples)))], 3),
                "n": len(samples),
            }
    return out


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description="Benchmark build, SPARQL and REST against rdflib-endpoint and oxigraph.")
    p.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000], help="corpus sizes N")
    p.add_argument("--quick", action="store_true", help="short load runs (CI smoke): 3 s and 300 requests each")
    p.add_argument("--seconds", type=float, help="wall-clock cap per load run [15; quick 3]")
    p.add_argument("--max-requests", type=int, help="request cap per load run [100000; quick 300]")
    p.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    p.add_argument(
        "--rest-concurrency",
        type=int,
        nargs="+",
        help="concurrencies of each REST endpoint's own load run [1 8; quick: --concurrency]",
    )
    p.add_argument("--rest-seconds", type=float, help="seconds per REST endpoint load run [5; quick 1]")
    p.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--workers", type=int, help="extraction processes for the build [CPU count]")
    p.add_argument("--kg-workers", type=int, help="query workers of our server [KG_QUERY_WORKERS or its default]")
    p.add_argument(
        "--kg-env",
        nargs="*",
        default=[],
        metavar="KEY=VALUE",
        help="extra environment for our server, e.g. KG_MAX_RESULT_ROWS=1000000",
    )
    p.add_argument("--skip", nargs="*", default=[], choices=list(PEERS), help="peers to leave out")
    p.add_argument(
        "--rdflib-max-docs",
        type=int,
        default=20000,
        help="largest N served by rdflib-endpoint (in-memory; ~1 GiB per 10k documents)",
    )
    p.add_argument("--write-batch", type=int, default=500, help="documents per store write (KG_BUILD_BATCH)")
    p.add_argument(
        "--no-write-rebuild",
        action="store_true",
        help="leave out the rebuild pass of the store writes (SPARQL update: ~4,000 triples/s)",
    )
    p.add_argument(
        "--write-rounds",
        type=int,
        help="alternating rounds of ours and the peer's store writes (0: none, e.g. on a kept store) [2; quick 1]",
    )
    p.add_argument("--no-serve", action="store_true", help="build figures only (the long 100k/1M runs)")
    p.add_argument(
        "--memory-cap-mib",
        type=float,
        default=12 * 1024,
        help="stop a build whose process tree passes this PSS (protects the machine) [12 GiB]",
    )
    p.add_argument("--extract-sample", type=int, default=300, help="documents timed on one core")
    p.add_argument("--per-kind", type=int, default=8, help="distinct parameter values per query kind")
    p.add_argument("--reps", type=int, help="sequential repetitions per query for per-kind latency [3; quick 1]")
    p.add_argument("--kind-budget", type=float, default=30.0, help="seconds per kind for per-kind latency")
    p.add_argument("--request-timeout", type=float, default=60.0)
    p.add_argument("--start-timeout", type=float, default=1800.0)
    p.add_argument("--build-timeout", type=float, default=6 * 3600.0)
    p.add_argument("--corpus-root", type=Path, default=HERE / "corpus")
    p.add_argument("--results-root", type=Path, default=HERE / "results")
    p.add_argument(
        "--workdir", type=Path, help="stores and dumps [results-root/work]; deleted at the end unless --keep"
    )
    p.add_argument("--keep", action="store_true", help="keep stores and dumps")
    p.add_argument(
        "--reuse-builds",
        action="store_true",
        help="serve a store kept by an earlier --keep run in --workdir instead of building again "
        "(its build figures are read from build.json beside it)",
    )
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    args.seconds = args.seconds or (3.0 if args.quick else 15.0)
    args.max_requests = args.max_requests or (300 if args.quick else 100_000)
    args.reps = args.reps or (1 if args.quick else 3)
    args.rest_seconds = args.rest_seconds or (1.0 if args.quick else 5.0)
    if args.write_rounds is None:
        args.write_rounds = 1 if args.quick else 2
    args.rest_concurrency = args.rest_concurrency or (args.concurrency if args.quick else [1, 8])
    if args.quick:
        args.request_timeout = min(args.request_timeout, 30.0)
        args.kind_budget = min(args.kind_budget, 5.0)
    args.peer_max_docs = {"rdflib-endpoint": args.rdflib_max_docs}
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    results_dir = args.results_root / stamp
    results_dir.mkdir(parents=True, exist_ok=True)
    workdir = args.workdir or (args.results_root / "work")
    results: dict[str, Any] = {
        "meta": {
            "started": stamp,
            "argv": sys.argv[1:] if argv is None else argv,
            "python": platform.python_version(),
            "machine": {
                "cpus": os.cpu_count(),
                "platform": platform.platform(),
                "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
            },
            "versions": _versions(),
            "quick": args.quick,
            "seconds": args.seconds,
            "max_requests": args.max_requests,
            "concurrency": args.concurrency,
        },
        "sizes": {},
    }
    failed = False
    try:
        for n in args.sizes:
            results["sizes"][str(n)] = _bench_size(n, args, workdir, results_dir)
            failed |= bool(results["sizes"][str(n)].get("mismatches"))
            (results_dir / "results.json").write_text(json.dumps(results, indent=2))  # after each size
    finally:
        results["meta"]["finished"] = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        (results_dir / "results.json").write_text(json.dumps(results, indent=2))
        write_report(results, results_dir)
        if not args.keep and workdir.exists():
            shutil.rmtree(workdir, ignore_errors=True)
    latest = args.results_root / "latest"
    if latest.is_symlink() or latest.exists():
        latest.unlink()
    latest.symlink_to(stamp)
    _log(f"results: {results_dir}")
    for n, r in results["sizes"].items():
        for m in r.get("mismatches", []):
            _log(f"MISMATCH N={n}: {m}")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
