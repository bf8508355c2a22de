"""The query timeout really stops the work, and the server keeps answering meanwhile.

A four-way cartesian product over 3,000 triples (8.1e13 rows to count) is an aggregate:
pyoxigraph computes it inside one uninterruptible call. The worker running it is
SIGKILLed at the limit; the request gets 503 with "timeout" in the detail.
"""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest
from rdflib import Literal, URIRef

from api.engine import pid_alive
from api.main import create_app
from kg.errors import QueryTimeout
from kg.store import Store
from tests.api.apps import settings

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


def _store() -> Store:
    store = Store()
    store.replace_graphs(
        {
            "http://example.org/big": [
                (URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(i)) for i in range(3000)
            ]
        }
    )
    return store


async def _scenario() -> None:
    app = create_app(settings(query_timeout=1.0, query_workers=2), store=_store())
    engine = app.state.engine
    transport = httpx.ASGITransport(app=app)
    try:
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            assert (await client.get("/readyz")).status_code == 200  # workers up before the clock starts
            pids_before = set(engine.worker_pids())

            started = time.monotonic()
            slow = asyncio.create_task(client.get("/sparql", params={"query": CARTESIAN}))
            await asyncio.sleep(0.2)
            # Meanwhile, simple queries are answered quickly by the other worker.
            answered = []
            while not slow.done():
                t = time.monotonic()
                r = await client.get("/sparql", params={"query": "ASK { <http://example.org/s7> ?p 7 }"})
                answered.append((r.status_code, r.json()["boolean"], time.monotonic() - t))
                await asyncio.sleep(0.1)
            response = await slow
            elapsed = time.monotonic() - started

            assert response.status_code == 503
            assert "timeout" in response.json()["detail"]
            assert response.json() == {"detail": "query timeout: stopped after 1 s"}
            assert 0.9 < elapsed < 2.0, elapsed
            assert len(answered) >= 3
            assert all(status == 200 and value is True and took < 0.5 for status, value, took in answered), answered

            # The worker that ran the query is gone, and a fresh one replaces it.
            deadline = time.monotonic() + 10
            while len(set(engine.worker_pids()) - pids_before) < 1 and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            killed = pids_before - set(engine.worker_pids())
            assert len(killed) == 1
            assert not any(pid_alive(pid) for pid in killed)
            assert len(engine.worker_pids()) == 2
            r = await client.get("/sparql", params={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }"})
            assert r.json()["results"]["bindings"][0]["n"]["value"] == "3000"

            metrics = (await client.get("/metrics")).text
            assert "kg_query_timeouts_total 1.0" in metrics
            assert "kg_query_worker_restarts_total 1.0" in metrics
    finally:
        engine.close()


def test_timeout_kills_the_worker_and_others_are_answered() -> None:
    asyncio.run(_scenario())


def test_engine_select_times_out_too() -> None:
    async def run() -> None:
        app = create_app(settings(query_timeout=0.5, query_workers=1), store=_store())
        engine = app.state.engine
        try:
            assert await engine.ask("ASK {}") is True
            started = time.monotonic()
            with pytest.raises(QueryTimeout, match="timeout"):
                await engine.select(CARTESIAN)
            assert time.monotonic() - started < 1.5
        finally:
            engine.close()

    asyncio.run(run())


def test_write_right_after_a_timeout_waits_for_the_replacement_worker() -> None:
    """A write never overlaps a worker opening the store, and nothing deadlocks."""

    async def run() -> None:
        app = create_app(settings(query_timeout=0.5, query_workers=1), store=_store())
        engine = app.state.engine
        try:
            with pytest.raises(QueryTimeout):
                await engine.select(CARTESIAN)
            await asyncio.wait_for(
                engine.update("INSERT DATA { <http://example.org/new> <http://example.org/p> 1 }"), timeout=10
            )
            assert await engine.ask("ASK { <http://example.org/new> ?p 1 }") is True
            assert len(engine.worker_pids()) == 1
        finally:
            engine.close()

    asyncio.run(run())


SCAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"  # 9e6 rows: a second or so of CPU
LOOKUP = "ASK { <http://example.org/s7> ?p 7 }"


def test_a_short_query_does_not_wait_behind_long_ones() -> None:
    """Two workers, one of them the lane for long queries. Once the engine has seen that
    SCAN is long, two SCANs at once queue on that lane, one after the other, and a
    lookup sent meanwhile is answered by the other worker before the first SCAN ends
    (with one queue for both workers, it would wait for a SCAN to finish)."""

    async def run() -> None:
        app = create_app(settings(query_timeout=60, query_workers=2, query_heavy_workers=1), store=_store())
        engine = app.state.engine
        try:
            assert engine.worker_pids() == [] and await engine.ask("ASK {}") is True
            assert len(engine.worker_pids()) == 2
            assert (await engine.select(SCAN))[0]["n"] == Literal(9_000_000)  # learnt: a long query
            finished: list[str] = []

            async def query(name: str, text: str) -> None:
                if text.startswith("ASK"):
                    assert await engine.ask(text) is True
                else:
                    assert (await engine.select(text))[0]["n"] == Literal(9_000_000)
                finished.append(name)

            scans = [asyncio.create_task(query(f"scan{i}", SCAN)) for i in (1, 2)]
            await asyncio.sleep(0.1)  # both SCANs submitted: one runs, one waits for the lane
            await query("lookup", LOOKUP)
            await asyncio.gather(*scans)
            assert finished == ["lookup", "scan1", "scan2"]
            assert len(engine.worker_pids()) == 2  # nothing was killed
        finally:
            engine.close()

    asyncio.run(run())
