"""Selections, joint buys, coordinated objects, stakes and supply contracts (invented names)."""

from __future__ import annotations

from tests.extract.conftest import agreements, rels


def test_selection_makes_an_operator_and_a_procurement(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Orvane Dynamics builds the KX-40 aircraft. Italy has selected the KX-40 aircraft to replace old jets.")
    assert ("operator", "KX-40", "Italy") in rels(x)
    assert ("Procurement", frozenset({"Italy", "Orvane Dynamics"})) in agreements(x)


def test_reporting_source_after_operated_by_is_no_operator(read) -> None:  # type: ignore[no-untyped-def]
    x = read("The ZF-3 fighters operated by the Ruritanian Air Force, the Ruritanian Ministry of Defence said, are old.")
    got = {o for k, s, o in rels(x, "operator")}
    assert "Ruritanian Air Force" in got
    assert "Ruritanian Ministry of Defence" not in got


def test_every_coordinated_aircraft_is_flown(read) -> None:  # type: ignore[no-untyped-def]
    x = read("The Ruritanian Air Force currently flies the ZF-3 fighter and the KX-40 transport aircraft.")
    assert ("operator", "ZF-3", "Ruritanian Air Force") in rels(x)
    assert ("operator", "KX-40", "Ruritanian Air Force") in rels(x)


def test_supplier_builds_things_for_a_list_of_forces(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Brakemoor Marine, which builds frigates for the Ruritanian Navy and the Italian Navy, grew fast.")
    assert ("supplier", "Brakemoor Marine", "Ruritanian Navy") in rels(x)
    assert ("supplier", "Brakemoor Marine", "Italian Navy") in rels(x)


def test_won_a_contract_to_supply_is_a_procurement(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Talvik Systems won a contract to supply radars to the Ruritanian Army.")
    assert ("supplier", "Talvik Systems", "Ruritanian Army") in rels(x)
    assert ("Procurement", frozenset({"Talvik Systems", "Ruritanian Army"})) in agreements(x)


def test_stake_increase_and_takeover_offer_are_acquisitions(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Halvard Industries wants to raise its stake in Norsk Airframe Systems to 20 percent.")
    assert ("Acquisition", frozenset({"Halvard Industries", "Norsk Airframe Systems"})) in agreements(x)
    y = read("Halvard Industries made a takeover offer of about $2 billion for Norsk Airframe Systems.")
    assert ("Acquisition", frozenset({"Halvard Industries", "Norsk Airframe Systems"})) in agreements(y)


def test_the_type_is_the_article_aircraft_and_delivered_to_a_list(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Italy picks the KX-40 aircraft. Italy has selected the KX-40 aircraft to replace the ZF-3 jets flown "
        "by the Ruritanian Air Force. Orvane Dynamics builds the KX-40 aircraft. "
        "The maker has already delivered the type to Chile and Norway."
    )
    assert ("operator", "KX-40", "Chile") in rels(x)
    assert ("operator", "KX-40", "Norway") in rels(x)
    assert ("operator", "ZF-3", "Chile") not in rels(x)


def test_demonym_manufacturer_is_the_maker_of_the_article_aircraft(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Orvane Dynamics builds the KX-40 aircraft. Chile has selected the KX-40 aircraft to replace the "
        "ZF-3 jets built by Brakemoor Aerospace. The Italian manufacturer has already delivered the KX-40 aircraft."
    )
    assert ("country", "Brakemoor Aerospace", "Italy") not in rels(x)


def test_person_names_with_lowercase_particles(read) -> None:  # type: ignore[no-untyped-def]
    from tests.extract.conftest import kinds

    x = read("Orvane Dynamics president and CEO Marco da Silva Neto said the deal was good.")
    assert kinds(x).get("Marco da Silva Neto") == "Person"
    y = read("Talvik Systems chief executive Anke von der Brugge said sales rose.")
    assert kinds(y).get("Anke von der Brugge") == "Person"


def test_memorandum_with_a_list_of_firms(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Orvane Dynamics signed a memorandum of understanding with Italian companies Talvik Systems and "
        "Brakemoor Aerospace to cooperate on maintenance."
    )
    assert (
        "MemorandumOfUnderstanding",
        frozenset({"Orvane Dynamics", "Talvik Systems", "Brakemoor Aerospace"}),
    ) in agreements(x)
