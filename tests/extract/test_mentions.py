"""Which capitalised words become entities, of which kind, under which name."""

from __future__ import annotations

import pytest

from tests.extract.conftest import kinds


def test_acronym_definition_ties_acronym_to_name(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Korea Aerospace Industries (KAI) builds jets. KAI said exports would rise.")
    (firm,) = [e for e in x.entities if e.kind == "Company"]
    assert (firm.name, firm.labels) == ("Korea Aerospace Industries", frozenset({"Korea Aerospace Industries", "KAI"}))


def test_short_form_of_a_firm_is_the_same_firm(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Talon Aerospace opened a plant. Talon said the plant would build drones.")
    assert [(e.name, e.labels) for e in x.entities] == [("Talon Aerospace", frozenset({"Talon Aerospace", "Talon"}))]


def test_aircraft_tail_is_the_same_aircraft(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Greece bought Sky Falcon TX4 drones. The TX4 flew in May.")
    assert {e.name: e.labels for e in x.entities}["Sky Falcon TX4"] == frozenset({"Sky Falcon TX4", "TX4"})


@pytest.mark.parametrize(
    ("text", "name", "kind"),
    [
        ("German arms manufacturer Halder opened a plant.", "Halder", "Company"),
        ("Halder, a leading German electronics firm, opened a plant.", "Halder", "Company"),
        ("Orbis Dynamics opened a plant.", "Orbis Dynamics", "Company"),
        ("Nordic Wing S.p.A. opened a plant.", "Nordic Wing S.p.A", "Company"),
        ("The Ministry of Defence of Estonia signed.", "Ministry of Defence", "GovernmentBody"),
        ("The Hellenic Air Force flies them.", "Hellenic Air Force", "ArmedForce"),
        ("The Royal Netherlands Air Force flies them.", "Royal Netherlands Air Force", "ArmedForce"),
        ("Greece flies the Petrel and Tern drones.", "Petrel", "UnmannedAerialVehicle"),
        ("Greece flies the KF-21 fighter jets.", "KF-21", "CombatAircraft"),
        ("Greece flies the Storm UCAV.", "Storm", "UnmannedCombatAerialVehicle"),
        ("Greece ordered 20 Gryphon Mk2s from the maker.", "Gryphon Mk2", "Aircraft"),
        ("Estonia joined the Nordic Shield programme.", "Nordic Shield programme", "Programme"),
        ("Turkish Aerospace Industries builds jets.", "Turkish Aerospace Industries", "Company"),
    ],
)
def test_cues_type_unknown_names(read, text: str, name: str, kind: str) -> None:  # type: ignore[no-untyped-def]
    assert kinds(read(text)).get(name) == kind


def test_demonym_alone_does_not_make_a_country_entity(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Italian media reported the news. Modern warfare is changing.")
    assert x.entities == ()


def test_demonym_used_in_a_fact_does(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Turkish drone manufacturer Halder opened a plant.")
    assert kinds(x) == {"Halder": "Company", "Türkiye": "Country"}


def test_headings_and_sentence_starts_are_not_entities(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "A Focus on Europe—but with Global Ambitions\n"
        "Strategic Benefits for Both Nations\n"
        "Following the talks, Defence officials met. Key Objectives remain unclear. NATO allies agreed.\n"
    )
    assert x.entities == ()


def test_country_names_and_aliases(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Britain, the U.S. and Türkiye met. Turkey and the UK agreed.")
    assert {e.name: e.labels for e in x.entities} == {
        "United Kingdom": frozenset({"Britain", "UK"}),
        "United States": frozenset({"U.S."}),
        "Türkiye": frozenset({"Türkiye", "Turkey"}),
    }
