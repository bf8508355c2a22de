"""SPARQL answers tagged by store generation and request (api.sparql_cache): ETags and 304
on GET, answers kept and sent again without running the query, nothing kept across a
write, and texts that may answer differently never tagged.

Whether a query ran is read from a count of the engine's ``execute`` calls.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.api.apps import AUTH, client

JSON = {"accept": "application/sparql-results+json"}
NAMES = "SELECT ?o WHERE { ?s <http://example.org/name> ?o }"
TAG = re.compile(r'W/"[^"]+-q-[0-9a-f]{20}"')


@pytest.fixture
def runs(request: pytest.FixtureRequest) -> Iterator[tuple[TestClient, list[str]]]:
    changes: dict[str, Any] = getattr(request, "param", {})
    with client(**changes) as c:
        engine = c.app.state.engine  # type: ignore[attr-defined]
        ran: list[str] = []
        execute = engine.execute

        async def counted(sparql: str, **kwargs: Any) -> Any:
            ran.append(sparql)
            return await execute(sparql, **kwargs)

        engine.execute = counted
        yield c, ran


def _hits(c: TestClient) -> float | None:
    return c.app.state.metrics.registry.get_sample_value("kg_sparql_cache_hits_total")  # type: ignore[attr-defined, no-any-return]


def test_a_repeated_get_is_answered_from_the_kept_answer_with_the_same_tag(runs: tuple[TestClient, list[str]]) -> None:
    c, ran = runs
    first = c.get("/sparql", params={"query": NAMES}, headers=JSON)
    second = c.get("/sparql", params={"query": NAMES}, headers=JSON)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.json()["results"]["bindings"] == [{"o": {"type": "literal", "value": "Bob", "xml:lang": "en"}}]
    assert TAG.fullmatch(first.headers["etag"])
    assert second.headers["etag"] == first.headers["etag"]
    assert (first.headers["cache-control"], first.headers["vary"]) == ("no-cache", "Accept")
    assert second.headers["content-type"] == first.headers["content-type"] == "application/sparql-results+json"
    assert ran == [NAMES]
    assert _hits(c) == 1.0


def test_if_none_match_with_the_tag_is_304_without_running_the_query(runs: tuple[TestClient, list[str]]) -> None:
    c, ran = runs
    tag = c.get("/sparql", params={"query": NAMES}, headers=JSON).headers["etag"]
    again = c.get("/sparql", params={"query": NAMES}, headers={**JSON, "if-none-match": tag})
    assert (again.status_code, again.content, again.headers["etag"]) == (304, b"", tag)
    assert ran == [NAMES]
    assert _hits(c) == 1.0


def test_each_format_has_its_own_tag_and_answer(runs: tuple[TestClient, list[str]]) -> None:
    c, ran = runs
    as_json = c.get("/sparql", params={"query": NAMES}, headers=JSON)
    as_csv = c.get("/sparql", params={"query": NAMES}, headers={"accept": "text/csv"})
    assert as_csv.text == "o\r\nBob\r\n"
    assert as_csv.headers["etag"] != as_json.headers["etag"]
    assert c.get("/sparql", params={"query": NAMES}, headers={"accept": "text/csv"}).text == "o\r\nBob\r\n"
    assert ran == [NAMES, NAMES]


def test_a_write_moves_every_tag_on_and_the_next_answer_is_computed(runs: tuple[TestClient, list[str]]) -> None:
    c, ran = runs
    before = c.get("/sparql", params={"query": NAMES}, headers=JSON)
    update = (
        'INSERT DATA { GRAPH <http://example.org/g3> { <http://example.org/dan> <http://example.org/name> "Dan" } }'
    )
    assert c.post("/sparql", data={"update": update}, headers=AUTH).status_code == 204
    after = c.get("/sparql", params={"query": NAMES}, headers={**JSON, "if-none-match": before.headers["etag"]})
    assert after.status_code == 200
    assert after.headers["etag"] != before.headers["etag"]
    assert sorted(b["o"]["value"] for b in after.json()["results"]["bindings"]) == ["Bob", "Dan"]
    assert ran == [NAMES, NAMES]


@pytest.mark.parametrize(
    "query",
    [
        "SELECT (NOW() AS ?t) WHERE {}",
        "SELECT (RAND() AS ?r) WHERE {}",
        "SELECT (STRUUID() AS ?u) WHERE {}",
        "SELECT (BNODE() AS ?b) WHERE {}",
        'SELECT ?o WHERE { ?s ?p ?o FILTER(?o != "service desk") }',
    ],
)
def test_texts_that_may_answer_differently_are_never_tagged_or_kept(
    runs: tuple[TestClient, list[str]], query: str
) -> None:
    c, ran = runs
    answers = [c.get("/sparql", params={"query": query}, headers=JSON) for _ in range(2)]
    assert [a.status_code for a in answers] == [200, 200]
    assert all("etag" not in a.headers and "cache-control" not in a.headers for a in answers)
    assert ran == [query, query]


def test_a_post_query_is_kept_but_carries_no_tag(runs: tuple[TestClient, list[str]]) -> None:
    c, ran = runs
    posts = [
        c.post("/sparql", content=NAMES, headers={**JSON, "content-type": "application/sparql-query"}) for _ in range(2)
    ]
    assert [p.status_code for p in posts] == [200, 200]
    assert posts[0].content == posts[1].content
    assert "etag" not in posts[0].headers and "etag" not in posts[1].headers
    assert ran == [NAMES]


@pytest.mark.parametrize("runs", [{"sparql_cache_mb": 0}], indirect=True)
def test_without_the_cache_every_query_runs_and_tags_still_answer_304(runs: tuple[TestClient, list[str]]) -> None:
    c, ran = runs
    first = c.get("/sparql", params={"query": NAMES}, headers=JSON)
    second = c.get("/sparql", params={"query": NAMES}, headers=JSON)
    assert first.content == second.content and first.headers["etag"] == second.headers["etag"]
    assert (
        c.get("/sparql", params={"query": NAMES}, headers={**JSON, "if-none-match": first.headers["etag"]}).status_code
        == 304
    )
    assert ran == [NAMES, NAMES]
