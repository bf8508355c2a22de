"""Score a folder of articles against a gold file, through the real build path.

    python benchmarks/extract_score.py [--gold FILE] [--docs DIR] [--no-reference] [-v]

Builds the documents into an in-memory store with :func:`kg.pipeline.build` (the
same extraction and mapping as ``kg build``) and scores the store's quads with the
shared scorer (``../shared/eval/score.py``), as ``score.py --endpoint`` would.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from rdflib import URIRef

ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
sys.path.insert(0, str(ROOT))

from kg.config import Settings  # noqa: E402
from kg.pipeline import build  # noqa: E402
from kg.store import Store  # noqa: E402


def scorer() -> ModuleType:
    """The shared scorer, loaded from ../shared/eval/score.py."""
    spec = importlib.util.spec_from_file_location("score", SHARED_EVAL / "score.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(SHARED_EVAL / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def report(docs: Path, gold: Path, *, use_reference: bool = True) -> dict[str, Any]:
    """The scorer's report for the graph built from ``docs``."""
    store = Store()
    files = sorted(docs.glob("*.txt"))  # this folder only: sub-folders are other sets with their own gold
    build(files, store=store, settings=Settings(store_path=None, use_reference=use_reference), workers=1)
    quads = [(s, p, o, URIRef(g) if g else None) for s, p, o, g in store.quads()]
    score = scorer()
    graph, _ = score.document_view(quads)
    return score.score(graph, json.loads(gold.read_text(encoding="utf-8")))  # type: ignore[no-any-return]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--gold", type=Path, default=SHARED_EVAL / "seeds.gold.json")
    ap.add_argument("--docs", type=Path, default=ROOT / "seeds")
    ap.add_argument("--no-reference", action="store_true", help="only the countries of the reference base")
    ap.add_argument("-v", "--verbose", action="store_true", help="list false positives and misses")
    a = ap.parse_args()
    rep = report(a.docs, a.gold, use_reference=not a.no_reference)
    print(f"{'key':<22}{'P':>7}{'R':>7}{'F1':>7}{'tp':>5}{'pred':>6}{'gold':>6}")
    for key, v in rep.items():
        if isinstance(v, dict):
            print(
                f"{key:<22}{v['precision']:>7.3f}{v['recall']:>7.3f}{v['f1']:>7.3f}{v['tp']:>5}{v['pred']:>6}{v['gold']:>6}"
            )
            if a.verbose:
                for x in v["false_positives"]:
                    print(f"    + {x}")
                for x in v["missed"]:
                    print(f"    - {x}")
    print(f"facts F1 {rep['facts']['f1']:.3f} typing F1 {rep['typing']['f1']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
