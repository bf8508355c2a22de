"""The whole build against a bare pass of the same spaCy model over the same texts, on the same cores.

    python -m benchmarks.extract_bench [--docs 400] [--workers 2] [--words 1000] [--seed 7] [--json FILE]

1. *bare*: ``spacy.load(KG_SPACY_MODEL)`` with its default components, then
   ``nlp.pipe(texts, batch_size=16, n_process=workers)`` and nothing else;
2. *build*: ``kg.pipeline.build`` of the same documents into an in-memory store with ``workers``
   worker processes: reading, the spaCy pipeline with the reference base's names, mentions,
   resolution, every rule file, mapping to RDF, implied-facts rules and the store writes.

Articles come from the benchmark corpus (:mod:`benchmarks.corpus`, about 1,000 words each).
Prints documents/s and words/s, per core too, and the ratio build/bare (the brief: >= 0.5).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import generate  # noqa: E402


def _bare(texts: list[str], model: str, workers: int) -> float:
    import spacy

    nlp = spacy.load(model)
    list(nlp.pipe(texts[:4]))  # warm-up, as the build's schema load is not timed either
    t0 = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=16, n_process=workers):
        pass
    return time.perf_counter() - t0


def _build(folder: Path, workers: int) -> tuple[float, dict[str, Any]]:
    from kg.config import Settings
    from kg.pipeline import build, load_schema
    from kg.store import Store

    settings = Settings(store_path=None)
    schema = load_schema(settings)  # parsing the schema and building the pipeline is done once per build
    store = Store()
    t0 = time.perf_counter()
    report = build([folder], store=store, settings=settings, schema=schema, workers=workers)
    seconds = time.perf_counter() - t0
    return seconds, {"triples": report.triples, "facts": sum(report.facts.values())}


def measure(docs: int, workers: int, *, seed: int = 7) -> dict[str, Any]:
    from kg import documents
    from kg.config import Settings

    model = Settings.from_env().spacy_model
    with tempfile.TemporaryDirectory(prefix="kg-extract-bench-") as tmp:
        folder = Path(tmp) / "corpus"
        generate(folder, docs, seed=seed)
        paths = documents.find([folder])
        texts = [documents.read(p).text for p in paths]
        words = sum(len(t.split()) for t in texts)
        bare = _bare(texts, model, workers)
        build_seconds, built = _build(folder, workers)
    out: dict[str, Any] = {"documents": len(texts), "words": words, "workers": workers, "model": model}
    for name, seconds in (("bare_nlp_pipe", bare), ("kg_build", build_seconds)):
        out[name] = {
            "seconds": round(seconds, 2),
            "docs_per_s": round(len(texts) / seconds, 1),
            "words_per_s": round(words / seconds),
            "docs_per_s_per_core": round(len(texts) / seconds / workers, 1),
            "words_per_s_per_core": round(words / seconds / workers),
        }
    out["kg_build"] |= built
    out["ratio_build_to_bare"] = round(bare / build_seconds, 3)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=400)
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--json", type=Path, help="also write the figures to this file")
    a = ap.parse_args(argv)
    result = measure(a.docs, a.workers, seed=a.seed)
    print(json.dumps(result, indent=2))
    if a.json:
        a.json.write_text(json.dumps(result, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
