"""Extractor throughput on synthetic articles.

    python benchmarks/extract_bench.py [--docs 1000] [--words 1000] [--seed 7] [--reference] [--profile]

Generates deterministic ~1,000-word articles from varied templates (firms, aircraft,
people, deals, context sentences, a reader-comment block on some; ``--dense`` makes
every sentence a fact, a worst case), builds the Lexicon once,
and prints documents/s and words/s on one core. ``--profile`` runs under cProfile
and prints the top functions by cumulative and own time.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import sys
import time
from pathlib import Path

from rdflib import Graph

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.extract import Lexicon, extract  # noqa: E402

FIRM_STEMS = [
    "Vega",
    "Orbis",
    "Talon",
    "Corvid",
    "Halder",
    "Nordwind",
    "Aquila",
    "Sterling",
    "Kestrel",
    "Borealis",
    "Meridian",
    "Zephyr",
    "Atlas",
    "Helix",
    "Orion",
    "Vantage",
    "Cobalt",
    "Lumen",
    "Praxis",
    "Tundra",
]
SUFFIXES = ["Systems", "Aerospace", "Dynamics", "Technologies", "Industries", "Defence", "Robotics", "Aeronautics"]
AIRCRAFT = [
    "Falcon",
    "Petrel",
    "Tern",
    "Gryphon",
    "Harrier",
    "Condor",
    "Raven",
    "Osprey",
    "Skua",
    "Merlin",
    "Stormbird",
]
DESIGNATORS = ["X1", "TX-4", "KF-21", "MQ-9B", "C-390", "F-16", "Mk2", "A400M", "T-7"]
COUNTRIES = ["Greece", "Poland", "Finland", "Estonia", "Spain", "Italy", "Japan", "Brazil", "Canada", "Norway"]
DEMONYMS = [
    "Greek",
    "Polish",
    "Finnish",
    "Estonian",
    "Spanish",
    "Italian",
    "Japanese",
    "Brazilian",
    "Canadian",
    "Norwegian",
]
FIRST = ["Maria", "Jan", "Kari", "Paolo", "Erik", "Ana", "Lars", "Sofia", "Mehmet", "Yuki", "Carlos", "Ingrid"]
LAST = ["Olsen", "Berg", "Lund", "Neri", "Sand", "Costa", "Holm", "Rossi", "Demir", "Tanaka", "Silva", "Strand"]
FILLER = [
    "Speaking at a conference in Brussels on Tuesday, officials said the next phase would begin before the end of the year.",
    "The company's shares rose 3.2 percent in early trading, according to market data compiled on Wednesday.",
    "\u201cThis is a significant step for our industry and for our customers,\u201d one executive said in a statement.",
    "European governments have increased defence spending sharply since 2022, and procurement agencies are under pressure to deliver.",
    "The Ministry said the budget for fiscal year 2026 includes funds for training, maintenance and spare parts.",
    "Several NATO members are expected to announce similar plans at the summit in July.",
    "Earlier this month, a parliamentary committee asked for more transparency on the costs of the programme.",
    "The first prototype is scheduled to fly in 2027, with serial production to follow two years later.",
    "Engineers are working on the integration of new sensors, data links and electronic warfare equipment.",
    "The European Commission has proposed a new fund to support joint procurement among member states.",
    "Analysts say the market for unmanned systems will keep growing over the next decade.",
    "The announcement comes amid rising demand for long-range surveillance and strike capabilities.",
    "Officials did not disclose further details about the timeline or the industrial workshare.",
    "Industry observers expect more consolidation as budgets rise across the continent.",
    "The programme has faced delays because of supply chain constraints and certification hurdles.",
    "Production is expected to ramp up gradually, with the first deliveries planned for next year.",
    "Both sides emphasised the importance of technology transfer and local production.",
    "Critics argue that the costs are high, but supporters point to the operational benefits.",
]


def firm(r: random.Random) -> str:
    return f"{r.choice(FIRM_STEMS)} {r.choice(SUFFIXES)}"


def aircraft(r: random.Random) -> str:
    return f"{r.choice(AIRCRAFT)} {r.choice(DESIGNATORS)}"


def person(r: random.Random) -> str:
    return f"{r.choice(FIRST)} {r.choice(LAST)}"


TEMPLATES = [
    lambda r: (
        f"{r.choice(DEMONYMS)} drone manufacturer {firm(r)} has signed a memorandum of understanding with {firm(r)} to develop unmanned systems."
    ),
    lambda r: (
        f"{r.choice(COUNTRIES)} ordered {r.randint(4, 40)} {aircraft(r)} drones from {firm(r)} in June {r.randint(2019, 2025)}, in a deal worth ${r.randint(1, 900)} million."
    ),
    lambda r: (
        f"{firm(r)} chief executive {person(r)} said the company would double output of its {aircraft(r)} aircraft."
    ),
    lambda r: f"{person(r)}, managing director of {firm(r)}, described the agreement as a milestone.",
    lambda r: (
        f"{firm(r)} and {firm(r)} have formed a 50-50 joint venture, {firm(r)}, headquartered in {r.choice(COUNTRIES)}."
    ),
    lambda r: f"{firm(r)} completed its acquisition of {firm(r)} on Jan. {r.randint(1, 28)}, {r.randint(2018, 2025)}.",
    lambda r: (
        f"The {aircraft(r)} fighter jets, built by {firm(r)}, are operated by the {r.choice(DEMONYMS)} Air Force."
    ),
    lambda r: f"{firm(r)}, a leading {r.choice(DEMONYMS)} electronics firm, supplies radars to {firm(r)}.",
    lambda r: (
        f"Partners in the {r.choice(AIRCRAFT)} programme include {r.choice(COUNTRIES)}, {r.choice(COUNTRIES)} and {r.choice(COUNTRIES)}."
    ),
    lambda r: (
        f"{r.choice(COUNTRIES)} and {r.choice(COUNTRIES)} are exploring a strategic partnership on drone production."
    ),
    lambda r: f"{r.choice(DEMONYMS)} Defence Minister {person(r)} visited the {firm(r)} plant last week.",
    lambda r: r.choice(FILLER),
    lambda r: r.choice(FILLER),
    lambda r: r.choice(FILLER),
]
COMMENTS = [
    "I think this is a great deal for us.",
    "We should have bought these years ago!",
    "IMO the price is too high.",
    "You are right, but our government never listens.",
]


FACTS = TEMPLATES[:-3]


def article(r: random.Random, words: int, dense: bool = False) -> str:
    lines = [f"{firm(r)} and {r.choice(COUNTRIES)} strike drone deal"]
    n = 0
    while n < words:
        if dense:
            para = " ".join(r.choice(TEMPLATES)(r) for _ in range(r.randint(2, 4)))
        else:
            # news prose: one fact-bearing sentence among a few of context
            sents = [r.choice(FACTS)(r)] + [r.choice(FILLER) for _ in range(r.randint(2, 4))]
            r.shuffle(sents)
            para = " ".join(sents)
        lines.append(para)
        n += len(para.split())
    if r.random() < 0.3:
        lines.append(f"{r.randint(2, 40)} Comments")
        for _ in range(r.randint(2, 6)):
            lines += [person(r), r.choice(COMMENTS)]
    return "\n".join(lines) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--docs", type=int, default=1000)
    ap.add_argument("--words", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--reference", action="store_true", help="use ontology/reference.ttl for the lexicon")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--dense", action="store_true", help="every sentence states a fact (a worst case)")
    a = ap.parse_args()
    r = random.Random(a.seed)
    docs = [article(r, a.words, a.dense) for _ in range(a.docs)]
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
