"""The app's exception handlers: each answers in the format of the surface that the request belongs to."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException

from api.shared import problems
from api.shared.errors import Problem, validation_issues
from api.shared.surface import Surfaces
from domain.errors import LedgerError
from ledger.storage_errors import DATABASE_UNAVAILABLE_ERRORS

log = logging.getLogger("ledger.api")


def install_error_handlers(app: FastAPI, surfaces: Surfaces) -> None:
    async def on_ledger_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, LedgerError)
        return surfaces.error_response(request.scope, error)

    async def on_validation_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, RequestValidationError)
        surface = surfaces.surface_for(request.scope)
        problem = Problem(
            400, surface.format.validation_type, "Request validation failed.", validation_issues(error)
        )
        return surface.response(problem, request.scope)

    async def on_http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, HTTPException)
        surface = surfaces.surface_for(request.scope)
        error_type = surface.format.http_types.get(error.status_code, "http_error")
        return surface.response(Problem(error.status_code, error_type, str(error.detail)), request.scope)

    async def on_database_unavailable(request: Request, error: Exception) -> Response:
        log.warning("database unavailable: %s", type(error).__name__)
        unavailable = problems.ServiceUnavailableError("The database is unavailable.")
        return surfaces.error_response(request.scope, unavailable)

    async def on_unexpected(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        problem = Problem(500, "internal_error", "An unexpected error occurred.")
        return surfaces.surface_for(request.scope).response(problem, request.scope)

    app.add_exception_handler(LedgerError, on_ledger_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    for database_error in DATABASE_UNAVAILABLE_ERRORS:
        app.add_exception_handler(database_error, on_database_unavailable)
    app.add_exception_handler(Exception, on_unexpected)
