"""Patterns that must hold for firms, aircraft and deals the extractor has never seen (invented names)."""

from __future__ import annotations

import pytest

from tests.extract.conftest import agreements, kinds, rels


@pytest.fixture
def read_ref(lexicon):  # type: ignore[no-untyped-def]
    from kg.extract import extract

    return lambda text: extract(text, lexicon=lexicon)


# 1. aircraft named only by a maker phrase, a "<demonym>-made" compound or what flies it
@pytest.mark.parametrize(
    ("text", "aircraft", "fact"),
    [
        (
            "The Ruritanian Air Force still operates the Italian-made Corsair, built by Vega Aeronautics.",
            "Corsair",
            ("manufacturer", "Corsair", "Vega Aeronautics"),
        ),
        (
            "The Hellenic Air Force currently operates the French-built Harrier, a jet it will retire.",
            "Harrier",
            ("operator", "Harrier", "Hellenic Air Force"),
        ),
        (
            "Pilots of the Chilean Air Force flew the Piranha, built by Orbis Aviation, for 30 years.",
            "Piranha",
            ("manufacturer", "Piranha", "Orbis Aviation"),
        ),
    ],
)
def test_aircraft_from_maker_phrases(read, text, aircraft, fact) -> None:  # type: ignore[no-untyped-def]
    x = read(text)
    assert kinds(x).get(aircraft, "").endswith("Aircraft") or kinds(x).get(aircraft) == "Aircraft"
    assert fact in rels(x)


def test_made_compound_without_aircraft_context_is_not_an_aircraft(read) -> None:  # type: ignore[no-untyped-def]
    x = read("The army operates the German-made Leopard tanks near the border.")
    assert "Leopard" not in kinds(x)


