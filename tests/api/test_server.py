"""How ``kg serve`` and ``python -m api.server`` run the app: uvicorn with the limits of the
settings, and a short thread switch interval (api.server.serve)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn

from api import server
from kg.config import Settings


@pytest.fixture
def switch_interval() -> Iterator[None]:
    before = sys.getswitchinterval()
    yield
    sys.setswitchinterval(before)


def test_serve_runs_uvicorn_with_the_settings_limits_and_a_short_switch_interval(
    monkeypatch: pytest.MonkeyPatch, switch_interval: None
) -> None:
    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.update(app=app, **options))
    sys.setswitchinterval(0.005)
    settings = Settings().with_(host="127.0.0.1", port=8123, header_timeout=3.0, max_connections=17)

    server.serve("the app", settings, log_level="info")

    assert sys.getswitchinterval() == pytest.approx(0.0005)
    protocol = ran.pop("http")
    assert issubclass(protocol, server.TimedHttpToolsProtocol)
    assert protocol.header_timeout == 3.0
    assert ran == {
        "app": "the app",
        "host": "127.0.0.1",
        "port": 8123,
        "log_level": "info",
        "timeout_keep_alive": 5,
        "limit_concurrency": 17,
        "server_header": False,
    }
