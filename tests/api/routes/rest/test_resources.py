"""Aircraft, programmes, documents, stats, the neighbourhood graph and the timeline: exact JSON."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.rest_fixture import FIXTURE_STATS, ID, ref

BAYKAR = ref("organization.baykar", "Baykar", "Company")
PAKISTAN = ref("country.pakistan", "Pakistan", "Country")
TURKIYE = ref("country.turkiye", "Türkiye", "Country")


def test_aircraft(client: TestClient) -> None:
    assert client.get("/api/v1/aircraft").json() == {
        "data": [
            ref("aircraft.akinci", "Akıncı", "UnmannedCombatAerialVehicle")
            | {"manufacturers": [BAYKAR], "manufacturerCount": 1, "operators": [], "operatorCount": 0},
            ref("aircraft.bayraktar-tb2", "Bayraktar TB2", "UnmannedCombatAerialVehicle")
            | {"manufacturers": [BAYKAR], "manufacturerCount": 1, "operators": [PAKISTAN], "operatorCount": 1},
        ],
        "count": 2,
    }
    assert client.get("/api/v1/aircraft", params={"name": "bayr", "limit": 1}).json()["count"] == 1
    one = client.get("/api/v1/aircraft/aircraft.bayraktar-tb2")
    assert one.status_code == 200 and one.json()["operators"] == [PAKISTAN]


def test_a_listing_gives_the_first_links_and_their_count(client: TestClient) -> None:
    """``link_limit`` caps each item's lists (the first by label); the count stays whole."""
    tb2 = client.get("/api/v1/aircraft", params={"name": "bayraktar", "link_limit": 0}).json()["data"][0]
    assert (tb2["manufacturers"], tb2["manufacturerCount"], tb2["operators"], tb2["operatorCount"]) == ([], 1, [], 1)
    r = client.get("/api/v1/programmes", params={"link_limit": 501})
    assert r.status_code == 422 and r.json()["detail"][0]["loc"] == ["query", "link_limit"]


@pytest.mark.parametrize("pid", ["organization.baykar", "aircraft.nope"])
def test_not_an_aircraft_is_404(client: TestClient, pid: str) -> None:
    r = client.get(f"/api/v1/aircraft/{pid}")
    assert (r.status_code, r.json()) == (404, {"detail": f"no aircraft with id '{pid}'"})


def test_programmes(client: TestClient) -> None:
    assert client.get("/api/v1/programmes").json() == {
        "data": [
            ref("programme.kaan", "Kaan fighter programme", "Programme")
            | {"participants": [TURKIYE], "participantCount": 1}
        ],
        "count": 1,
    }
    assert client.get("/api/v1/programmes/programme.kaan").json()["participants"] == [TURKIYE]
    assert client.get("/api/v1/programmes/aircraft.akinci").status_code == 404


def test_documents_list(client: TestClient) -> None:
    assert client.get("/api/v1/documents", params={"limit": 1}).json() == {
        "data": [
            {
                "id": "document.doc0",
                "iri": f"{ID}document/doc0",
                "title": "Leonardo and Baykar form LBA Systems",
                "sourceFile": "doc0.txt",
                "publishedDate": "2025-03-06",
                "ingestedAt": "2026-01-02T03:04:05+00:00",
                "sha256": "aa00",
                "mentionCount": 7,
            }
        ],
        "count": 2,
    }


def test_document_detail_lists_the_facts_it_states(client: TestClient) -> None:
    body = client.get("/api/v1/documents/document.doc0").json()
    assert [m["id"] for m in body["mentions"]] == [
        "organization.baykar",
        "country.italy",
        "organization.lba-systems",
        "organization.leonardo",
        "person.roberto-cingolani",
        "place.turin",
        "country.turkiye",
    ]
    assert [
        (f["predicate"], f["subject"]["id"], f["object"]["id"], [e["start"] for e in f["evidence"]])
        for f in body["relations"]
    ] == [
        ("country", "organization.leonardo", "country.italy", [67]),
        ("parentOrganization", "organization.lba-systems", "organization.baykar", [0]),
        ("parentOrganization", "organization.lba-systems", "organization.leonardo", [0]),
        ("supplier", "organization.leonardo", "organization.baykar", [129]),
    ]
    assert [(p["title"], p["person"]["id"], p["organization"]["id"]) for p in body["positions"]] == [
        ("CEO", "person.roberto-cingolani", "organization.leonardo")
    ]
    assert [(a["id"], [e["document"] for e in a["evidence"]]) for a in body["agreements"]] == [
        ("agreement.doc0-1", ["document.doc0"]),
        ("agreement.doc0-2", ["document.doc0"]),
    ]


