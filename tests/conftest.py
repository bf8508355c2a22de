"""Shared fixtures: the project root, the shared eval folder, and a seed build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"


def require_shared(path: Path, what: str) -> None:
    """Skip unless ``path`` (in ../shared) exists; under CI (``CI=true``) fail instead, so
    a missing ../shared can never turn a suite green by skipping it."""
    if path.exists():
        return
    message = f"{what} not found at {path}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: ../shared must be beside the project)", pytrace=False)
    pytest.skip(message, allow_module_level=True)


@pytest.fixture(scope="session")
def seed_store():  # type: ignore[no-untyped-def]
    """An in-memory store holding the graph built from seeds/ (built once per test session)."""
    from kg.config import Settings
    from kg.pipeline import build
    from kg.store import Store

    store = Store()
    build([SEEDS], store=store, settings=Settings(store_path=None), workers=1)
    return store
