"""The inline reader (api.engine): a query text a worker answered cheaply is answered in the
server's process from then on, until the store changes; which texts never are.

Which path answered is read from the number of exchanges with workers (a spy on
``_Worker.exchange``); the answers are compared byte for byte.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Literal, URIRef

from api import engine as engine_module
from api.engine import QueryEngine
from kg.store import Store
from tests.api.apps import settings

EX = "http://example.org/"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _triples(n: int) -> list[tuple[Any, Any, Any]]:
    return [(URIRef(f"{EX}s{i}"), URIRef(f"{EX}p"), Literal(i)) for i in range(n)]


def _store(path: Path, n: int) -> None:
    store = Store(path)
    store.replace_graphs({f"{EX}g": _triples(n)})
    store.flush()
    store.close()


@pytest.fixture
def exchanges(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    seen: list[object] = []
    original = engine_module._Worker.exchange

    async def spy(self: Any, msg: Any) -> Any:
        seen.append(msg)
        return await original(self, msg)

    monkeypatch.setattr(engine_module._Worker, "exchange", spy)
    yield seen


def _engine(path: Path, **changes: Any) -> QueryEngine:
    s = settings(store_path=path, query_workers=1, **{"query_inline_ms": 1000.0, **changes})
    return QueryEngine(s, Store(path))


async def _count(engine: QueryEngine, query: str = COUNT) -> int:
    result = await engine.execute(query, results_format="json", graph_format=None)
    return int(json.loads(result.body)["results"]["bindings"][0]["n"]["value"])


def test_a_cheap_text_goes_to_a_worker_once_then_is_answered_inline(tmp_path: Path, exchanges: list[object]) -> None:
    _store(tmp_path / "store", 3)

    async def scenario() -> list[bytes]:
        engine = _engine(tmp_path / "store")
        try:
            return [(await engine.execute(COUNT, results_format="json", graph_format=None)).body for _ in range(3)]
        finally:
            engine.close()

    bodies = asyncio.run(scenario())
    assert len(exchanges) == 1
    assert bodies == [bodies[0]] * 3
    assert json.loads(bodies[0])["results"]["bindings"] == [
        {"n": {"type": "literal", "datatype": "http://www.w3.org/2001/XMLSchema#integer", "value": "3"}}
    ]


def test_after_a_write_a_worker_answers_first_and_the_inline_reader_sees_the_write(
    tmp_path: Path, exchanges: list[object]
) -> None:
    _store(tmp_path / "store", 3)

    async def scenario() -> list[tuple[int, int]]:
        engine = _engine(tmp_path / "store")
        try:
            seen = [(await _count(engine), len(exchanges)) for _ in range(2)]
            await engine.write(lambda store: store.replace_graphs({f"{EX}g2": _triples(2)}))
            seen += [(await _count(engine), len(exchanges)) for _ in range(2)]
            return seen
        finally:
            engine.close()

    assert asyncio.run(scenario()) == [(3, 1), (3, 1), (5, 2), (5, 2)]


def test_the_inline_reader_follows_a_build_by_another_process(tmp_path: Path, exchanges: list[object]) -> None:
    path = tmp_path / "store"
    _store(path, 3)

    async def scenario() -> list[int]:
        engine = _engine(path)
        try:
            seen = [await _count(engine), await _count(engine)]
            state = engine.state
            _store(path, 7)  # what `kg build` does: another writer, a new generation token
            deadline = time.monotonic() + 15
            while engine.state == state and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            return [*seen, await _count(engine), await _count(engine)]
        finally:
            engine.close()

    assert asyncio.run(scenario()) == [3, 3, 7, 7]  # the graph replaced
    assert len(exchanges) == 2


@pytest.mark.parametrize(
    ("query", "substitutions"),
    [
        ('SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(?o != "Service") }', None),  # could name SERVICE
        (COUNT + " #" + "x" * 2000, None),  # longer than the loop's stack is sure to hold
        ("SELECT ?x (COUNT(?s) AS ?n) WHERE { ?s ?p ?o FILTER(?s != ?x) } GROUP BY ?x", {"x": URIRef(f"{EX}s1")}),
    ],
    ids=["service", "long", "bound"],
)
def test_texts_that_are_always_a_workers(
    tmp_path: Path, exchanges: list[object], query: str, substitutions: dict[str, Any] | None
) -> None:
    _store(tmp_path / "store", 3)

    async def scenario() -> list[int]:
        engine = _engine(tmp_path / "store")
        try:
            counts = []
            for _ in range(3):
                rows = await engine.select(query, substitutions=substitutions)
                counts.append(int(rows[0]["n"]))
            return counts
        finally:
            engine.close()

    expected = 2 if substitutions else 3
    assert asyncio.run(scenario()) == [expected] * 3
    assert len(exchanges) == 3


def test_no_inline_reader_when_it_is_off(tmp_path: Path, exchanges: list[object]) -> None:
    _store(tmp_path / "store", 3)

    async def scenario() -> list[int]:
        engine = _engine(tmp_path / "store", query_inline_ms=0.0)
        try:
            return [await _count(engine) for _ in range(3)]
        finally:
            assert engine._reader is None
            engine.close()

    assert asyncio.run(scenario()) == [3, 3, 3]
    assert len(exchanges) == 3


def test_a_text_that_took_more_than_the_budget_stays_with_the_workers(tmp_path: Path, exchanges: list[object]) -> None:
    _store(tmp_path / "store", 3)

    async def scenario() -> list[int]:
        engine = _engine(tmp_path / "store", query_inline_ms=1e-6)  # a nanosecond: nothing is that cheap
        try:
            return [await _count(engine) for _ in range(3)]
        finally:
            engine.close()

    assert asyncio.run(scenario()) == [3, 3, 3]
    assert len(exchanges) == 3
