"""Prometheus metrics on a per-app registry (several apps can live in one process)."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "kg_http_requests_total", "HTTP requests", ["route", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "kg_http_request_duration_seconds", "HTTP request latency", ["route", "method"], registry=self.registry
        )
        self.query_duration = Histogram(
            "kg_query_duration_seconds",
            "SPARQL query duration in the workers",
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )
        self.sparql_cache_hits = Counter(
            "kg_sparql_cache_hits_total",
            "SPARQL queries answered without running (304 or a kept answer)",
            registry=self.registry,
        )
        self.timeouts = Counter("kg_query_timeouts_total", "Queries stopped by the timeout", registry=self.registry)
        self.worker_restarts = Counter(
            "kg_query_worker_restarts_total", "Query workers restarted", registry=self.registry
        )

    def render(self) -> bytes:
        return generate_latest(self.registry)


class MetricsMiddleware:
    """Counts requests and latencies by route template (not raw path: bounded label values)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = {"code": 500}

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_wrapper)
        finally:
            route: Any = scope.get("route")
            name = getattr(route, "path", None) or "<unmatched>"
            method = scope.get("method", "")
            self.metrics.requests.labels(name, method, str(status["code"])).inc()
            self.metrics.latency.labels(name, method).observe(time.perf_counter() - started)
