"""Quality gates: the seeds and the own test articles, scored by the shared scorer.

The graph is written by benchmarks/extract_score.py's minimal mapping (one named graph per
document), so these gates measure the extractor alone. Skipped when the shared scorer is absent.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Dataset, Graph

ROOT = Path(__file__).resolve().parents[2]
SCORER = ROOT.parent / "shared" / "eval" / "score.py"
SEEDS_GOLD = ROOT.parent / "shared" / "eval" / "seeds.gold.json"
ARTICLES = ROOT / "tests" / "resources" / "articles"


def _load(name: str, path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def tools() -> tuple[ModuleType, ModuleType]:
    if not SCORER.exists():
        pytest.skip("shared scorer not available")
    return _load("extract_score", ROOT / "benchmarks" / "extract_score.py"), _load("score", SCORER)


def _score(tools: tuple[ModuleType, ModuleType], docs: Path, gold: Path, *, countries_only: bool) -> dict:  # type: ignore[type-arg]
    mapper, scorer = tools
    from kg.extract import Lexicon, extract

    reference = Graph()
    if (ROOT / "ontology" / "reference.ttl").exists():
        reference.parse(ROOT / "ontology" / "reference.ttl")
    lexicon = Lexicon.from_graph(reference, countries_only=countries_only)
    ds = Dataset()
    for f in sorted(docs.glob("*.txt")):
        mapper.to_graph(ds, f.name, extract(f.read_text(encoding="utf-8"), lexicon=lexicon))
    quads = [(s, p, o, c) for s, p, o, c in ds.quads((None, None, None, None))]
    ontology = Graph().parse(ROOT / "ontology" / "defence.ttl")
    quads += [(s, p, o, None) for s, p, o in ontology]
    g, _ = scorer.document_view(quads)
    return scorer.score(g, json.loads(gold.read_text(encoding="utf-8")))  # type: ignore[no-any-return]


@pytest.mark.parametrize("countries_only", [False, True], ids=["reference", "countries-only"])
def test_seeds(tools, countries_only: bool) -> None:  # type: ignore[no-untyped-def]
    if not SEEDS_GOLD.exists():
        pytest.skip("seed gold not available")
    report = _score(tools, ROOT / "seeds", SEEDS_GOLD, countries_only=countries_only)
    assert report["facts"]["f1"] >= 0.95, report["facts"]
    assert report["typing"]["f1"] >= 0.95, report["typing"]


@pytest.mark.parametrize("folder", ["", "heldout"])
@pytest.mark.parametrize("countries_only", [False, True], ids=["reference", "countries-only"])
def test_own_articles(tools, folder: str, countries_only: bool) -> None:  # type: ignore[no-untyped-def]
    docs = ARTICLES / folder if folder else ARTICLES
    report = _score(tools, docs, docs / "gold.json", countries_only=countries_only)
    assert report["facts"]["f1"] >= 0.85, report["facts"]
    assert report["typing"]["f1"] >= 0.9, report["typing"]
    assert report["facts"]["precision"] >= 0.95, report["facts"]
