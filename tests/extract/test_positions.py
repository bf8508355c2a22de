from __future__ import annotations

import pytest

from tests.extract.conftest import kinds, positions

CASES = [
    ("Vega Systems chief executive Maria Olsen opened the plant.", ("Maria Olsen", "Vega Systems", "chief executive")),
    (
        "Orbis Technologies' Chairman and CTO Lars Holm spoke first.",
        ("Lars Holm", "Orbis Technologies", "Chairman and CTO"),
    ),
    ("Norwegian Defence Minister Ola Nordmann visited the plant.", ("Ola Nordmann", "Norway", "Defence Minister")),
    (
        "Spain's Minister of Industry and Tourism Jordi Hereu, stated that talks continue.",
        ("Jordi Hereu", "Spain", "Minister of Industry and Tourism"),
    ),
    (
        "Jan Berg, managing director of Vega Systems' Skunk Labs division, spoke.",
        ("Jan Berg", "Skunk Labs", "managing director"),
    ),
    (
        "Kari Lund, head of the Defence Procurement Agency (DPA), agreed.",
        ("Kari Lund", "Defence Procurement Agency", "head"),
    ),
    (
        "Aero expert Paolo Neri, editor-in-chief of the Rivista Aeronautica (RA), said so.",
        ("Paolo Neri", "Rivista Aeronautica", "editor-in-chief"),
    ),
    ("For Finland, the plan fits President Anna Virtanen's vision.", ("Anna Virtanen", "Finland", "President")),
    (
        "Orbis Technologies has appointed Erik Sand as chief executive officer.",
        ("Erik Sand", "Orbis Technologies", "chief executive officer"),
    ),
]


@pytest.mark.parametrize(("text", "position"), CASES, ids=[c[1][0] for c in CASES])
def test_position(read, text: str, position: tuple[str, str, str]) -> None:  # type: ignore[no-untyped-def]
    assert position in positions(read(text))


def test_surname_resolves_to_the_full_person(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Vega Systems CEO Maria Olsen opened the plant. Olsen said the site would employ 300 people.")
    (person,) = [e for e in x.entities if e.kind == "Person"]
    assert (person.name, person.labels) == ("Maria Olsen", frozenset({"Maria Olsen", "Olsen"}))


def test_outlet_is_an_unscored_organization(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Aero expert Paolo Neri, editor-in-chief of the Rivista Aeronautica (RA), said so.")
    assert kinds(x)["Rivista Aeronautica"] == "Organization"
    assert {e.name: e.labels for e in x.entities}["Rivista Aeronautica"] == frozenset({"Rivista Aeronautica", "RA"})


def test_people_come_from_titles_not_from_capitalised_words(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Strategic Benefits for Both Nations\nModern Warfare Needs New Thinking, officials argue.")
    assert [e for e in x.entities if e.kind == "Person"] == []
