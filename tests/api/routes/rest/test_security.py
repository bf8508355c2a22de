"""Hostile values are data: they reach SPARQL only as bound variables, so they match nothing
and change nothing."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

HOSTILE = [
    '" } ; DROP ALL ; #',
    "') } DROP ALL { ('",
    '" . ?s ?p ?o } #',
    'ba" || true || "',
    "\\u0022 } ; CLEAR ALL",
    "<https://w3id.org/defence-kg/id/organization/baykar>",
    '%" ) } INSERT DATA { <a:a> <a:a> <a:a> } #',
]


def snapshot(client: TestClient) -> tuple[int, int]:
    stats = client.get("/api/v1/stats").json()
    return stats["triples"], stats["entities"]


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("match", ["prefix", "fuzzy"])
def test_hostile_name_is_searched_for_not_run(client: TestClient, value: str, match: str) -> None:
    before = snapshot(client)
    r = client.get("/api/v1/entities", params={"name": value, "match": match})
    assert r.status_code == 200
    assert r.json() == {"data": [], "count": 0}
    assert snapshot(client) == before == (207, 13)


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_ids_are_404_and_harmless(client: TestClient, value: str) -> None:
    for resource, what in [
        ("entities", "entity"),
        ("agreements", "agreement"),
        ("documents", "document"),
        ("graph", "entity"),
    ]:
        r = client.get(f"/api/v1/{resource}/{quote(value, safe='')}")
        assert r.status_code == 404
        # a '/' in the value splits the path: no route matches, which is a plain 404 too
        expected = "Not Found" if "/" in value else f"no {what} with id '{value}'"
        assert r.json() == {"detail": expected}
    assert snapshot(client) == (207, 13)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("param", ["party", "country", "subject"])
def test_hostile_filters_are_refused(client: TestClient, value: str, param: str) -> None:
    r = client.get("/api/v1/agreements", params={param: value})
    assert r.status_code == 422
    assert snapshot(client) == (207, 13)


def test_well_formed_but_crafted_id_is_bound_not_pasted(client: TestClient) -> None:
    # Passes the id pattern (it is only letters, digits, '-', '.', '%'); as an IRI it names nothing.
    r = client.get("/api/v1/agreements", params={"party": "organization.baykar%3E%20%7D%20DROP%20ALL"})
    assert (r.status_code, r.json()) == (200, {"data": [], "count": 0})
    assert snapshot(client) == (207, 13)
