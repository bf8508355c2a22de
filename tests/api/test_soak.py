"""A soak: a mixed load of good and hostile requests against a real server while the
resident memory of its whole process tree (server and query workers) is sampled.

CI runs ``KG_SOAK_SECONDS`` (default 45 s); the documented long run is
``KG_SOAK_SECONDS=1800 .venv/bin/pytest tests/api/test_soak.py``. The test fails when
the tree's RSS at the end is more than 25 % + 64 MiB over its level after warm-up.
"""

from __future__ import annotations

import itertools
import os
import time
from pathlib import Path

import httpx
from rdflib import Literal

from kg.store import Store
from tests.api.apps import G1, G2, TOKEN, ex
from tests.live_server import live_server

SECONDS = float(os.environ.get("KG_SOAK_SECONDS", "45"))
PAGE = os.sysconf("SC_PAGE_SIZE")


def _tree(root: int) -> list[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError):
                continue
    tree, frontier = {root}, [root]
    while frontier:
        pid = frontier.pop()
        for child, parent in parents.items():
            if parent == pid and child not in tree:
                tree.add(child)
                frontier.append(child)
    return sorted(tree)


def _rss(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE
        except (OSError, ValueError):
            continue
    return total


def _server(port: str) -> int:
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes()
                env = (entry / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"api.server" in cmd and f"KG_PORT={port}".encode() in env:
                return int(entry.name)
    raise AssertionError("the server process was not found")


def test_memory_stays_flat_under_a_mixed_load(tmp_path: Path) -> None:
    path = tmp_path / "store"
    store = Store(path)
    store.replace_graphs(
        {
            G1: [(ex("alice"), ex("knows"), ex("bob")), (ex("bob"), ex("name"), Literal("Bob"))],
            G2: [(ex("carol"), ex("age"), Literal(42))],
        }
    )
    store.close()
    env = {
        "KG_STORE": str(path),
        "KG_QUERY_WORKERS": "2",
        "KG_QUERY_TIMEOUT": "2",
        "KG_UPDATE_ENABLED": "1",
        "KG_UPDATE_TOKEN": TOKEN,
    }
    auth = {"authorization": f"Bearer {TOKEN}"}
    requests = itertools.cycle(
        [
            ("GET", "/sparql", {"query": "SELECT * { ?s ?p ?o }"}, None),
            ("GET", "/sparql", {"query": "CONSTRUCT WHERE { ?s ?p ?o }"}, None),
            ("GET", "/sparql", {"query": "ASK { ?s ?p"}, None),
            ("GET", "/sparql", {"query": "SELECT * { " + "{" * 400 + "}" * 400 + " }"}, None),
            ("GET", "/sparql", {"query": "SELECT * { SERVICEp:x { ?s ?p ?o } }"}, None),
            ("GET", "/api/v1/stats", None, None),
            ("GET", "/api/v1/entities", {"name": "ali"}, None),
            ("POST", "/sparql", {"update": "INSERT DATA { GRAPH <urn:soak> { <urn:a> <urn:b> 1 } }"}, auth),
            ("POST", "/sparql", {"update": "DROP SILENT GRAPH <urn:soak>"}, auth),
        ]
    )
    with live_server(env, tmp_path / "server.log") as base, httpx.Client(base_url=base, timeout=30) as client:
        root = _server(base.rsplit(":", 1)[1])
        started = time.monotonic()
        baseline = 0
        samples: list[int] = []
        next_sample = started
        statuses: set[int] = set()
        while time.monotonic() - started < SECONDS:
            method, url, params, headers = next(requests)
            if method == "GET":
                r = client.get(url, params=params)
            else:
                r = client.post(url, data=params, headers=headers)
            statuses.add(r.status_code)
            assert r.status_code < 500, (url, params, r.status_code, r.text)
            if time.monotonic() >= next_sample:
                samples.append(_rss(_tree(root)))
                next_sample += 1.0
                if not baseline and time.monotonic() - started > SECONDS * 0.2:
                    baseline = max(samples)
        final = _rss(_tree(root))
    assert {200, 204, 400, 403} <= statuses
    assert baseline > 0
    assert final <= baseline * 1.25 + 64 * 1024 * 1024, (
        f"RSS grew from {baseline / 2**20:.0f} MiB after warm-up to {final / 2**20:.0f} MiB"
    )
