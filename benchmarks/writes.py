"""Store writes apart from extraction: ``python -m benchmarks.writes --dump DUMP.nq``.

The quads of a build (its N-Quads export, grouped by graph as the store dumps them) are
written again into fresh stores, side by side in one run:

- *ours*: :meth:`kg.store.Store.replace_graphs` with batches of ``batch`` documents, each
  document's graph given as the N-Triples lines a build worker ships: exactly what
  ``kg build`` does once a batch is extracted (first build: no graph exists yet);
- *peer*: pyoxigraph's own ``bulk_load`` of the same quads in one call (no per-document
  atomicity, nothing else to do);
- *rebuild* (optional): ours again over the store of the first pass, every graph
  replaced (the path of a re-ingested document).

Each measure runs in a child process (its own memory peak), alternating ours and the
peer when ``rounds`` > 1, so machine noise hits both. Ours reads the dump batch by batch
and times only the writes; the peer's time includes parsing the file, which ours does
too (the batch's text is parsed by the engine inside the write).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.build import disk_mib, run_measured


def graphs_of(dump: Path) -> Iterator[tuple[str, list[str]]]:
    """(graph IRI, N-Triples lines) for each named graph of an N-Quads dump, in order.

    Every line must be a quad of a named graph (a build writes nothing to the default
    graph). The store dumps quads graph by graph, so a graph's lines are contiguous; a
    graph seen twice (a dump not grouped by graph) is an error rather than a silent split.
    """
    seen: set[str] = set()
    current: str | None = None
    lines: list[str] = []
    with dump.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line:
                continue
            head, _, graph = line[:-2].rpartition(" <")
            iri = graph[:-1]
            if iri != current:
                if current is not None:
                    yield current, lines
                if iri in seen:
                    raise ValueError(f"{dump}: graph {iri} is not contiguous")
                seen.add(iri)
                current, lines = iri, []
            lines.append(head + " .")
    if current is not None:
        yield current, lines


def batches_of(dump: Path, batch: int) -> Iterator[dict[str, list[str]]]:
    out: dict[str, list[str]] = {}
    for iri, lines in graphs_of(dump):
        out[iri] = lines
        if len(out) >= batch:
            yield out
            out = {}
    if out:
        yield out


# --- the child side ----------------------------------------------------------------


def _child_ours(dump: Path, store_dir: Path, batch: int, rebuild: bool) -> dict[str, Any]:
    from kg.config import Remote
    from kg.store import Store

    remote = Remote.from_env()
    if remote is not None:  # KG_REMOTE_*: the same writes to a SPARQL server (kg.remote)
        from kg.remote import RemoteStore

        store: Any = RemoteStore(remote.validate(), local=store_dir)
    else:
        store = Store(store_dir)
    out: dict[str, Any] = {}
    for phase in ("first", "rebuild") if rebuild else ("first",):
        # Batches are read from the dump as the build's workers would hand them over; only the
        # writes are timed, so a dump larger than memory streams through.
        quads = graphs = batches = 0
        seconds = 0.0
        for b in batches_of(dump, batch):
            t = time.perf_counter()
            store.replace_graphs(b)
            seconds += time.perf_counter() - t
            quads += sum(len(lines) for lines in b.values())
            graphs += len(b)
            batches += 1
        if phase == "first":
            out.update(
                quads=quads,
                graphs=graphs,
                batches=batches,
                seconds=round(seconds, 3),
                triples_per_s=round(quads / seconds),
            )
        else:
            out.update(rebuild_seconds=round(seconds, 3), rebuild_triples_per_s=round(quads / seconds))
    out["store_quads"] = len(store)
    store.close()
    del store
    if remote is None:
        out["store_mib"] = round(disk_mib(store_dir), 1)
    return out


def _child_peer(dump: Path, store_dir: Path) -> dict[str, Any]:
    import pyoxigraph as ox

    store = ox.Store(str(store_dir))
    t0 = time.perf_counter()
    store.bulk_load(path=str(dump), format=ox.RdfFormat.N_QUADS)
    seconds = time.perf_counter() - t0
    n = len(store)
    del store
    return {
        "quads": n,
        "seconds": round(seconds, 3),
        "triples_per_s": round(n / seconds),
        "store_mib": round(disk_mib(store_dir), 1),
    }


# --- the parent side ---------------------------------------------------------------


def measure_writes(
    dump: Path,
    *,
    batch: int = 500,
    rounds: int = 1,
    rebuild: bool = False,
    timeout: float = 3600.0,
    workdir: Path | None = None,
    env: dict[str, str] | None = None,
    peer: bool = True,
) -> dict[str, Any]:
    """Ours and the peer on the same quads, alternating; the best round of each and the ratio.

    ``env`` may name a remote store (``KG_REMOTE_*``) for ours; its graphs must not exist yet.
    """
    runs: dict[str, list[dict[str, Any]]] = {"ours": [], "peer": []}
    for r in range(rounds):
        for who in ("ours", "peer") if peer else ("ours",):
            tmp = Path(tempfile.mkdtemp(prefix=f"writes-{who}-", dir=workdir))
            try:
                cmd = [
                    sys.executable,
                    "-m",
                    "benchmarks.writes",
                    "--child",
                    who,
                    "--dump",
                    str(dump),
                    "--store",
                    str(tmp / "store"),
                    "--batch",
                    str(batch),
                ]
                if rebuild and who == "ours" and r == 0:
                    cmd.append("--rebuild")
                runs[who].append(run_measured(cmd, timeout=timeout, env=env if who == "ours" else None))
            finally:
                shutil.rmtree(tmp, ignore_errors=True)
    best = {who: max(rs, key=lambda x: x["triples_per_s"]) for who, rs in runs.items() if rs}
    out: dict[str, Any] = {"batch": batch, "rounds": runs, "ours_triples_per_s": best["ours"]["triples_per_s"]}
    if peer:
        out["peer_triples_per_s"] = best["peer"]["triples_per_s"]
        out["ratio"] = round(best["ours"]["triples_per_s"] / best["peer"]["triples_per_s"], 3)
    if rebuild:
        out["rebuild_triples_per_s"] = runs["ours"][0].get("rebuild_triples_per_s")
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--dump", type=Path, required=True, help="an N-Quads export of a build (kg export -f nquads)")
    p.add_argument("--batch", type=int, default=500, help="documents per replace_graphs call (KG_BUILD_BATCH)")
    p.add_argument("--rounds", type=int, default=1)
    p.add_argument("--rebuild", action="store_true", help="also time replacing every graph of the first pass")
    p.add_argument("--child", choices=["ours", "peer"], help=argparse.SUPPRESS)
    p.add_argument("--store", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child == "ours":
        result = _child_ours(a.dump, a.store, a.batch, a.rebuild)
    elif a.child == "peer":
        result = _child_peer(a.dump, a.store)
    else:
        result = measure_writes(a.dump, batch=a.batch, rounds=a.rounds, rebuild=a.rebuild)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
