"""Helpers shared by the SPARQL-side API tests: a small known dataset and apps over it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from rdflib import Literal, URIRef

from api.main import create_app
from kg.config import Settings
from kg.store import Store

TOKEN = "test-token-0123456789abcdef"
AUTH = {"authorization": f"Bearer {TOKEN}"}
EX = "http://example.org/"
G1 = EX + "g1"
G2 = EX + "g2"


def ex(name: str) -> URIRef:
    return URIRef(EX + name)


def known_store() -> Store:
    """Two named graphs: g1 holds alice knows bob, bob's name; g2 holds carol's age."""
    store = Store()
    store.replace_graphs(
        {
            G1: [(ex("alice"), ex("knows"), ex("bob")), (ex("bob"), ex("name"), Literal("Bob", lang="en"))],
            G2: [(ex("carol"), ex("age"), Literal(42))],
        }
    )
    return store


def settings(**changes: Any) -> Settings:
    base = Settings(
        store_path=None, update_enabled=True, update_token=TOKEN, query_workers=2, query_timeout=10, rest_processes=0
    )
    return base.with_(**changes)


@contextmanager
def client(store: Store | None = None, **changes: Any) -> Iterator[TestClient]:
    app = create_app(settings(**changes), store=store if store is not None else known_store())
    with TestClient(app, base_url="http://testserver") as c:
        yield c
