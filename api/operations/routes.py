"""`GET /metrics`: this process's metrics, for the admin token or a caller from a configured range."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest

from api.operations.surface import SURFACE
from domain.context import Principal
from ledger.runtime import Runtime

router = SURFACE.router(tags=["operations"])
NO_STORE = {"Cache-Control": "no-store"}


def metrics_reader(request: Request) -> Principal:
    # Not the shared RuntimeDep, which answers 503 while the database is down: metrics are read then too.
    runtime: Runtime = request.app.state.runtime
    return SURFACE.auth(request, runtime)


METRICS_TEXT: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/plain": {}}, "description": "Prometheus' text format."}
}


@router.get("/metrics", response_class=Response, responses=METRICS_TEXT | SURFACE.responses())
def metrics(request: Request, _: Annotated[Principal, Depends(metrics_reader)]) -> Response:
    """This process's metrics in Prometheus' text format: requests by route and status, command retries,
    each view's lag and runner, and the connection pool. For the admin token, or from
    LEDGER_METRICS_NETWORKS."""
    registry: CollectorRegistry = request.app.state.metrics_registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST, headers=NO_STORE)
