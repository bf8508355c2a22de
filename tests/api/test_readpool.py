"""REST answers computed in reader processes (api.readpool): byte for byte what the server
process computes, the read model's generation checked, a dead reader replaced."""

from __future__ import annotations

import asyncio
import fcntl
import os
import signal
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import readpool
from api.main import create_app
from api.readpool import ReadPool
from kg.config import Settings
from kg.errors import KgError
from kg.readmodel import reads
from tests.api.apps import settings
from tests.api.test_readside import LISTINGS
from tests.rest_fixture import fixture_store

DETAILS = [
    "/api/v1/entities/organization.baykar",
    "/api/v1/graph/organization.baykar",
    "/api/v1/graph/organization.baykar?depth=2&max_nodes=3",
]


@pytest.fixture(scope="module")
def pooled() -> Iterator[tuple[TestClient, FastAPI]]:
    app = create_app(settings(rest_processes=2), store=fixture_store())
    with TestClient(app) as c:
        yield c, app


@pytest.fixture(scope="module")
def in_process() -> Iterator[TestClient]:
    with TestClient(create_app(settings(rest_processes=0), store=fixture_store())) as c:
        yield c


def _pool(app: FastAPI) -> ReadPool:
    pool = app.state.readside.pool
    assert isinstance(pool, ReadPool)
    return pool


def test_readers_answer_exactly_what_the_server_process_answers(
    pooled: tuple[TestClient, FastAPI], in_process: TestClient
) -> None:
    c, app = pooled
    assert in_process.app.state.readside.pool is None  # type: ignore[attr-defined]
    for url in LISTINGS + DETAILS:
        ours, theirs = c.get(url), in_process.get(url)
        assert ours.status_code == theirs.status_code == 200, url
        assert ours.content == theirs.content, url
    assert len(_pool(app).pids()) >= 1


def test_an_unknown_id_is_404_from_a_reader(pooled: tuple[TestClient, FastAPI]) -> None:
    c, _ = pooled
    r = c.get("/api/v1/entities/organization.nobody-at-all")
    assert r.status_code == 404
    assert r.json() == {"detail": "no entity with id 'organization.nobody-at-all'"}
    r = c.get("/api/v1/graph/organization.nobody-at-all")
    assert r.status_code == 404
    assert r.json() == {"detail": "no entity with id 'organization.nobody-at-all'"}


def test_a_reader_answers_only_at_the_generation_asked_for(pooled: tuple[TestClient, FastAPI]) -> None:
    _, app = pooled
    pool = _pool(app)
    current = app.state.engine.state

    async def ask(generation: str) -> bytes | None:
        return await pool.json(reads.stats, generation, {})

    assert asyncio.run(ask("not-" + current)) is None
    body = asyncio.run(ask(current))
    assert body is not None and b'"documents":' in body


def test_a_killed_reader_is_replaced_and_no_request_fails(pooled: tuple[TestClient, FastAPI]) -> None:
    c, app = pooled
    pool = _pool(app)
    url = "/api/v1/agreements?limit=2"
    expected = c.get(url).content
    app.state.answer_cache.clear()
    before = pool.pids()
    assert before
    for pid in before:
        os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 30
    while any(_alive(pid) for pid in before) and time.monotonic() < deadline:
        time.sleep(0.05)
    for _ in range(3):  # the first sees the broken pool and answers in the server process
        app.state.answer_cache.clear()
        r = c.get(url)
        assert r.status_code == 200
        assert r.content == expected
    after = pool.pids()
    assert after and not set(after) & set(before)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def _open_a_socket() -> str:
    try:
        socket.socket(socket.AF_INET, socket.SOCK_STREAM).close()
    except OSError as e:
        return f"refused: {e.errno}"
    return "opened"


def test_readers_cannot_open_network_sockets(pooled: tuple[TestClient, FastAPI]) -> None:
    _, app = pooled
    pool = _pool(app)
    assert pool._pool().submit(_open_a_socket).result(timeout=60) == "refused: 1"  # EPERM


def test_answers_cross_a_one_mebibyte_pipe(pooled: tuple[TestClient, FastAPI]) -> None:
    c, app = pooled
    assert c.get("/api/v1/network").status_code == 200
    executor = _pool(app)._pool()
    assert executor is not None
    fd = executor._result_queue._reader.fileno()  # type: ignore[attr-defined]
    assert fcntl.fcntl(fd, fcntl.F_GETPIPE_SZ) == readpool.RESULT_PIPE_BYTES == 1 << 20


def test_the_pool_closes_with_the_app() -> None:
    app = create_app(settings(rest_processes=1), store=fixture_store())
    with TestClient(app) as c:
        assert c.get("/api/v1/stats").status_code == 200
        pids = _pool(app).pids()
        assert len(pids) == 1
    assert _pool(app).pids() == []
    assert not _alive(pids[0])


def test_rest_processes_setting() -> None:
    assert Settings(rest_processes=0).rest_pool() == 0
    assert Settings(rest_processes=3).rest_pool() == 3
    automatic = Settings().rest_pool()
    cores = len(os.sched_getaffinity(0))
    assert automatic == (cores if cores > 1 else 0)
    with pytest.raises(KgError, match=r"KG_REST_PROCESSES must be -1 \(automatic\), 0 \(none\) or more"):
        Settings(rest_processes=-2).validate()


def test_rest_processes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_REST_PROCESSES", "0")
    assert Settings.from_env().rest_pool() == 0


def test_readers_that_cannot_start_are_not_tried_again_at_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    started: list[int] = []

    class Counted(readpool.ProcessPoolExecutor):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            started.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(readpool, "ProcessPoolExecutor", Counted)
    pool = ReadPool(tmp_path / "no-such-folder" / "readmodel.sqlite", 1)  # a reader's start fails

    async def ask() -> bytes | None:
        return await pool.json(reads.stats, "any", {})

    try:
        assert asyncio.run(ask()) is None
        assert "REST readers cannot start: answering in the server process for 30.0 s" in caplog.text
        assert asyncio.run(ask()) is None
        assert started == [1]
        assert pool.pids() == []
    finally:
        pool.close()
