# ruff: noqa: E501  (sentence templates read best one per line, unwrapped)
"""The corpus generator: seeded, news-like articles of about 1,000 words, streamed to disk.

``python -m benchmarks.corpus --size 1000 --out benchmarks/corpus/1000``

Article ``i`` depends only on (seed, size, i): it is generated from its own
``random.Random``, written, and forgotten, so memory stays flat at any size and
generation can be split across processes. Facts are written from many templates
per kind (MoU, joint venture, acquisition, procurement, partnership, manufacturer,
operator, supplier, positions, programme participants), surrounded by filler prose
that names entities without stating facts, so the extractor does real work.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.world import Firm, World

FORMAT_VERSION = 1
PER_FOLDER = 1000  # files per sub-folder keeps directory listings fast at a million documents
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]

Sentence = Callable[["Article"], str]


class Article:
    """The state of one article being written: its rng, its cast and its word count."""

    def __init__(self, world: World, rng: random.Random) -> None:
        self.w = world
        self.rng = rng
        self.year = rng.randint(2015, 2025)
        self.month = rng.randint(1, 12)
        self.day = rng.randint(1, 28)
        self.cast: list[Firm] = rng.sample(world.firms, 4)

    def firm(self) -> Firm:
        # Mostly the article's cast (so facts connect), sometimes anyone.
        return self.rng.choice(self.cast) if self.rng.random() < 0.8 else self.rng.choice(self.w.firms)

    def two(self) -> tuple[Firm, Firm]:
        a, b = self.rng.sample(self.cast, 2)
        return a, b

    def money(self) -> str:
        r = self.rng
        amount = r.choice([r.randint(12, 950), round(r.uniform(1.1, 9.9), 1)])
        unit = "million" if isinstance(amount, int) else "billion"
        return r.choice(
            [
                f"${amount} {unit}",
                f"€{amount} {unit}",
                f"£{amount} {unit}",
                f"US${amount} {unit}",
                f"{amount} {unit} euros",
                f"{amount} {unit} dollars",
            ]
        )

    def date(self) -> str:
        r = self.rng
        return r.choice(
            [
                f"on {self.day} {MONTHS[self.month - 1]} {self.year}",
                f"in {MONTHS[self.month - 1]} {self.year}",
                f"on {MONTHS[self.month - 1]} {self.day}, {self.year}",
                "last week",
                "on Tuesday",
                f"earlier in {self.year}",
            ]
        )

    def where(self, f: Firm) -> str:
        c = f.country
        return self.rng.choice(
            [f"{c.demonym} " if c.demonym else f"{c.name}-based ", f"{f.city}-based ", f"{c.name}'s ", ""]
        )

    def aircraft(self):  # type: ignore[no-untyped-def]
        return self.rng.choice(self.w.aircraft)

    @staticmethod
    def of(f: Firm) -> str:
        return f"{f.name}'" if f.name.endswith("s") else f"{f.name}'s"

    def person(self, f: Firm):  # type: ignore[no-untyped-def]
        people = self.w.people_of.get(f.name)
        return self.rng.choice(people) if people else None


def _mou(a: Article) -> str:
    x, y = a.two()
    return a.rng.choice(
        [
            f"{x.name} and {y.name} signed a memorandum of understanding {a.date()} to explore cooperation on {a.aircraft().name} upgrades.",
            f"The {a.where(x)}firm {x.name} has signed an MoU with {y.name} covering joint development of unmanned systems.",
            f"{x.name} said it had inked a memorandum of understanding with {a.where(y)}company {y.name} {a.date()}.",
            f"Under a memorandum of understanding signed {a.date()}, {x.name} and {y.name} will study a common sensor suite.",
            f"A Memorandum of Understanding (MoU) between {x.name} and {y.name} paves the way for deeper industrial ties.",
            f"{y.name} and {x.name} are in talks over a memorandum of understanding on maintenance of the {a.aircraft().name}.",
        ]
    )


def _jv(a: Article) -> str:
    x, y = a.two()
    return a.rng.choice(
        [
            f"{x.name} and {y.name} agreed to form a joint venture based in {x.country.name} to build drones.",
            f"The joint venture between {x.name} and {y.name} will be headquartered in {x.city}.",
            f"{x.name} will hold 51 percent of the new joint venture with {y.name}, worth {a.money()}, the companies said.",
            f"{a.where(x).capitalize()}group {x.name} set up a joint venture with {y.name} {a.date()}.",
            f"{x.name} and {y.name} have established a joint venture to produce components for the {a.aircraft().name}.",
        ]
    )


def _acquisition(a: Article) -> str:
    x, y = a.two()
    return a.rng.choice(
        [
            f"{x.name} completed the acquisition of {y.name} for {a.money()} {a.date()}.",
            f"{x.name} agreed to acquire {y.name} in a deal valued at {a.money()}.",
            f"{x.name} has bought {a.where(y)}rival {y.name} for {a.money()}.",
            f"The takeover of {y.name} by {x.name} was approved by regulators {a.date()}.",
            f"{x.name} announced plans to purchase {y.name}, a maker of avionics, for an undisclosed sum.",
            f"{x.name} has cancelled its proposed acquisition of {y.name} after a government review.",
        ]
    )


def _procurement(a: Article) -> str:
    x = a.firm()
    c = a.rng.choice(a.w.countries)
    ac = a.aircraft()
    n = a.rng.randint(2, 48)
    return a.rng.choice(
        [
            f"{c.name} ordered {n} {ac.name} {ac.kind_word}s from {x.name} in a contract worth {a.money()}.",
            f"The {c.demonym or c.name} government signed a contract with {x.name} {a.date()} for {n} {ac.name} aircraft.",
            f"{x.name} won a {a.money()} contract to supply {n} {ac.name} {ac.kind_word}s to {c.name}.",
            f"{c.name} has agreed to buy {n} {ac.name} {ac.kind_word}s from {x.name}, the ministry said {a.date()}.",
            f"The procurement of {n} {ac.name} {ac.kind_word}s by {c.name} from {x.name} is valued at {a.money()}.",
        ]
    )


def _partnership(a: Article) -> str:
    x, y = a.two()
    return a.rng.choice(
        [
            f"{x.name} and {y.name} announced a strategic partnership {a.date()} to co-develop {a.aircraft().name} payloads.",
            f"{x.name} has partnered with {y.name} to offer training services across {y.country.name}.",
            f"Through the partnership, {x.name} will integrate {y.name} radars on the {a.aircraft().name}.",
            f"{x.name} entered into a long-term partnership with {a.where(y)}company {y.name}.",
            f"{y.name} signed a teaming agreement with {x.name} for the {a.rng.choice(a.w.programmes).name}.",
        ]
    )


def _manufacturer(a: Article) -> str:
    ac = a.aircraft()
    m = ac.maker
    return a.rng.choice(
        [
            f"The {ac.name} {ac.kind_word} is manufactured by {m.name}.",
            f"{m.name} builds the {ac.name}, a {ac.kind_word} first flown in {a.year - a.rng.randint(2, 12)}.",
            f"{a.of(m)} {ac.name} {ac.kind_word} has logged more than {a.rng.randint(2, 90)},000 flight hours.",
            f"The {ac.name}, developed by {m.name}, is offered for export.",
            f"{m.name} produces the {ac.name} {ac.kind_word} at its {m.city} plant.",
        ]
    )


def _operator(a: Article) -> str:
    ac = a.aircraft()
    c = a.rng.choice(a.w.countries)
    force = a.rng.choice(["Air Force", "Navy", "Army"])
    dem = c.demonym or c.name
    return a.rng.choice(
        [
            f"The {ac.name} is operated by the {dem} {force}.",
            f"The {dem} {force} operates {a.rng.randint(4, 60)} {ac.name} {ac.kind_word}s.",
            f"{c.name} already flies the {ac.name} {ac.kind_word}.",
            f"The {ac.name} entered service with the {dem} {force} in {a.year - a.rng.randint(1, 8)}.",
        ]
    )


def _supplier(a: Article) -> str:
    x, y = a.two()
    part = a.rng.choice(["engines", "radars", "landing gear", "ejection seats", "datalinks", "composite wings"])
    return a.rng.choice(
        [
            f"{x.name} supplies {part} to {y.name}.",
            f"{x.name} will supply {part} for {a.of(y)} {a.aircraft().name} under a {a.money()} deal.",
            f"{y.name} selected {x.name} as the supplier of {part} for the {a.aircraft().name}.",
            f"{x.name} has been a supplier to {y.name} since {a.year - a.rng.randint(2, 20)}.",
        ]
    )


def _position(a: Article) -> str:
    f = a.firm()
    p = a.person(f)
    if p is None or a.rng.random() < 0.25:
        m = a.w.minister_of[f.country.code] if f.country.code in a.w.minister_of else a.w.ministers[0]
        dem = m.country.demonym or m.country.name
        return a.rng.choice(
            [
                f"{dem} {m.title} {m.name} welcomed the agreement.",
                f"\u201cThis is a milestone for our industry,\u201d said {m.name}, {m.country.name}'s {m.title}.",
                f"{m.country.name}'s {m.title}, {m.name}, attended the signing ceremony.",
            ]
        )
    return a.rng.choice(
        [
            f"{f.name} {p.title} {p.name} said the deal would create {a.rng.randint(50, 900)} jobs.",
            f"\u201cWe are proud of this step,\u201d said {p.name}, {p.title} of {f.name}.",
            f"{p.name}, the {p.title} of {f.name}, told reporters the first deliveries are due in {a.year + 2}.",
            f"Speaking in {f.city}, {a.of(f)} {p.title} {p.name} described the programme as a priority.",
            f"{p.name}, {a.of(f)} {p.title}, declined to comment on pricing.",
        ]
    )


def _participant(a: Article) -> str:
    prog = a.rng.choice(a.w.programmes)
    x = a.firm()
    P = prog.name[0].upper() + prog.name[1:]
    return a.rng.choice(
        [
            f"{x.name} joined {prog.name} as a tier-one partner.",
            f"{P}, led by {prog.lead.name}, now includes {x.name}.",
            f"{x.name} is a participant in {prog.name}, alongside {prog.lead.name}.",
            f"{prog.country.name} confirmed {x.name} would take part in {prog.name}.",
        ]
    )


FACTS: list[tuple[str, Sentence, float]] = [
    ("mou", _mou, 1.0),
    ("jv", _jv, 0.7),
    ("acquisition", _acquisition, 0.8),
    ("procurement", _procurement, 1.0),
    ("partnership", _partnership, 1.0),
    ("manufacturer", _manufacturer, 1.0),
    ("operator", _operator, 0.8),
    ("supplier", _supplier, 0.8),
    ("position", _position, 1.5),
    ("participant", _participant, 0.6),
]
_FACT_FNS = [f for _, f, _ in FACTS]
_FACT_WEIGHTS = [w for _, _, w in FACTS]

_FILLER = [
    "Analysts said demand for {kind}s has grown steadily as governments raise defence budgets.",
    "The market for military aviation is expected to keep expanding over the next decade, according to industry estimates.",
    "Industry observers noted that supply chains remain under pressure, with lead times for key components stretching to two years.",
    "{firm} has invested heavily in digital engineering and model-based design in recent years.",
    "The announcement came during a trade show in {city}, where dozens of exhibitors presented new products.",
    "Officials stressed that export licences would still be required for sales outside the region.",
    "Observers see the move as part of a wider consolidation of the sector.",
    "Shares in {firm} rose {pct} percent in early trading after the news.",
    "The {kind} market has attracted new entrants, from start-ups to established primes.",
    "Budget documents show spending on research and development rising for the third year in a row.",
    "Workforce shortages, particularly of engineers and technicians, remain a concern for {firm}.",
    "The company plans to open a new facility near {city} next year, subject to planning approval.",
    "Critics questioned whether the schedule was realistic given earlier delays.",
    "Parliamentary committees in {country} have asked for more transparency on the costs involved.",
    "Sustainability is also on the agenda, with sustainable aviation fuel trials planned for the coming months.",
    "The firm reported revenue growth of {pct} percent in its latest annual results.",
    "{firm} did not respond to a request for comment.",
    "Training, simulation and in-service support account for a growing share of the value of such contracts.",
    "Cyber resilience and secure communications were highlighted as key requirements by the customer.",
    "The first prototype is expected to fly within {n} years, with series production to follow.",
    "Several European governments have signalled interest in the capability.",
    "Negotiations over workshare took several months, according to people familiar with the matter.",
    "Delegations from {country} and neighbouring states visited the production line in {city}.",
    "The programme faces competition from established platforms already in service.",
    "Engineers at {firm} have been working on the design since {year}.",
]


_OPENERS = [
    "Meanwhile,",
    "At the same time,",
    "According to analysts,",
    "In a statement,",
    "Separately,",
    "For its part,",
    "As expected,",
    "Earlier this year,",
    "By contrast,",
    "In recent months,",
]
_SUBJECTS = [
    "defence ministries",
    "procurement agencies",
    "industry executives",
    "investors",
    "lawmakers",
    "air force planners",
    "export officials",
    "programme managers",
    "union representatives",
    "suppliers",
]
_VERBS = [
    "have pushed for",
    "remain cautious about",
    "have welcomed",
    "are closely watching",
    "have questioned",
    "continue to debate",
    "are preparing for",
    "have called for",
]
_OBJECTS = [
    "faster certification of new platforms",
    "higher production rates",
    "greater interoperability between fleets",
    "longer-term framework contracts",
    "more local content in future deals",
    "a review of maintenance costs",
    "closer cooperation on research",
    "simpler export rules",
    "investment in munitions capacity",
    "new training pipelines for pilots and technicians",
]
_TAILS = [
    "",
    " as budgets tighten",
    " ahead of the next spending review",
    " despite inflation",
    " in the wake of recent conflicts",
    " before the end of the decade",
    " across the region",
]


def _filler(a: Article) -> str:
    r = a.rng
    f = a.firm()
    if r.random() < 0.5:
        return r.choice(_FILLER).format(
            kind=a.aircraft().kind_word,
            firm=f.name,
            city=f.city,
            pct=r.randint(1, 14),
            country=r.choice(a.w.countries).name,
            n=r.randint(2, 6),
            year=a.year - 3,
        )
    return f"{r.choice(_OPENERS)} {r.choice(_SUBJECTS)} {r.choice(_VERBS)} {r.choice(_OBJECTS)}{r.choice(_TAILS)}."


_HEADLINES = [
    "{a} and {b} deepen ties",
    "{a} wins major order",
    "{a} to buy {b}",
    "{a} and {b} sign MoU",
    "New joint venture for {a} and {b}",
    "{a} unveils plans for growth",
    "Deal of the week: {a} and {b}",
]


def article_text(world: World, seed: int, size: int, i: int, *, words: int = 1000, fact_share: float = 0.3) -> str:
    """Article ``i`` of the corpus (front matter, then paragraphs of fact and filler sentences).

    ``fact_share`` is the share of sentences that state a fact (1.0: a worst case for the extractor).
    """
    rng = random.Random(f"doc-{seed}-{size}-{i}")
    a = Article(world, rng)
    x, y = a.cast[0], a.cast[1]
    title = rng.choice(_HEADLINES).format(a=x.name, b=y.name)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            if rng.random() < fact_share:
                fn = rng.choices(_FACT_FNS, weights=_FACT_WEIGHTS)[0]
                s = fn(a)
            else:
                s = _filler(a)
            sentences.append(s)
            count += s.count(" ") + 1
        paragraphs.append(" ".join(sentences))
    date = f"{a.year:04d}-{a.month:02d}-{a.day:02d}"
    return f"---\ntitle: {title}\ndate: {date}\n---\n{title}\n\n" + "\n\n".join(paragraphs) + "\n"


def document_path(root: Path, i: int) -> Path:
    return root / f"{i // PER_FOLDER:04d}" / f"doc{i:07d}.txt"


def _write_range(args: tuple[int, int, int, int, str]) -> int:
    seed, size, start, stop, root = args
    world = World(seed, size)
    words = 0
    for i in range(start, stop):
        path = document_path(Path(root), i)
        path.parent.mkdir(parents=True, exist_ok=True)
        text = article_text(world, seed, size, i)
        words += len(text.split())
        path.write_text(text, encoding="utf-8")
    return words


def generate(out: Path, size: int, *, seed: int = 42, workers: int = 1) -> dict[str, object]:
    """Write ``size`` articles under ``out`` (reused when a complete corpus with the same seed is there)."""
    manifest = out / "manifest.json"
    key = {"format": FORMAT_VERSION, "seed": seed, "size": size}
    if manifest.exists():
        try:
            info = json.loads(manifest.read_text())
            if {k: info.get(k) for k in key} == key:
                return info
        except (OSError, ValueError):
            pass
        manifest.unlink()
    started = time.perf_counter()
    step = max(1, min(PER_FOLDER, -(-size // max(1, workers))))
    ranges = [(seed, size, s, min(size, s + step), str(out)) for s in range(0, size, step)]
    if workers > 1 and size >= 200:
        with mp.get_context("fork").Pool(workers) as pool:
            words = sum(pool.imap_unordered(_write_range, ranges))
    else:
        words = sum(map(_write_range, ranges))
    info = {**key, "words": words, "seconds": round(time.perf_counter() - started, 3)}
    manifest.write_text(json.dumps(info, indent=2))  # written last: its presence means "complete"
    return info


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--size", type=int, required=True)
    p.add_argument("--out", type=Path, required=True)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--workers", type=int, default=1)
    args = p.parse_args(argv)
    info = generate(args.out, args.size, seed=args.seed, workers=args.workers)
    json.dump(info, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
