"""Regenerate every dk:Country individual in ontology/reference.ttl from pycountry.

Run from the project root, with the ``ontology-tools`` extra installed::

    .venv/bin/python ontology/generate_countries.py [path/to/reference.ttl]

The script loads the reference base, removes every triple whose subject is a
dk:Country, and re-adds one individual per ISO 3166-1 entry in pycountry. Names come
from pycountry (with a short table of conventional English names where pycountry's
are awkward); demonyms come from the ``countryinfo`` package. Everything else in the
file (curated firms, government bodies, aircraft, programmes, and their dk:country
links to these IRIs) is left as it is, so hand edits survive a regeneration.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import defaultdict
from pathlib import Path

import countryinfo
import pycountry
from rdflib import OWL, RDF, RDFS, SKOS, XSD, Graph, Literal, Namespace

DK = Namespace("https://w3id.org/defence-kg/ontology#")
ID = Namespace("https://w3id.org/defence-kg/id/")
REFERENCE = Path(__file__).resolve().parent / "reference.ttl"

# Conventional English short names where pycountry's name or common_name reads badly in news.
CANONICAL = {
    "RUS": "Russia",
    "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo",
    "FSM": "Micronesia",
    "PSE": "Palestine",
    "VAT": "Vatican City",
    "BRN": "Brunei",
    "VGB": "British Virgin Islands",
    "VIR": "United States Virgin Islands",
    "FLK": "Falkland Islands",
    "MAF": "Saint Martin",
    "SXM": "Sint Maarten",
    "SHN": "Saint Helena, Ascension and Tristan da Cunha",
}

# Alternative names used in news that neither source gives.
EXTRA_LABELS = {
    "GBR": ["UK", "U.K.", "Britain", "Great Britain", "United Kingdom of Great Britain and Northern Ireland"],
    "USA": ["US", "U.S.", "USA", "U.S.A.", "America", "United States of America"],
    "TUR": ["Turkey", "Turkiye", "Republic of Turkey"],
    "ARE": ["UAE", "U.A.E.", "Emirates"],
    "RUS": ["Russian Federation"],
    "KOR": ["Republic of Korea", "ROK"],
    "PRK": ["DPRK"],
    "CZE": ["Czech Republic"],
    "CIV": ["Ivory Coast"],
    "CPV": ["Cape Verde"],
    "SWZ": ["Swaziland"],
    "MMR": ["Burma"],
    "NLD": ["The Netherlands", "Holland"],
    "MKD": ["Macedonia"],
    "TLS": ["East Timor"],
    "COD": ["DR Congo", "DRC", "Congo-Kinshasa"],
    "COG": ["Congo-Brazzaville"],
    "TWN": ["Republic of China"],
    "CHN": ["PRC"],
}

# Demonyms that countryinfo gets wrong or omits; these replace its value.
DEMONYMS = {
    "GBR": ["British"],
    "USA": ["American"],
    "TUR": ["Turkish"],
    "KOR": ["South Korean"],
    "PRK": ["North Korean"],
    "ARE": ["Emirati"],
    "ARG": ["Argentine", "Argentinian"],
    "NLD": ["Dutch"],
    "CZE": ["Czech"],
    "SAU": ["Saudi", "Saudi Arabian"],
    "KGZ": ["Kyrgyz"],
    "TJK": ["Tajik"],
    "UZB": ["Uzbek"],
    "KAZ": ["Kazakh"],
    "SVN": ["Slovenian"],
    "ISL": ["Icelandic"],
    "PHL": ["Filipino", "Philippine"],
    "TWN": ["Taiwanese"],
    "CHN": ["Chinese"],
    "FRA": ["French"],
    "IND": ["Indian"],
    "NOR": ["Norwegian"],
    "DOM": ["Dominican"],
}

# countryinfo's alternative spellings are kept only when they look like English long
# forms: its other entries include native names ("Island" for Iceland, "Mann" for the Isle
# of Man) that would make a name matcher see countries everywhere.
_ENGLISH_LONG_FORM = re.compile(
    r"\b(Republic|Kingdom|State|Federation|Commonwealth|Union|Principality|Duchy|Territory|"
    r"Confederation|Sultanate|Emirates|Islands|Bailiwick)\b"
)


def slug(name: str) -> str:
    """The IRI slug rule: fold diacritics (and dotless ı), lowercase, non-alphanumerics to '-'.

    >>> slug("Türkiye"), slug("Bayraktar Kızılelma"), slug("Côte d'Ivoire")
    ('turkiye', 'bayraktar-kizilelma', 'cote-d-ivoire')
    """
    decomposed = unicodedata.normalize("NFKD", name)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).replace("ı", "i")
    return re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")


def canonical_name(country: object) -> str:
    """The label news would use: the table above, else pycountry's common name, else its name."""
    alpha3 = country.alpha_3  # type: ignore[attr-defined]
    return CANONICAL.get(alpha3) or getattr(country, "common_name", None) or country.name  # type: ignore[attr-defined]


def _countryinfo_by_alpha3() -> dict[str, dict[str, object]]:
    table = {}
    for entry in countryinfo.all_countries():
        info = entry.info()
        alpha3 = (info.get("ISO") or {}).get("alpha3")
        if alpha3:
            table[alpha3] = info
    return table


