"""Error mapping in one place: each surface's table of status and type per error, and its error format."""

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
from starlette.types import Scope

from api import problems
from api.rate_limit import RateLimitedError
from domain import client, court_booking, court_booking_terms, organization, resource_day, user
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
ErrorTable = dict[type[Exception], tuple[int, str]]

# Entries shared by every surface; a surface's own table overrides them.
COMMON_TYPES: ErrorTable = {
    LedgerError: (400, "bad_request"),
    InvalidInputError: (400, "invalid_schema"),
    problems.PositionBeyondHeadError: (400, "position_beyond_head"),
    problems.CredentialInQueryError: (400, "credential_in_query"),
    AccessDeniedError: (403, "access_denied"),
    problems.MissingApiTokenError: (401, "missing_api_token"),
    client.InvalidApiTokenError: (401, "invalid_api_token"),
    problems.AdminTokenRequiredError: (401, "invalid_api_token"),
    NotFoundError: (404, "not_found"),
    problems.PayloadTooLargeError: (413, "payload_too_large"),
    problems.HeadersTooLargeError: (431, "headers_too_large"),
    ConflictError: (409, "conflict"),
    RateLimitedError: (429, "rate_limited"),
    problems.ServiceUnavailableError: (503, "service_unavailable"),
    ConcurrencyExhaustedError: (503, "write_contention"),
}

# The partner-sync, admin and audit surfaces: the Wingfield seed's error types.
WINGFIELD_TYPES: ErrorTable = {
    **COMMON_TYPES,
    court_booking_terms.InvalidTimeRangeError: (400, "invalid_time_range"),
    court_booking_terms.MutuallyExclusiveFieldsError: (400, "mutually_exclusive_fields_violation"),
    court_booking_terms.DuplicateEntriesError: (400, "duplicate_entries_provided"),
    problems.ScopePermissionDeniedError: (403, "scope_permission_denied"),
    problems.ExternalServiceAccessDeniedError: (403, "external_service_access_denied"),
    court_booking.OrganizationAccessDeniedError: (403, "organization_access_denied"),
    court_booking.UserAccessDeniedError: (403, "user_access_denied"),
    organization.CourtNotFoundError: (404, "court_not_found"),
    organization.OrganizationNotFoundError: (404, "organization_not_found"),
    organization.VenueNotFoundError: (404, "venue_not_found"),
    client.ClientNotFoundError: (404, "client_not_found"),
    client.ApiKeyNotFoundError: (404, "api_key_not_found"),
    user.UserNotFoundError: (404, "user_not_found"),
    court_booking.CourtBookingNotFoundError: (404, "court_booking_not_found"),
    CourtBookingVersionNotFoundError: (404, "court_booking_version_not_found"),
    court_booking.StaleWriteError: (409, "stale_write"),
    court_booking.VersionConflictError: (409, "version_conflict"),
    resource_day.CourtBookingOverlapError: (409, "court_booking_overlap"),
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
    """A surface-neutral error: status, type, message, field issues, extra headers, and any sub-problems."""

    status: int
    type: str
    message: str
    issues: list[dict[str, Any]] | None = None
    headers: dict[str, str] = field(default_factory=dict)
    parts: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class RequestInfo:
    """What an error body may quote about its request."""

    method: str
    endpoint: str
    request_id: str

    @classmethod
    def of(cls, scope: Scope) -> RequestInfo:
        route = scope.get("route")
        template = getattr(route, "path", None) or scope.get("path", "")
        request_id = str(scope.get("state", {}).get("request_id", ""))
        return cls(scope.get("method", ""), f"{scope.get('method', '')} {template}", request_id)


def envelope(problem: Problem, _: RequestInfo) -> dict[str, Any]:
    """The `{"error": {"type", "message", "issues"?}}` format: partner sync, admin and audit."""
    body: dict[str, Any] = {"type": problem.type, "message": problem.message}
    if problem.issues is not None:
        body["issues"] = problem.issues
    return {"error": body}


@dataclass(frozen=True)
class Surface:
    """One API dialect: the paths it owns, its error table, and how it renders a problem."""

    prefixes: tuple[str, ...]
    types: ErrorTable
    render: Callable[[Problem, RequestInfo], dict[str, Any]]
    validation_type: str = "invalid_schema"
    http_types: dict[int, str] = field(default_factory=lambda: HTTP_TYPES)

    def problem_for(self, error: LedgerError) -> Problem:
        status, error_type = next(self.types[cls] for cls in type(error).__mro__ if cls in self.types)
        headers = {"Retry-After": RETRY_AFTER_SECONDS} if status == 503 else {}
        if isinstance(error, RateLimitedError):
            headers["Retry-After"] = str(error.retry_after)
        if status == 401:
            headers["WWW-Authenticate"] = "Bearer"
        parts = [self.problem_for(part) for part in getattr(error, "problems", [])]
        if parts:
            # A rejection of several items answers the most basic of their statuses (404 before 409).
            status = min(part.status for part in parts)
        return Problem(status, error_type, error.message, getattr(error, "issues", None), headers, parts)

    def response(self, problem: Problem, scope: Scope) -> JSONResponse:
        return JSONResponse(
            self.render(problem, RequestInfo.of(scope)), status_code=problem.status, headers=problem.headers
        )


DEFAULT_SURFACE = Surface(("/",), WINGFIELD_TYPES, envelope)


@dataclass(frozen=True)
class Surfaces:
    """The app's surfaces; a path belongs to the first whose prefix it has, else to the default."""

    owned: tuple[Surface, ...] = ()
    default: Surface = DEFAULT_SURFACE

    def surface_for(self, path: str) -> Surface:
        return next((s for s in self.owned if path.startswith(s.prefixes)), self.default)

    def error_response(self, scope: Scope, error: LedgerError) -> JSONResponse:
        """The response for an error, in the format of the surface that owns the path."""
        surface = self.surface_for(scope.get("path", ""))
        return surface.response(surface.problem_for(error), scope)


def validation_issues(error: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "path": [part for part in issue.get("loc", ()) if part != "body"],
            "code": issue.get("type", "invalid"),
            "message": issue.get("msg", "Invalid value."),
        }
        for issue in error.errors()
    ]


def install_error_handlers(app: FastAPI, surfaces: Surfaces) -> None:
    async def on_ledger_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, LedgerError)
        return surfaces.error_response(request.scope, error)

    async def on_validation_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, RequestValidationError)
        surface = surfaces.surface_for(request.url.path)
        problem = Problem(
            400, surface.validation_type, "Request validation failed.", validation_issues(error)
        )
        return surface.response(problem, request.scope)

    async def on_http_error(request: Request, error: Exception) -> JSONResponse:
        assert isinstance(error, HTTPException)
        surface = surfaces.surface_for(request.url.path)
        error_type = surface.http_types.get(error.status_code, "http_error")
        return surface.response(Problem(error.status_code, error_type, str(error.detail)), request.scope)

    async def on_database_unavailable(request: Request, error: Exception) -> JSONResponse:
        log.warning("database unavailable: %s", type(error).__name__)
        unavailable = problems.ServiceUnavailableError("The database is unavailable.")
        return surfaces.error_response(request.scope, unavailable)

    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        problem = Problem(500, "internal_error", "An unexpected error occurred.")
        return surfaces.surface_for(request.url.path).response(problem, request.scope)

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
