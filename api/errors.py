"""Exceptions → HTTP answers, registered once; every error body is ``{"detail": ...}``.

FastAPI's own handlers answer its exceptions (``HTTPException``, a 304 included, with no
body; ``RequestValidationError`` → 422). The domain's errors (:class:`kg.errors.KgError`)
have one handler here: their status is found by walking the exception's MRO, so one
entry serves a family:

- QueryError (bad syntax, failed evaluation) → 400 with the parser's message and position
- QueryTimeout → 503 (detail says "timeout"; the worker that ran the query is killed)
- QueryTooLong → 414 when the query came in the URL, 413 in a body
- BodyTooLarge → 413; RequestTimeout (a body slower than ``body_timeout``) → 408; ResultTooLarge (more rows than ``max_result_rows``) → 400
- UnsupportedMediaType → 415; NotAcceptable → 406; InputError → 400
- Unauthorized → 401 (with ``WWW-Authenticate: Bearer``); Forbidden → 403; kg's NotFound → 404
- a client that disconnects mid-request → one info line, 499 in /metrics (never a 500)
- StoreError and anything unexpected → 500 with a generic message (no paths leaked)
"""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from starlette.requests import ClientDisconnect

from kg.errors import InputError, KgError, LimitExceeded, NotFound, QueryError, QueryTimeout, StoreError

log = logging.getLogger(__name__)


class QueryTooLong(LimitExceeded):
    def __init__(self, message: str, *, in_url: bool) -> None:
        super().__init__(message)
        self.in_url = in_url


class BodyTooLarge(LimitExceeded):
    pass


class ResultTooLarge(LimitExceeded):
    pass


class RequestTimeout(InputError):
    pass


class UnsupportedMediaType(InputError):
    pass


class NotAcceptable(InputError):
    pass


class Unauthorized(KgError):
    pass


class Forbidden(KgError):
    pass


def status_of(exc: Exception) -> int:
    """The HTTP status for a domain exception (most specific class first)."""
    if isinstance(exc, QueryTooLong):
        return 414 if exc.in_url else 413
    for cls in type(exc).__mro__:
        status = _STATUS.get(cls)
        if status is not None:
            return status
    return 500


_STATUS: dict[type, int] = {
    QueryTimeout: 503,
    BodyTooLarge: 413,
    RequestTimeout: 408,
    ResultTooLarge: 400,
    LimitExceeded: 400,
    QueryError: 400,
    UnsupportedMediaType: 415,
    NotAcceptable: 406,
    InputError: 400,
    Unauthorized: 401,
    Forbidden: 403,
    NotFound: 404,
    StoreError: 500,
    KgError: 500,
}


async def _kg_error(request: Request, exc: Exception) -> JSONResponse:
    status = status_of(exc)
    headers = {"WWW-Authenticate": 'Bearer realm="kg"'} if status == 401 else None
    if status >= 500 and not isinstance(exc, QueryTimeout):
        log.error("%s on %s %s: %s", type(exc).__name__, request.method, request.url.path, exc)
        detail = "internal error in the store; see the server log"
    else:
        detail = str(exc)
    if isinstance(exc, QueryTimeout):
        headers = {"Retry-After": "1"}
        metrics = getattr(request.app.state, "metrics", None)
        if metrics is not None:
            metrics.timeouts.inc()
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


async def _disconnect(request: Request, exc: Exception) -> Response:
    """The client went away mid-request: nothing to answer, nothing went wrong here."""
    log.info("client disconnected during %s %s", request.method, request.url.path)
    return Response(status_code=499)  # nginx's "client closed request"; nobody reads it


async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unexpected error on %s %s", request.method, request.url.path)
    return JSONResponse({"detail": "internal error; see the server log"}, status_code=500)


def register(app: FastAPI) -> None:
    app.add_exception_handler(KgError, _kg_error)
    app.add_exception_handler(ClientDisconnect, _disconnect)
    app.add_exception_handler(Exception, _unexpected)
