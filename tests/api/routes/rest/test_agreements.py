"""GET /api/v1/agreements: every filter, exact JSON, 404s and 422s."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.rest_fixture import ID, ids, ref


def test_one_agreement_exact(client: TestClient) -> None:
    r = client.get("/api/v1/agreements/agreement.doc0-1")
    assert r.status_code == 200
    assert r.json() == {
        "id": "agreement.doc0-1",
        "iri": f"{ID}agreement/doc0-1",
        "kind": "JointVentureAgreement",
        "status": "Signed",
        "date": "2025-03",
        "reports": [{"document": "document.doc0", "status": "Signed", "date": "2025-03", "published": "2025-03-06"}],
        "value": None,
        "parties": [
            ref("organization.baykar", "Baykar", "Company"),
            ref("organization.leonardo", "Leonardo", "Company"),
        ],
        "subjects": [],
        "sites": [ref("place.turin", "Turin", "Place")],
        "evidence": [
            {
                "document": "document.doc0",
                "documentTitle": "Leonardo and Baykar form LBA Systems",
                "sentence": "Leonardo and Baykar set up the joint venture LBA Systems in Turin.",
                "start": 0,
                "end": 66,
                "confidence": 0.9,
            }
        ],
    }


def test_list_is_ordered_by_date_undated_last(client: TestClient) -> None:
    body = client.get("/api/v1/agreements").json()
    assert [(a["id"], a["date"], a["kind"], a["status"]) for a in body["data"]] == [
        ("agreement.doc1-2", "2023", "Partnership", None),
        ("agreement.doc1-1", "2024-11-05", "Procurement", "Completed"),
        ("agreement.doc0-1", "2025-03", "JointVentureAgreement", "Signed"),
        ("agreement.doc0-2", None, "MemorandumOfUnderstanding", "Proposed"),
    ]
    assert body["count"] == 4


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"party": "organization.leonardo"}, ["agreement.doc0-1", "agreement.doc0-2"]),
        ({"party": "organization.georgia"}, ["agreement.doc1-2"]),
        ({"party": "country.georgia"}, []),
        ({"kind": "Partnership"}, ["agreement.doc1-2"]),
        ({"status": "Proposed"}, ["agreement.doc0-2"]),
        ({"country": "country.pakistan"}, ["agreement.doc1-1"]),
        ({"country": "country.italy"}, ["agreement.doc0-1", "agreement.doc0-2"]),
        ({"subject": "programme.kaan"}, ["agreement.doc1-2"]),
        ({"from": "2024"}, ["agreement.doc1-1", "agreement.doc0-1"]),
        ({"to": "2024-12"}, ["agreement.doc1-2", "agreement.doc1-1"]),
        ({"from": "2024-01-01", "to": "2024-12-31"}, ["agreement.doc1-1"]),
        ({"from": "2025-04"}, []),
        ({"party": "organization.baykar", "country": "country.turkiye", "from": "2025"}, ["agreement.doc0-1"]),
        ({"limit": 1, "offset": 1}, ["agreement.doc1-1"]),
    ],
)
def test_filters(client: TestClient, params: dict[str, Any], expected: list[str]) -> None:
    r = client.get("/api/v1/agreements", params=params)
    assert r.status_code == 200
    assert ids(r.json()) == expected


def test_count_is_the_total_not_the_page(client: TestClient) -> None:
    body = client.get("/api/v1/agreements", params={"country": "country.turkiye", "limit": 1}).json()
    assert (ids(body), body["count"]) == (["agreement.doc1-2"], 4)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"kind": "Treaty"}, "kind"),
        ({"status": "signed"}, "status"),
        ({"from": "2024-13"}, "from"),
        ({"to": "24"}, "to"),
        ({"from": "2024-02-30x"}, "from"),
        ({"party": "Leonardo"}, "party"),
        ({"country": "country/italy"}, "country"),
        ({"limit": 1000}, "limit"),
    ],
)
def test_invalid_filters_are_422(client: TestClient, params: dict[str, Any], field: str) -> None:
    r = client.get("/api/v1/agreements", params=params)
    assert r.status_code == 422
    assert [d["loc"] for d in r.json()["detail"]] == [["query", field]]


@pytest.mark.parametrize("pid", ["agreement.nope", "organization.baykar", "nope"])
def test_unknown_agreement_is_404(client: TestClient, pid: str) -> None:
    r = client.get(f"/api/v1/agreements/{pid}")
    assert (r.status_code, r.json()) == (404, {"detail": f"no agreement with id '{pid}'"})
