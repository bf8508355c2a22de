"""A request does its light work on the event loop: FastAPI runs a plain-function
dependency in a thread pool, and the hop there and back cost more than the work (see
api.deps). Only a long query's policy check is sent to a thread."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import anyio.to_thread
import pytest
from fastapi.testclient import TestClient

from api.routes.sparql import INLINE_POLICY_CHARS

LOOKUP = "SELECT ?p ?o WHERE { <https://w3id.org/defence-kg/id/organization/baykar> ?p ?o }"
FORM = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}


@pytest.fixture
def hops(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The names of the functions sent to anyio's thread pool while the test runs."""
    sent: list[str] = []
    real = anyio.to_thread.run_sync

    async def counting(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        sent.append(getattr(func, "func", func).__name__)
        return await real(func, *args, **kwargs)

    monkeypatch.setattr(anyio.to_thread, "run_sync", counting)
    yield sent


def test_a_short_query_takes_no_thread_hop(client: TestClient, hops: list[str]) -> None:
    r = client.post("/sparql", data={"query": LOOKUP}, headers=FORM)
    assert r.status_code == 200
    assert hops == []


def test_a_long_query_is_checked_in_a_thread(client: TestClient, hops: list[str]) -> None:
    padded = LOOKUP + " #" + "x" * INLINE_POLICY_CHARS
    r = client.post("/sparql", data={"query": padded}, headers=FORM)
    assert r.status_code == 200
    assert hops == ["query_policy"]


@pytest.mark.parametrize("path", ["/api/v1/stats", "/api/v1/entities?name=bay", "/api/v1/agreements"])
def test_rest_reads_take_no_thread_hop(client: TestClient, hops: list[str], path: str) -> None:
    client.get("/api/v1/stats")  # an in-memory store's read model is projected (in a thread) at first use
    hops.clear()
    assert client.get(path).status_code == 200
    assert hops == []
