"""Errors of the OAuth surface: RFC 6749 section 5.2 codes in `{"error", "error_description"}`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.shared import problems
from api.shared.errors import ErrorFormat, ErrorTable, Problem, RequestInfo
from api.shared.rate_limit import RateLimitedError
from domain.errors import (
    AccessDeniedError,
    ConcurrencyExhaustedError,
    InvalidInputError,
    LedgerError,
)


class InvalidTokenRequestError(InvalidInputError):
    """Raised when a token request lacks, repeats or malforms a parameter, or has an unreadable body."""


class InvalidClientError(AccessDeniedError):
    """Raised when the client cannot be identified or authenticated at the token endpoint."""


class InvalidGrantError(LedgerError):
    """Raised when a refresh token is invalid, expired, revoked, or was issued to another client."""


class UnauthorizedClientError(LedgerError):
    """Raised when an authenticated client lacks the scope that the OAuth grants need."""


class UnsupportedGrantTypeError(LedgerError):
    """Raised when a token request names a grant type that the server does not offer."""


class InvalidScopeError(LedgerError):
    """Raised when a token request asks for a scope or an organization beyond the client's grant."""


OAUTH_TYPES: ErrorTable = {
    LedgerError: (400, "invalid_request"),
    InvalidInputError: (400, "invalid_request"),
    AccessDeniedError: (401, "invalid_client"),
    InvalidGrantError: (400, "invalid_grant"),
    UnauthorizedClientError: (400, "unauthorized_client"),
    UnsupportedGrantTypeError: (400, "unsupported_grant_type"),
    InvalidScopeError: (400, "invalid_scope"),
    problems.PayloadTooLargeError: (413, "invalid_request"),
    problems.HeadersTooLargeError: (431, "invalid_request"),
    RateLimitedError: (429, "temporarily_unavailable"),
    problems.ServiceUnavailableError: (503, "temporarily_unavailable"),
    ConcurrencyExhaustedError: (503, "temporarily_unavailable"),
}
"""Every refusal in an RFC 6749 code; over-limit and unavailable answers use `temporarily_unavailable`."""


class OAuthErrorBody(BaseModel):
    """The error format of the OAuth token endpoint (RFC 6749 section 5.2)."""

    error: str = Field(
        examples=["invalid_client"],
        description="invalid_request, invalid_client, invalid_grant, unauthorized_client, "
        "unsupported_grant_type, invalid_scope, or temporarily_unavailable.",
    )
    error_description: str


def oauth_error(problem: Problem, _: RequestInfo) -> dict[str, Any]:
    return {"error": problem.type, "error_description": problem.message}


OAUTH_FORMAT = ErrorFormat(
    render=oauth_error,
    model=OAuthErrorBody,
    validation_type="invalid_request",
    http_types={status: "invalid_request" for status in (400, 404, 405, 413)} | {401: "invalid_client"},
)
