"""ETag, If-None-Match → 304, Cache-Control; a write changes the tag."""

from __future__ import annotations

import asyncio

import pytest
from fastapi.testclient import TestClient
from rdflib import Literal, URIRef

from api.main import create_app
from kg.config import Settings
from tests.rest_fixture import fixture_store

URLS = [
    "/api/v1/entities",
    "/api/v1/entities/organization.baykar",
    "/api/v1/agreements?kind=Procurement",
    "/api/v1/aircraft",
    "/api/v1/programmes",
    "/api/v1/documents",
    "/api/v1/documents/document.doc0",
    "/api/v1/stats",
    "/api/v1/graph/organization.baykar",
    "/api/v1/timeline",
]


@pytest.mark.parametrize("url", URLS)
def test_get_has_weak_etag_and_cache_control(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    assert r.headers["cache-control"] == "public, max-age=60"
    assert r.headers["etag"].startswith('W/"')
    again = client.get(url, headers={"If-None-Match": r.headers["etag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == r.headers["etag"]
    assert again.headers["cache-control"] == "public, max-age=60"


def test_etag_depends_on_the_canonical_request(client: TestClient) -> None:
    a = client.get("/api/v1/entities?kind=Country&limit=2").headers["etag"]
    b = client.get("/api/v1/entities?limit=2&kind=Country").headers["etag"]
    c = client.get("/api/v1/entities?limit=3&kind=Country").headers["etag"]
    assert a == b != c


@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("*", 304),
        ('"nope", {tag}', 304),
        ("{strong}", 304),  # If-None-Match compares weakly
        ('W/"0-0000"', 200),
        ("", 200),
    ],
)
def test_if_none_match_forms(client: TestClient, header: str, status: int) -> None:
    tag = client.get("/api/v1/stats").headers["etag"]
    value = header.format(tag=tag, strong=tag.removeprefix("W/"))
    r = client.get("/api/v1/stats", headers={"If-None-Match": value} if value else {})
    assert r.status_code == status


def test_errors_carry_no_cache_headers(client: TestClient) -> None:
    r = client.get("/api/v1/entities/organization.nobody")
    assert r.status_code == 404
    assert "etag" not in r.headers


def test_a_write_changes_the_etag_and_the_answer() -> None:
    store = fixture_store()
    with TestClient(create_app(Settings(store_path=None), store=store)) as client:
        first = client.get("/api/v1/stats")
        engine = client.app.state.engine  # type: ignore[attr-defined]
        doc = "https://w3id.org/defence-kg/id/document/doc2"
        triples = [
            (
                URIRef(doc),
                URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                URIRef("https://w3id.org/defence-kg/ontology#NewsArticle"),
            ),
            (URIRef(doc), URIRef("https://w3id.org/defence-kg/ontology#title"), Literal("A third article")),
        ]
        asyncio.run(engine.write(lambda s: s.replace_graphs({doc: triples})))
        second = client.get("/api/v1/stats", headers={"If-None-Match": first.headers["etag"]})
        assert second.status_code == 200
        assert second.headers["etag"] != first.headers["etag"]
        assert (first.json()["documents"], second.json()["documents"]) == (2, 3)
