"""The dashboard endpoints alone, on a store an earlier run kept: with the answer cache and without.

``python -m benchmarks.rest_load --store W/10000/store`` serves the store twice with
``kg serve`` (``KG_ANSWER_CACHE_MB`` at its default, then 0; ``--variants uncached-in-server``
also without the REST reader processes) and runs, for each REST
endpoint the OpenAPI description lists (:mod:`benchmarks.rest`), its own load at each
concurrency: the p50/p95 a dashboard sees when its requests repeat within one store
generation (replayed from the cache), and when every request is new (computed). The
store is only read. Results go to ``results/<stamp>-rest/rest.json``.
"""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks import load, servers
from benchmarks.run import HERE, bench_rest

VARIANTS = {
    "cached": {},
    "uncached": {"KG_ANSWER_CACHE_MB": "0"},
    # computed in the server process, not by reader processes (api.readpool): the comparison
    "uncached-in-server": {"KG_ANSWER_CACHE_MB": "0", "KG_REST_PROCESSES": "0"},
}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--store", type=Path, required=True, help="a store folder kept by benchmarks.run --keep")
    p.add_argument("--concurrency", type=int, nargs="+", default=[1, 8], dest="rest_concurrency")
    p.add_argument(
        "--seconds", type=float, default=5.0, dest="rest_seconds", help="seconds per endpoint and concurrency"
    )
    p.add_argument("--variants", nargs="+", choices=list(VARIANTS), default=["cached", "uncached"])
    p.add_argument("--client", choices=["auto", "wrk", "python"], default="auto")
    p.add_argument("--request-timeout", type=float, default=60.0)
    p.add_argument("--start-timeout", type=float, default=600.0)
    p.add_argument("--results-root", type=Path, default=HERE / "results")
    args = p.parse_args(argv)
    args.reps, args.max_requests = 3, 1_000_000
    args.concurrency, args.seconds = args.rest_concurrency, args.rest_seconds  # (the mixed REST load too)
    out_dir = args.results_root / (datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-rest")
    out_dir.mkdir(parents=True)
    results: dict[str, Any] = {"store": str(args.store), "client": "wrk" if load.wrk_available() else "python"}
    for name in args.variants:
        srv = servers.ours(args.store, out_dir, env=VARIANTS[name])
        with srv:
            srv.start(timeout=args.start_timeout)
            results[name] = bench_rest(srv, args.store, args)
            results[name]["memory_after_mib"] = srv.memory_mib()
        for endpoint, figures in results[name]["per_endpoint"].items():
            loads = "  ".join(f"c{c}: p50 {m['p50_ms']} p95 {m['p95_ms']} ms" for c, m in figures["load"].items())
            print(f"{name:9} {endpoint:40} {loads}", flush=True)
    load.save(out_dir / "rest.json", results)
    print(json.dumps({"results": str(out_dir / "rest.json")}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