def _demonyms(info_by_alpha3: dict[str, dict[str, object]]) -> dict[str, list[str]]:
    """Demonyms per alpha-3; a demonym shared by several entries stays only where DEMONYMS puts it."""
    found: dict[str, list[str]] = {}
    for country in pycountry.countries:
        alpha3 = country.alpha_3
        if alpha3 in DEMONYMS:
            found[alpha3] = list(DEMONYMS[alpha3])
            continue
        raw = str((info_by_alpha3.get(alpha3) or {}).get("demonym") or "")
        found[alpha3] = [d.strip() for d in raw.split(",") if d.strip()]
    owners = defaultdict(set)
    for alpha3, names in found.items():
        for name in names:
            owners[name].add(alpha3)
    pinned = {name: alpha3 for alpha3, names in DEMONYMS.items() for name in names}
    for alpha3, names in found.items():
        found[alpha3] = [n for n in names if len(owners[n]) == 1 or pinned.get(n) == alpha3]
    return found


# Capitals that countryinfo spells differently from English news or lacks; None where the name is
# also a common place or person name elsewhere ("Hamilton", "Douglas", "Victoria", "Kingston").
CAPITALS = {
    "UKR": "Kyiv",
    "USA": "Washington",
    "KOR": "Seoul",
    "TUR": "Ankara",
    "IND": "New Delhi",
    "ISR": "Jerusalem",
    "PSE": None,
    "TWN": "Taipei",
    "BOL": "Sucre",
    "NLD": "The Hague",
    "GBR": "London",
    "KAZ": "Astana",
    "BMU": None,
    "FLK": None,
    "IMN": None,
    "SYC": None,
    "HKG": None,
    "JAM": None,
    "NFK": None,
    "GUY": None,
    "CYM": None,
    "MSR": None,
    "SHN": None,
    "PRI": None,
    "AIA": None,
    "VGB": None,
    "CCK": None,
    "IOT": None,
    "REU": None,
    "MAF": None,
    "SGS": None,
    "PCN": None,
    "CXR": None,
    "BES": None,
    "ATF": None,
    "SJM": None,
    "VCT": None,
    "GGY": None,
    "JEY": None,
    "ALA": None,
}


def _capital(info: dict[str, object]) -> str | None:
    """The capital news uses for a government ("Kyiv", not countryinfo's "Kiev")."""
    alpha3 = (info.get("ISO") or {}).get("alpha3") if isinstance(info.get("ISO"), dict) else None  # type: ignore[union-attr]
    if alpha3 in CAPITALS:
        return CAPITALS[alpha3]
    capital = info.get("capital")
    return str(capital).strip() or None if isinstance(capital, str) else None


def country_graph() -> Graph:
    """One dk:Country individual per pycountry entry.

    Codes are typed xsd:string explicitly, as Protégé and owlready2 write them, so an
    edit-and-save round trip leaves them unchanged.
    """
    info_by_alpha3 = _countryinfo_by_alpha3()
    demonyms = _demonyms(info_by_alpha3)
    graph = Graph()
    seen: dict[str, str] = {}
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_3):
        alpha3 = country.alpha_3
        label = canonical_name(country)
        key = slug(label)
        if key in seen:
            raise ValueError(f"slug {key!r} of {label!r} collides with {seen[key]!r}")
        seen[key] = label
        iri = ID[f"country/{key}"]
        graph.add((iri, RDF.type, OWL.NamedIndividual))
        graph.add((iri, RDF.type, DK.Country))
        graph.add((iri, RDFS.label, Literal(label, lang="en")))
        graph.add((iri, DK.isoCode, Literal(alpha3, datatype=XSD.string)))
        alternatives = [country.name, getattr(country, "official_name", None), getattr(country, "common_name", None)]
        alternatives += EXTRA_LABELS.get(alpha3, [])
        spellings = (info_by_alpha3.get(alpha3) or {}).get("altSpellings") or []
        alternatives += [s for s in spellings if isinstance(s, str) and _ENGLISH_LONG_FORM.search(s)]  # type: ignore[union-attr]
        for alt in alternatives:
            if alt and alt.strip() and alt.strip() != label:
                graph.add((iri, SKOS.altLabel, Literal(alt.strip(), lang="en")))
        for acronym in ("UK", "US", "USA", "UAE", "ROK", "DPRK", "DRC", "PRC"):
            if acronym in EXTRA_LABELS.get(alpha3, []):
                graph.add((iri, DK.acronym, Literal(acronym, datatype=XSD.string)))
        for demonym in demonyms[alpha3]:
            graph.add((iri, DK.demonym, Literal(demonym, lang="en")))
        capital = _capital(info_by_alpha3.get(alpha3) or {})
        if capital and capital != label:
            graph.add((iri, DK.capital, Literal(capital, lang="en")))
    return graph


def regenerate(path: Path = REFERENCE) -> Graph:
    """Replace the countries in the reference base at ``path``; return the new graph."""
    graph = Graph()
    graph.parse(path, format="turtle")
    for prefix, namespace in graph.namespaces():
        graph.bind(prefix, namespace)
    for country in set(graph.subjects(RDF.type, DK.Country)):
        graph.remove((country, None, None))
    graph += country_graph()
    _bind(graph)
    path.write_text(graph.serialize(format="turtle"), encoding="utf-8")
    return graph


def _bind(graph: Graph) -> None:
    graph.bind("dk", DK)
    graph.bind("skos", SKOS)
    for coarse in ("organization", "person", "country", "place", "aircraft", "programme"):
        graph.bind(coarse, ID[f"{coarse}/"])


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else REFERENCE
    result = regenerate(target)
    print(f"{target}: {len(set(result.subjects(RDF.type, DK.Country)))} countries, {len(result)} triples")
