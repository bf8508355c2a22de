"""results.json → results.md (tables, ratios, growth exponents) and PNG plots.

``python -m benchmarks.report benchmarks/results/latest`` redraws from a saved run.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

SERVERS = ("kg", "oxigraph", "rdflib-endpoint")
PEERS = SERVERS[1:]
TARGETS = {  # issue 9
    "throughput_vs_rdflib": 30.0,  # ours ÷ rdflib-endpoint, at least
    "throughput_vs_oxigraph": 1.0,  # ours ÷ oxigraph serve, at least
    "p50_vs_oxigraph": 1.2,  # ours ÷ oxigraph serve, at most
    "rest_p95_ms": 50.0,  # every dashboard endpoint, concurrency 1 and 8, at most
    "name_search_vs_contains": 10.0,  # oxigraph serve's CONTAINS search ÷ our name search (p50), at least
    "extract_docs_per_s_per_core": 100.0,
    "load_triples_per_s": 150_000.0,
    "peak_mib_at_100k": 4096.0,
}


def ratios(r: dict[str, Any]) -> dict[str, Any]:
    """Ours ÷ each peer, per concurrency: throughput (higher favours us) and p50 latency (lower favours us).

    A peer that completed no request within the run has no rate; the ratio is then at least
    ours × run length (it finished fewer than one request in that time): ``throughput_at_least``.
    """
    out: dict[str, Any] = {}
    ours = r.get("servers", {}).get("kg", {}).get("load")
    if not ours:
        return out
    for peer in PEERS:
        theirs = r["servers"].get(peer, {}).get("load")
        if not theirs:
            continue
        out[peer] = {}
        for c, m in ours.items():
            t = theirs.get(c)
            if not t:
                continue
            x: dict[str, Any] = {
                "throughput": round(m["throughput_rps"] / t["throughput_rps"], 3) if t["throughput_rps"] else None,
                "p50_latency": round(m["latency_ms"]["p50"] / t["latency_ms"]["p50"], 3)
                if t["latency_ms"]["p50"] and m["latency_ms"]["p50"]
                else None,
            }
            if not t["ok"] and m["throughput_rps"]:
                x["throughput_at_least"] = round(m["throughput_rps"] * t["seconds"], 1)
                x["note"] = f"{peer} completed no request in {t['seconds']:.0f} s"
            out[peer][c] = x
    return out


def _throughput_ratio(x: dict[str, Any]) -> float:
    return x["throughput"] if x.get("throughput") is not None else x.get("throughput_at_least", 0.0)


def _fmt(x: Any, digits: int = 1) -> str:
    if x is None:
        return "–"
    if isinstance(x, float):
        if abs(x) >= 1000:
            return f"{x:,.0f}"
        return f"{x:.{digits}f}"
    if isinstance(x, int):
        return f"{x:,}"
    return str(x)


def growth_exponent(xs: list[float], ys: list[float]) -> float | None:
    """Least-squares slope of log y on log x: 1.0 is linear, above 1 worse than linear."""
    pts = [(math.log(x), math.log(y)) for x, y in zip(xs, ys, strict=True) if x > 0 and y and y > 0]
    if len(pts) < 2:
        return None
    mx = sum(p[0] for p in pts) / len(pts)
    my = sum(p[1] for p in pts) / len(pts)
    den = sum((p[0] - mx) ** 2 for p in pts)
    return round(sum((p[0] - mx) * (p[1] - my) for p in pts) / den, 3) if den else None


def _table(head: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(head) + " |", "|" + "|".join("---" for _ in head) + "|"]
    out += ["| " + " | ".join(_fmt(c) for c in row) + " |" for row in rows]
    return out + [""]


def markdown(results: dict[str, Any]) -> str:
    meta = results["meta"]
    sizes = results["sizes"]
    lines = [
        f"# Benchmark results {meta['started']}",
        "",
        f"Machine: {meta['machine']['cpus']} CPUs, {meta['machine']['memory_gib']} GiB, "
        f"{meta['machine']['platform']}; Python {meta['python']}.",
        "Versions: " + ", ".join(f"{k} {v}" for k, v in meta["versions"].items() if v) + ".",
        f"Load runs: {meta['seconds']} s or {meta['max_requests']} requests each, whichever comes first"
        f"{' (quick)' if meta['quick'] else ''}.",
        "",
    ]

    lines += ["## Build", ""]
    rows = []
    for n, r in sizes.items():
        if "stopped" in r.get("build", {}):
            b = r["build"]
            lines += [
                f"**N = {int(n):,}: build stopped** after {b['wall_seconds']:.0f} s at {b['peak_pss_mib']:.0f} "
                f"MiB: {b['stopped']}. Got to: {b['progress']}",
                "",
            ]
            continue
        b, e = r.get("build", {}), r.get("extraction", {})
        rows.append(
            [
                int(n),
                r.get("corpus", {}).get("words"),
                e.get("docs_per_s_per_core"),
                e.get("words_per_s_per_core"),
                b.get("docs_per_s"),
                b.get("build_seconds"),
                b.get("load_seconds"),
                b.get("load_triples_per_s"),
                b.get("store_triples"),
                b.get("store_mib"),
                b.get("peak_pss_mib"),
                b.get("maxrss_main_mib"),
            ]
        )
    lines += _table(
        [
            "N",
            "words",
            "extract docs/s/core",
            "extract words/s/core",
            "build docs/s (all cores)",
            "build s",
            "load s",
            "load triples/s",
            "triples",
            "store MiB",
            "peak PSS MiB (tree)",
            "max RSS MiB (main)",
        ],
        rows,
    )
    wrows = []
    for n, r in sizes.items():
        w = r.get("writes")
        if not w:
            continue
        ours = max(w["rounds"]["ours"], key=lambda x: x["triples_per_s"])
        peer = max(w["rounds"]["peer"], key=lambda x: x["triples_per_s"])
        wrows.append(
            [
                int(n),
                ours["quads"],
                ours["seconds"],
                ours["triples_per_s"],
                peer["seconds"],
                peer["triples_per_s"],
                w["ratio"],
                w.get("rebuild_triples_per_s"),
                ours["store_mib"],
                peer["store_mib"],
                ours["peak_pss_mib"],
                peer["peak_pss_mib"],
            ]
        )
    if wrows:
        lines += [
            "`load s` above is the store writes inside the build, sharing the cores with extraction. "
            f"Apart from extraction, the build's quads (its N-Quads export) written again into fresh stores: "
            f"ours is `Store.replace_graphs` in batches of {next(iter(sizes.values())).get('writes', {}).get('batch', 500)} "
            "documents as `kg build` writes them, the peer pyoxigraph's `bulk_load` of the same quads in one call; "
            "best of the alternating rounds; *rebuild* replaces every graph of the first pass:",
            "",
        ]
        lines += _table(
            [
                "N",
                "quads",
                "ours s",
                "ours triples/s",
                "bulk_load s",
                "bulk_load triples/s",
                "ours ÷ bulk_load",
                "rebuild triples/s",
                "ours store MiB",
                "bulk_load store MiB",
                "ours peak PSS MiB",
                "bulk_load peak PSS MiB",
            ],
            wrows,
        )
    ns = [int(n) for n in sizes if "build_seconds" in sizes[n].get("build", {})]
    if len(ns) >= 2:
        lines += ["Growth exponents (slope of log cost on log N; 1 = linear, > 1 worse than linear):", ""]
        grow = []
        for key, label in (
            ("build_seconds", "build time"),
            ("load_seconds", "load time"),
            ("store_mib", "store size"),
            ("peak_pss_mib", "peak memory"),
        ):
            grow.append([label, growth_exponent(ns, [sizes[str(n)]["build"].get(key) for n in ns])])
        lines += _table(["measure", "exponent"], grow)

    lines += ["## SPARQL query mix", ""]
    for n, r in sizes.items():
        if "servers" not in r:
            continue
        lines += [f"### N = {int(n):,}", ""]
        rows = []
        for name in SERVERS:
            s = r["servers"].get(name)
            if s is None:
                continue
            if "skipped" in s:
                rows.append([name, "skipped: " + s["skipped"], "", "", "", "", ""])
                continue
            for c, m in s["load"].items():
                if not m["ok"]:
                    rows.append(
                        [name, int(c), 0.0, f"none completed in {m['seconds']:.0f} s", "", "", f"0/{m['requests']}"]
                    )
                    continue
                rows.append(
                    [
                        name,
                        int(c),
                        m["throughput_rps"],
                        m["latency_ms"]["p50"],
                        m["latency_ms"]["p95"],
                        m["latency_ms"]["p99"],
                        f"{m['ok']}/{m['requests']}",
                    ]
                )
        lines += _table(["server", "concurrency", "req/s", "p50 ms", "p95 ms", "p99 ms", "ok/sent"], rows)
        kinds = list(next((s["per_kind"] for s in r["servers"].values() if "per_kind" in s), {}))
        if kinds:
            rows = [
                [k] + [r["servers"].get(name, {}).get("per_kind", {}).get(k, {}).get("p50_ms") for name in SERVERS]
                for k in kinds
            ]
            lines += ["Sequential p50 latency per query kind (ms):", ""]
            lines += _table(["kind", *SERVERS], rows)
        info = [
            [
                name,
                s["info"].get("load_seconds"),
                s["info"].get("ready_seconds"),
                s["info"].get("store_mib"),
                s.get("memory_after_mib"),
            ]
            for name, s in r["servers"].items()
            if "info" in s
        ]
        lines += ["Set-up per server (load = `oxigraph load`; ready includes rdflib's parse):", ""]
        lines += _table(["server", "load s", "ready s", "store MiB", "memory after runs MiB (PSS)"], info)
        if r.get("mismatches"):
            lines += ["**Result-count mismatches (ours vs peer):**", ""] + [f"- {m}" for m in r["mismatches"]] + [""]
        else:
            lines += ["Every query of the mix returned the same number of rows from each server.", ""]

    lines += ["## Ratios: ours ÷ peer", "", "Throughput: higher is better for us. p50 latency: lower is better.", ""]
    rows = []
    for n, r in sizes.items():
        for peer, by_c in ratios(r).items():
            for c, x in by_c.items():
                tp = (
                    x["throughput"]
                    if x["throughput"] is not None
                    else (f"≥ {x['throughput_at_least']:.0f} ({x['note']})" if "throughput_at_least" in x else None)
                )
                rows.append([int(n), peer, int(c), tp, x["p50_latency"]])
    lines += (
        _table(["N", "peer", "concurrency", "throughput ratio", "p50 latency ratio"], rows)
        if rows
        else ["(no peer measured)", ""]
    )

    lines += ["## REST (dashboard endpoints, this project)", ""]
    for n, r in sizes.items():
        rest = r.get("rest")
        if not rest:
            continue
        lines += [f"### N = {int(n):,}", ""]
        rows = [
            [
                c,
                m["throughput_rps"],
                m["latency_ms"]["p50"],
                m["latency_ms"]["p95"],
                m["latency_ms"]["p99"],
                f"{m['ok']}/{m['requests']}",
            ]
            if m["ok"]
            else [c, 0.0, f"none completed in {m['seconds']:.0f} s", "", "", f"0/{m['requests']}"]
            for c, m in rest["load"].items()
        ]
        lines += _table(["concurrency", "req/s", "p50 ms", "p95 ms", "p99 ms", "ok/sent"], rows)
        cs = sorted({c for x in rest["per_endpoint"].values() for c in x.get("load", {})}, key=int)
        rows = [
            [
                ep,
                x["p50_ms"],
                *[
                    v
                    for c in cs
                    for v in (x.get("load", {}).get(c, {}).get("p50_ms"), x.get("load", {}).get(c, {}).get("p95_ms"))
                ],
            ]
            for ep, x in rest["per_endpoint"].items()
        ]
        lines += ["Per endpoint: sequential p50, then each endpoint alone under load (ms):", ""]
        lines += _table(["endpoint", "sequential p50", *[f"c={c} {p}" for c in cs for p in ("p50", "p95")]], rows)
        ns = rest.get("name_search") or {}
        contains = {
            name: r["servers"].get(name, {}).get("per_kind", {}).get("search", {}).get("p50_ms") for name in SERVERS
        }
        rows = [[f"REST name search, {m}", ns[m]["p50_ms"], ns[m]["p95_ms"]] for m in ("prefix", "fuzzy") if m in ns]
        rows += [[f"SPARQL CONTAINS filter, {name}", v, ""] for name, v in contains.items() if v]
        if rows:
            lines += [f"Name search, terms {', '.join(ns.get('terms', []))} (sequential, ms):", ""]
            lines += _table(["search", "p50", "p95"], rows)
        if rest.get("skipped"):
            lines += ["Left out: " + "; ".join(rest["skipped"]), ""]

    lines += ["## Targets", ""] + [f"- {t}" for t in targets(results)] + [""]
    return "\n".join(lines)


def targets(results: dict[str, Any]) -> list[str]:
    """Each target with the figure measured at the largest N that has it, met or missed."""
    out = []
    sizes = results["sizes"]

    def last(pred: Any) -> tuple[str, dict[str, Any]] | None:
        hits = [(n, r) for n, r in sizes.items() if pred(r)]
        return max(hits, key=lambda h: int(h[0])) if hits else None

    def verdict(ok: bool) -> str:
        return "met" if ok else "MISSED"

    h = last(lambda r: "rdflib-endpoint" in ratios(r))
    if h:
        by_c = ratios(h[1])["rdflib-endpoint"]
        worst = min(_throughput_ratio(x) for x in by_c.values())
        out.append(
            f"throughput ≥ {TARGETS['throughput_vs_rdflib']:.0f}× rdflib-endpoint (N={h[0]}, worst "
            f"concurrency): {worst:.1f}× (by concurrency: "
            f"{', '.join(f'{c}: {_throughput_ratio(x):.1f}×' for c, x in by_c.items())}) — "
            f"{verdict(worst >= TARGETS['throughput_vs_rdflib'])}"
        )
    h = last(lambda r: "oxigraph" in ratios(r))
    if h:
        by_c = ratios(h[1])["oxigraph"]
        worst_t = min(x["throughput"] or 0 for x in by_c.values())
        each = ", ".join(f"{c}: {x['throughput'] or 0:.2f}×" for c, x in by_c.items())
        out.append(
            f"throughput ≥ {TARGETS['throughput_vs_oxigraph']:.1f}× oxigraph serve (N={h[0]}, worst "
            f"concurrency): {worst_t:.2f}× (by concurrency: {each}) — "
            f"{verdict(worst_t >= TARGETS['throughput_vs_oxigraph'])}"
        )
        worst = max(x["p50_latency"] or 0 for x in by_c.values())
        each = ", ".join(f"{c}: {x['p50_latency'] or 0:.2f}×" for c, x in by_c.items())
        out.append(
            f"p50 latency ≤ {TARGETS['p50_vs_oxigraph']}× oxigraph serve (N={h[0]}, worst concurrency): "
            f"{worst:.2f}× (by concurrency: {each}) — {verdict(worst <= TARGETS['p50_vs_oxigraph'])}"
        )
    h = last(lambda r: bool((r.get("rest") or {}).get("per_endpoint")))
    if h:
        p95s = {
            (ep, c): m["p95_ms"]
            for ep, x in h[1]["rest"]["per_endpoint"].items()
            for c, m in x.get("load", {}).items()
            if m.get("ok")
        }
        if p95s:
            (ep, c), worst = max(p95s.items(), key=lambda kv: kv[1])
            over = sorted({e for (e, _), v in p95s.items() if v > TARGETS["rest_p95_ms"]})
            out.append(
                f"REST p95 ≤ {TARGETS['rest_p95_ms']:.0f} ms for every endpoint at concurrency 1 and 8 "
                f"(N={h[0]}): worst {worst:.1f} ms ({ep}, c={c})"
                f"{'; over: ' + ', '.join(over) if over else ''} — {verdict(not over)}"
            )
    h = last(
        lambda r: (
            bool((r.get("rest") or {}).get("name_search", {}).get("fuzzy"))
            and bool(r.get("servers", {}).get("oxigraph", {}).get("per_kind", {}).get("search"))
        )
    )
    if h:
        ns = h[1]["rest"]["name_search"]
        contains = h[1]["servers"]["oxigraph"]["per_kind"]["search"]["p50_ms"]
        slowest = max(ns[m]["p50_ms"] for m in ("prefix", "fuzzy") if m in ns)
        x = contains / slowest
        out.append(
            f"name search ≥ {TARGETS['name_search_vs_contains']:.0f}× a CONTAINS filter on oxigraph serve "
            f"(N={h[0]}, p50, slower of prefix/fuzzy): {x:.0f}× ({slowest:.1f} vs {contains:.1f} ms) — "
            f"{verdict(x >= TARGETS['name_search_vs_contains'])}"
        )
    h = last(lambda r: "extraction" in r)
    if h:
        x = h[1]["extraction"]["docs_per_s_per_core"]
        out.append(
            f"extraction ≥ 100 documents/s per core: {x:.1f} — {verdict(x >= TARGETS['extract_docs_per_s_per_core'])}"
        )
    h = last(lambda r: (r.get("build") or {}).get("load_triples_per_s"))
    if h:
        x = h[1]["build"]["load_triples_per_s"]
        out.append(
            f"build's store writes (with extraction beside them) ≥ 150,000 triples/s (N={h[0]}): {x:,.0f} — "
            f"{verdict(x >= TARGETS['load_triples_per_s'])}"
        )
    h = last(lambda r: bool(r.get("writes")))
    if h:
        w = h[1]["writes"]
        out.append(
            f"store writes of pre-extracted quads ≥ 150,000 triples/s (N={h[0]}, batches of {w['batch']}): "
            f"{w['ours_triples_per_s']:,.0f} ({w['ratio']:.2f}× pyoxigraph bulk_load of the same quads, "
            f"{w['peer_triples_per_s']:,.0f}) — {verdict(w['ours_triples_per_s'] >= TARGETS['load_triples_per_s'])}"
        )
    big = sizes.get("100000", {}).get("build")
    if big and "stopped" in big:
        out.append(f"100,000 documents under 4 GiB — MISSED: {big['stopped']} ({big['progress']})")
    elif big:
        out.append(
            f"100,000 documents built in {big['build_seconds']:.0f} s with peak {big['peak_pss_mib']:.0f} MiB "
            f"— {verdict(big['peak_pss_mib'] < TARGETS['peak_mib_at_100k'])}"
        )
    return out


def plots(results: dict[str, Any], out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    written = []
    sizes = results["sizes"]
    ns = sorted(int(n) for n in sizes if "build_seconds" in sizes[n].get("build", {}))
    if ns:
        fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
        for ax, (key, label) in zip(
            axes,
            (
                ("build_seconds", "build time (s)"),
                ("store_mib", "store size (MiB)"),
                ("peak_pss_mib", "peak memory, PSS of build tree (MiB)"),
            ),
            strict=True,
        ):
            ys = [sizes[str(n)]["build"].get(key) or 0 for n in ns]
            ax.plot(ns, ys, "o-", label="measured")
            if ys[0]:
                ax.plot(ns, [ys[0] * n / ns[0] for n in ns], "--", color="grey", label="linear from smallest N")
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.set_xlabel("documents (N)")
            ax.set_title(label)
            ax.legend()
            ax.grid(True, which="both", alpha=0.3)
        fig.suptitle("How build cost grows with the corpus")
        fig.tight_layout()
        path = out / "growth.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    served = [n for n in ns if "servers" in sizes[str(n)]]
    if served:
        n = served[-1]
        conc = results["meta"]["concurrency"]
        fig, axes = plt.subplots(1, len(conc), figsize=(5 * len(conc), 4.5), squeeze=False)
        for ax, c in zip(axes[0], conc, strict=True):
            for name in SERVERS:
                m = sizes[str(n)]["servers"].get(name, {}).get("load", {}).get(str(c))
                if not m:
                    continue
                pct = sorted((float(p), v) for p, v in m["percentiles_ms"].items() if v > 0)
                ax.plot([v for _, v in pct], [p for p, _ in pct], "-", marker=".", label=name)
            ax.set_xscale("log")
            ax.set_xlabel("latency (ms, log)")
            ax.set_ylabel("percentile")
            ax.set_title(f"concurrency {c}")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend()
        fig.suptitle(f"SPARQL mix latency distribution, N = {n:,}")
        fig.tight_layout()
        path = out / "latency.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)

        fig, ax = plt.subplots(figsize=(7, 4.5))
        idle: list[str] = []
        for name in SERVERS:
            xs, ys = [], []
            for c in conc:
                m = sizes[str(n)]["servers"].get(name, {}).get("load", {}).get(str(c))
                if m and m["throughput_rps"] > 0:
                    xs.append(c)
                    ys.append(m["throughput_rps"])
                elif m:  # nothing completed within the run: no point on a log scale, say so instead
                    idle.append(f"{name} completed none at concurrency {c}")
            if xs:
                ax.plot(xs, ys, "o-", label=name)
        ax.set_xscale("log", base=2)
        ax.set_yscale("log")
        ax.set_xlabel("concurrency")
        ax.set_ylabel("requests/s (log)")
        ax.set_title(f"SPARQL mix throughput, N = {n:,}" + ("\n(" + "; ".join(idle) + ")" if idle else ""), fontsize=10)
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
        fig.tight_layout()
        path = out / "throughput.png"
        fig.savefig(path, dpi=110)
        plt.close(fig)
        written.append(path)
    return written


def write_report(results: dict[str, Any], out: Path) -> None:
    (out / "results.md").write_text(markdown(results))
    try:
        plots(results, out)
    except ImportError as e:  # matplotlib is in the bench extra; the tables do not need it
        (out / "results.md").open("a").write(f"\n(plots not drawn: {e}; pip install '.[bench]')\n")


if __name__ == "__main__":
    d = Path(sys.argv[1])
    write_report(json.loads((d / "results.json").read_text()), d)
