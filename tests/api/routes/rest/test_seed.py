"""The REST API over the graph built from seeds/ (the ``seed_store`` fixture of tests/conftest.py).

The extractor improves over time, so these assert the facts the seed articles plainly
state (FACTS.md) and the API's own invariants, not every count.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from kg.store import Store

SEED_DOCS = [
    "document.000_8b7e041c7c2624cb",
    "document.001_64098bdde0cb0e7d",
    "document.002_461976420c9f0e25",
    "document.003_29fabbc482d875ac",
    "document.004_fde4254fdb44e840",
]


@pytest.fixture(scope="module")
def client(seed_store: Store) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=None), store=seed_store)) as c:
        yield c


def get(client: TestClient, url: str, **params: Any) -> Any:
    r = client.get(url, params=params)
    assert r.status_code == 200, r.text
    return r.json()


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [i["id"] for i in items]


def test_documents(client: TestClient) -> None:
    body = get(client, "/api/v1/documents")
    assert (ids(body["data"]), body["count"]) == (SEED_DOCS, 5)
    assert get(client, "/api/v1/stats")["documents"] == 5


@pytest.mark.parametrize("pid", SEED_DOCS)
def test_each_document_states_facts_with_its_own_evidence(client: TestClient, pid: str) -> None:
    doc = get(client, f"/api/v1/documents/{pid}")
    assert doc["mentions"]
    assert doc["relations"] or doc["agreements"] or doc["positions"]
    for fact in doc["relations"] + doc["positions"] + doc["agreements"]:
        assert fact["evidence"], fact
        assert {e["document"] for e in fact["evidence"]} == {pid}


def test_entity_search(client: TestClient) -> None:
    assert ids(get(client, "/api/v1/entities", name="Leonardo")["data"])[0] == "organization.leonardo"
    assert ids(get(client, "/api/v1/entities", name="leonrdo", match="fuzzy")["data"])[0] == "organization.leonardo"
    assert ids(get(client, "/api/v1/entities", name="TB2")["data"]) == ["aircraft.bayraktar-tb2"]
    companies = get(client, "/api/v1/entities", kind="Company", limit=500)
    assert {"organization.baykar", "organization.leonardo"} <= set(ids(companies["data"]))
    assert companies["count"] == len(companies["data"])


def test_every_listed_entity_has_a_detail_page(client: TestClient) -> None:
    listed = get(client, "/api/v1/entities", limit=500)
    assert listed["count"] == len(listed["data"]) == get(client, "/api/v1/stats")["entities"]
    for e in listed["data"]:
        detail = get(client, f"/api/v1/entities/{e['id']}")
        assert (detail["id"], detail["label"], detail["kind"]) == (e["id"], e["label"], e["kind"])
        assert detail["documents"], e["id"]  # listed entities are the ones documents mention


def test_leonardo(client: TestClient) -> None:
    e = get(client, "/api/v1/entities/organization.leonardo")
    assert ("CEO", "person.roberto-cingolani") in {(p["title"], p["person"]["id"]) for p in e["positions"]}
    partners = {p["id"] for a in e["agreements"] for p in a["parties"]}
    assert "organization.baykar" in partners
    assert ("country", "out", "country.italy") in {
        (r["predicate"], r["direction"], r["other"]["id"]) for r in e["relations"]
    }


def test_aircraft_and_programmes(client: TestClient) -> None:
    aircraft = {a["id"]: a for a in get(client, "/api/v1/aircraft", limit=500)["data"]}
    assert "organization.baykar" in ids(aircraft["aircraft.bayraktar-tb2"]["manufacturers"])
    assert "organization.baykar" in ids(aircraft["aircraft.bayraktar-akinci"]["manufacturers"])
    programmes = get(client, "/api/v1/programmes")["data"]
    assert programmes and all(p["kind"] == "Programme" for p in programmes)


def test_agreements_between_leonardo_and_baykar(client: TestClient) -> None:
    body = get(client, "/api/v1/agreements", party="organization.leonardo")
    assert body["count"] >= 1
    for a in body["data"]:
        assert "organization.leonardo" in ids(a["parties"])
        assert a["evidence"]
    pairs = {frozenset(ids(a["parties"])) for a in body["data"]}
    assert frozenset({"organization.leonardo", "organization.baykar"}) in pairs
    italy = get(client, "/api/v1/agreements", country="country.italy")["data"]
    assert any("country.ukraine" in ids(a["parties"]) for a in italy)


def test_timeline_is_in_date_order(client: TestClient) -> None:
    body = get(client, "/api/v1/timeline")
    dates = [a["date"] for a in body["data"]]
    assert dates and dates == sorted(dates)
    assert sum(b["count"] for b in body["buckets"]) == body["count"] == len(dates)


def test_neighbourhood_of_baykar(client: TestClient) -> None:
    g = get(client, "/api/v1/graph/organization.baykar")
    node_ids = {n["id"] for n in g["nodes"]}
    assert {"organization.baykar", "aircraft.bayraktar-tb2", "country.turkiye"} <= node_ids
    assert all(e["source"] in node_ids and e["target"] in node_ids for e in g["edges"])


def test_stats_add_up(client: TestClient) -> None:
    s = get(client, "/api/v1/stats")
    assert sum(s["entitiesByKind"].values()) == s["entities"]
    assert sum(s["agreementsByKind"].values()) == s["agreements"] == sum(s["agreementsByStatus"].values())
    assert sum(s["relationsByPredicate"].values()) == s["relations"]


LEO_BAYKAR = "organization-baykar--organization-leonardo"


def test_each_document_reports_an_agreement_with_its_own_sentence_s_date_and_status(client: TestClient) -> None:
    # 000 reports the MoU signed; 002 the initial MoU "signed earlier this year" and the joint venture
    # "established in June 2025": each report keeps what its own sentence states
    jv = get(client, f"/api/v1/agreements/agreement.jointventureagreement.{LEO_BAYKAR}")
    assert (jv["kind"], jv["status"], jv["date"]) == ("JointVentureAgreement", "Completed", "2025-06")
    assert jv["reports"] == [
        {"document": "document.002_461976420c9f0e25", "status": "Completed", "date": "2025-06", "published": None}
    ]
    mou = get(client, f"/api/v1/agreements/agreement.memorandumofunderstanding.{LEO_BAYKAR}")
    assert (mou["kind"], mou["status"], mou["date"]) == ("MemorandumOfUnderstanding", "Signed", None)
    assert mou["reports"] == [
        {"document": "document.000_8b7e041c7c2624cb", "status": "Signed", "date": None, "published": None},
        {"document": "document.002_461976420c9f0e25", "status": "Signed", "date": None, "published": None},
    ]


def test_the_timeline_dates_agreements_by_their_latest_report(client: TestClient) -> None:
    body = get(client, "/api/v1/timeline")
    dated = [(a["id"], a["date"], a["status"]) for a in body["data"]]
    assert (f"agreement.jointventureagreement.{LEO_BAYKAR}", "2025-06", "Completed") in dated
    assert f"agreement.memorandumofunderstanding.{LEO_BAYKAR}" not in {i for i, _, _ in dated}  # no report dates it
    assert ("agreement.acquisition.organization-baykar--organization-piaggio-aerospace", "2024-12", None) in dated
