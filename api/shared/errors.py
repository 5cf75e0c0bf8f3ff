"""What error mapping shares across surfaces: problems, error tables and their common entries, formats."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.responses import Response
from starlette.types import Scope

from api.shared import problems
from api.shared.rate_limit import RateLimitedError
from domain import client
from domain.errors import (
    AccessDeniedError,
    ConcurrencyExhaustedError,
    ConflictError,
    InvalidInputError,
    LedgerError,
    NotFoundError,
)

RETRY_AFTER_SECONDS = "2"
ErrorTable = dict[type[Exception], tuple[int, str]]
"""Status and type per error class; an error takes the entry of the nearest class in its MRO."""

# How the surfaces type what no domain rule of theirs explains: a missing or conflicting thing, a request
# over a size limit or the rate limit, and a database that is unavailable or too contended.
SERVER_TYPES: ErrorTable = {
    NotFoundError: (404, "not_found"),
    ConflictError: (409, "conflict"),
    problems.PayloadTooLargeError: (413, "payload_too_large"),
    RateLimitedError: (429, "rate_limited"),
    problems.HeadersTooLargeError: (431, "headers_too_large"),
    problems.ServiceUnavailableError: (503, "service_unavailable"),
    ConcurrencyExhaustedError: (503, "write_contention"),
}
# Entries shared by the surfaces in the `{"error": {...}}` format; a surface's own entries override them.
COMMON_TYPES: ErrorTable = {
    **SERVER_TYPES,
    LedgerError: (400, "bad_request"),
    InvalidInputError: (400, "invalid_schema"),
    problems.PositionBeyondHeadError: (400, "position_beyond_head"),
    problems.CredentialInQueryError: (400, "credential_in_query"),
    AccessDeniedError: (403, "access_denied"),
    problems.MissingApiTokenError: (401, "missing_api_token"),
    client.InvalidApiTokenError: (401, "invalid_api_token"),
    problems.AdminTokenRequiredError: (401, "invalid_api_token"),
}
REQUEST_ERRORS: tuple[type[Exception], ...] = (
    InvalidInputError,
    problems.CredentialInQueryError,
    problems.HeadersTooLargeError,
    problems.ServiceUnavailableError,
    ConcurrencyExhaustedError,
)
"""What any route may answer: a malformed request, a credential in the query, oversized headers, and the
database being unavailable or too contended."""


def http_types(invalid: str, unauthenticated: str) -> dict[int, str]:
    """The types of routing's HTTP errors, in a surface that types a malformed request `invalid` and a
    request without a credential `unauthenticated`."""
    return {
        400: invalid,
        401: unauthenticated,
        404: "not_found",
        405: "method_not_allowed",
        413: "payload_too_large",
    }


HTTP_TYPES = http_types("invalid_schema", "missing_api_token")


def entry_for(table: ErrorTable, error: type[Exception]) -> tuple[int, str]:
    """The status and type of an error class: the entry of the nearest class in its MRO."""
    return next(table[cls] for cls in error.__mro__ if cls in table)


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


@dataclass(frozen=True)
class ErrorFormat:
    """How a surface writes its errors: the body of a problem, the body's schema, and the types it gives
    to a request that fails validation and to the HTTP errors of routing."""

    render: Callable[[Problem, RequestInfo], dict[str, Any]]
    model: type[BaseModel]
    validation_type: str = "invalid_schema"
    http_types: Mapping[int, str] = field(default_factory=lambda: HTTP_TYPES)
    respond: Callable[[Problem, RequestInfo], Response] | None = None
    """Answers a problem itself, for a surface whose errors are not JSON bodies (the console's pages)."""


def validation_issues(error: RequestValidationError) -> list[dict[str, Any]]:
    return [
        {
            "path": [part for part in issue.get("loc", ()) if part != "body"],
            "code": issue.get("type", "invalid"),
            "message": issue.get("msg", "Invalid value."),
        }
        for issue in error.errors()
    ]
