"""Replay the W3C Graph Store HTTP Protocol suite (graph-store-protocol/manifest.ttl, which
includes the direct and indirect identification manifests) against ``/store``.

``/gsp`` is rewritten to ``/store``; the token is added to every request; a
``Location`` answered by a request replaces ``$LOCATION$`` in the ones after it.
Every entry is expressible: indirect identification (``?graph=``, ``?default``), direct
identification (``/store/<path>``), and graph creation by ``POST /store``.
"""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from kg.store import Store
from tests.conftest import require_shared
from tests.w3c.manifest import TOKEN, W3C, Case, check, load

MANIFEST = W3C / "graph-store-protocol" / "manifest.ttl"
CASES = load(MANIFEST) if MANIFEST.exists() else []

require_shared(MANIFEST, "the W3C manifests")


def test_manifest_entries() -> None:
    # 4 listed + 1 unlisted (head_non_existing_direct) direct tests, 9 indirect ones
    assert len(CASES) == 14


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_graph_store(case: Case) -> None:
    settings = Settings(store_path=None, update_enabled=True, update_token=TOKEN, query_workers=1, query_timeout=20)
    location: str | None = None
    with TestClient(create_app(settings, store=Store()), base_url="http://www.example") as client:
        for request in case.requests:
            path = "/store" + request.path.removeprefix("/gsp")
            body = request.body
            if location is not None:
                path = path.replace("$LOCATION$", location)
                body = body.replace(b"$LOCATION$", location.encode()) if body else body
            headers = {**request.headers, "authorization": f"Bearer {TOKEN}"}
            response = client.request(request.method, path, headers=headers, content=body)
            check(response, request.expected)
            if request.expected.location:
                location = response.headers["location"]
