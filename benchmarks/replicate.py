"""A larger store's quads from a smaller build's, without extracting again:
``python -m benchmarks.replicate DUMP.nq OUT.nq --copies 10``.

Extraction runs at about 3 documents/s per core, so a 100,000-document build takes
hours on two cores. For the figures that depend on the store's size rather than on what
was extracted (store writes, serving, read-model projection, memory), this writes
``copies`` disjoint copies of a build's N-Quads export: copy *k* > 0 renames every
document graph and every individual minted by the build
(``https://w3id.org/defence-kg/id/<kind>/<slug>[#...]`` → ``<slug>-r<k>[#...]``), so
each copy is a world of its own, as the corpus generator's world grows with N (a
100,000-document corpus names about 10 times the firms of a 10,000-document one).
Individuals of the reference base (countries, known firms) keep their IRIs: every
article of any size shares them. Labels and texts are unchanged, so each name is
found ``copies`` times. The ontology and reference graphs are written once.

It is a proxy for a real corpus of that size (the same documents, repeated), said so
wherever its figures are reported.

With ``--workdir W --size N`` it also writes the copies into ``W/N/store`` as ``kg build``
writes (``Store.replace_graphs`` in batches of 500 documents), projects the REST read model
beside it and leaves ``W/N/build.json`` (marked ``proxy``), so that ``python -m
benchmarks.run --sizes N --reuse-builds --workdir W`` serves it; the store writes, the
projection and the peak memory of that child are measured as a build's are.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

_ID = re.compile(r"<https://w3id\.org/defence-kg/id/([^/>]+)/([^>#]+)(#[^>]*)?>")
_SCHEMA_GRAPHS = ("<https://w3id.org/defence-kg/graph/ontology> .", "<https://w3id.org/defence-kg/graph/reference> .")


def reference_individuals(dump: Path) -> set[str]:
    """The IRIs the reference and ontology graphs use (kept in every copy)."""
    keep: set[str] = set()
    with dump.open(encoding="utf-8") as f:
        for line in f:
            if line.rstrip().endswith(_SCHEMA_GRAPHS):
                keep.update(m.group(0) for m in _ID.finditer(line))
    return keep


def replicate(dump: Path, out: Path, *, copies: int) -> dict[str, int]:
    keep = reference_individuals(dump)
    lines_out = 0
    with out.open("w", encoding="utf-8") as w:
        for k in range(copies):
            suffix = f"-r{k}"

            def rename(m: re.Match[str], suffix: str = suffix) -> str:
                whole = m.group(0)
                if whole in keep:
                    return whole
                return f"<https://w3id.org/defence-kg/id/{m.group(1)}/{m.group(2)}{suffix}{m.group(3) or ''}>"

            with dump.open(encoding="utf-8") as f:
                for line in f:
                    if line.rstrip().endswith(_SCHEMA_GRAPHS):
                        if k == 0:
                            w.write(line)
                            lines_out += 1
                        continue
                    w.write(line if k == 0 else _ID.sub(rename, line))
                    lines_out += 1
    return {"copies": copies, "quads": lines_out, "kept_iris": len(keep)}


def _child_store(dump: Path, store_path: Path, batch: int) -> dict[str, Any]:
    """The child side of ``--workdir``: the dump written as a build writes, then the read model."""
    import resource

    from benchmarks.build import _maxrss_mib
    from benchmarks.writes import batches_of
    from kg.readmodel import ReadModel
    from kg.store import Store

    store = Store(store_path)
    t0 = time.perf_counter()
    load_seconds = 0.0
    quads = graphs = 0
    for b in batches_of(dump, batch):
        t = time.perf_counter()
        store.replace_graphs(b)
        load_seconds += time.perf_counter() - t
        quads += sum(len(lines) for lines in b.values())
        graphs += len(b)
    t_model = time.perf_counter()
    ReadModel.beside(store).rebuild(store)
    readmodel_seconds = time.perf_counter() - t_model
    documents = sum(1 for g in store.graph_names() if "/id/document/" in g)
    out = {
        "proxy": True,
        "documents": documents,
        "graphs": graphs,
        "triples": quads,
        "store_triples": len(store),
        "build_seconds": round(time.perf_counter() - t0, 3),
        "load_seconds": round(load_seconds, 3),
        "readmodel_seconds": round(readmodel_seconds, 3),
        "maxrss_main_mib": _maxrss_mib(resource.RUSAGE_SELF),
    }
    store.close()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("dump", type=Path, help="an N-Quads export of a build (kg export -f nquads)")
    p.add_argument("out", type=Path)
    p.add_argument("--copies", type=int, default=10)
    p.add_argument("--workdir", type=Path, help="also write the copies into WORKDIR/SIZE/store (see above)")
    p.add_argument("--size", type=int, help="the N the store stands for (with --workdir)")
    p.add_argument(
        "--extraction-from",
        type=Path,
        help="build.json of the build the dump came from: its extraction figures are carried over",
    )
    p.add_argument("--child-store", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.child_store is not None:
        print(json.dumps(_child_store(a.dump, a.child_store, 500)))
        return 0
    made = replicate(a.dump, a.out, copies=a.copies)
    print(made)
    if a.workdir is not None:
        from benchmarks.build import disk_mib, run_measured

        if a.size is None:
            p.error("--workdir needs --size")
        store = a.workdir / str(a.size) / "store"
        if store.exists():
            p.error(f"{store} exists")
        store.parent.mkdir(parents=True, exist_ok=True)
        b = run_measured(
            [sys.executable, "-m", "benchmarks.replicate", str(a.out), str(a.out), "--child-store", str(store)],
            timeout=6 * 3600,
            memory_cap_mib=12 * 1024,
        )
        b.update(
            store_mib=round(disk_mib(store), 1),
            copies=a.copies,
            source=str(a.dump),
            load_triples_per_s=round(b["triples"] / b["load_seconds"]),
        )
        extraction = json.loads(a.extraction_from.read_text())["extraction"] if a.extraction_from else {}
        (store.parent / "build.json").write_text(json.dumps({"extraction": extraction, "build": b}, indent=2))
        print(json.dumps(b))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
