"""Running the app under uvicorn with limits on what a connection may hold.

The HTTP/1.1 parser is httptools (llhttp, in C): per request it costs about a third of
what h11 (pure Python) does, which is most of what a cheap SPARQL lookup costs the server
(benchmarks/README.md). :class:`TimedHttpToolsProtocol` adds the two limits uvicorn
leaves to h11 or does not have:

- a request's line and headers may hold at most :data:`MAX_HEAD_BYTES`; past that the
  client gets ``431`` and the connection is closed (the bytes are counted as they come,
  before the parser holds them, so a header that never ends cannot grow without bound);
- a connection whose request headers are not complete within ``header_timeout`` seconds
  is closed (a slow-loris client cannot keep connections forever).

``limit_concurrency`` bounds how many connections and requests are held at once (beyond
it: 503). Idle keep-alive connections close after 5 s. The request body has its own
deadline (:func:`api.security.read_body`).

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

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from kg.config import Settings

SWITCH_INTERVAL = 0.0005  # seconds (Python's default: 0.005)
MAX_HEAD_BYTES = 16 * 1024  # a request's line and headers


class HeadTooLarge(Exception):
    """A request's line and headers hold more than :data:`MAX_HEAD_BYTES`."""


class TimedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with a deadline and a size limit on request heads."""

    header_timeout = 10.0
    max_head_bytes = MAX_HEAD_BYTES

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._in_head = True  # the bytes that come next belong to a request's line or headers
        self._head_bytes = 0
        self._head_too_large = False
        self._header_timer: asyncio.TimerHandle | None = self.loop.call_later(
            self.header_timeout, self._headers_too_slow
        )

    def data_received(self, data: bytes) -> None:
        if self._in_head:
            self._head_bytes += len(data)
        super().data_received(data)
        # Past the limit with the head still incomplete (bytes after a complete head are
        # its body's, and do not count).
        if self._in_head and self._head_bytes > self.max_head_bytes and not self.transport.is_closing():
            if self.cycle is not None and not self.cycle.response_complete:
                self.transport.close()  # a pipelined head: the answer in flight cannot be followed
                return
            self._head_too_large = True
            self.send_400_response("")

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._head_size = 0  # the request's line and headers as the parser hands them over

    def on_url(self, url: bytes) -> None:
        self._head_size += len(url)
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._head_size += len(name) + len(value) + 4  # ": " and CRLF
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        if self._header_timer is not None:
            self._header_timer.cancel()  # the headers of this request are in
            self._header_timer = None
        if self._head_size > self.max_head_bytes:  # a whole head too large, come in one piece
            self._head_too_large = True
            raise HeadTooLarge  # the parser reports it: data_received answers 431 (send_400_response)
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head = True  # a pipelined request may follow in the same bytes
        self._head_bytes = 0

    def on_response_complete(self) -> None:
        super().on_response_complete()
        if self._header_timer is None and not self.transport.is_closing():
            self._header_timer = self.loop.call_later(self.header_timeout, self._headers_too_slow)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
            self._header_timer = None
        super().connection_lost(exc)

    def send_400_response(self, msg: str) -> None:
        if not self._head_too_large:
            super().send_400_response(msg)
            return
        body = f"the request line and headers exceed {self.max_head_bytes} bytes".encode()
        self.transport.write(
            b"HTTP/1.1 431 Request Header Fields Too Large\r\n"
            b"content-type: text/plain; charset=utf-8\r\n"
            b"content-length: " + str(len(body)).encode() + b"\r\nconnection: close\r\n\r\n" + body
        )
        self.transport.close()

    def _headers_too_slow(self) -> None:
        self._header_timer = None
        if self.cycle is None or self.cycle.response_complete:
            if not self.transport.is_closing():
                self.transport.close()


def serve_limits(settings: Settings) -> dict[str, Any]:
    """uvicorn options for ``settings``."""
    protocol = type("Protocol", (TimedHttpToolsProtocol,), {"header_timeout": settings.header_timeout})
    return {
        "http": protocol,
        "timeout_keep_alive": 5,
        "limit_concurrency": settings.max_connections,
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
