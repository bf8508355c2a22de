"""Hardening that needs a real server process (uvicorn on 127.0.0.1) or a real build:
slow clients, disconnects, the banner, ETags across a rebuild and a restart, and
extraction workers after kill -9 of ``kg build``."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Literal

from kg.store import Store
from tests.api.apps import G1, G2, ex
from tests.live_server import live_server

ROOT = Path(__file__).resolve().parents[2]


def _store(path: Path, graphs: dict[str, list[tuple[object, object, object]]]) -> None:
    store = Store(path)
    store.replace_graphs(graphs)  # type: ignore[arg-type]
    store.flush()
    store.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("hardening")
    _store(tmp / "store", {G1: [(ex("alice"), ex("knows"), ex("bob"))]})
    env = {"KG_STORE": str(tmp / "store"), "KG_QUERY_WORKERS": "1", "KG_HEADER_TIMEOUT": "1", "KG_BODY_TIMEOUT": "1"}
    log = tmp / "server.log"
    with live_server(env, log) as base:
        yield base, log


def _connect(base: str) -> socket.socket:
    host, port = base.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=10)
    return sock


def _closed_by_server(sock: socket.socket) -> bytes:
    """What the server sends before closing (b"" if it just closes)."""
    chunks = []
    while True:
        data = sock.recv(65536)
        if not data:
            return b"".join(chunks)
        chunks.append(data)


def _response(sock: socket.socket) -> bytes:
    """One whole response: its head and as many body bytes as its Content-Length says
    (the head and the body may arrive in separate segments)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return data
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(
        (int(line.split(b":", 1)[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length:")), 0
    )
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        body += chunk
    return head + b"\r\n\r\n" + body


def test_a_client_that_never_finishes_its_headers_is_disconnected(server: tuple[str, Path]) -> None:
    base, _ = server
    with _connect(base) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        assert _closed_by_server(sock) == b""  # closed after KG_HEADER_TIMEOUT, nothing answered
    assert httpx.get(base + "/healthz").status_code == 200


@pytest.mark.parametrize(
    "head",
    [
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000,  # never ends
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * 20_000 + b"\r\n\r\n",  # whole, in one piece
    ],
    ids=["unfinished", "whole"],
)
def test_a_request_head_past_16_kib_is_431_and_the_connection_closed(server: tuple[str, Path], head: bytes) -> None:
    base, _ = server
    with _connect(base) as sock:
        sock.sendall(head)
        answer = _closed_by_server(sock)
    assert answer.startswith(b"HTTP/1.1 431 Request Header Fields Too Large\r\n")
    assert answer.endswith(b"\r\n\r\nthe request line and headers exceed 16384 bytes")
    assert httpx.get(base + "/healthz").status_code == 200


def test_a_head_just_under_the_limit_is_answered(server: tuple[str, Path]) -> None:
    base, _ = server
    r = httpx.get(base + "/healthz", headers={"x-padding": "a" * 15_000})
    assert (r.status_code, r.json()) == (200, {"status": "ok"})


def test_body_bytes_sent_with_the_head_do_not_count_against_it(server: tuple[str, Path]) -> None:
    base, _ = server
    query = b"ASK { <http://example.org/alice> ?p ?o } #" + b"x" * 40_000
    with _connect(base) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Accept: application/sparql-results+json\r\nContent-Length: "
            + str(len(query)).encode()
            + b"\r\n\r\n"
            + query
        )
        answer = _response(sock)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.endswith(b'{"head":{},"boolean":true}')


def test_pipelined_requests_are_answered_in_order(server: tuple[str, Path]) -> None:
    base, _ = server
    with _connect(base) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n")
        first, second = _response(sock), _response(sock)
    assert first.startswith(b"HTTP/1.1 200 ") and first.endswith(b'{"status":"ok"}')
    assert second.startswith(b"HTTP/1.1 404 ")


def test_a_body_that_never_arrives_is_408(server: tuple[str, Path]) -> None:
    base, _ = server
    with _connect(base) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK"
        )
        answer = _response(sock)
        assert answer.startswith(b"HTTP/1.1 408 ")
        assert b'{"detail":"the request body did not arrive within 1 s"}' in answer


def test_a_client_disconnect_is_one_info_line(server: tuple[str, Path]) -> None:
    base, log = server
    with _connect(base) as sock:
        sock.sendall(
            b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
            b"Content-Length: 100\r\n\r\nASK"
        )
    time.sleep(0.5)
    assert httpx.get(base + "/healthz").status_code == 200
    text = log.read_text()
    assert "unexpected error" not in text
    assert "Traceback" not in text
    metrics = httpx.get(base + "/metrics").text  # this machine: no token needed
    assert 'status="500"' not in metrics


def test_no_server_banner(server: tuple[str, Path]) -> None:
    r = httpx.get(server[0] + "/healthz")
    assert "server" not in r.headers
    assert r.headers["x-content-type-options"] == "nosniff"


def test_etags_survive_a_restart_and_change_with_a_rebuild(tmp_path: Path) -> None:
    path = tmp_path / "store"
    _store(path, {G1: [(ex("alice"), ex("knows"), ex("bob"))]})
    env = {"KG_STORE": str(path), "KG_QUERY_WORKERS": "1"}
    with live_server(env, tmp_path / "a.log") as base:
        first = httpx.get(base + "/api/v1/stats")
        tag = first.headers["etag"]
    with live_server(env, tmp_path / "b.log") as base:  # same data, new process: same tag
        assert httpx.get(base + "/api/v1/stats", headers={"if-none-match": tag}).status_code == 304
    _store(path, {G2: [(ex("carol"), ex("age"), Literal(42))]})  # a rebuild adds a document
    with live_server(env, tmp_path / "c.log") as base:
        again = httpx.get(base + "/api/v1/stats", headers={"if-none-match": tag})
        assert again.status_code == 200
        assert again.headers["etag"] != tag


def _children(pid: int) -> list[int]:
    out = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry.name))
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").exists(), reason="needs /proc")
def test_a_killed_build_leaves_no_extraction_workers(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    seed = (ROOT / "seeds").glob("*.txt")
    texts = [p.read_text(encoding="utf-8") for p in sorted(seed)]
    for i in range(120):
        (docs / f"d{i:03}.txt").write_text(texts[i % len(texts)], encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    build = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(docs), "--store", str(tmp_path / "s"), "--workers", "2"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        workers: list[int] = []
        while time.monotonic() < deadline and len(workers) < 2:
            workers = _children(build.pid)
            time.sleep(0.05)
        assert len(workers) >= 2, "the build never started its extraction workers"
        os.kill(build.pid, signal.SIGKILL)
        build.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(w) for w in workers):
            time.sleep(0.1)
        assert [w for w in workers if _alive(w)] == []
    finally:
        if build.poll() is None:
            build.kill()
