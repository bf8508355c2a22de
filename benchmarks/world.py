"""A deterministic synthetic world: firms, countries, people, aircraft and programmes.

Everything is drawn from one seeded :class:`random.Random`, so the same seed and size
give the same world on any machine. Names are made from syllables so that they are
unknown to the reference base: the extractor must find them from context (corporate
suffixes, titles, designators), the way it meets new firms in real news.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pycountry

_ONSETS = [
    "b",
    "br",
    "c",
    "d",
    "dr",
    "f",
    "g",
    "gr",
    "k",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "r",
    "s",
    "st",
    "t",
    "tr",
    "v",
    "z",
    "h",
    "j",
    "th",
    "sh",
    "ch",
    "pr",
    "fl",
    "vel",
    "cor",
]
_VOWELS = ["a", "e", "i", "o", "u", "ae", "ia", "io", "ou", "ei"]
_CODAS = ["", "n", "r", "s", "x", "l", "th", "m", "nd", "rk", "st", "v"]
CORPORATE_SUFFIXES = [
    "Aerospace",
    "Systems",
    "Dynamics",
    "Industries",
    "Technologies",
    "Defence",
    "Aviation",
    "Electronics",
    "Robotics",
    "Avionics",
    "Group",
    "Holdings",
]
TITLES = [
    "CEO",
    "chief executive",
    "managing director",
    "chairman",
    "president",
    "chief operating officer",
    "chief technology officer",
]
MINISTER_TITLES = ["Minister of Defence", "Defence Minister", "Minister of National Defence"]
FIRST_NAMES = [
    "Anna",
    "Marco",
    "Elif",
    "James",
    "Sofia",
    "Hiroshi",
    "Lena",
    "Pierre",
    "Ahmed",
    "Olga",
    "Carlos",
    "Ingrid",
    "Tomasz",
    "Priya",
    "Jonas",
    "Mei",
    "Rafael",
    "Sven",
    "Aylin",
    "David",
    "Chloe",
    "Kenji",
    "Fatima",
    "Lukas",
    "Maria",
    "Nikolai",
    "Sara",
    "Emre",
    "Julia",
    "Viktor",
    "Amara",
    "Henrik",
]
AIRCRAFT_WORDS = [
    "Falcon",
    "Storm",
    "Raptor",
    "Kestrel",
    "Viper",
    "Condor",
    "Harrier",
    "Osprey",
    "Tempest",
    "Phantom",
    "Sentinel",
    "Talon",
    "Griffin",
    "Hawk",
    "Wyvern",
    "Shrike",
    "Merlin",
    "Vortex",
    "Spectre",
    "Corsair",
    "Albatross",
    "Peregrine",
    "Typhon",
    "Basilisk",
]
AIRCRAFT_KINDS = [
    ("fighter", "CombatAircraft"),
    ("drone", "UnmannedAerialVehicle"),
    ("unmanned combat aerial vehicle", "UnmannedCombatAerialVehicle"),
    ("trainer aircraft", "Aircraft"),
    ("transport aircraft", "Aircraft"),
    ("surveillance drone", "UnmannedAerialVehicle"),
    ("helicopter", "Aircraft"),
]
PROGRAMME_KINDS = ["fighter", "drone", "trainer", "air defence", "tanker", "helicopter", "combat air"]
CITY_ROOTS = ["Port", "Fort", "Saint", "New", "North", "East", "West", "Lake", "Mount"]

# Demonyms for the countries the articles use; the rest are named plainly.
DEMONYMS = {
    "FRA": "French",
    "DEU": "German",
    "ITA": "Italian",
    "ESP": "Spanish",
    "POL": "Polish",
    "TUR": "Turkish",
    "GBR": "British",
    "USA": "American",
    "JPN": "Japanese",
    "KOR": "South Korean",
    "IND": "Indian",
    "BRA": "Brazilian",
    "SWE": "Swedish",
    "NOR": "Norwegian",
    "FIN": "Finnish",
    "NLD": "Dutch",
    "BEL": "Belgian",
    "CAN": "Canadian",
    "AUS": "Australian",
    "ISR": "Israeli",
    "EGY": "Egyptian",
    "SAU": "Saudi",
    "ARE": "Emirati",
    "QAT": "Qatari",
    "GRC": "Greek",
    "PRT": "Portuguese",
    "CZE": "Czech",
    "ROU": "Romanian",
    "HUN": "Hungarian",
    "UKR": "Ukrainian",
    "IDN": "Indonesian",
    "MYS": "Malaysian",
    "PAK": "Pakistani",
    "CHE": "Swiss",
    "AUT": "Austrian",
    "DNK": "Danish",
    "MEX": "Mexican",
    "ARG": "Argentine",
    "CHL": "Chilean",
    "ZAF": "South African",
}
_COMMON = {
    "KOR": "South Korea",
    "GBR": "United Kingdom",
    "USA": "United States",
    "CZE": "Czech Republic",
    "TUR": "Türkiye",
    "ARE": "United Arab Emirates",
    "NLD": "the Netherlands",
}


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    name: str
    demonym: str | None


@dataclass(frozen=True, slots=True)
class Firm:
    name: str
    short: str  # the syllable stem, used alone on second mention
    country: Country
    city: str


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    title: str
    employer: Firm | None  # None for ministers
    country: Country


@dataclass(frozen=True, slots=True)
class Aircraft:
    name: str
    kind_word: str  # "fighter", "drone", ...
    kind: str  # ontology class local name
    maker: Firm


@dataclass(frozen=True, slots=True)
class Programme:
    name: str  # "the Storm fighter programme"
    country: Country
    lead: Firm


def _word(rng: random.Random, syllables: int) -> str:
    w = "".join(rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(syllables)) + rng.choice(_CODAS)
    return w.capitalize()


def countries() -> list[Country]:
    """The countries the world draws from: pycountry names, skipping awkward formal ones."""
    out = []
    for c in pycountry.countries:
        name = _COMMON.get(c.alpha_3) or getattr(c, "common_name", None) or c.name
        if "," in name or "(" in name or len(name) > 24:
            continue
        out.append(Country(c.alpha_3, name, DEMONYMS.get(c.alpha_3)))
    return out


class World:
    """A seeded world sized for ``documents`` articles (entities grow sub-linearly)."""

    def __init__(self, seed: int, documents: int) -> None:
        rng = random.Random(f"world-{seed}")
        all_countries = countries()
        # Most news is about a few dozen arms-producing countries; the long tail is rarely named.
        major = [c for c in all_countries if c.demonym]
        self.countries = major + rng.sample([c for c in all_countries if not c.demonym], 30)
        n_firms = min(50_000, 200 + documents // 5)
        n_aircraft = min(20_000, 100 + documents // 10)
        n_programmes = min(5_000, 30 + documents // 50)
        self.firms: list[Firm] = []
        seen: set[str] = set()
        while len(self.firms) < n_firms:
            stem = _word(rng, rng.choice((2, 2, 3)))
            name = f"{stem} {rng.choice(CORPORATE_SUFFIXES)}"
            if stem in seen:
                continue
            seen.add(stem)
            country = rng.choice(major) if rng.random() < 0.85 else rng.choice(self.countries)
            city = f"{rng.choice(CITY_ROOTS)} {_word(rng, 2)}" if rng.random() < 0.3 else _word(rng, 2) + "burg"
            self.firms.append(Firm(name, stem, country, city))
        self.people: list[Person] = []
        for f in self.firms:
            for _ in range(rng.choice((1, 1, 2))):
                self.people.append(
                    Person(f"{rng.choice(FIRST_NAMES)} {_word(rng, 2)}", rng.choice(TITLES), f, f.country)
                )
        self.ministers = [
            Person(f"{rng.choice(FIRST_NAMES)} {_word(rng, 2)}", rng.choice(MINISTER_TITLES), None, c)
            for c in self.countries
        ]
        self.aircraft: list[Aircraft] = []
        names: set[str] = set()
        while len(self.aircraft) < n_aircraft:
            style = rng.random()
            if style < 0.4:
                name = f"{rng.choice('ABCDEFGHKMRSTVXZ')}{rng.choice('ABCDEFGHKMRSTVXZ')}-{rng.randint(1, 99)}"
            elif style < 0.8:
                name = f"{rng.choice(AIRCRAFT_WORDS)}-{rng.randint(1, 20)}{rng.choice(['', 'A', 'B', 'C', 'M'])}"
            else:
                name = f"{_word(rng, 2)} {rng.choice(['Mk', 'Block'])} {rng.randint(1, 9)}"
            if name in names:
                continue
            names.add(name)
            word, kind = rng.choice(AIRCRAFT_KINDS)
            self.aircraft.append(Aircraft(name, word, kind, rng.choice(self.firms)))
        self.programmes = [
            Programme(
                f"the {rng.choice(AIRCRAFT_WORDS)} {rng.choice(PROGRAMME_KINDS)} programme",
                rng.choice(major),
                rng.choice(self.firms),
            )
            for _ in range(n_programmes)
        ]
        self.people_of: dict[str, list[Person]] = {}
        for p in self.people:
            if p.employer is not None:
                self.people_of.setdefault(p.employer.name, []).append(p)
        self.minister_of = {m.country.code: m for m in self.ministers}
