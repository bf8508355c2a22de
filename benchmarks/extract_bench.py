"""Extractor throughput on the benchmark corpus's synthetic articles.

    python benchmarks/extract_bench.py [--docs 1000] [--words 1000] [--seed 7] [--reference] [--profile] [--dense]

Articles come from the seeded synthetic world of :mod:`benchmarks.corpus` (about 1,000
words each; ``--dense`` makes every sentence state a fact, a worst case), read the way
``kg build`` reads a document. The Lexicon is built once; the script prints documents/s
and words/s on one core. ``--profile`` runs under cProfile and prints the top functions
by cumulative and own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import article_text  # noqa: E402
from benchmarks.world import World  # noqa: E402
from kg.documents import parse  # noqa: E402
from kg.extract import Lexicon, extract  # noqa: E402


def articles(n: int, *, seed: int, words: int, dense: bool) -> list[str]:
    """The bodies of ``n`` corpus articles (front matter removed, as the pipeline does)."""
    world = World(seed, n)
    share = 1.0 if dense else 0.3
    return [parse(Path(f"{i}.md"), article_text(world, seed, n, i, words=words, fact_share=share).encode()).text
            for i in range(n)]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reference", action="store_true", help="use ontology/reference.ttl for the lexicon")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--dense", action="store_true", help="every sentence states a fact (a worst case)")
    a = ap.parse_args()
    docs = articles(a.docs, seed=a.seed, words=a.words, dense=a.dense)
    total_words = sum(len(d.split()) for d in docs)
    g = Graph()
    if a.reference and (ROOT / "ontology" / "reference.ttl").exists():
        g.parse(ROOT / "ontology" / "reference.ttl")
    t0 = time.perf_counter()
    lex = Lexicon.from_graph(g)
    t1 = time.perf_counter()
    print(f"lexicon built in {t1 - t0:.3f}s ({len(lex.entries)} entries)")

    def run() -> tuple[int, int]:
        facts = ents = 0
        for d in docs:
            x = extract(d, lexicon=lex)
            facts += len(x.relations) + len(x.positions) + len(x.agreements)
            ents += len(x.entities)
        return facts, ents

    extract(docs[0], lexicon=lex)  # warm-up
    if a.profile:
        prof = cProfile.Profile()
        t2 = time.perf_counter()
        prof.enable()
        facts, ents = run()
        prof.disable()
        dt = time.perf_counter() - t2
        stats = pstats.Stats(prof)
        stats.sort_stats("cumulative").print_stats(25)
        stats.sort_stats("tottime").print_stats(15)
    else:
        t2 = time.perf_counter()
        facts, ents = run()
        dt = time.perf_counter() - t2
    print(f"{a.docs} documents, {total_words:,} words ({total_words / a.docs:.0f}/doc) in {dt:.2f}s")
    print(f"{a.docs / dt:.1f} docs/s, {total_words / dt:,.0f} words/s (one core); {facts:,} facts, {ents:,} entities")
    return 0


if __name__ == "__main__":
    sys.exit(main())
