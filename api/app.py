"""The app factory: the surfaces mounted, middleware, error handlers, a lifespan that opens the runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager

from fastapi import FastAPI
from fastapi.responses import JSONResponse
from prometheus_client import CollectorRegistry
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api import (
    admin,
    audit,
    bookings,
    changes,
    client_api,
    console,
    module_api,
    oauth,
    operations,
    partner_sync,
    query,
    webhooks,
)
from api.changes.watcher import ChangeWaits
from api.operations.readiness import Readiness, ReadinessProbe
from api.shared.auth import api_key_principal
from api.shared.consistency import ViewWaits
from api.shared.deps import RuntimeDep
from api.shared.envelope import ENVELOPE
from api.shared.errors import COMMON_TYPES
from api.shared.fair_share import FairShareMiddleware
from api.shared.handlers import install_error_handlers
from api.shared.idempotency import IdempotencyStore
from api.shared.metrics import RequestMetrics, RequestMetricsMiddleware
from api.shared.middleware import RequestContextMiddleware
from api.shared.mount import mount_surface
from api.shared.openapi import without_422
from api.shared.problems import ServiceUnavailableError
from api.shared.query_credentials import redact_access_log
from api.shared.rate_limit import RequestLimits
from api.shared.surface import Surface, Surfaces
from ledger.metrics import LedgerCollector
from ledger.oauth_keys import resolve_signing_keys
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from ledger.slot_keys import resolve_slot_keys

SURFACES = (
    partner_sync.SURFACE,
    audit.SURFACE,
    bookings.SURFACE,
    admin.SURFACE,
    client_api.SURFACE,
    query.SURFACE,
    oauth.SURFACE,
    webhooks.SURFACE,
    module_api.SURFACE,
    operations.SURFACE,
    changes.SURFACE,
    console.SURFACE,
)
# Paths outside every surface (health, documents, unknown paths) answer errors in the `{"error": ...}` format.
UNROUTED = Surface(name="ledger", errors=COMMON_TYPES, format=ENVELOPE, auth=api_key_principal)


class Health(BaseModel):
    status: str


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """The ledger's ASGI app; it opens its own runtime unless one is given."""
    settings = settings or (runtime.settings if runtime else Settings())
    # The app's own registry: the ledger's metrics join it once the runtime is open.
    registry = CollectorRegistry()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Here, after the server has configured its loggers.
        redact_access_log()
        async with AsyncExitStack() as stack:
            if runtime is None:
                manager = open_runtime(settings)
                app.state.runtime = await run_in_threadpool(manager.__enter__)
                stack.push_async_callback(run_in_threadpool, manager.__exit__, None, None, None)
            else:
                app.state.runtime = runtime
            app.state.limits = app.state.limits.sharing(app.state.runtime, settings)
            app.state.idempotency = IdempotencyStore(app.state.runtime.idempotency_keys())
            app.state.oauth_keys = resolve_signing_keys(app.state.runtime.settings)
            app.state.slot_keys = resolve_slot_keys(app.state.runtime.settings, app.state.oauth_keys)
            collector = LedgerCollector(app.state.runtime)
            registry.register(collector)
            stack.callback(registry.unregister, collector)
            yield

    app = FastAPI(
        title="Booking ledger",
        version="0.1.0",
        description="An event-sourced booking ledger: partner sync, bookings, query, audit and admin APIs.",
        lifespan=lifespan,
        # A slash redirect would build its Location from the Host header; a missing slash is a 404.
        redirect_slashes=False,
    )
    surfaces = Surfaces(default=UNROUTED)
    app.state.surfaces = surfaces
    app.state.limits = RequestLimits.of(settings)
    app.state.view_waits = ViewWaits(settings.consistency_wait_seconds, settings.consistency_max_waiters)
    app.state.readiness = ReadinessProbe(settings.ready_max_lag, settings.ready_timeout_seconds)
    app.state.metrics_networks = settings.metrics_networks
    app.state.metrics_registry = registry
    app.state.change_waits = ChangeWaits(settings.feed_max_waiters)
    # Added before the request-context middleware, so it runs inside it and its 429 carries the request id.
    app.add_middleware(FairShareMiddleware, settings=settings, surfaces=surfaces)
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_header_bytes=settings.max_header_bytes,
        surfaces=surfaces,
    )
    # Outermost, so that it counts refusals made before routing too.
    app.add_middleware(RequestMetricsMiddleware, metrics=RequestMetrics(registry))
    install_error_handlers(app, surfaces)
    for surface in SURFACES:
        mount_surface(app, surface)

    @app.get("/health", tags=["health"], responses=UNROUTED.responses(ServiceUnavailableError))
    def health(runtime: RuntimeDep) -> Health:
        """200 once the ledger can serve: the database answers."""
        runtime.ledger.recorder.max_notification_id()
        return Health(status="ok")

    @app.get(
        "/ready",
        tags=["health"],
        response_model=Readiness,
        responses={503: {"model": Readiness, "description": "A check failed; `failed` names it."}},
    )
    async def ready() -> JSONResponse:
        """200 while the database answers and every view is within LEDGER_READY_MAX_LAG events of the log's
        head, else 503; for load balancers. No authentication; answers within LEDGER_READY_TIMEOUT_SECONDS."""
        readiness = await app.state.readiness.check(app.state.runtime)
        status = 200 if readiness.status == "ready" else 503
        body = readiness.model_dump(exclude_none=True)
        return JSONResponse(body, status_code=status, headers={"Cache-Control": "no-store"})

    app.openapi = without_422(app)  # type: ignore[method-assign]
    return app
