"""Liveness, readiness and Prometheus metrics."""

from __future__ import annotations

import hmac
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST

from api.deps import EngineDep, SettingsDep
from api.errors import Forbidden, Unauthorized
from api.openapi import error

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def check_liveness() -> dict[str, str]:
    """The process answers."""
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={
        503: error("The query workers or the store are not ready.", "the query workers or the store are not ready")
    },
)
async def check_readiness(engine: EngineDep) -> JSONResponse:
    """The query workers are up and the store answers ``ASK {}``."""
    if await engine.ready():
        return JSONResponse({"status": "ready", "generation": engine.generation})
    return JSONResponse({"detail": "the query workers or the store are not ready"}, status_code=503)


_LOOPBACK = ("127.0.0.1", "::1")
_METRICS_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Prometheus text exposition.",
        "content": {
            CONTENT_TYPE_LATEST: {
                "schema": {"type": "string"},
                "example": 'kg_http_requests_total{method="GET",route="/sparql",status="200"} 3.0\n',
            }
        },
    },
    401: error(
        "KG_METRICS_TOKEN is set and the bearer token is missing or wrong.",
        "/metrics needs 'Authorization: Bearer <KG_METRICS_TOKEN>'",
    ),
    403: error(
        "No KG_METRICS_TOKEN and the client is not on this machine.",
        "/metrics answers clients on this machine only; set KG_METRICS_TOKEN to read it remotely",
    ),
}


@router.get("/metrics", response_class=Response, responses=_METRICS_RESPONSES)
async def get_metrics(request: Request, settings: SettingsDep) -> Response:
    """Prometheus metrics: with ``KG_METRICS_TOKEN`` set, for its bearer only; without
    it, for clients on this machine only (the counts show, for one, refused tokens)."""
    if settings.metrics_token:
        scheme, _, token = (request.headers.get("authorization") or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            token.strip().encode(), settings.metrics_token.encode()
        ):
            raise Unauthorized("/metrics needs 'Authorization: Bearer <KG_METRICS_TOKEN>'")
    elif request.client is None or request.client.host not in _LOOPBACK:
        raise Forbidden("/metrics answers clients on this machine only; set KG_METRICS_TOKEN to read it remotely")
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
