"""Quality gates: the seeds and our own test articles, built by the real pipeline and
scored by the shared scorer (benchmarks/extract_score.py). Skipped when ../shared is absent."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
ARTICLES = ROOT / "tests" / "resources" / "articles"
INDEPENDENT = ROOT / "tests" / "resources"


@pytest.fixture(scope="module")
def scoring() -> ModuleType:
    if not (SHARED_EVAL / "score.py").exists():
        pytest.skip("the shared scorer (../shared/eval/score.py) is not available")
    spec = importlib.util.spec_from_file_location("extract_score", ROOT / "benchmarks" / "extract_score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("use_reference", [True, False], ids=["reference", "countries-only"])
def test_seeds(scoring: ModuleType, use_reference: bool) -> None:
    report = scoring.report(ROOT / "seeds", SHARED_EVAL / "seeds.gold.json", use_reference=use_reference)
    assert report["facts"]["f1"] >= 0.95, report["facts"]
    assert report["typing"]["f1"] >= 0.95, report["typing"]


@pytest.mark.parametrize(
    "docs", [ARTICLES, ARTICLES / "heldout", ARTICLES / "unseen", INDEPENDENT / "independent",
             INDEPENDENT / "independent_b"],
    ids=["articles", "heldout", "unseen", "independent", "independent_b"],
)
@pytest.mark.parametrize("use_reference", [True, False], ids=["reference", "countries-only"])
def test_own_articles(scoring: ModuleType, docs: Path, use_reference: bool) -> None:
    report = scoring.report(docs, docs / "gold.json", use_reference=use_reference)
    assert report["facts"]["f1"] >= 0.80, report["facts"]
    assert report["typing"]["f1"] >= 0.90, report["typing"]
    assert report["facts"]["precision"] >= 0.90, report["facts"]
