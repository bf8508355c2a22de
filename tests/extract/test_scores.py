"""Quality gates: real articles and the project's own, built by the real pipeline and scored by the shared
scorer (../shared/eval/score.py, through benchmarks/extract_score.py). Skipped when ../shared is absent.

The floors are what the extractor reaches today, a little below it, so a change that loses facts on
text it was not written for fails here; ../shared/eval/dev holds real articles it was tuned on.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import require_shared

ROOT = Path(__file__).resolve().parents[2]
SHARED_EVAL = ROOT.parent / "shared" / "eval"
RESOURCES = ROOT / "tests" / "resources"


@pytest.fixture(scope="module")
def scoring() -> ModuleType:
    require_shared(SHARED_EVAL / "score.py", "the shared scorer")
    spec = importlib.util.spec_from_file_location("extract_score", ROOT / "benchmarks" / "extract_score.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_dev_articles(scoring: ModuleType) -> None:
    report = scoring.report(SHARED_EVAL / "dev" / "docs", SHARED_EVAL / "dev" / "gold.json")
    assert report["facts"]["f1"] >= 0.85, report["facts"]
    assert report["typing"]["f1"] >= 0.95, report["typing"]


def test_dev_articles_without_the_reference_base(scoring: ModuleType) -> None:
    report = scoring.report(SHARED_EVAL / "dev" / "docs", SHARED_EVAL / "dev" / "gold.json", use_reference=False)
    assert report["facts"]["f1"] >= 0.78, report["facts"]


def test_seeds(scoring: ModuleType) -> None:
    report = scoring.report(ROOT / "seeds", SHARED_EVAL / "seeds.gold.json")
    assert report["facts"]["f1"] >= 0.97, report["facts"]
    assert report["typing"]["f1"] >= 0.95, report["typing"]


@pytest.mark.parametrize(
    "docs",
    [
        RESOURCES / "articles",
        RESOURCES / "articles" / "heldout",
        RESOURCES / "articles" / "unseen",
        RESOURCES / "independent",
        RESOURCES / "independent_b",
        RESOURCES / "independent_c",
        RESOURCES / "independent_d",
    ],
    ids=lambda p: p.relative_to(RESOURCES).as_posix(),
)
def test_own_articles(scoring: ModuleType, docs: Path) -> None:
    report = scoring.report(docs, docs / "gold.json")
    assert report["facts"]["f1"] >= 0.75, report["facts"]
    assert report["typing"]["f1"] >= 0.90, report["typing"]
