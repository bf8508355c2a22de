"""kill -9 at several points of a build and of a server write: every document graph is
whole or absent (or, for a replaced document, its previous graph intact), compared
graph by graph with a clean build."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
import pytest
from rdflib import Graph, URIRef
from rdflib.compare import to_isomorphic

from kg.readmodel import ReadModel
from kg.store import Store
from tests.api.apps import TOKEN
from tests.live_server import live_server

ROOT = Path(__file__).resolve().parents[2]
INGESTED_AT = URIRef("https://w3id.org/defence-kg/ontology#ingestedAt")
DOCS = 30


def _write_docs(folder: Path, version: int) -> None:
    folder.mkdir(exist_ok=True)
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    for i in range(DOCS):
        tail = f"\n\nUpdate {version}: the agency said on {i + 1} March that talks went on." if version else ""
        (folder / f"doc{i:02}.txt").write_text(texts[i % len(texts)] + tail, encoding="utf-8")


def _build(
    docs: Path, store: Path, *, kill_after: float | None = None, kill_when: Callable[[], bool] | None = None
) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KG_BUILD_BATCH": "3"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "kg.cli", "build", str(docs), "--store", str(store), "--workers", "1"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    if kill_when is not None:
        deadline = time.monotonic() + 300
        while proc.poll() is None and not kill_when():
            assert time.monotonic() < deadline
            time.sleep(0.002)
    elif kill_after is None:
        assert proc.wait(300) == 0
        return
    else:
        time.sleep(kill_after)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)


def _graphs(path: Path) -> dict[str, Graph]:
    store = Store(path, read_only=True)
    try:
        out = {}
        for name in store.graph_names():
            if "/document/" in name:
                graph = store.graph(name)
                graph.remove((None, INGESTED_AT, None))  # the build's clock, not the document
                out[name] = to_isomorphic(graph)
        return out
    finally:
        store.close()


@pytest.fixture(scope="module")
def clean(tmp_path_factory: pytest.TempPathFactory) -> dict[int, dict[str, Graph]]:
    """Clean builds of version 0 and version 1 of the documents."""
    tmp = tmp_path_factory.mktemp("clean")
    out = {}
    for version in (0, 1):
        _write_docs(tmp / f"docs{version}", version)
        _build(tmp / f"docs{version}", tmp / f"store{version}")
        out[version] = _graphs(tmp / f"store{version}")
        assert len(out[version]) == DOCS
    return out


def _delays() -> list[float]:
    return [4.0, 9.0, 14.0]  # model loading, early batches, late batches


@pytest.mark.slow
def test_a_killed_first_build_leaves_whole_graphs_or_none(tmp_path: Path, clean: dict[int, dict[str, Graph]]) -> None:
    _write_docs(tmp_path / "docs", 0)
    for n, delay in enumerate(_delays()):
        store = tmp_path / f"store{n}"
        _build(tmp_path / "docs", store, kill_after=delay)
        if not store.exists():
            continue
        for name, graph in _graphs(store).items():
            assert graph == clean[0][name], f"{name} differs from the clean build (killed at {delay} s)"


@pytest.mark.slow
def test_a_killed_rebuild_keeps_each_previous_graph_or_the_new_one(
    tmp_path: Path, clean: dict[int, dict[str, Graph]]
) -> None:
    _write_docs(tmp_path / "docs0", 0)
    _write_docs(tmp_path / "docs1", 1)
    for n, delay in enumerate(_delays()):
        store = tmp_path / f"store{n}"
        _build(tmp_path / "docs0", store)
        _build(tmp_path / "docs1", store, kill_after=delay)
        graphs = _graphs(store)
        assert len(graphs) == DOCS  # a replaced document never disappears
        for name, graph in graphs.items():
            assert graph in (clean[0][name], clean[1][name]), f"{name} is neither version (killed at {delay} s)"


def _contents(model: ReadModel) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the read model (the FTS index by its columns), sorted."""
    queries = {
        "entity": "SELECT * FROM entity",
        "entity_class": "SELECT * FROM entity_class",
        "entity_name": "SELECT lowered, iri, name FROM entity_name",
        "name_index": "SELECT folded, iri FROM name_index",
        "agreement": "SELECT * FROM agreement",
        "agreement_kind": "SELECT * FROM agreement_kind",
        "agreement_link": "SELECT * FROM agreement_link",
        "fact": "SELECT * FROM fact",
        "graph": "SELECT * FROM graph",
        "meta": "SELECT * FROM meta WHERE key != 'generation'",
        "pending": "SELECT * FROM pending",
    }
    with model.connect() as conn:
        return {name: sorted(conn.execute(sql).fetchall()) for name, sql in queries.items()}


