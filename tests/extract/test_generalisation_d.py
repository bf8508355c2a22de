"""Families added for the fourth independent set, checked on invented or other real names."""

from __future__ import annotations

from rdflib import Graph

from kg.extract import Lexicon, extract

LEX = Lexicon.from_graph(Graph())


def _rels(text: str) -> set[tuple[str, str, str]]:
    return {(r.key, r.subject.name, r.object.name) for r in extract(text, lexicon=LEX).relations}


def test_export_to_countries_including_lists_every_country() -> None:
    text = "Vega Aeronautics has exported the C-390 aircraft to more than 10 countries, including Chile and Peru."
    got = _rels(text)
    assert ("operator", "C-390", "Chile") in got
    assert ("operator", "C-390", "Peru") in got


def test_use_it_alongside_every_listed_aircraft() -> None:
    text = (
        "The Corsair X-9 is a new jet built by Vega Aeronautics. The Corsair X-9 flew in May. "
        "The Chilean Air Force will use it alongside the F-16 and the MQ-9 Reaper."
    )
    got = _rels(text)
    assert ("operator", "F-16", "Chilean Air Force") in got
    assert ("operator", "MQ-9 Reaper", "Chilean Air Force") in got


def test_subsidiary_name_is_its_own_company() -> None:
    text = (
        "Chile ordered four C-390 aircraft from Vega Aeronautics Chile, a subsidiary of Spanish group Vega Aeronautics."
    )
    x = extract(text, lexicon=LEX)
    names = {e.name for e in x.entities}
    assert "Vega Aeronautics Chile" in names
    got = {(r.key, r.subject.name, r.object.name) for r in x.relations}
    assert ("parentOrganization", "Vega Aeronautics Chile", "Vega Aeronautics") in got
