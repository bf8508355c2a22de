"""ASGI layers every request passes: security headers, and parameters that must be UTF-8.

- Every response carries ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY``,
  ``Referrer-Policy: no-referrer`` and, unless the route set its own (the HTML pages
  do), ``Content-Security-Policy: default-src 'none'; frame-ancestors 'none'``.
- A URL whose query string is not UTF-8 once percent-decoded is answered 400 before
  any route runs (a route never sees replacement characters).
"""

from __future__ import annotations

import json
import re
from urllib.parse import unquote_to_bytes

from starlette.types import ASGIApp, Message, Receive, Scope, Send

HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"x-frame-options": b"DENY",
    b"referrer-policy": b"no-referrer",
    b"content-security-policy": b"default-src 'none'; frame-ancestors 'none'",
}


_HIGH_ESCAPE = re.compile(rb"%[89a-fA-F]")  # a percent-escaped byte of 0x80 or more


def query_string_error(raw: bytes) -> str | None:
    """Why a raw query string is not percent-encoded UTF-8, or None.

    >>> query_string_error(b"query=ASK%20%7B%7D")
    >>> query_string_error(b"query=ASK%20%7B%7D%FF")
    "the URL's query string is not UTF-8 (after percent-decoding)"
    >>> query_string_error(b"name=Erdo%C4%9Fan")
    >>> query_string_error("name=Erdoğan".encode())
    "the URL's query string is not UTF-8 (after percent-decoding)"
    """
    if raw.isascii() and _HIGH_ESCAPE.search(raw) is None:
        return None  # every byte, escaped or not, is ASCII: UTF-8 (the common case, no decoding)
    try:
        text = raw.decode("ascii")
        for part in text.replace(";", "&").split("&"):
            unquote_to_bytes(part.replace("+", " ")).decode("utf-8")
    except UnicodeError:
        return "the URL's query string is not UTF-8 (after percent-decoding)"
    return None


class GuardMiddleware:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS.items() if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        problem = query_string_error(scope.get("query_string", b""))
        if problem is not None:
            body = json.dumps({"detail": problem}).encode()
            await send_with_headers(
                {
                    "type": "http.response.start",
                    "status": 400,
                    "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
                }
            )
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send_with_headers)
