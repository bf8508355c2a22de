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


# regressions found on the held-out articles


def test_designation_after_a_slash_stays_with_the_aircraft(lexicon) -> None:  # type: ignore[no-untyped-def]
    from kg.extract import extract

    x = extract("Ruritania ordered 12 Hawkeye/B drones from Acme.", lexicon=lexicon)
    assert {e.name: e.labels for e in x.entities if e.kind == "UnmannedAerialVehicle"} == {
        "Hawkeye X1": frozenset({"Hawkeye", "Hawkeye X1"})
    }


def test_engine_maker_name_excludes_the_engine_designation(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Talon Aerospace currently uses Halcyon Motors H220 engines on the prototypes.")
    assert ("supplier", "Halcyon Motors", "Talon Aerospace") in {
        (r.key, r.subject.name, r.object.name) for r in x.relations
    }


def test_country_prefixed_name_from_acronym_initials(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Vega Systems and Japan Wing Research Enterprise (JWRE) agreed to form a joint venture.")
    assert kinds(x)["Japan Wing Research Enterprise"] == "Company"


def test_national_subsidiary_name(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Vega Systems Australia, the local subsidiary of Vega Systems, won the work.")
    assert ("parentOrganization", "Vega Systems Australia", "Vega Systems") in {
        (r.key, r.subject.name, r.object.name) for r in x.relations
    }


def test_firms_listed_with_a_firm_are_firms(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Halder, Vega Systems and Orbis agreed to form a joint venture, Trident Wing.")
    assert {k for n, k in kinds(x).items() if n in {"Halder", "Orbis"}} == {"Company"}
    assert {(a.kind, frozenset(p.name for p in a.parties)) for a in x.agreements} == {
        ("JointVentureAgreement", frozenset({"Halder", "Vega Systems", "Orbis"}))
    }


def test_variant_letter_is_the_same_aircraft_but_a_generation_is_not(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Greece flies Petrel E fighter jets and older Petrel jets. It also flies Tern and Tern III drones.")
    names = {e.name: e.labels for e in x.entities if e.kind != "Country"}
    assert names["Petrel E"] == frozenset({"Petrel E", "Petrel"})
    assert {"Tern", "Tern III"} <= set(names)


def test_brand_short_form_of_a_long_firm_name(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Vega Defense & Security Solutions opened a plant. Vega CEO Ana Costa said it would hire 200 people.")
    assert {(p.holder.name, p.organization.name) for p in x.positions} == {
        ("Ana Costa", "Vega Defense & Security Solutions")
    }


def test_maker_named_in_an_aircraft_name(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Chile ordered six Condor C-12 transport aircraft. Condor also signed a deal with Vega Systems.")
    assert kinds(x)["Condor"] == "Company"
    assert ("manufacturer", "Condor C-12", "Condor") in {(r.key, r.subject.name, r.object.name) for r in x.relations}
