"""REST answers from the read model while it is current and from SPARQL otherwise, alike;
Graph Store writes keep the read model current, other writes make it catch up."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from pydantic import BaseModel

from api import schemas
from api.answer_cache import AnswerCache
from api.main import create_app
from api.readside import ReadSide
from kg.readmodel import ReadModel
from kg.store import Store
from tests.api.apps import AUTH, settings
from tests.rest_fixture import fixture_store

ID = "https://w3id.org/defence-kg/id/"
NEW_DOC = ID + "document/doc9"
NEW_DOC_TTL = f"""
@prefix dk: <https://w3id.org/defence-kg/ontology#> .
@prefix id: <{ID}> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
id:document\\/doc9 a dk:NewsArticle ; dk:title "Quillon Dynamics and Baykar sign" ;
  dk:mentions id:organization\\/quillon-dynamics, id:organization\\/baykar .
id:organization\\/quillon-dynamics a dk:Company ; rdfs:label "Quillon Dynamics" .
id:organization\\/baykar a dk:Company ; rdfs:label "Baykar" .
id:agreement\\/doc9-1 a dk:Partnership ; dk:party id:organization\\/quillon-dynamics, id:organization\\/baykar ;
  dk:date "2026-05-04"^^xsd:date .
"""

LISTINGS = [
    "/api/v1/stats",
    "/api/v1/entities",
    "/api/v1/entities?kind=Organization&limit=3&offset=1",
    "/api/v1/entities?name=ba",
    "/api/v1/entities?name=lockhed&match=fuzzy",
    "/api/v1/entities?name=bayraktar%20tb%202&match=fuzzy",
    "/api/v1/agreements",
    "/api/v1/agreements?party=organization.baykar",
    "/api/v1/agreements?country=country.italy&from=2024",
    "/api/v1/agreements?kind=Procurement&to=2025-06",
    "/api/v1/timeline",
    "/api/v1/timeline?granularity=year",
    "/api/v1/timeline?party=organization.baykar&limit=1&offset=1",
    "/api/v1/agreements?limit=2&offset=2",
    "/api/v1/documents",
    "/api/v1/documents?limit=2&offset=1",
    "/api/v1/aircraft",
    "/api/v1/aircraft?name=bay&limit=1",
    "/api/v1/programmes",
    "/api/v1/network",
    "/api/v1/network?kind=Procurement",
    "/api/v1/network?from=2024&to=2025-06",
    "/api/v1/network?limit=2",
]


def _model_current(app: FastAPI) -> bool:
    return app.state.readside.model.current(app.state.engine.state)  # type: ignore[no-any-return]


MODELS: list[tuple[str, type[BaseModel]]] = [
    (r"/api/v1/stats", schemas.StatsPublic),
    (r"/api/v1/entities", schemas.EntitiesPublic),
    (r"/api/v1/entities/[^/]+", schemas.EntityPublic),
    (r"/api/v1/agreements", schemas.AgreementsPublic),
    (r"/api/v1/agreements/[^/]+", schemas.AgreementPublic),
    (r"/api/v1/timeline", schemas.TimelinePublic),
    (r"/api/v1/documents", schemas.DocumentsPublic),
    (r"/api/v1/aircraft", schemas.AircraftListPublic),
    (r"/api/v1/aircraft/[^/]+", schemas.AircraftPublic),
    (r"/api/v1/programmes", schemas.ProgrammesPublic),
    (r"/api/v1/programmes/[^/]+", schemas.ProgrammePublic),
    (r"/api/v1/network", schemas.NetworkPublic),
    (r"/api/v1/graph/[^/]+", schemas.GraphPublic),
]
"""Each REST path and its response model (as the routes declare them)."""


def _response_model(path: str) -> type[BaseModel]:
    return next(model for pattern, model in MODELS if re.fullmatch(pattern, path))


def _get(c: TestClient, url: str, **params: Any) -> Any:
    """The answer's JSON, checked to be exactly its response model's JSON (routes that skip
    validating their answer again must still answer what validation would have)."""
    r = c.get(url, params=params)
    assert r.status_code == 200, (url, r.text)
    assert r.headers["content-type"] == "application/json"
    assert r.headers["etag"].startswith('W/"')
    model = _response_model(url.split("?")[0])
    assert model.model_validate_json(r.content).model_dump_json().encode() == r.content, url
    return r.json()


def _answers(c: TestClient) -> dict[str, Any]:
    """Every listing, and the detail of every entity and agreement they name."""
    out: dict[str, Any] = {}
    for url in LISTINGS:
        out[url] = _get(c, url)
    entities = _get(c, "/api/v1/entities", limit=500)["data"]
    agreements = _get(c, "/api/v1/agreements", limit=500)["data"]
    for e in entities:
        out[e["id"]] = _get(c, f"/api/v1/entities/{e['id']}")
    for a in agreements:
        out[a["id"]] = _get(c, f"/api/v1/agreements/{a['id']}")
    for e in entities:
        kind = {"Aircraft": "aircraft", "Programme": "programmes"}.get(e["kind"])
        if kind:
            out["/" + kind + "/" + e["id"]] = _get(c, f"/api/v1/{kind}/{e['id']}")
        out["graph " + e["id"]] = _get(c, f"/api/v1/graph/{e['id']}")
        out["graph depth 2 " + e["id"]] = _get(c, f"/api/v1/graph/{e['id']}", depth=2)
    assert entities and agreements
    return out


@pytest.fixture()
def app() -> Iterator[FastAPI]:
    yield create_app(settings(), store=fixture_store())


def _both_ways(app: FastAPI, monkeypatch: pytest.MonkeyPatch) -> tuple[dict[str, Any], dict[str, Any]]:
    with TestClient(app) as c:
        from_model = _answers(c)
        assert _model_current(app)
        with monkeypatch.context() as m:

            async def stale(self: ReadSide) -> None:
                return None

            m.setattr(ReadSide, "open", stale)
            app.state.answer_cache.clear()  # (else the first pass's answers are replayed)
            from_sparql = _answers(c)
    return from_model, from_sparql


def test_fixture_answers_alike_from_the_read_model_and_from_sparql(
    app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    from_model, from_sparql = _both_ways(app, monkeypatch)
    assert from_model == from_sparql


def test_seed_answers_alike_from_the_read_model_and_from_sparql(
    seed_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    scratch = Store()
    scratch.replace_graphs({g: list(seed_store.graph(g)) for g in seed_store.graph_names()})
    from_model, from_sparql = _both_ways(create_app(settings(), store=scratch), monkeypatch)
    assert from_model == from_sparql
    assert len([k for k in from_model if k.startswith("agreement.")]) >= 3


def test_a_graph_store_write_keeps_the_read_model_current(app: FastAPI) -> None:
    with TestClient(app) as c:
        assert c.get("/api/v1/entities", params={"name": "quillon"}).json()["count"] == 0
        assert _model_current(app)
        before = c.get("/api/v1/stats").json()
        network = c.get("/api/v1/network")  # kept by the answer cache under this generation's ETag
        assert c.get("/api/v1/network").content == network.content

        r = c.put(
            "/store", params={"graph": NEW_DOC}, content=NEW_DOC_TTL, headers={"content-type": "text/turtle", **AUTH}
        )
        assert r.status_code == 201
        assert _model_current(app)  # projected within the write, before any REST request

        found = c.get("/api/v1/entities", params={"name": "quillon"}).json()
        assert [e["id"] for e in found["data"]] == ["organization.quillon-dynamics"]
        parties = c.get("/api/v1/agreements", params={"party": "organization.quillon-dynamics"}).json()
        assert [a["id"] for a in parties["data"]] == ["agreement.doc9-1"]
        documents = c.get("/api/v1/documents", params={"limit": 500}).json()
        assert "document.doc9" in [d["id"] for d in documents["data"]]
        assert documents["count"] == before["documents"] + 1
        after = c.get("/api/v1/stats").json()
        assert after["documents"] == before["documents"] + 1
        changed = c.get("/api/v1/network")
        assert changed.headers["etag"] != network.headers["etag"]
        assert changed.json()["count"] == network.json()["count"] + 1
        assert "agreement.doc9-1" in [e["agreement"] for e in changed.json()["edges"]]
        assert after["agreementsByKind"]["Partnership"] == before["agreementsByKind"].get("Partnership", 0) + 1

        assert c.delete("/store", params={"graph": NEW_DOC}, headers=AUTH).status_code == 204
        assert _model_current(app)
        assert c.get("/api/v1/entities", params={"name": "quillon"}).json()["count"] == 0
        assert c.get("/api/v1/stats").json() == before
        assert c.get("/api/v1/network").json() == network.json()
        assert c.get("/api/v1/documents").json()["count"] == before["documents"]


def test_a_sparql_update_is_caught_up_before_the_next_rest_answer(app: FastAPI) -> None:
    with TestClient(app) as c:
        assert c.get("/api/v1/entities", params={"name": "zephyr"}).json()["count"] == 0
        update = (
            "PREFIX dk: <https://w3id.org/defence-kg/ontology#> "
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            f'INSERT DATA {{ GRAPH <{ID}document/doc0> {{ <{ID}organization/baykar> rdfs:label "Zephyr Works" }} }}'
        )
        r = c.post("/sparql", data={"update": update}, headers=AUTH)
        assert r.status_code == 204, r.text
        assert not _model_current(app)  # an update names no graphs the read model could follow
        found = c.get("/api/v1/entities", params={"name": "zephyr"}).json()
        assert [e["id"] for e in found["data"]] == ["organization.baykar"]
        assert _model_current(app)


def test_without_a_read_model_rest_answers_from_sparql(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(store: Store) -> ReadModel:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(ReadModel, "beside", refuse)
    app = create_app(settings(), store=fixture_store())
    assert app.state.readside.model is None
    with TestClient(app) as c:
        assert [e["id"] for e in c.get("/api/v1/entities", params={"name": "bay"}).json()["data"]] == [
            "organization.baykar",
            "aircraft.bayraktar-tb2",
        ]
        r = c.put(
            "/store", params={"graph": NEW_DOC}, content=NEW_DOC_TTL, headers={"content-type": "text/turtle", **AUTH}
        )
        assert r.status_code == 201
        assert c.get("/api/v1/entities", params={"name": "quillon"}).json()["count"] == 1


def test_the_answer_cache_keeps_the_most_recent_answers_within_its_size() -> None:
    cache = AnswerCache(10)
    cache.put("a", b"1234", 4)
    cache.put("b", b"5678", 4)
    assert cache.get("a") == b"1234"  # now the most recently used
    cache.put("c", b"90ab", 4)  # 12 bytes: the least recently used ("b") goes
    assert (cache.get("a"), cache.get("b"), cache.get("c")) == (b"1234", None, b"90ab")
    cache.put("big", b"x" * 11, 11)  # larger than the whole cache: not kept
    assert cache.get("big") is None
    assert cache.get("a") == b"1234"
