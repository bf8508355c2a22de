"""A server over an on-disk store whose read model is missing answers REST from SPARQL
at once, catches the read model up in a child process, then answers the same from it."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from kg.readmodel import ReadModel
from tests.live_server import live_server
from tests.rest_fixture import fixture_store_at

URLS = [
    "/api/v1/stats",
    "/api/v1/entities?name=bay",
    "/api/v1/agreements?party=organization.baykar",
    "/api/v1/timeline?granularity=year",
    "/api/v1/documents",
]
WAIT = 30.0


def test_a_missing_read_model_is_caught_up_by_a_child_process(tmp_path: Path) -> None:
    path = tmp_path / "store"
    fixture_store_at(path).close()  # written without a read model, as by an older build
    model_file = tmp_path / "store.readmodel.sqlite"
    assert not model_file.exists()
    with (
        live_server({"KG_STORE": str(path), "KG_QUERY_WORKERS": "2"}, tmp_path / "server.log") as base,
        httpx.Client(base_url=base, timeout=30) as client,
    ):
        first = {u: client.get(u) for u in URLS}
        assert all(r.status_code == 200 for r in first.values()), {u: r.text for u, r in first.items()}
        token = (tmp_path / "store.generation").read_text().strip() if (tmp_path / "store.generation").exists() else "0"
        deadline = time.monotonic() + WAIT
        while ReadModel(model_file).generation() != token:
            assert time.monotonic() < deadline, "the read model did not catch up"
            client.get("/api/v1/stats")
            time.sleep(0.2)
        again = {u: client.get(u) for u in URLS}
        assert {u: r.json() for u, r in again.items()} == {u: r.json() for u, r in first.items()}
    assert "Traceback" not in (tmp_path / "server.log").read_text()
    assert not _refreshers(path), "a refresh child outlived its server"


def _refreshers(path: Path) -> list[int]:
    """Processes running ``python -m kg.readmodel`` on ``path``."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            if b"kg.readmodel" in cmd and str(path).encode() in cmd:
                found.append(int(entry.name))
    return found
