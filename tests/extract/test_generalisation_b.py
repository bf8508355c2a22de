"""Broader phrasings of the same facts: coordinated objects and subjects, appositions, lists, "for" (invented names)."""

from __future__ import annotations

from tests.extract.conftest import kinds, positions, rels


def test_coordinated_products_after_an_adverb(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Orvane Dynamics already produces the Kestrel drone and the Wisp helicopter drone.")
    assert ("manufacturer", "Kestrel", "Orvane Dynamics") in rels(x)
    assert ("manufacturer", "Wisp", "Orvane Dynamics") in rels(x)


def test_aircraft_apposition_without_designator(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Talvik Systems designs the Merlow, a long-range autonomous aircraft intended to escort fighters.")
    assert kinds(x).get("Merlow", "").endswith("Aircraft") or kinds(x).get("Merlow") == "UnmannedAerialVehicle"
    assert ("manufacturer", "Merlow", "Talvik Systems") in rels(x)


def test_maker_apposition_is_not_an_aircraft(read) -> None:  # type: ignore[no-untyped-def]
    x = read("The deal was signed by Corvane, a Ruritanian aircraft maker based in the north.")
    assert kinds(x).get("Corvane") != "Aircraft"


def test_assembly_line_for_makes_both_firms_manufacturers(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Vantor Aerospace and Italy's Meridia Systems have opened a final assembly line for the "
        "KX-40 transport aircraft near the coast."
    )
    assert ("manufacturer", "KX-40", "Vantor Aerospace") in rels(x)
    assert ("manufacturer", "KX-40", "Meridia Systems") in rels(x)


def test_buy_for_the_force_and_built_for(read) -> None:  # type: ignore[no-untyped-def]
    x = read("The ministry agreed to buy 12 KX-40 aircraft for the Ruritanian Air Force.")
    assert ("operator", "KX-40", "Ruritanian Air Force") in rels(x)
    y = read(
        "Halvard Industries, a Ruritanian conglomerate, will reuse its experience from the ZF-3 fighter, "
        "which it built for the Italian Air Force."
    )
    assert ("operator", "ZF-3", "Italian Air Force") in rels(y)
    assert ("manufacturer", "ZF-3", "Halvard Industries") in rels(y)


def test_governments_that_set_up_a_body_to_manage_a_programme(read) -> None:  # type: ignore[no-untyped-def]
    x = read("The governments of Italy, Norway and Chile have set up an agency to manage the Future Strike Programme.")
    got = {o for k, s, o in rels(x) if k == "participant"}
    assert {"Italy", "Norway", "Chile"} <= got


def test_competitors_for_a_programme_take_part(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Orvane Dynamics said the merger would strengthen its bid for the Loyal Escort Programme, "
        "in which it competes with Brakemoor Aerospace."
    )
    got = {o for k, s, o in rels(x) if k == "participant"}
    assert {"Orvane Dynamics", "Brakemoor Aerospace"} <= got


def test_industrial_partners_of_the_programme_in_context(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Italy and Norway launched the Future Strike Programme in 2023. "
        "Industrial partners Vantor Aerospace, Meridia Systems and Talvik Systems agreed to form a company."
    )
    got = {o for k, s, o in rels(x) if k == "participant"}
    assert {"Vantor Aerospace", "Meridia Systems", "Talvik Systems"} <= got


def test_industrial_partners_without_a_programme_are_not_participants(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Industrial partners Vantor Aerospace and Meridia Systems agreed to form a company.")
    assert not rels(x, "participant")


def test_main_shareholder_is_the_parent(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Halvard Industries, a Ruritanian industrial conglomerate and the main shareholder of Norsk Airframe "
        "Systems, will take part."
    )
    assert ("parentOrganization", "Norsk Airframe Systems", "Halvard Industries") in rels(x)


def test_number_words_are_not_aircraft(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Twelve aircraft are being delivered from the plant, while the rest will be built locally.")
    assert "Twelve" not in kinds(x)


def test_short_form_of_a_firm_joins_the_first_long_form(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Vantor and Meridia to build jets. Vantor Advanced Systems opened a plant. "
        "The remaining 40 will be assembled by Vantor. Vantor Sons chairman Ilse Margraf said it was a good day."
    )
    k = kinds(x)
    assert "Vantor" not in k
    assert k.get("Vantor Sons") == "Company"
    assert ("Ilse Margraf", "Vantor Sons", "chairman") in positions(x)


def test_aero_names_a_firm(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Halvard, Norsk and Brio Aero are working together on the engine for the new fighter.")
    assert kinds(x).get("Brio Aero") == "Company"


def test_counterpart_holds_the_same_post_in_the_other_country(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "The accord was signed by Italian Defence Minister Marco Benetti and his Norwegian counterpart Ola Strand."
    )
    assert kinds(x).get("Ola Strand") == "Person"
    assert ("Ola Strand", "Norway", "Defence Minister") in positions(x)


def test_the_company_after_a_named_joint_venture_is_the_venture(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Vantor Aerospace, Meridia Systems and Talvik Systems agreed to form a joint venture, Skyvane. "
        "Each partner will hold a third of the company, which will be headquartered in Italy."
    )
    assert ("country", "Skyvane", "Italy") in rels(x)
    assert ("country", "Vantor Aerospace", "Italy") not in rels(x)


def test_buyer_without_a_named_seller_buys_from_the_first_maker(read) -> None:  # type: ignore[no-untyped-def]
    from tests.extract.conftest import agreements

    x = read(
        "Vantor Aerospace and Meridia Systems opened an assembly line for the KX-40 transport aircraft. "
        "Under the contract, the Ruritanian Ministry of Defence agreed to buy 30 KX-40 aircraft for the "
        "Ruritanian Air Force."
    )
    assert ("Procurement", frozenset({"Ruritanian Ministry of Defence", "Vantor Aerospace"})) in agreements(x)
    assert ("operator", "KX-40", "Ruritanian Air Force") in rels(x)
    assert ("operator", "KX-40", "Ruritanian Ministry of Defence") not in rels(x)


def test_programme_named_with_its_acronym_and_rivals(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Talvik Systems builds the Merlow drone as part of the Ruritanian Air Force's Loyal Escort Craft (LEC) "
        "programme. Talvik Systems said the deal would help its bid for the LEC programme, in which it competes "
        "with Brakemoor Nucleonics."
    )
    k = kinds(x)
    assert k.get("Loyal Escort Craft") == "Programme"
    assert k.get("Brakemoor Nucleonics") == "Company"
    assert ("participant", "Loyal Escort Craft", "Brakemoor Nucleonics") in rels(x)
    assert ("participant", "Loyal Escort Craft", "Talvik Systems") in rels(x)


def test_model_number_after_an_aircraft_name(read) -> None:  # type: ignore[no-untyped-def]
    x = read("The Ruritanian Air Force also operates the Kestrel 2000-5, also built by Orvane Dynamics.")
    assert ("manufacturer", "Kestrel 2000-5", "Orvane Dynamics") in rels(x)
    y = read("The Ruritanian Air Force has operated the Kestrel, built by Orvane Dynamics, 2019 onwards.")
    assert "Kestrel" in kinds(y)


def test_first_word_short_form_and_which_clauses(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Swedish firm Norvik Aeroworks unveiled a new hangar. "
        "The Stormfalk fighter, which Norvik developed for the Swedish Air Force, first flew in 2019. "
        "Norway and Finland fund the Nordic Trainer Initiative, which Norvik joined in 2022."
    )
    assert "Norvik" not in kinds(x)
    r = rels(x)
    assert ("manufacturer", "Stormfalk", "Norvik Aeroworks") in r
    assert ("operator", "Stormfalk", "Swedish Air Force") in r
    assert ("participant", "Nordic Trainer Initiative", "Norvik Aeroworks") in r


def test_first_word_shared_by_two_firms_stays_open(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Norvik Aeroworks and Norvik Marine Works signed a deal. Norvik said it was pleased.")
    assert ("Norvik", "Company") not in {(e.name, e.kind) for e in x.entities if e.name == "Norvik"}


def test_new_company_owner_clauses_and_financing(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Dalmoor Robotics and Quillon Systems have agreed to establish a joint venture called Aerovane to develop "
        "the Skyward loyal wingman programme. The new company will be based in Spain.\n"
        "Norway and Portugal are financing the Skyward programme.\n"
        "Ferrant Aerospace is a subsidiary of Orlan Group, which also owns Quillon Systems."
    )
    r = rels(x)
    assert ("country", "Aerovane", "Spain") in r
    assert ("country", "Quillon Systems", "Spain") not in r
    assert {("participant", "Skyward programme", c) for c in ("Norway", "Portugal")} <= r
    assert [e.name for e in x.entities if e.kind == "Programme"] == ["Skyward programme"]
    assert ("parentOrganization", "Quillon Systems", "Orlan Group") in r


def test_short_maker_name_before_jets_plurals_and_partner_with(read) -> None:  # type: ignore[no-untyped-def]
    from tests.extract.conftest import agreements

    x = read(
        "Poland picks Tarvos jets in big deal\n"
        "Poland has signed a contract with Tarvos Aerospace for 36 TX-9 Viper fighters.\n"
        "Tarvos Aerospace will partner with local firm Marek Industries on the fuselage.\n"
        "Deliveries of the first Vipers to the Polish Air Force are due in 2028.\n"
        "Tarvos and the Italian group Arcadia Difesa also co-develop the Viper's successor, the TX-12."
    )
    k, r = kinds(x), rels(x)
    assert "Tarvos" not in k
    assert ("Partnership", frozenset({"Tarvos Aerospace", "Marek Industries"})) in agreements(x)
    assert ("operator", "TX-9 Viper", "Polish Air Force") in r
    assert ("manufacturer", "TX-9 Viper", "Arcadia Difesa") not in r


def test_production_line_for_parts_does_not_make_the_aircraft(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Tarvos Aerospace and Marek Industries have opened a production line for F-35 components in Gdansk.")
    assert not rels(x, "manufacturer")


def test_rival_that_leads_a_programme_is_alone_in_it(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Orvane Dynamics, whose rival Brakemoor Aerospace leads the T-9 programme, declined to comment.")
    assert {o for k, _, o in rels(x) if k == "participant"} == {"Brakemoor Aerospace"}


def test_division_apposition_and_partner_with_unknown_firm(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Orvane Dynamics has a partnership with Kelvo Labs AI to build a cargo drone.\n"
        "Orvane Space Works, the defence division of Orvane Dynamics, will assemble the aircraft."
    )
    from tests.extract.conftest import agreements

    assert kinds(x).get("Kelvo Labs AI") == "Company"
    assert ("Partnership", frozenset({"Orvane Dynamics", "Kelvo Labs AI"})) in agreements(x)
    assert kinds(x).get("Orvane Space Works") == "Division"
    assert ("parentOrganization", "Orvane Space Works", "Orvane Dynamics") in rels(x)


def test_unknown_firm_before_a_company_title_and_a_name(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Speaking at the launch, Brakemoor Nucleonics chief executive Tom Hale said the deal was good. "
        "Brakemoor Nucleonics will build the first units."
    )
    assert kinds(x).get("Brakemoor Nucleonics") == "Company"
    assert kinds(x).get("Tom Hale") == "Person"
    assert ("Tom Hale", "Brakemoor Nucleonics", "chief executive") in positions(x)


def test_person_before_a_title_is_not_taken_for_a_firm(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Former Minister Anna Kowal met the press.")
    assert "Anna Kowal" not in {e.name for e in x.entities if e.kind == "Company"}


def test_won_a_contract_from_a_ministry_and_which_flies(read) -> None:  # type: ignore[no-untyped-def]
    from tests.extract.conftest import agreements

    x = read(
        "Vantor Aerospace has won a contract from the Ministry of National Defence to supply 48 KX-40 light "
        "attack aircraft. The Czech Air Force, which already flies 12 KX-40s, is expected to order more."
    )
    assert ("Procurement", frozenset({"Ministry of National Defence", "Vantor Aerospace"})) in agreements(x)
    assert ("operator", "KX-40", "Czech Air Force") in rels(x)