class _Window:
    """Kill points inside the read model's begin/commit protocol, seen from outside: the
    ``n``-th time ``pending`` holds rows, optionally once the store's generation token
    has changed too (the store write has begun or is done, its projection not committed)."""

    def __init__(self, store: Path, n: int, *, after_write: bool) -> None:
        self.db = store.with_name(store.name + ".readmodel.sqlite")
        self.token = store.with_name(store.name + ".generation")
        self.n, self.after_write = n, after_write
        self.seen, self.open, self.first_token = 0, False, ""

    def __call__(self) -> bool:
        try:
            with closing(sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=0.05)) as conn:
                pending = conn.execute("SELECT COUNT(*) FROM pending").fetchone()[0]
            token = self.token.read_text()
        except (sqlite3.Error, OSError):
            return False
        if pending and not self.open:
            self.open, self.seen, self.first_token = True, self.seen + 1, token
        elif not pending:
            self.open = False
        return self.open and self.seen == self.n and (not self.after_write or token != self.first_token)


@pytest.mark.slow
@pytest.mark.parametrize(
    "point",
    [None, (1, False), (1, True), (2, False), (2, True)],
    ids=["whole", "batch1-begun", "batch1-written", "batch2-begun", "batch2-written"],
)
def test_a_killed_rebuild_leaves_the_read_model_current_or_knowingly_stale(tmp_path: Path, point: Any) -> None:
    """A rebuild of a few documents keeps the read model in step write by write; killed
    between its steps, the read model is stale and a refresh makes it equal to a fresh
    projection of what the store holds."""
    _write_docs(tmp_path / "docs0", 0)
    _write_docs(tmp_path / "docs1", 1)
    changed = tmp_path / "changed"
    changed.mkdir()
    for name in ("doc00.txt", "doc01.txt", "doc02.txt", "doc03.txt"):  # two batches of KG_BUILD_BATCH=3
        (changed / name).write_bytes((tmp_path / "docs1" / name).read_bytes())
    path = tmp_path / "store"
    _build(tmp_path / "docs0", path)
    if point is None:
        _build(changed, path)
    else:
        _build(changed, path, kill_when=_Window(path, point[0], after_write=point[1]))
    store = Store(path, read_only=True)
    try:
        model = ReadModel.beside(store)
        fresh = ReadModel(None)
        fresh.rebuild(store)
        if point is None:
            assert model.current(store.generation)
            assert _contents(model) == _contents(fresh)
        # Killed before the store write began, the read model is still current (nothing
        # changed; ``pending`` keeps what the next write must re-project).
        stale = not model.current(store.generation)
        model.refresh(store)
        assert model.current(store.generation)
        got, want = _contents(model), _contents(fresh)
        if not stale:
            got.pop("pending")
            want.pop("pending")
        assert got == want
    finally:
        store.close()


@pytest.mark.slow
def test_a_server_killed_during_a_graph_store_put_keeps_the_graph_whole(tmp_path: Path) -> None:
    path = tmp_path / "store"
    old = "\n".join(f'<urn:s{i}> <urn:p> "old {i}" .' for i in range(10)) + "\n"
    new = "\n".join(f'<urn:s{i}> <urn:p> "new {i}" .' for i in range(60_000)) + "\n"
    Store(path).close()
    env = {"KG_STORE": str(path), "KG_QUERY_WORKERS": "1", "KG_UPDATE_ENABLED": "1", "KG_UPDATE_TOKEN": TOKEN}
    auth = {"authorization": f"Bearer {TOKEN}", "content-type": "application/n-triples"}
    with live_server(env, tmp_path / "first.log") as base:
        assert httpx.put(base + "/store?graph=urn:g", content=old, headers=auth).status_code in (201, 204)
    for n, delay in enumerate([0.05, 0.3, 0.8, 1.5]):
        with live_server(env, tmp_path / f"kill{n}.log") as base:
            pid = _server_pid(base)

            def put(base: str = base) -> None:
                try:
                    httpx.put(base + "/store?graph=urn:g", content=new, headers=auth, timeout=30)
                except httpx.HTTPError:
                    pass

            writer = threading.Thread(target=put)
            writer.start()
            time.sleep(delay)
            os.kill(pid, signal.SIGKILL)
            writer.join(30)
        store = Store(path, read_only=True)
        try:
            count = len(store.graph("urn:g"))
        finally:
            store.close()
        assert count in (10, 60_000), f"killed at {delay} s: the graph has {count} triples"
        if count == 60_000:  # put the old graph back for the next point
            with live_server(env, tmp_path / f"reset{n}.log") as base:
                httpx.put(base + "/store?graph=urn:g", content=old, headers=auth)


