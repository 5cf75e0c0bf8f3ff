"""Request metrics of every surface: counts and latencies per method, route template and status."""

from __future__ import annotations

import time
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
"""The route of a request that matched none: refused before routing, or an unknown path (never the raw path,
which would make one series per path a caller invents)."""
# From a 1 ms read to a 10 s wait for a view, in roughly doubling steps.
LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class RequestMetrics:
    """The request counter and latency histogram, on one registry; each series' child is looked up once."""

    def __init__(self, registry: CollectorRegistry) -> None:
        labels = ("method", "route", "status")
        self.requests = Counter("ledger_http_requests", "Requests answered.", labels, registry=registry)
        self.latency = Histogram(
            "ledger_http_request_duration_seconds",
            "Time from a request's arrival to the end of its response.",
            labels,
            registry=registry,
            buckets=LATENCY_BUCKETS,
        )
        self._series: dict[tuple[str, str, str], tuple[Any, Any]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        key = (method if method in METHODS else "OTHER", route, str(status))
        series = self._series.get(key)
        if series is None:
            series = self._series.setdefault(key, (self.requests.labels(*key), self.latency.labels(*key)))
        series[0].inc()
        series[1].observe(seconds)


def route_template(scope: Scope) -> str:
    """The path template of the route that served the request, as routing left it in the scope."""
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) else UNMATCHED


class RequestMetricsMiddleware:
    """Counts and times every HTTP request, refusals before routing included; it does no I/O of its own."""

    def __init__(self, app: ASGIApp, metrics: RequestMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app ends without starting a response

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.observe(scope["method"], route_template(scope), status, elapsed)
