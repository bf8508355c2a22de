"""Running the app under uvicorn with limits on what a connection may hold.

uvicorn bounds header size (h11's incomplete-event limit) and idle keep-alive, but not
the time a client takes to send its headers: :class:`TimedH11Protocol` closes a
connection whose request headers are not complete within ``header_timeout`` seconds
(a slow-loris client cannot keep connections forever). ``limit_concurrency`` bounds
how many connections and requests are held at once (beyond it: 503). The request
body has its own deadline (:func:`api.security.read_body`).

:func:`serve` also lowers the interpreter's thread switch interval to
:data:`SWITCH_INTERVAL` seconds. The server process mostly waits: on the event loop, on
query workers and REST readers, whose answers threads of this process receive. With
Python's default of 5 ms, such a thread can wait up to 5 ms for the GIL while the event
loop holds it, once per chunk it reads. On the 10,000-document store, at concurrency 8,
0.5 ms lowered the p95 of computed REST answers by a quarter to a third
(benchmarks/README.md).

``python -m api.server`` serves with settings from ``KG_*`` (as ``kg serve`` does).
"""

from __future__ import annotations

import asyncio
import sys
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.config import Settings

SWITCH_INTERVAL = 0.0005  # seconds (Python's default: 0.005)


class TimedH11Protocol(H11Protocol):
    header_timeout = 10.0

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = self.loop.call_later(
            self.header_timeout, self._headers_too_slow
        )

    def handle_events(self) -> None:
        super().handle_events()
        if self.cycle is not None and not self.cycle.response_complete and self._header_timer is not None:
            self._header_timer.cancel()  # the headers of this request are in
            self._header_timer = None

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._header_timer is None and not self.transport.is_closing():
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.cycle is None or self.cycle.response_complete:
            if not self.transport.is_closing():
                self.transport.close()


def serve_limits(settings: Settings) -> dict[str, Any]:
    """uvicorn options for ``settings``."""
    protocol = type("Protocol", (TimedH11Protocol,), {"header_timeout": settings.header_timeout})
    return {
        "http": protocol,
        "timeout_keep_alive": 5,
        "limit_concurrency": settings.max_connections,
        "h11_max_incomplete_event_size": 16 * 1024,
        "server_header": False,
    }


def serve(app: Any, settings: Settings, **options: Any) -> None:
    """Serve ``app`` on ``settings.host:port`` under uvicorn with :func:`serve_limits`."""
    import uvicorn

    sys.setswitchinterval(SWITCH_INTERVAL)
    uvicorn.run(app, host=settings.host, port=settings.port, **options, **serve_limits(settings))


def main() -> None:
    from api.main import create_app

    settings = Settings.from_env().validate()
    serve(create_app(settings), settings, log_level="warning")


if __name__ == "__main__":
    main()