def test_unknown_document_is_404(client: TestClient) -> None:
    r = client.get("/api/v1/documents/document.nope")
    assert (r.status_code, r.json()) == (404, {"detail": "no document with id 'document.nope'"})


def test_stats(client: TestClient) -> None:
    assert client.get("/api/v1/stats").json() == FIXTURE_STATS


def test_neighbourhood_graph(client: TestClient) -> None:
    body = client.get("/api/v1/graph/aircraft.akinci").json()
    assert body == {
        "center": "aircraft.akinci",
        "nodes": [
            ref("aircraft.akinci", "Akıncı", "UnmannedCombatAerialVehicle") | {"group": "entity", "depth": 0},
            BAYKAR | {"group": "entity", "depth": 1},
        ],
        "edges": [
            {
                "source": "aircraft.akinci",
                "target": "organization.baykar",
                "predicate": "manufacturer",
                "label": "manufacturer",
            }
        ],
        "truncated": False,
    }
    deeper = client.get("/api/v1/graph/aircraft.akinci", params={"depth": 2}).json()
    assert sorted(n["id"] for n in deeper["nodes"] if n["depth"] == 2) == [
        "agreement.doc0-1",
        "agreement.doc0-2",
        "agreement.doc1-1",
        "aircraft.bayraktar-tb2",
        "country.turkiye",
        "organization.lba-systems",
        "organization.leonardo",
    ]
    assert {
        "source": "agreement.doc1-1",
        "target": "organization.baykar",
        "predicate": "party",
        "label": "party",
    } in deeper["edges"]
    assert client.get("/api/v1/graph/aircraft.nope").status_code == 404
    assert client.get("/api/v1/graph/aircraft.akinci", params={"depth": 4}).status_code == 422


def test_timeline(client: TestClient) -> None:
    body = client.get("/api/v1/timeline").json()
    assert [(a["id"], a["date"]) for a in body["data"]] == [
        ("agreement.doc1-2", "2023"),
        ("agreement.doc1-1", "2024-11-05"),
        ("agreement.doc0-1", "2025-03"),
    ]
    assert body["count"] == 3
    assert body["buckets"] == [
        {"period": "2023", "count": 1},
        {"period": "2024-11", "count": 1},
        {"period": "2025-03", "count": 1},
    ]
    by_year = client.get("/api/v1/timeline", params={"granularity": "year", "party": "organization.baykar"}).json()
    assert by_year["buckets"] == [{"period": "2024", "count": 1}, {"period": "2025", "count": 1}]
    assert client.get("/api/v1/timeline", params={"granularity": "week"}).status_code == 422


def test_timeline_pages_its_items_and_counts_all_of_them(client: TestClient) -> None:
    body = client.get("/api/v1/timeline", params={"granularity": "year", "limit": 1, "offset": 1}).json()
    assert [a["id"] for a in body["data"]] == ["agreement.doc1-1"]
    assert body["count"] == 3
    assert body["buckets"] == [
        {"period": "2023", "count": 1},
        {"period": "2024", "count": 1},
        {"period": "2025", "count": 1},
    ]
    assert client.get("/api/v1/timeline", params={"limit": 0}).status_code == 422


def test_openapi_documents_every_rest_route(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = {p for p in spec["paths"] if p.startswith("/api/v1")}
    assert paths == {
        "/api/v1/entities",
        "/api/v1/entities/{id}",
        "/api/v1/agreements",
        "/api/v1/agreements/{id}",
        "/api/v1/aircraft",
        "/api/v1/aircraft/{id}",
        "/api/v1/programmes",
        "/api/v1/programmes/{id}",
        "/api/v1/documents",
        "/api/v1/documents/{id}",
        "/api/v1/stats",
        "/api/v1/graph/{id}",
        "/api/v1/timeline",
        "/api/v1/network",
    }
    assert "organization.bae-systems" in spec["components"]["schemas"]["EntityRef"]["properties"]["id"]["description"]