# 2. relative clauses: "<Firm>, which assembles <Aircraft> aircraft"
def test_which_assembles(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Chile's Halder Works, which assembles Tern aircraft for the Chilean Air Force, hired staff.")
    assert ("manufacturer", "Tern", "Halder Works") in rels(x)


# 3. procurement with a seller and a quantity
@pytest.mark.parametrize(
    ("text", "buyer", "seller", "aircraft"),
    [
        (
            "Norway has previously ordered 14 Vireo helicopters from Talon Aerospace.",
            "Norway",
            "Talon Aerospace",
            "Vireo",
        ),
        ("Peru bought 6 Osprey trainers from Vega Systems in 2021.", "Peru", "Vega Systems", "Osprey"),
        ("Chile's order for 12 Condor jets from Halder Aviation was confirmed.", "Chile", "Halder Aviation", "Condor"),
    ],
)
def test_procurement_from_seller(read, text, buyer, seller, aircraft) -> None:  # type: ignore[no-untyped-def]
    x = read(text)
    assert ("Procurement", frozenset({buyer, seller})) in agreements(x)
    assert ("operator", aircraft, buyer) in rels(x)
    assert ("manufacturer", aircraft, seller) in rels(x)


def test_licence_from_is_not_a_maker(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Orbis Aerospace builds the T900 engines for the KX-9 fighter under a licence from Pratt Electric.")
    assert ("manufacturer", "KX-9", "Pratt Electric") not in rels(x)
    assert kinds(x).get("Pratt Electric") == "Company"
    assert "T900" not in kinds(x) or kinds(x)["T900"] != "Company"


# 4. a joint venture named after its parents, which are known firms
def test_jv_named_after_known_parents(read_ref) -> None:  # type: ignore[no-untyped-def]
    x = read_ref("Acme Aerodynamics and Orbis Systems have set up a joint venture, Acme Orbis Launch Systems (AOLS).")
    r = rels(x, "parentOrganization")
    assert ("parentOrganization", "Acme Aerodynamics", "Orbis Systems") not in r
    assert ("parentOrganization", "Acme Orbis Launch Systems", "Acme Aerodynamics") in r
    assert ("parentOrganization", "Acme Orbis Launch Systems", "Orbis Systems") in r
    assert kinds(x)["Acme Orbis Launch Systems"] == "JointVenture"


# 5. sentence-initial connectives never start an entity
@pytest.mark.parametrize("word", ["Separately", "Meanwhile", "Elsewhere", "Notably", "Overall", "Additionally"])
def test_connectives_are_not_entities(read_ref, word) -> None:  # type: ignore[no-untyped-def]
    x = read_ref(f"{word}, Acme announced the purchase of Corvid Robotics for 20 million euros.")
    assert word not in kinds(x)


# 6. armed forces
@pytest.mark.parametrize("force", ["Ruritanian Navy", "Royal Navy", "Hellenic Air Force", "Chilean Army"])
def test_armed_forces_typed(read, force) -> None:  # type: ignore[no-untyped-def]
    x = read(f"The {force} received new radars this year.")
    assert kinds(x).get(force) == "ArmedForce"


# 7. firm names ending in an industrial word
@pytest.mark.parametrize("firm", ["Nordic Electric", "Halder Optronics", "Vega Ordnance"])
def test_industrial_suffix_firms(read, firm) -> None:  # type: ignore[no-untyped-def]
    x = read(f"The sensors are made under a licence from {firm}.")
    assert kinds(x).get(firm) == "Company"


@pytest.mark.parametrize(
    ("text", "firm"),
    [
        ("The trainers, built by Halvorsen, will arrive in 2027.", "Halvorsen"),
        ("Peru's Andina, which assembles Tern aircraft under licence, hired 200 staff.", "Andina"),
        ("Greek planemaker Corvatis opened a plant.", "Corvatis"),
    ],
)
def test_firms_from_maker_phrases(read, text, firm) -> None:  # type: ignore[no-untyped-def]
    assert kinds(read(text)).get(firm) == "Company"


# 8. places and agreement sites
def test_places_and_sites(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Vega Systems and Orbis Technologies have formed a joint venture, Nordwing Aero.\n"
        "The joint venture, headquartered in Tampere, will build drones at a plant in Oulu."
    )
    assert kinds(x).get("Tampere") == "Place"
    assert kinds(x).get("Oulu") == "Place"
    jva = [a for a in x.agreements if a.kind == "JointVentureAgreement"]
    assert jva and {s.name for s in jva[0].sites} == {"Tampere", "Oulu"}


def test_country_after_based_in_is_not_a_place(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Corvid Robotics, based in Finland, builds sensors.")
    assert kinds(x).get("Finland") == "Country"
    assert "Place" not in kinds(x).values()


# 10. people described by a clause, without a title before the name
@pytest.mark.parametrize(
    ("text", "person"),
    [
        ('"We are ready," said Maria Kovacs, who leads the programme at Talon Technologies.', "Maria Kovacs"),
        (
            "According to Peter Lindqvist, a senior analyst at Nordic Defence Review, the deal is large.",
            "Peter Lindqvist",
        ),
    ],
)
def test_people_by_description(read, text, person) -> None:  # type: ignore[no-untyped-def]
    assert kinds(read(text)).get(person) == "Person"


def test_firm_described_by_a_clause_is_not_a_person(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Northrop Grumman, which builds drones, and Halder Works, a US defence contractor, agreed to cooperate.")
    assert "Person" not in kinds(x).values()


def test_short_form_and_full_name_are_one_entity(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Talon said it would expand. Talon Technologies, a Greek drone maker, signed a deal with Vega Systems.")
    names = {e.name: e for e in x.entities}
    assert "Talon" not in names
    assert names["Talon Technologies"].labels >= {"Talon", "Talon Technologies"}


def test_place_in_a_based_modifier_does_not_hide_the_party(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Orbis Technologies opened a plant in Tampere last year.\n"
        "Vega Systems signed a memorandum of understanding with Tampere-based company Orbis Technologies."
    )
    assert ("MemorandumOfUnderstanding", frozenset({"Vega Systems", "Orbis Technologies"})) in agreements(x)
