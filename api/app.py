"""The app factory: routers, middleware, error handlers, and a lifespan that opens the runtime."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel
from starlette.concurrency import run_in_threadpool

from api import admin, audit, bookings_orders, partner_sync
from api.bookings_errors import BOOKINGS_SURFACE
from api.consistency import ViewWaits
from api.deps import RuntimeDep
from api.errors import Surfaces, install_error_handlers
from api.fair_share import FairShareMiddleware
from api.idempotency import IdempotencyStore
from api.middleware import RequestContextMiddleware
from api.query_credentials import redact_access_log
from api.rate_limit import RequestLimits
from api.schemas_common import error_responses
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings


class Health(BaseModel):
    status: str


def _without_422(app: FastAPI) -> Callable[[], dict[str, Any]]:
    """OpenAPI without FastAPI's default 422: validation errors answer 400 in the surface's format."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title, version=app.version, description=app.description, routes=app.routes
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            for path in schema.get("paths", {}).values():
                for operation in path.values():
                    responses = operation.get("responses", {})
                    if "HTTPValidationError" in str(responses.get("422", "")):
                        del responses["422"]
                    for content in operation.get("requestBody", {}).get("content", {}).values():
                        components.update(content.get("schema", {}).pop("$defs", {}))
            for name in ("HTTPValidationError", "ValidationError"):
                schema.get("components", {}).get("schemas", {}).pop(name, None)
            app.openapi_schema = schema
        return app.openapi_schema

    return openapi


def create_app(settings: Settings | None = None, runtime: Runtime | None = None) -> FastAPI:
    """The ledger's ASGI app; it opens its own runtime unless one is given."""
    settings = settings or (runtime.settings if runtime else Settings())

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
            app.state.idempotency = IdempotencyStore(
                app.state.runtime.court_bookings.datastore,
                settings.idempotency_wait_seconds,
                settings.idempotency_lease_seconds,
            )
            await run_in_threadpool(app.state.idempotency.create_table)
            yield

    app = FastAPI(
        title="Booking ledger",
        version="0.1.0",
        description="An event-sourced booking ledger: partner sync, audit and admin APIs.",
        lifespan=lifespan,
        # A slash redirect would build its Location from the Host header; a missing slash is a 404.
        redirect_slashes=False,
    )
    surfaces = Surfaces(owned=(BOOKINGS_SURFACE,))
    app.state.surfaces = surfaces
    app.state.limits = RequestLimits.of(settings)
    app.state.view_waits = ViewWaits(settings.consistency_wait_seconds, settings.consistency_max_waiters)
    # Added before the request-context middleware, so it runs inside it and its 429 carries the request id.
    app.add_middleware(FairShareMiddleware, settings=settings, surfaces=surfaces)
    app.add_middleware(
        RequestContextMiddleware,
        max_body_bytes=settings.max_body_bytes,
        max_header_bytes=settings.max_header_bytes,
        surfaces=surfaces,
    )
    install_error_handlers(app, surfaces)
    app.include_router(partner_sync.router)
    app.include_router(audit.router)
    app.include_router(bookings_orders.router)
    app.include_router(admin.router)

    @app.get("/health", tags=["health"], responses=error_responses(503))
    def health(runtime: RuntimeDep) -> Health:
        """200 once the ledger can serve: the database answers."""
        runtime.ledger.recorder.max_notification_id()
        return Health(status="ok")

    app.openapi = _without_422(app)  # type: ignore[method-assign]
    return app
