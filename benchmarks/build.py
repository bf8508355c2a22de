"""Build figures: extraction speed per core, store load speed, build time, store size, peak memory.

The measured work runs in a child process (``python -m benchmarks.build ...``) so
its peak memory is its own: the parent samples the proportional set size (PSS) of
the child and its extraction workers every quarter second, and the child reports
its own ``ru_maxrss``. PSS counts pages shared between the forked workers once, so
the sum is the machine's real memory cost, which summed RSS would overstate.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_POLL_SECONDS = 0.25


def _descendants(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        try:
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except OSError:
            continue
    return out


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def tree_pss_mib(pid: int) -> float:
    return sum(_pss_kib(p) for p in _descendants(pid)) / 1024


def disk_mib(path: Path) -> float:
    total = 0
    for root, _, files in os.walk(path):
        for name in files:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                pass
    return total / (1024 * 1024)


class MemoryCapExceeded(RuntimeError):
    def __init__(self, message: str, peak_mib: float, seconds: float, progress: str) -> None:
        super().__init__(message)
        self.peak_mib, self.seconds, self.progress = peak_mib, seconds, progress


def run_measured(
    cmd: list[str],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    memory_cap_mib: float | None = None,
    progress: Path | None = None,
) -> dict[str, Any]:
    """Run ``cmd``, sampling its process tree's PSS; returns its JSON output plus the memory peak.

    Over ``memory_cap_mib`` the child is killed (so a runaway build cannot take the machine
    down) and :class:`MemoryCapExceeded` says how far it got (``progress`` file's text).
    """
    started = time.perf_counter()
    errors = tempfile.TemporaryFile(mode="w+")  # a file, not a pipe: a chatty child never blocks on it
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True, env={**os.environ, **(env or {})})
    peak = 0.0
    try:
        while proc.poll() is None:
            peak = max(peak, tree_pss_mib(proc.pid))
            if memory_cap_mib is not None and peak > memory_cap_mib:
                proc.kill()
                proc.wait()
                done = progress.read_text().strip() if progress and progress.exists() else "unknown"
                raise MemoryCapExceeded(
                    f"{' '.join(cmd)} passed {memory_cap_mib:.0f} MiB (PSS) and was stopped",
                    peak,
                    time.perf_counter() - started,
                    done,
                )
            if time.perf_counter() - started > timeout:
                proc.kill()
                raise TimeoutError(f"{' '.join(cmd)} ran over {timeout:.0f} s")
            # Reading smaps_rollup of a multi-GiB process costs CPU: sample less often as the run gets long.
            time.sleep(_POLL_SECONDS if time.perf_counter() - started < 60 else 4 * _POLL_SECONDS)
        out, _ = proc.communicate()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    errors.seek(0)
    err = errors.read()
    errors.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err[-4000:]}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_pss_mib"] = round(peak, 1)
    result["wall_seconds"] = round(time.perf_counter() - started, 3)
    return result


def measure_build(
    corpus: Path,
    store: Path,
    *,
    workers: int | None,
    timeout: float,
    memory_cap_mib: float | None = None,
    cluster: str | None = None,
    env: dict[str, str] | None = None,
) -> dict[str, Any]:
    """A build in a child process; ``env`` may name a remote store (``KG_REMOTE_*``), ``cluster``
    a Dask cluster for extraction (``local``: a local one with ``workers`` workers)."""
    progress = store.parent / "build-progress.txt"
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.build",
        "build",
        "--corpus",
        str(corpus),
        "--store",
        str(store),
        "--progress",
        str(progress),
    ]
    if workers:
        cmd += ["--workers", str(workers)]
    if cluster:
        cmd += ["--cluster", cluster]
    try:
        result = run_measured(cmd, timeout=timeout, memory_cap_mib=memory_cap_mib, progress=progress, env=env)
    except MemoryCapExceeded as e:
        return {
            "stopped": str(e),
            "peak_pss_mib": round(e.peak_mib, 1),
            "wall_seconds": round(e.seconds, 1),
            "progress": e.progress,
            "store_mib": round(disk_mib(store), 1),
        }
    result["store_mib"] = round(disk_mib(store), 1)
    return result


def measure_extraction(corpus: Path, *, sample: int, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, "-m", "benchmarks.build", "extract", "--corpus", str(corpus), "--sample", str(sample)]
    return run_measured(cmd, timeout=timeout)


def export_nquads(store: Path, out: Path, *, timeout: float) -> dict[str, Any]:
    out.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "export", "--store", str(store), "--format", "nquads", "--output", str(out)],
        timeout=timeout,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"kg export failed ({done.returncode}): {done.stderr[-2000:]}")
    return {"seconds": round(time.perf_counter() - started, 3), "mib": round(out.stat().st_size / 2**20, 1)}


def measure_bulk_load(dump: Path, *, timeout: float) -> dict[str, Any]:
    """The store engine's own bulk loader (pyoxigraph ``bulk_load``) on the dump, in a child."""
    code = (
        "import json,sys,time,tempfile,pyoxigraph as ox\n"
        "d=tempfile.mkdtemp(prefix='bulk-')\n"
        "s=ox.Store(d); t=time.perf_counter()\n"
        "s.bulk_load(path=sys.argv[1], format=ox.RdfFormat.N_QUADS); s.flush()\n"
        "sec=time.perf_counter()-t; n=len(s); del s\n"
        "import shutil; shutil.rmtree(d)\n"
        "print(json.dumps({'quads': n, 'seconds': round(sec, 3), 'quads_per_s': round(n/sec)}))\n"
    )
    return run_measured([sys.executable, "-c", code, str(dump)], timeout=timeout)


# --- the child side ----------------------------------------------------------------


def _rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _maxrss_mib(who: int) -> float:
    return round(resource.getrusage(who).ru_maxrss / 1024, 1)  # Linux reports KiB


def _child_build(
    corpus: Path, store_path: Path, workers: int | None, progress: Path | None, cluster: str | None = None
) -> dict[str, Any]:
    from kg.config import Settings
    from kg.pipeline import build, load_schema
    from kg.readmodel import ReadModel
    from kg.store import Store

    settings = Settings.from_env().with_(store_path=store_path)
    t0 = time.perf_counter()
    schema = load_schema(settings)
    schema_seconds = time.perf_counter() - t0
    if settings.remote is not None:  # KG_REMOTE_*: the graph goes to a SPARQL server, as `kg build` does
        from kg.remote import RemoteStore

        store: Any = RemoteStore(settings.remote, local=store_path)
    else:
        store = Store(store_path)
    load_seconds = [0.0]
    replace_graphs = store.replace_graphs

    def timed_replace_graphs(graphs):  # type: ignore[no-untyped-def]
        """The project's own write, timed (the load phase)."""
        t = time.perf_counter()
        try:
            return replace_graphs(graphs)
        finally:
            load_seconds[0] += time.perf_counter() - t

    store.replace_graphs = timed_replace_graphs
    done = [0]
    t_start = time.perf_counter()

    def tick(k: int) -> None:
        done[0] += k
        if progress is not None and done[0] % 500 == 0:
            progress.write_text(
                f"{done[0]} documents extracted after {time.perf_counter() - t_start:.0f} s, "
                f"main RSS {_rss_mib():.0f} MiB, {load_seconds[0]:.0f} s in store writes\n"
            )

    report = build(
        [corpus], store=store, settings=settings, schema=schema, workers=workers, progress=tick, cluster=cluster
    )
    # The REST read model, projected as `kg build` projects it after a first build.
    t_model = time.perf_counter()
    ReadModel.beside(store).rebuild(store)
    readmodel_seconds = time.perf_counter() - t_model
    t1 = time.perf_counter()
    store.flush()
    del store
    return {
        "documents": report.documents,
        "triples": report.triples,
        "store_triples": report.store_triples,
        "build_seconds": round(report.seconds, 3),
        "schema_seconds": round(schema_seconds, 3),
        "load_seconds": round(load_seconds[0], 3),
        "store": "remote" if settings.remote is not None else "embedded",
        "cluster": cluster,
        "readmodel_seconds": round(readmodel_seconds, 3),
        "close_seconds": round(time.perf_counter() - t1, 3),
        "workers": workers or os.cpu_count() or 1,
        "entities": dict(report.entities),
        "facts": dict(report.facts),
        "maxrss_main_mib": _maxrss_mib(resource.RUSAGE_SELF),
        "maxrss_largest_worker_mib": _maxrss_mib(resource.RUSAGE_CHILDREN),
    }


def _child_extract(corpus: Path, sample: int) -> dict[str, Any]:
    """One process, the per-document work of a build worker: read, extract, map, serialise."""
    from datetime import UTC, datetime

    from kg import documents
    from kg.config import Settings
    from kg.mapping import document_iri, to_triples
    from kg.pipeline import load_schema
    from kg.store import ntriples_lines

    schema = load_schema(Settings.from_env())
    paths = sorted(p for p in corpus.rglob("*.txt"))[:sample]
    now = datetime.now(UTC)
    words = triples = 0
    t0 = time.perf_counter()
    docs = [documents.read(p) for p in paths]
    words = sum(len(d.text.split()) for d in docs)
    extractions = list(schema.extractor.pipe((d.text, d.published) for d in docs))
    extract_seconds = time.perf_counter() - t0
    for doc, ex in zip(docs, extractions, strict=True):
        graph = to_triples(doc, ex, ingested_at=now)
        graph += schema.implied.apply(str(document_iri(doc.stem)), graph)
        triples += len(ntriples_lines(graph))
    seconds = time.perf_counter() - t0
    return {
        "documents": len(paths),
        "words": words,
        "triples": triples,
        "seconds": round(seconds, 3),
        "extract_only_seconds": round(extract_seconds, 3),
        "docs_per_s_per_core": round(len(paths) / seconds, 1),
        "words_per_s_per_core": round(words / seconds),
        "maxrss_mib": _maxrss_mib(resource.RUSAGE_SELF),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Child side of the build benchmark (prints one JSON line).")
    p.add_argument("mode", choices=["build", "extract"])
    p.add_argument("--corpus", type=Path, required=True)
    p.add_argument("--store", type=Path)
    p.add_argument("--workers", type=int)
    p.add_argument("--sample", type=int, default=200)
    p.add_argument("--cluster", help="extract on a Dask cluster (an address, or local), as kg build --cluster")
    p.add_argument("--progress", type=Path, help="file rewritten every 500 documents with how far the build got")
    a = p.parse_args(argv)
    if a.mode == "build":
        if a.store is None:
            p.error("build needs --store")
        result = _child_build(a.corpus, a.store, a.workers, a.progress, a.cluster)
    else:
        result = _child_extract(a.corpus, a.sample)
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
