"""REST answers kept per ETag and replayed before routing.

A REST GET's ETag names the store generation and the canonical request
(:func:`api.routes.rest.deps.etag_of`), so one tag is one answer for as long as that
generation is served, and a write (by this server or a finished ``kg build``) moves every
tag on. :class:`AnswerCacheMiddleware` keeps the most recent ``200`` JSON answers under
``/api/v1/`` (least recently used dropped past a size in bytes) with the headers they were
sent with, and replays one when a request's tag is known: no routing, no dependencies, no
read-model connection, no serialisation. A request whose ``If-None-Match`` holds the tag
gets ``304`` here as well. The layers outside it (security headers, CORS, metrics) see a
replayed answer like any other; the route it came from is put back in the scope for the
metrics' labels.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.routes.rest.deps import CACHE_CONTROL, etag_of, if_none_match

PREFIX = "/api/v1/"


class AnswerCache:
    """Values by key, least recently used dropped past ``max_bytes`` (a value's size is
    given when it is put; 0 bytes keeps nothing). Used from the event loop only."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._size = 0
        self._items: OrderedDict[str, tuple[int, Any]] = OrderedDict()

    def get(self, key: str) -> Any:
        item = self._items.get(key)
        if item is None:
            return None
        self._items.move_to_end(key)
        return item[1]

    def put(self, key: str, value: Any, size: int) -> None:
        if size > self.max_bytes or key in self._items:
            return
        self._items[key] = (size, value)
        self._size += size
        while self._size > self.max_bytes:
            _, (dropped, _) = self._items.popitem(last=False)
            self._size -= dropped

    def clear(self) -> None:
        self._items.clear()
        self._size = 0


@dataclass(frozen=True)
class _Answer:
    headers: list[tuple[bytes, bytes]]
    body: bytes
    route: Any


class AnswerCacheMiddleware:
    """Serves from and fills the app's ``state.answer_cache`` (an :class:`AnswerCache`)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not scope["path"].startswith(PREFIX):
            await self.app(scope, receive, send)
            return
        state = scope["app"].state
        cache: AnswerCache = state.answer_cache
        request = Request(scope)
        tag = etag_of(state.engine.state, request)
        inm = request.headers.get("if-none-match")
        if inm and if_none_match(inm, tag):
            await self._send(send, 304, [(b"etag", tag.encode()), (b"cache-control", CACHE_CONTROL.encode())], b"")
            return
        kept: _Answer | None = cache.get(tag)
        if kept is not None:
            scope["route"] = kept.route
            await self._send(send, 200, kept.headers, kept.body)
            return
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    _keep(cache, scope, start, b"".join(chunks))
            await send(message)

        await self.app(scope, receive, keep)

    @staticmethod
    async def _send(send: Send, status: int, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _keep(cache: AnswerCache, scope: Scope, start: Message, body: bytes) -> None:
    headers = list(start.get("headers", []))
    found = dict(headers)
    if start.get("status") != 200 or not found.get(b"content-type", b"").startswith(b"application/json"):
        return
    tag = found.get(b"etag")
    if tag is not None:  # the tag the route answered with: the generation it read
        cache.put(tag.decode(), _Answer(headers, body, scope.get("route")), len(body) + _HEADROOM)


_HEADROOM = 256  # bytes an entry holds beyond its body (its headers and the key), roughly
