"""GET /api/v1/network over the REST fixture: exact nodes and edges, the filters, the limit."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.rest_fixture import ref


def node(pid: str, label: str, kind: str, group: str, agreements: int) -> dict[str, Any]:
    return ref(pid, label, kind) | {"group": group, "agreements": agreements}


def edge(agreement: str, source: str, target: str, kind: str, status: str | None, date: str | None) -> dict[str, Any]:
    return {"agreement": agreement, "source": source, "target": target, "kind": kind, "status": status, "date": date}


BAYKAR = ("organization.baykar", "Baykar", "Company", "firm")
GEORGIA = ("organization.georgia", "Georgia", "Company", "firm")
LEONARDO = ("organization.leonardo", "Leonardo", "Company", "firm")
PAKISTAN = ("country.pakistan", "Pakistan", "Country", "country")
TURKIYE = ("country.turkiye", "Türkiye", "Country", "country")

PARTNERSHIP = edge("agreement.doc1-2", "country.turkiye", "organization.georgia", "Partnership", None, "2023")
PROCUREMENT = edge(
    "agreement.doc1-1", "country.pakistan", "organization.baykar", "Procurement", "Completed", "2024-11-05"
)
JOINT_VENTURE = edge(
    "agreement.doc0-1", "organization.baykar", "organization.leonardo", "JointVentureAgreement", "Signed", "2025-03"
)
MEMORANDUM = edge(
    "agreement.doc0-2", "organization.baykar", "organization.leonardo", "MemorandumOfUnderstanding", "Proposed", None
)


def test_every_agreement_between_firms_and_countries(client: TestClient) -> None:
    r = client.get("/api/v1/network")
    assert r.status_code == 200
    assert r.json() == {
        "nodes": [node(*BAYKAR, 3), node(*GEORGIA, 1), node(*LEONARDO, 2), node(*PAKISTAN, 1), node(*TURKIYE, 1)],
        "edges": [PARTNERSHIP, PROCUREMENT, JOINT_VENTURE, MEMORANDUM],
        "count": 4,
        "truncated": False,
    }


@pytest.mark.parametrize(
    ("query", "nodes", "edges"),
    [
        ({"kind": "Procurement"}, [node(*BAYKAR, 1), node(*PAKISTAN, 1)], [PROCUREMENT]),
        ({"kind": "Acquisition"}, [], []),
        ({"from": "2024"}, [node(*BAYKAR, 2), node(*LEONARDO, 1), node(*PAKISTAN, 1)], [PROCUREMENT, JOINT_VENTURE]),
        ({"to": "2024-06"}, [node(*GEORGIA, 1), node(*TURKIYE, 1)], [PARTNERSHIP]),
        ({"from": "2025-03-10", "to": "2025-03-20"}, [node(*BAYKAR, 1), node(*LEONARDO, 1)], [JOINT_VENTURE]),
    ],
)
def test_kind_and_date_filters(client: TestClient, query: dict[str, str], nodes: list[Any], edges: list[Any]) -> None:
    body = client.get("/api/v1/network", params=query).json()
    assert (body["nodes"], body["edges"], body["count"], body["truncated"]) == (nodes, edges, len(edges), False)


def test_the_limit_keeps_the_oldest_agreements(client: TestClient) -> None:
    body = client.get("/api/v1/network", params={"limit": 2}).json()
    assert body["edges"] == [PARTNERSHIP, PROCUREMENT]
    assert [n["id"] for n in body["nodes"]] == [
        "organization.baykar",
        "organization.georgia",
        "country.pakistan",
        "country.turkiye",
    ]
    assert (body["count"], body["truncated"]) == (4, True)


@pytest.mark.parametrize("query", [{"kind": "Treaty"}, {"from": "2024-13"}, {"limit": 0}, {"limit": 5001}])
def test_bad_filters_are_refused(client: TestClient, query: dict[str, Any]) -> None:
    assert client.get("/api/v1/network", params=query).status_code == 422