def _server_pid(base: str) -> int:
    port = base.rsplit(":", 1)[1]
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmd = (entry / "cmdline").read_bytes().split(b"\0")
            env = (entry / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"api.server" in cmd and f"KG_PORT={port}".encode() in env:
            return int(entry.name)
    raise AssertionError("the server process was not found")


_BULK_WRITER = """
import sys
import kg.store
from kg.store import Store
kg.store._BULK_PARTS = 2  # a first write this large goes in two parts side by side, however many cores
store = Store(sys.argv[1])
graphs = {f"https://w3id.org/defence-kg/document/bulk{d}": [f'<urn:s{d}-{i}> <urn:p> "{d} {i}" .' for i in range(600)]
          for d in range(int(sys.argv[2]))}
store.replace_graphs(graphs)
"""


def _first_index_file(path: Path) -> Callable[[], bool]:
    """Kill point: the loader has written its first index file (nothing ingested yet)."""
    return lambda: bool(list(path.glob("bulk-*.sst")))


def _first_part_ingested(path: Path) -> Callable[[], bool]:
    """Kill point: index files seen earlier are gone (a part was ingested) while the write
    goes on, or has just ended."""
    seen: set[Path] = set()

    def check() -> bool:
        now = set(path.glob("bulk-*.sst"))
        gone = bool(seen - now)
        seen.update(now)
        return gone

    return check


@pytest.mark.slow
@pytest.mark.parametrize("batches", [1, 2])
@pytest.mark.parametrize("point", [_first_index_file, _first_part_ingested], ids=["index-files", "part-ingested"])
def test_a_write_killed_inside_the_bulk_loader_leaves_each_graph_whole_or_absent(
    tmp_path: Path, batches: int, point: Callable[[Path], Callable[[], bool]]
) -> None:
    """A first write of new graphs goes through the engine's bulk loader, in two parts of
    whole graphs loaded side by side; each part writes ``bulk-*.sst`` index files into the
    store directory and ingests them in one step. Killed while the first index files exist,
    or once a part has been ingested, the store holds each batch written before whole and
    every graph of this one whole or absent; the leftover files are removed the next time
    the store is opened for writing."""
    path = tmp_path / "store"
    for n in range(batches - 1):  # earlier batches, written whole
        subprocess.run(
            [sys.executable, "-c", _BULK_WRITER.replace("bulk{d}", f"early{n}-{{d}}"), str(path), "200"],
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            check=True,
            timeout=120,
        )
    proc = subprocess.Popen(
        [sys.executable, "-c", _BULK_WRITER, str(path), "1500"], env={**os.environ, "PYTHONPATH": str(ROOT)}
    )
    killed_at = point(path)
    deadline = time.monotonic() + 120
    while not killed_at():
        assert proc.poll() is None, "the write ended before the kill point was seen"
        assert time.monotonic() < deadline
        time.sleep(0.001)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    if point is _first_index_file:
        assert list(path.glob("bulk-*.sst"))  # the kill came before the loader cleaned up
    store = Store(path, read_only=True)
    try:
        sizes = {name: len(store.graph(name)) for name in store.graph_names()}
    finally:
        store.close()
    early = {f"https://w3id.org/defence-kg/document/early{n}-{d}": 600 for n in range(batches - 1) for d in range(200)}
    assert {name: n for name, n in sizes.items() if name in early} == early
    this = {name: n for name, n in sizes.items() if name not in early}
    assert set(this) <= {f"https://w3id.org/defence-kg/document/bulk{d}" for d in range(1500)}
    assert set(this.values()) <= {600}, "a graph of the killed write is partly there"
    Store(path).close()
    assert list(path.glob("bulk-*.sst")) == []
