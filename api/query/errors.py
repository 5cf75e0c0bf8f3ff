"""Errors of the query surface: the Plinth seed's statuses in its `{"error": "<message>"}` format."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.shared import problems
from api.shared.errors import COMMON_TYPES, ErrorFormat, ErrorTable, Problem, RequestInfo
from domain import client
from domain.errors import AccessDeniedError, InvalidInputError


class MissingOrganisationError(InvalidInputError):
    """Raised when a query names no `organisationId`."""


class InvalidOrganisationIdError(InvalidInputError):
    """Raised when an `organisationId` is not a UUID, so no organisation has it."""


class OrganisationNotGrantedError(AccessDeniedError):
    """Raised when the caller's key is not granted the organisation it queries."""


class UnknownFilterFieldError(InvalidInputError):
    """Raised when a query filters by a field that the booking document does not have."""


class InvalidFilterValueError(InvalidInputError):
    """Raised when a filter's value is not of its field's type (a boolean, a number, an instant)."""


class InvalidDateFormatError(InvalidFilterValueError):
    """Raised when a `date` filter is not a calendar date written YYYY-MM-DD."""


class RepeatedParameterError(InvalidInputError):
    """Raised when a query gives one parameter more than once."""


class InvalidPageError(InvalidInputError):
    """Raised when `limit` or `offset` is not a non-negative integer in range."""


# The seed answers every refusal of the caller with 401, a missing scope or organisation grant included.
QUERY_TYPES: ErrorTable = {
    **COMMON_TYPES,
    InvalidInputError: (400, "bad_request"),
    AccessDeniedError: (401, "unauthorized"),
    problems.MissingApiTokenError: (401, "unauthorized"),
    client.InvalidApiTokenError: (401, "unauthorized"),
    problems.AdminTokenRequiredError: (401, "unauthorized"),
}
QUERY_HTTP_TYPES = {400: "bad_request", 401: "unauthorized", 404: "not_found", 405: "method_not_allowed"}


class QueryError(BaseModel):
    """The error format of the query surface."""

    error: str = Field(examples=["Invalid date format: date must be YYYY-MM-DD."])


def render_error(problem: Problem, _: RequestInfo) -> dict[str, Any]:
    """`{"error": "<message>"}`, the message followed by what was wrong with each field, if known."""
    details = [
        f"{'.'.join(str(part) for part in issue.get('path', ()))}: {issue.get('message', '')}"
        for issue in problem.issues or ()
    ]
    return {"error": " ".join([problem.message, *details])}


QUERY_FORMAT = ErrorFormat(
    render=render_error, model=QueryError, validation_type="bad_request", http_types=QUERY_HTTP_TYPES
)
