"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import EngineDep, SettingsDep
from api.errors import Forbidden, Unauthorized

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get("/readyz")
async def readyz(engine: EngineDep) -> JSONResponse:
    """The query workers are up and the store answers ``ASK {}``."""
    if await engine.ready():
        return JSONResponse({"status": "ready", "generation": engine.generation})
    return JSONResponse({"detail": "the query workers or the store are not ready"}, status_code=503)


_LOOPBACK = ("127.0.0.1", "::1")


@router.get("/metrics")
async def metrics(request: Request, settings: SettingsDep) -> Response:
    """Prometheus metrics: with ``KG_METRICS_TOKEN`` set, for its bearer only; without
    it, for clients on this machine only (the counts show, for one, refused tokens)."""
    if settings.metrics_token:
        scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(token.strip().encode(),
                                                                 settings.metrics_token.encode()):
            raise Unauthorized("/metrics needs 'Authorization: Bearer <KG_METRICS_TOKEN>'")
    elif request.client is None or request.client.host not in _LOOPBACK:
        raise Forbidden("/metrics answers clients on this machine only; set KG_METRICS_TOKEN to read it remotely")
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
