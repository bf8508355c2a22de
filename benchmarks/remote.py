"""Remote stores and the cluster build (issue 12): ``python -m benchmarks.remote --size 1000``.

On the same corpus of N documents:

1. **Build** into each store, the whole of ``kg build`` (extraction on ``--workers``
   processes, writes batched by the client): the embedded store, ``oxigraph serve``
   and Virtuoso 7.2, both written by Graph Store ``PUT`` (one request per document,
   ``KG_REMOTE_CONNECTIONS`` at once). Time, the share in store writes, the client's peak
   memory, and the store's size on disk per quad.
2. **Writes alone**: the embedded build's quads (its N-Quads export) written again by
   ``replace_graphs`` into a fresh instance of each store: what the store costs without
   extraction beside it.
3. **Query mix through** ``kg serve`` on each store: the mix of ``benchmarks.run`` (row
   counts checked against the embedded store, sequential latency per kind, then the mix
   at each concurrency).
4. **Cluster**: ``kg build --cluster local`` (a Dask LocalCluster of ``--workers``
   processes) against the plain build of step 1 (same corpus, same worker count).

The servers are started on free 127.0.0.1 ports in the work folder by the fixtures of
``tests/remote_servers.py`` (``oxigraph`` from the bench extra, Virtuoso from ``make
virtuoso``) and stopped at the end. Results: ``benchmarks/results/<stamp>-remote/results.json``
and ``results.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import AbstractContextManager, nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import build as bb
from benchmarks import corpus, load, queries, servers, writes
from benchmarks.report import _table
from benchmarks.run import _log, _per_kind, _verify

HERE = Path(__file__).resolve().parent
STORES = ("embedded", "oxigraph", "virtuoso")


def _server(kind: str, folder: Path) -> AbstractContextManager[Any]:
    """A fresh remote store of ``kind`` in ``folder`` (yields its kg.config.Remote), or nothing for embedded."""
    from tests import remote_servers

    folder.mkdir(parents=True, exist_ok=True)
    if kind == "oxigraph":
        return remote_servers.oxigraph_server(folder)
    if kind == "virtuoso":
        return remote_servers.virtuoso_server(folder)
    return nullcontext(None)


def available(kind: str) -> str | None:
    """Why a store cannot be measured here (None: it can)."""
    if kind == "oxigraph" and servers.tool("oxigraph") is None:
        return "oxigraph not installed (pip install '.[bench]')"
    if kind == "virtuoso" and not (Path("/usr/bin/virtuoso-t").exists() and Path("/usr/bin/isql-vt").exists()):
        return "Virtuoso not installed (make virtuoso)"
    return None


def _checkpoint(folder: Path) -> None:
    """Virtuoso: write its buffers to virtuoso.db so the file's size is the data's."""
    port = re.search(r"\[Parameters\]\s*ServerPort = 127\.0\.0\.1:(\d+)", (folder / "virtuoso.ini").read_text())
    assert port is not None
    subprocess.run(
        ["/usr/bin/isql-vt", f"127.0.0.1:{port.group(1)}", "dba", "dba", "exec=checkpoint;"],
        capture_output=True,
        timeout=300,
        check=True,
    )


def _size_mib(kind: str, folder: Path, local_store: Path) -> float:
    if kind == "embedded":
        return bb.disk_mib(local_store)
    if kind == "oxigraph":
        return bb.disk_mib(folder / "db")
    _checkpoint(folder)
    return (folder / "virtuoso.db").stat().st_size / 2**20


def _sized(w: dict[str, Any], mib: float) -> None:
    """A writes-alone result with the store's size after it, per quad."""
    quads = w["rounds"]["ours"][0]["quads"]
    w["quads"] = quads
    w["store_mib"] = round(mib, 1)
    w["bytes_per_quad"] = round(mib * 2**20 / quads, 1) if quads else None


def _mix(
    srv: servers.Server, qs: list[queries.Query], reference: list[int | None] | None, args: argparse.Namespace
) -> dict[str, Any]:
    s: dict[str, Any] = {"verification": _verify(srv, qs, timeout=args.request_timeout)}
    if reference is not None:
        s["mismatches"] = [
            f"{q.kind}: embedded {a} rows, this store {b}"
            for q, a, b in zip(qs, reference, s["verification"]["counts"], strict=True)
            if a != b
        ]
    s["per_kind"] = _per_kind(srv, qs, reps=args.reps, budget=args.kind_budget, timeout=args.request_timeout)
    target = load.Target(srv.port, [q.get_path(srv.sparql_path) for q in queries.mix(qs, length=400)])
    s["load"] = load.run_each(target, args, _log, "  mix")
    return s


