"""Every relation key, read from text with no reference base (countries only)."""

from __future__ import annotations

import pytest

from tests.extract.conftest import kinds, rels

CASES = [
    # manufacturer
    ("Greece's Vega Systems unveiled its Falcon X drone at the show.", ("manufacturer", "Falcon X", "Vega Systems")),
    ("The Falcon X drone, built by Vega Systems, flew for 30 hours.", ("manufacturer", "Falcon X", "Vega Systems")),
    (
        "Swedish defence group Orbis, best known for its Kestrel and Merlin drones, opened a plant.",
        ("manufacturer", "Merlin", "Orbis"),
    ),
    ("Vega Systems-made Falcon X drones are cheap.", ("manufacturer", "Falcon X", "Vega Systems")),
    ("Greece ordered 6 more Falcon X drones from Vega Systems in March.", ("manufacturer", "Falcon X", "Vega Systems")),
    # operator
    ("The Polish Air Force operates the F-16 fighter jets.", ("operator", "F-16", "Polish Air Force")),
    ("Greece's acquisition of 24 Falcon X drones was approved.", ("operator", "Falcon X", "Greece")),
    ("The modernisation of Egypt's F-16 fighter jets starts in May.", ("operator", "F-16", "Egypt")),
    ("The Falcon X drone is operated by the Hellenic Air Force.", ("operator", "Falcon X", "Hellenic Air Force")),
    ("Portugal and Hungary already operate the C-390 transport aircraft.", ("operator", "C-390", "Hungary")),
    # country
    ("Swedish defence group Orbis opened a plant.", ("country", "Orbis", "Sweden")),
    ("Orbis, a leading Finnish electronics firm, supplies radars to Vega Systems.", ("country", "Orbis", "Finland")),
    ("Talon Aerospace is headquartered in Greece.", ("country", "Talon Aerospace", "Greece")),
    ("The deal was signed by Spain's Indra Systems on Monday.", ("country", "Indra Systems", "Spain")),
    (
        "Polish companies like Vega Systems and Orbis Technologies bid for the work.",
        ("country", "Orbis Technologies", "Poland"),
    ),
    # parentOrganization
    ("Vega Systems' Skunk Labs division designs small drones.", ("parentOrganization", "Skunk Labs", "Vega Systems")),
    (
        "Corvid Robotics, a subsidiary of Vega Systems, builds sensors.",
        ("parentOrganization", "Corvid Robotics", "Vega Systems"),
    ),
    (
        "Orbis Technologies, with its history in radar, adds its ownership of sensor specialist Corvid Robotics.",
        ("parentOrganization", "Corvid Robotics", "Orbis Technologies"),
    ),
    # supplier
    (
        "Orbis, a leading Finnish electronics firm, currently supplies radars to Vega Systems.",
        ("supplier", "Orbis", "Vega Systems"),
    ),
    (
        "Halcyon Engines will provide engines for Vega Systems under the deal.",
        ("supplier", "Halcyon Engines", "Vega Systems"),
    ),
    # participant
    (
        "Partners in the Tempest programme include Japan, Italy and the UK.",
        ("participant", "Tempest programme", "Japan"),
    ),
    ("Vega Systems joined the Tempest programme in 2023.", ("participant", "Tempest programme", "Vega Systems")),
    (
        "Orbis Technologies' support for Vega Systems' Albatross fighter program is growing.",
        ("participant", "Albatross programme", "Orbis Technologies"),
    ),
]


@pytest.mark.parametrize(("text", "fact"), CASES, ids=[c[1][0] + ":" + c[0][:30] for c in CASES])
def test_relation(read, text: str, fact: tuple[str, str, str]) -> None:  # type: ignore[no-untyped-def]
    assert fact in rels(read(text))


def test_jv_has_both_parents_and_its_country(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Vega Systems and Orbis Technologies have formed a 50-50 joint venture, Nordic Wing Systems, based in Finland."
    )
    assert rels(x) == {
        ("parentOrganization", "Nordic Wing Systems", "Vega Systems"),
        ("parentOrganization", "Nordic Wing Systems", "Orbis Technologies"),
        ("country", "Nordic Wing Systems", "Finland"),
    }
    assert kinds(x)["Nordic Wing Systems"] == "JointVenture"


def test_company_named_after_a_country_is_based_there(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Korea Aerospace Industries (KAI) builds the FA-50 light combat aircraft.")
    assert rels(x) == {
        ("country", "Korea Aerospace Industries", "South Korea"),
        ("manufacturer", "FA-50", "Korea Aerospace Industries"),
    }


def test_its_refers_to_the_sentence_subject(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Talon Aerospace has collaborated with Greece on components for its Petrel drone.")
    assert ("manufacturer", "Petrel", "Talon Aerospace") in rels(x)


def test_no_relation_from_a_rivalry(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Vega Systems competes with Orbis Technologies in Europe.")
    assert rels(x) == set()
    assert x.agreements == ()


def test_evidence_points_at_the_sentence(read) -> None:  # type: ignore[no-untyped-def]
    text = "Intro line here.\nThe Falcon X drone, built by Vega Systems, flew for 30 hours. Another sentence."
    x = read(text)
    (r,) = [r for r in x.relations if r.key == "manufacturer"]
    assert text[r.evidence.start : r.evidence.end] == r.evidence.sentence
    assert r.evidence.sentence == "The Falcon X drone, built by Vega Systems, flew for 30 hours."
    assert 0.0 < r.evidence.confidence <= 1.0
