"""A running server sees a finished external ``kg build`` without a restart.

The server reads the store through read-only workers; ``kg build`` in another process
writes the same directory meanwhile. Once the build is done the server's watcher sees
the store's new generation token, reopens its workers, and answers from the new data:
the document count rises and the ETags change (the old one no longer gets a 304).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx

from kg import vocab as v
from kg.readmodel import ReadModel
from tests.live_server import live_server

ROOT = Path(__file__).resolve().parents[2]
SEEDS = sorted((ROOT / "seeds").glob("*.txt"))
COUNT = (
    f"SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} "
    f'FILTER(STRSTARTS(STR(?g), "{v.ID}document/")) }}'
)  # one named graph per document
WAIT = 20.0  # seconds the server may take to notice a finished build


def _build(docs: Path, store: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-m", "kg.cli", "build", str(docs), "--store", str(store), "--workers", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-2000:]


def _documents(client: httpx.Client) -> int:
    r = client.get("/sparql", params={"query": COUNT}, headers={"accept": "application/sparql-results+json"})
    assert r.status_code == 200, r.text
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def test_a_build_by_another_process_is_seen_without_a_restart(tmp_path: Path) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for seed in SEEDS[:2]:
        shutil.copy(seed, first / seed.name)
    shutil.copy(SEEDS[2], second / SEEDS[2].name)
    store = tmp_path / "store"
    _build(first, store)

    env = {"KG_STORE": str(store), "KG_QUERY_WORKERS": "2"}
    with live_server(env, tmp_path / "server.log") as base, httpx.Client(base_url=base, timeout=30) as client:
        assert _documents(client) == 2
        assert client.get("/api/v1/entities", params={"name": "bae systems"}).json()["count"] == 0
        stats = client.get("/api/v1/stats")
        assert stats.status_code == 200
        tag = stats.headers["etag"]
        assert client.get("/api/v1/stats", headers={"if-none-match": tag}).status_code == 304

        _build(second, store)  # one more document, written while the server runs

        deadline = time.monotonic() + WAIT
        while True:
            count = _documents(client)
            again = client.get("/api/v1/stats", headers={"if-none-match": tag})
            if count == 3 and again.status_code == 200:
                break
            assert time.monotonic() < deadline, (
                f"after {WAIT:g} s the server still answers {count} documents and {again.status_code} for the old ETag"
            )
            time.sleep(0.25)
        assert again.headers["etag"] != tag
        assert again.json()["documents"] == 3
        # The build left the REST read model at the store's generation: the server reads it.
        model = ReadModel(tmp_path / "store.readmodel.sqlite")
        assert model.generation() == (tmp_path / "store.generation").read_text().strip()
        names = client.get("/api/v1/entities", params={"name": "bae systems"}).json()
        assert [e["id"] for e in names["data"]] == ["organization.bae-systems"]  # only the new document names it
        fresh = again.headers["etag"]
        assert client.get("/api/v1/stats", headers={"if-none-match": fresh}).status_code == 304
        assert _documents(client) == 3
        assert "Traceback" not in (tmp_path / "server.log").read_text()