def bench(args: argparse.Namespace, out_dir: Path) -> dict[str, Any]:
    n = args.size
    work = args.workdir
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    corpus_dir = args.corpus_root / str(n)
    _log(f"N={n}: corpus -> {corpus_dir}")
    r: dict[str, Any] = {
        "documents": n,
        "corpus": corpus.generate(corpus_dir, n, seed=args.seed, workers=os.cpu_count() or 1),
        "workers": args.workers,
        "connections": args.connections,
        "batch": args.batch,
        "writes_dump": str(args.writes_dump) if args.writes_dump else None,
        "stores": {},
    }
    # A throw-away build of a few documents first: the first build of a run otherwise pays for
    # reading the spaCy pipeline and the schema from a cold disk cache, which the later ones do not.
    warm = work / "warm-up"
    warm.mkdir()
    for path in sorted(corpus_dir.rglob("*.txt"))[:4]:
        shutil.copy(path, warm / path.name)
    (work / "warm-up-store").mkdir()
    bb.measure_build(warm, work / "warm-up-store" / "store", workers=1, timeout=args.build_timeout)
    dump = work / "dump.nq"
    qs: list[queries.Query] = []
    reference: list[int | None] | None = None
    for kind in args.stores:
        why = available(kind)
        if why:
            r["stores"][kind] = {"skipped": why}
            continue
        s: dict[str, Any] = {}
        r["stores"][kind] = s
        folder, local = work / kind, work / kind / "store"
        if kind != "embedded":
            source = args.writes_dump or dump
            _log(f"N={n}: {kind}: writes alone ({source} into a fresh server)")
            with _server(kind, work / f"{kind}-writes") as remote:
                env = {**remote.env(), "KG_REMOTE_CONNECTIONS": str(args.connections)}
                empty = _size_mib(kind, work / f"{kind}-writes", work / "none")
                s["writes"] = writes.measure_writes(
                    source, batch=args.batch, env=env, peer=False, timeout=args.build_timeout, workdir=work
                )
                _sized(s["writes"], _size_mib(kind, work / f"{kind}-writes", work / "none") - empty)
        with _server(kind, folder) as remote:
            env = {**remote.env(), "KG_REMOTE_CONNECTIONS": str(args.connections)} if remote else {}
            if kind == "virtuoso":
                baseline = _size_mib(kind, folder, local)
            else:
                baseline = 0.0
            _log(f"N={n}: {kind}: build")
            local.parent.mkdir(parents=True, exist_ok=True)
            b = bb.measure_build(corpus_dir, local, workers=args.workers, timeout=args.build_timeout, env=env)
            b["store_mib"] = round(_size_mib(kind, folder, local) - baseline, 1)
            b["bytes_per_quad"] = round(b["store_mib"] * 2**20 / b["store_triples"], 1) if b["store_triples"] else None
            b["load_triples_per_s"] = round(b["triples"] / b["load_seconds"]) if b["load_seconds"] else None
            s["build"] = b
            _log(
                f"N={n}: {kind}: built in {b['build_seconds']} s, {b['load_seconds']} s of writes, "
                f"{b['store_mib']} MiB = {b['bytes_per_quad']} B/quad"
            )
            if kind == "embedded":
                bb.export_nquads(local, dump, timeout=args.build_timeout)
                s["writes"] = writes.measure_writes(
                    args.writes_dump or dump, batch=args.batch, timeout=args.build_timeout, workdir=work
                )
                _sized(s["writes"], s["writes"]["rounds"]["ours"][0]["store_mib"])
                qs = queries.choose(local, per_kind=args.per_kind)
            if args.no_serve:
                continue
            _log(f"N={n}: {kind}: kg serve over it")
            with servers.ours(local, folder, env=env) as srv:
                try:
                    srv.start(timeout=args.start_timeout)
                except (RuntimeError, TimeoutError) as e:
                    s["serve"] = {"skipped": str(e)}
                    continue
                s["serve"] = _mix(srv, qs, reference, args)
                if kind == "embedded":
                    reference = s["serve"]["verification"]["counts"]
    if args.cluster:
        _log(f"N={n}: cluster build (Dask LocalCluster, {args.workers} workers) into the embedded store")
        local = work / "cluster" / "store"
        local.parent.mkdir(parents=True)
        r["cluster"] = bb.measure_build(
            corpus_dir, local, workers=args.workers, timeout=args.build_timeout, cluster="local"
        )
        plain = r["stores"].get("embedded", {}).get("build")
        if plain:
            r["cluster"]["vs_plain_seconds"] = round(r["cluster"]["build_seconds"] / plain["build_seconds"], 3)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return r


