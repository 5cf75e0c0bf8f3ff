"""Error mapping in one place: domain and HTTP errors to a status, a type, and the surface's error format."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from eventsourcing.persistence import InterfaceError as StoreInterfaceError
from eventsourcing.persistence import OperationalError as StoreOperationalError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from api import problems
from domain import client, court_booking, organization, resource_day, user
from domain.court_booking_commands import CourtBookingVersionNotFoundError
from domain.errors import (
    AccessDeniedError,
    ConcurrencyExhaustedError,
    ConflictError,
    InvalidInputError,
    LedgerError,
    NotFoundError,
)

log = logging.getLogger("ledger.api")
RETRY_AFTER_SECONDS = "2"

# Status and error type per error class; a class not listed takes the entry of its nearest base.
ERROR_TYPES: dict[type[Exception], tuple[int, str]] = {
    LedgerError: (400, "bad_request"),
    InvalidInputError: (400, "invalid_schema"),
    problems.RequestSchemaError: (400, "invalid_schema"),
    court_booking.InvalidTimeRangeError: (400, "invalid_time_range"),
    court_booking.MutuallyExclusiveFieldsError: (400, "mutually_exclusive_fields_violation"),
    court_booking.DuplicateEntriesError: (400, "duplicate_entries_provided"),
    AccessDeniedError: (403, "access_denied"),
    problems.MissingApiTokenError: (401, "missing_api_token"),
    client.InvalidApiTokenError: (401, "invalid_api_token"),
    problems.AdminTokenRequiredError: (401, "invalid_api_token"),
    problems.ScopePermissionDeniedError: (403, "scope_permission_denied"),
    problems.ExternalServiceAccessDeniedError: (403, "external_service_access_denied"),
    court_booking.OrganizationAccessDeniedError: (403, "organization_access_denied"),
    court_booking.UserAccessDeniedError: (403, "user_access_denied"),
    NotFoundError: (404, "not_found"),
    organization.CourtNotFoundError: (404, "court_not_found"),
    organization.OrganizationNotFoundError: (404, "organization_not_found"),
    organization.VenueNotFoundError: (404, "venue_not_found"),
    client.ClientNotFoundError: (404, "client_not_found"),
    client.ApiKeyNotFoundError: (404, "api_key_not_found"),
    user.UserNotFoundError: (404, "user_not_found"),
    court_booking.CourtBookingNotFoundError: (404, "court_booking_not_found"),
    CourtBookingVersionNotFoundError: (404, "court_booking_version_not_found"),
    problems.PayloadTooLargeError: (413, "payload_too_large"),
    ConflictError: (409, "conflict"),
    court_booking.StaleWriteError: (409, "stale_write"),
    court_booking.VersionConflictError: (409, "version_conflict"),
    ConcurrencyExhaustedError: (409, "version_conflict"),
    resource_day.CourtBookingOverlapError: (409, "court_booking_overlap"),
    problems.ServiceUnavailableError: (503, "service_unavailable"),
}
HTTP_TYPES = {
    400: "invalid_schema",
    401: "missing_api_token",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}


@dataclass(frozen=True)
class Problem:
    """A surface-neutral error: status, type, message, optional field issues and extra headers."""

    status: int
    type: str
    message: str
    issues: list[dict[str, Any]] | None = None
    headers: dict[str, str] = field(default_factory=dict)


def problem_for(error: LedgerError) -> Problem:
    for cls in type(error).__mro__:
        if cls in ERROR_TYPES:
            status, error_type = ERROR_TYPES[cls]
            break
    headers = {"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else {}
    if status == 401:
        headers["WWW-Authenticate"] = "Bearer"
    issues = getattr(error, "issues", None)
    return Problem(status, error_type, error.message, issues, headers)


def validation_issues(error: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "path": [part for part in issue.get("loc", ()) if part != "body"],
            "code": issue.get("type", "invalid"),
            "message": issue.get("msg", "Invalid value."),
        }
        for issue in error.errors()
    ]


def envelope(problem: Problem) -> dict[str, Any]:
    """The `{"error": {"type", "message", "issues"?}}` format: partner sync, admin and audit."""
    body: dict[str, Any] = {"type": problem.type, "message": problem.message}
    if problem.issues is not None:
        body["issues"] = problem.issues
    return {"error": body}


# The error format of each surface by path prefix; the first match wins, the last entry is the default.
SURFACE_FORMATS: list[tuple[str, Callable[[Problem], dict[str, Any]]]] = [("/", envelope)]


def problem_response(path: str, problem: Problem) -> JSONResponse:
    formatter = next(fmt for prefix, fmt in SURFACE_FORMATS if path.startswith(prefix))
    return JSONResponse(formatter(problem), status_code=problem.status, headers=problem.headers)


def install_error_handlers(app: FastAPI) -> None:
    async def on_ledger_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, LedgerError)
        return problem_response(request.url.path, problem_for(error))

    async def on_validation_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        problem = Problem(400, "invalid_schema", "Request validation failed.", validation_issues(error))
        return problem_response(request.url.path, problem)

    async def on_http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        problem = Problem(
            error.status_code, HTTP_TYPES.get(error.status_code, "http_error"), str(error.detail), None
        )
        return problem_response(request.url.path, problem)

    async def on_database_unavailable(request: Request, error: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", type(error).__name__)
        return problem_response(
            request.url.path, problem_for(problems.ServiceUnavailableError("The database is unavailable."))
        )

    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return problem_response(
            request.url.path, Problem(500, "internal_error", "An unexpected error occurred.")
        )

    app.add_exception_handler(LedgerError, on_ledger_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(HTTPException, on_http_error)
    for database_error in (
        psycopg.OperationalError,
        psycopg.InterfaceError,
        StoreOperationalError,
        StoreInterfaceError,
    ):
        app.add_exception_handler(database_error, on_database_unavailable)
    app.add_exception_handler(Exception, on_unexpected)
