"""A TestClient over the REST fixture graph, one per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from kg.config import Settings
from tests.rest_fixture import fixture_store


@pytest.fixture(scope="module")
def client() -> Iterator[TestClient]:
    with TestClient(create_app(Settings(store_path=None), store=fixture_store())) as c:
        yield c