def markdown(results: dict[str, Any]) -> str:
    r = results["run"]
    lines = [
        f"# Remote stores and the cluster build, {results['meta']['started']}",
        "",
        f"N = {r['documents']:,} documents ({r['corpus']['words']:,} words), {r['workers']} extraction "
        f"workers, {r['connections']} write connections to a remote store; machine: "
        f"{results['meta']['cpus']} CPUs.",
        "",
        "## Build",
        "",
    ]
    rows = []
    for kind, s in r["stores"].items():
        if "skipped" in s:
            rows.append([kind, "skipped: " + s["skipped"]] + [""] * 7)
            continue
        b = s["build"]
        rows.append(
            [
                kind,
                b["build_seconds"],
                b["load_seconds"],
                b["load_triples_per_s"],
                b["store_triples"],
                b["store_mib"],
                b["bytes_per_quad"],
                b["peak_pss_mib"],
                s.get("writes", {}).get("ours_triples_per_s"),
            ]
        )
    lines += _table(
        [
            "store",
            "build s",
            "of which writes s",
            "writes triples/s (in the build)",
            "quads",
            "store MiB",
            "bytes/quad",
            "client peak PSS MiB",
            "writes alone triples/s",
        ],
        rows,
    )
    rows = [
        [
            kind,
            s["writes"].get("quads"),
            s["writes"]["ours_triples_per_s"],
            s["writes"].get("store_mib"),
            s["writes"].get("bytes_per_quad"),
        ]
        for kind, s in r["stores"].items()
        if s.get("writes")
    ]
    lines += [
        "Writes alone (`replace_graphs` of pre-extracted quads into a fresh store, batches of "
        f"{r.get('batch', 500)} documents; source {r.get('writes_dump') or 'the embedded build'}):",
        "",
        *_table(["store", "quads", "triples/s", "store MiB", "bytes/quad"], rows),
    ]
    if "cluster" in r:
        c = r["cluster"]
        plain = r["stores"].get("embedded", {}).get("build", {})
        lines += [
            "## Cluster build",
            "",
            *_table(
                ["build", "seconds", "docs/s", "peak PSS MiB (client tree)"],
                [
                    [
                        "plain (process pool)",
                        plain.get("build_seconds"),
                        round(plain["documents"] / plain["build_seconds"], 2) if plain else None,
                        plain.get("peak_pss_mib"),
                    ],
                    [
                        "--cluster local",
                        c["build_seconds"],
                        round(c["documents"] / c["build_seconds"], 2),
                        c["peak_pss_mib"],
                    ],
                ],
            ),
        ]
    lines += ["## Query mix through kg serve", ""]
    rows = []
    for kind, s in r["stores"].items():
        for c, m in s.get("serve", {}).get("load", {}).items():
            rows.append(
                [
                    kind,
                    int(c),
                    m["throughput_rps"],
                    m["latency_ms"]["p50"],
                    m["latency_ms"]["p95"],
                    f"{m['ok']}/{m['requests']}",
                ]
            )
    lines += _table(["store", "concurrency", "req/s", "p50 ms", "p95 ms", "ok/sent"], rows)
    kinds = list(queries.TEMPLATES)
    rows = [
        [k] + [s.get("serve", {}).get("per_kind", {}).get(k, {}).get("p50_ms") for s in r["stores"].values()]
        for k in kinds
    ]
    lines += ["Sequential p50 per query kind (ms):", "", *_table(["kind", *r["stores"]], rows)]
    for kind, s in r["stores"].items():
        for m in s.get("serve", {}).get("mismatches", []):
            lines.append(f"- row-count mismatch on {kind}: {m}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=1000, help="documents N")
    p.add_argument("--stores", nargs="+", choices=STORES, default=list(STORES))
    p.add_argument(
        "--cluster",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time kg build --cluster local against the plain build",
    )
    p.add_argument("--workers", type=int, default=2, help="extraction processes (and cluster workers)")
    p.add_argument("--connections", type=int, default=4, help="KG_REMOTE_CONNECTIONS for the remote builds")
    p.add_argument("--batch", type=int, default=500, help="documents per write batch for the writes-alone runs")
    p.add_argument(
        "--writes-dump",
        type=Path,
        help="N-Quads of a build (or benchmarks.replicate copies) for the writes-alone runs "
        "[the embedded build's export]",
    )
    p.add_argument("--no-serve", action="store_true", help="builds and writes only")
    p.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    p.add_argument("--seconds", type=float, default=10.0)
    p.add_argument("--max-requests", type=int, default=100_000)
    p.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    p.add_argument("--per-kind", type=int, default=8)
    p.add_argument("--reps", type=int, default=3)
    p.add_argument("--kind-budget", type=float, default=20.0)
    p.add_argument("--request-timeout", type=float, default=60.0)
    p.add_argument("--start-timeout", type=float, default=600.0)
    p.add_argument("--build-timeout", type=float, default=6 * 3600.0)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--corpus-root", type=Path, default=HERE / "corpus")
    p.add_argument("--results-root", type=Path, default=HERE / "results")
    p.add_argument("--workdir", type=Path, help="servers' data and stores [results-root/work-remote]")
    p.add_argument("--keep", action="store_true")
    args = p.parse_args(argv)
    args.workdir = args.workdir or args.results_root / "work-remote"
    # The embedded build comes first: its quads and its row counts are what the others are held to.
    args.stores = ["embedded", *dict.fromkeys(s for s in args.stores if s != "embedded")]
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    out = args.results_root / f"{stamp}-remote"
    out.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "meta": {"started": stamp, "argv": sys.argv[1:] if argv is None else argv, "cpus": os.cpu_count()}
    }
    t0 = time.perf_counter()
    results["run"] = bench(args, out)
    results["meta"]["seconds"] = round(time.perf_counter() - t0, 1)
    (out / "results.json").write_text(json.dumps(results, indent=2))
    (out / "results.md").write_text(markdown(results))
    _log(f"results: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
