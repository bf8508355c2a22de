"""Replay the W3C SPARQL 1.1 Protocol test suite (protocol/manifest.ttl) against the app.

Each manifest entry is one test: its ut:graphData files are loaded into the named graphs
they name, then its requests run in order (``/sparql/`` rewritten to ``/sparql``), with
the update token added, and the expected status class, result format and ASK value are
checked.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from kg.store import Store
from tests.conftest import require_shared
from tests.w3c.manifest import TOKEN, W3C, Case, check, load

MANIFEST = W3C / "protocol" / "manifest.ttl"
CASES = load(MANIFEST) if MANIFEST.exists() else []

require_shared(MANIFEST, "the W3C manifests")


def test_manifest_has_34_entries() -> None:
    assert len(CASES) == 34


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_protocol(case: Case) -> None:
    store = Store()
    for path, graph in case.graph_data:
        store.load(path.read_bytes(), format="ntriples", graph=graph)
    settings = Settings(store_path=None, update_enabled=True, update_token=TOKEN, query_workers=1, query_timeout=20)
    with TestClient(create_app(settings, store=store), base_url="http://www.example") as client:
        for request in case.requests:
            path = request.path.replace("/sparql/", "/sparql", 1)
            headers = {**request.headers, "authorization": f"Bearer {TOKEN}"}
            response = client.request(request.method, path, headers=headers, content=request.body)
            check(response, request.expected)
