"""REST answers replayed per ETag before routing (api.answer_cache)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from kg.readmodel import reads
from tests.api.apps import AUTH, settings
from tests.rest_fixture import fixture_store

ENTITY = "/api/v1/entities/organization.baykar"
NEW_DOC = "https://w3id.org/defence-kg/id/document/doc9"
NEW_DOC_TTL = """
@prefix dk: <https://w3id.org/defence-kg/ontology#> .
<https://w3id.org/defence-kg/id/document/doc9> a dk:NewsArticle ;
  dk:mentions <https://w3id.org/defence-kg/id/organization/baykar> .
"""


def _app(**changes: Any) -> FastAPI:
    return create_app(settings(**changes), store=fixture_store())


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The entity-detail reads the routes make, by entity IRI."""
    seen: list[str] = []
    real = reads.get_entity

    def counted(conn: Any, *, pid: str) -> Any:
        seen.append(pid)
        return real(conn, pid=pid)

    monkeypatch.setattr(reads, "get_entity", counted)
    yield seen


def _requests(app: FastAPI, route: str, status: str) -> float:
    value: float = app.state.metrics.requests.labels(route, "GET", status)._value.get()
    return value


def test_a_repeated_get_is_replayed_with_the_same_body_and_headers(calls: list[str]) -> None:
    app = _app()
    with TestClient(app) as c:
        first, second = c.get(ENTITY), c.get(ENTITY)
    assert (first.status_code, second.status_code) == (200, 200)
    assert len(calls) == 1  # the second answer came from the cache, not from the read model
    assert second.content == first.content
    assert second.headers == first.headers  # ETag, Cache-Control, content type and length, security headers
    assert second.headers["x-content-type-options"] == "nosniff"
    # the metrics still count both under the route's template
    assert _requests(app, "/entities/{id}", "200") == 2


def test_a_known_etag_gets_304_without_the_route(calls: list[str]) -> None:
    with TestClient(_app()) as c:
        tag = c.get(ENTITY).headers["etag"]
        r = c.get(ENTITY, headers={"if-none-match": tag})
    assert (r.status_code, r.content, r.headers["etag"]) == (304, b"", tag)
    assert r.headers["cache-control"] == "public, max-age=60"
    assert len(calls) == 1


def test_errors_are_answered_anew(calls: list[str]) -> None:
    with TestClient(_app()) as c:
        codes = [c.get("/api/v1/entities/organization.no-such-firm").status_code for _ in range(2)]
    assert codes == [404, 404]
    assert len(calls) == 2


def test_a_write_moves_every_answer_on(calls: list[str]) -> None:
    with TestClient(_app()) as c:
        before = c.get(ENTITY)
        r = c.put(
            "/store", params={"graph": NEW_DOC}, content=NEW_DOC_TTL, headers={"content-type": "text/turtle", **AUTH}
        )
        assert r.status_code == 201
        after = c.get(ENTITY)
    assert len(calls) == 2
    assert after.headers["etag"] != before.headers["etag"]
    assert NEW_DOC.rsplit("/", 1)[1] in after.text and NEW_DOC.rsplit("/", 1)[1] not in before.text


def test_a_cache_of_zero_megabytes_keeps_nothing(calls: list[str]) -> None:
    with TestClient(_app(answer_cache_mb=0)) as c:
        assert [c.get(ENTITY).status_code for _ in range(2)] == [200, 200]
    assert len(calls) == 2
