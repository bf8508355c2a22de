from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.model import Money
from tests.extract.conftest import agreements

KINDS = [
    (
        "Vega Systems and Orbis Technologies have signed a memorandum of understanding to explore cooperation.",
        "MemorandumOfUnderstanding",
        {"Vega Systems", "Orbis Technologies"},
    ),
    (
        "Vega Systems and Orbis Technologies signed a letter of intent on Monday.",
        "MemorandumOfUnderstanding",
        {"Vega Systems", "Orbis Technologies"},
    ),
    (
        "Vega Systems and Orbis Technologies have formed a joint venture.",
        "JointVentureAgreement",
        {"Vega Systems", "Orbis Technologies"},
    ),
    (
        "Vega Systems completed its acquisition of Corvid Robotics in May 2024.",
        "Acquisition",
        {"Vega Systems", "Corvid Robotics"},
    ),
    ("Corvid Robotics was bought by Vega Systems in 2020.", "Acquisition", {"Vega Systems", "Corvid Robotics"}),
    ("Greece signed a contract with Vega Systems for 12 Falcon X drones.", "Procurement", {"Greece", "Vega Systems"}),
    ("Greece ordered 6 more Falcon X drones from Vega Systems in March.", "Procurement", {"Greece", "Vega Systems"}),
    ("Finland and Estonia have agreed to cooperate on drone production.", "Partnership", {"Finland", "Estonia"}),
    ("Talon Aerospace has teamed up with Vega Systems on sensors.", "Partnership", {"Talon Aerospace", "Vega Systems"}),
    (
        "Joint work on components between Talon Aerospace and Greece's Athens Institute of Technology and Vega Systems began.",
        "Partnership",
        {"Talon Aerospace", "Athens Institute of Technology", "Vega Systems"},
    ),
]


@pytest.mark.parametrize(("text", "kind", "parties"), KINDS, ids=[k[1] + ":" + k[0][:25] for k in KINDS])
def test_kind_and_parties(read, text: str, kind: str, parties: set[str]) -> None:  # type: ignore[no-untyped-def]
    assert (kind, frozenset(parties)) in agreements(read(text))


STATUSES = [
    ("Vega Systems and Orbis Technologies are in talks over a potential partnership.", "Proposed"),
    ("Vega Systems and Orbis Technologies have signed a partnership agreement.", "Signed"),
    ("Vega Systems and Orbis Technologies established a joint venture in 2021.", "Completed"),
    ("Talks between Vega Systems and Orbis Technologies on a partnership collapsed.", "Cancelled"),
]


@pytest.mark.parametrize(("text", "status"), STATUSES)
def test_status(read, text: str, status: str) -> None:  # type: ignore[no-untyped-def]
    (a,) = read(text).agreements
    assert a.status == status


def test_date_value_and_subjects(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Greece signed a contract with Vega Systems worth €450 million for 12 Falcon X drones on Feb. 3, 2025.")
    (a,) = x.agreements
    assert (a.kind, a.status, a.date, a.value) == (
        "Procurement",
        "Signed",
        "2025-02-03",
        Money(Decimal("450000000"), "EUR"),
    )
    assert [s.name for s in a.subjects] == ["Falcon X"]


def test_relative_date_uses_publication_date(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Vega Systems and Orbis Technologies signed a partnership agreement last week.", published="2025-03-10")
    (a,) = x.agreements
    assert a.date == "2025-03-03"


def test_mou_refers_back_to_the_pair(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "Norse group Vega Systems and Orbis Technologies have signed an agreement to develop drones.\n"
        "The Memorandum of Understanding (MoU) paves the way for a joint venture based in Italy."
    )
    assert agreements(x) == {
        ("MemorandumOfUnderstanding", frozenset({"Vega Systems", "Orbis Technologies"})),
        ("JointVentureAgreement", frozenset({"Vega Systems", "Orbis Technologies"})),
    }
    # the generic "agreement" is the MoU: its status carries over
    assert {a.kind: a.status for a in x.agreements}["MemorandumOfUnderstanding"] == "Signed"


def test_the_two_companies(read) -> None:  # type: ignore[no-untyped-def]
    x = read(
        "The pact between Talon Aerospace and Vega Systems was signed recently. "
        "Under a memorandum of understanding, the two companies will explore drones."
    )
    assert agreements(x) == {("MemorandumOfUnderstanding", frozenset({"Talon Aerospace", "Vega Systems"}))}


def test_countries_form_partnerships_not_joint_ventures(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Finland and Estonia are exploring a strategic partnership. This prospective joint venture marks a step.")
    assert agreements(x) == {("Partnership", frozenset({"Finland", "Estonia"}))}


def test_acquisition_of_aircraft_is_not_a_company_acquisition(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Greece's acquisition of 24 Falcon X drones was approved.")
    assert x.agreements == ()
    assert {(r.key, r.subject.name, r.object.name) for r in x.relations} == {("operator", "Falcon X", "Greece")}


def test_acquisition_makes_a_parent(read) -> None:  # type: ignore[no-untyped-def]
    x = read("Vega Systems completed its acquisition of Corvid Robotics in May 2024.")
    assert {(r.key, r.subject.name, r.object.name) for r in x.relations} == {
        ("parentOrganization", "Corvid Robotics", "Vega Systems")
    }


def test_every_agreement_has_two_parties(read) -> None:  # type: ignore[no-untyped-def]
    x = read("The deal is being positioned as a major step. Greece's purchase of Falcon X drones continues.")
    assert all(len(set(a.parties)) >= 2 for a in x.agreements)
