"""Shared fixtures: the project root, the shared eval folder, and a seed build."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def seed_store():  # type: ignore[no-untyped-def]
    """An in-memory store holding the graph built from seeds/ (built once per test session)."""
    from kg.config import Settings
    from kg.pipeline import build
    from kg.store import Store

    store = Store()
    build([SEEDS], store=store, settings=Settings(store_path=None), workers=1)
    return store
