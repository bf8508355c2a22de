"""The explorer's vendor assets (``make assets``): tests that need them skip without them,
except under CI (``CI=true``), where a missing bundle fails instead of turning the suite green."""

from __future__ import annotations

import os

import pytest

from api.routes.page import VENDOR_DIR, vendor_built


def require_assets() -> None:
    if vendor_built():
        return
    message = f"the explorer's assets are not built in {VENDOR_DIR} (run `make assets`)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message + " (CI=true: make test builds them)", pytrace=False)
    pytest.skip(message, allow_module_level=True)
