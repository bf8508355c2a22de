"""GET /api/v1/entities and /api/v1/entities/{id} over the fixture graph: exact JSON."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from tests.rest_fixture import ID, fixture_store, ids, ref


def test_list_first_page_exact(client: TestClient) -> None:
    r = client.get("/api/v1/entities", params={"limit": 3})
    assert r.status_code == 200
    assert r.json() == {
        "data": [
            ref("aircraft.akinci", "Akıncı", "UnmannedCombatAerialVehicle") | {"score": None},
            ref("organization.baykar", "Baykar", "Company") | {"score": None},
            ref("aircraft.bayraktar-tb2", "Bayraktar TB2", "UnmannedCombatAerialVehicle") | {"score": None},
        ],
        "count": 13,
    }


@pytest.mark.parametrize(
    ("offset", "expected"),
    [
        (
            0,
            [
                "aircraft.akinci",
                "organization.baykar",
                "aircraft.bayraktar-tb2",
                "country.georgia",
                "organization.georgia",
            ],
        ),
        (
            5,
            [
                "country.italy",
                "programme.kaan",
                "organization.lba-systems",
                "organization.leonardo",
                "country.pakistan",
            ],
        ),
        (10, ["person.roberto-cingolani", "place.turin", "country.turkiye"]),
        (15, []),
    ],
)
def test_pages_cover_everything_once(client: TestClient, offset: int, expected: list[str]) -> None:
    body = client.get("/api/v1/entities", params={"limit": 5, "offset": offset}).json()
    assert ids(body) == expected
    assert body["count"] == 13


@pytest.mark.parametrize(
    ("params", "expected", "count"),
    [
        (
            {"kind": "Organization"},
            ["organization.baykar", "organization.georgia", "organization.lba-systems", "organization.leonardo"],
            4,
        ),
        ({"kind": "JointVenture"}, ["organization.lba-systems"], 1),
        ({"kind": "Aircraft"}, ["aircraft.akinci", "aircraft.bayraktar-tb2"], 2),
        ({"kind": "Country", "limit": 2}, ["country.georgia", "country.italy"], 4),
        ({"name": "Bay"}, ["organization.baykar", "aircraft.bayraktar-tb2"], 2),
        ({"name": "bay", "kind": "Aircraft"}, ["aircraft.bayraktar-tb2"], 1),
        ({"name": "Turkey"}, ["country.turkiye"], 1),
        ({"name": "leonrdo", "match": "fuzzy"}, ["organization.leonardo"], 1),
        ({"name": "zzz", "match": "fuzzy"}, [], 0),
    ],
)
def test_filters(client: TestClient, params: dict[str, Any], expected: list[str], count: int) -> None:
    body = client.get("/api/v1/entities", params=params).json()
    assert (ids(body), body["count"]) == (expected, count)


def test_fuzzy_scores(client: TestClient) -> None:
    body = client.get("/api/v1/entities", params={"name": "bayraktar tb 2", "match": "fuzzy"}).json()
    assert ids(body) == ["aircraft.bayraktar-tb2"]
    assert body["data"][0]["score"] == pytest.approx(0.963, abs=0.001)


def test_same_slug_different_kinds_have_different_ids(client: TestClient) -> None:
    body = client.get("/api/v1/entities", params={"name": "georgia"}).json()
    assert body["data"] == [
        ref("country.georgia", "Georgia", "Country") | {"score": None},
        ref("organization.georgia", "Georgia", "Company") | {"score": None},
    ]


def test_detail_exact(client: TestClient) -> None:
    r = client.get("/api/v1/entities/aircraft.bayraktar-tb2")
    assert r.status_code == 200
    evidence = [
        {
            "document": "document.doc1",
            "documentTitle": "Pakistan receives more TB2 drones",
            "sentence": "Pakistan took delivery of Bayraktar TB2 drones built by Baykar in a $1.2 billion deal.",
            "start": 0,
            "end": 86,
            "confidence": 0.9,
        }
    ]
    assert r.json() == {
        **ref("aircraft.bayraktar-tb2", "Bayraktar TB2", "UnmannedCombatAerialVehicle"),
        "types": ["UnmannedCombatAerialVehicle"],
        "labels": ["Bayraktar TB2", "TB2"],
        "relations": [
            {
                "predicate": "manufacturer",
                "direction": "out",
                "other": ref("organization.baykar", "Baykar", "Company"),
                "evidence": evidence,
            },
            {
                "predicate": "operator",
                "direction": "out",
                "other": ref("country.pakistan", "Pakistan", "Country"),
                "evidence": evidence,
            },
        ],
        "positions": [],
        "agreements": [
            {
                "id": "agreement.doc1-1",
                "iri": f"{ID}agreement/doc1-1",
                "kind": "Procurement",
                "status": "Completed",
                "date": "2024-11-05",
                "reports": [
                    {"document": "document.doc1", "status": "Completed", "date": "2024-11-05", "published": None}
                ],
                "value": {"amount": 1200000000.0, "currency": "USD"},
                "parties": [
                    ref("organization.baykar", "Baykar", "Company"),
                    ref("country.pakistan", "Pakistan", "Country"),
                ],
                "subjects": [ref("aircraft.bayraktar-tb2", "Bayraktar TB2", "UnmannedCombatAerialVehicle")],
                "sites": [],
                "roles": ["subject"],
            }
        ],
        "documents": [{"id": "document.doc1", "title": "Pakistan receives more TB2 drones"}],
    }


def test_detail_of_a_person_shows_the_position(client: TestClient) -> None:
    body = client.get("/api/v1/entities/person.roberto-cingolani").json()
    assert body["positions"] == [
        {
            "direction": "out",
            "title": "CEO",
            "person": ref("person.roberto-cingolani", "Roberto Cingolani", "Person"),
            "organization": ref("organization.leonardo", "Leonardo", "Company"),
            "evidence": [
                {
                    "document": "document.doc0",
                    "documentTitle": "Leonardo and Baykar form LBA Systems",
                    "sentence": "Roberto Cingolani, CEO of the Italian group Leonardo, signed.",
                    "start": 67,
                    "end": 128,
                    "confidence": 0.8,
                }
            ],
        }
    ]
    assert body["labels"] == ["Cingolani", "Roberto Cingolani"]


@pytest.mark.parametrize("pid", ["organization.nobody", "nope", "document.doc0", "agreement.doc0-1", "x y"])
def test_unknown_id_is_404(client: TestClient, pid: str) -> None:
    r = client.get(f"/api/v1/entities/{pid}")
    assert r.status_code == 404
    assert r.json() == {"detail": f"no entity with id '{pid}'"}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 501}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -1}, "offset"),
        ({"kind": "Spaceship"}, "kind"),
        ({"match": "regex"}, "match"),
        ({"name": ""}, "name"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_invalid_params_are_422(client: TestClient, params: dict[str, Any], field: str) -> None:
    r = client.get("/api/v1/entities", params=params)
    assert r.status_code == 422
    detail = r.json()["detail"]
    assert [d["loc"] for d in detail] == [["query", field]]


def test_the_analysts_row_cap_does_not_break_dashboards() -> None:
    """Regression: with more entities than KG_MAX_RESULT_ROWS every REST listing answered 400."""
    with TestClient(create_app(Settings(store_path=None, max_result_rows=3), store=fixture_store())) as small:
        listing = small.get("/api/v1/entities", params={"limit": 500})
        assert listing.status_code == 200
        assert listing.json()["count"] > 3
        capped = small.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
        assert capped.status_code == 400
        assert capped.json() == {"detail": "the query returns more than 3 rows; add a LIMIT"}
