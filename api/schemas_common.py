"""Types shared by the surfaces' schemas: bounded aware datetimes, external ids, error bodies."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path
from pydantic import BaseModel, Field

# Defined outside the API, since `ledger admin` validates its bodies with them too.
from ledger.instants import BodyInstant as BodyInstant
from ledger.instants import Instant as Instant

EXTERNAL_ID_PATTERN = r"^[^\x00-\x1f\x7f]+$"
FREE_TEXT_PATTERN = r"^[^\x00]*$"
"""Free text (notes, reasons) may hold line breaks but never NUL, which PostgreSQL text cannot store."""
ExternalIdPath = Annotated[
    str,
    Path(
        min_length=1,
        max_length=255,
        pattern=EXTERNAL_ID_PATTERN,
        description="Your system's booking identifier (1 to 255 characters, no control characters).",
    ),
]


class ErrorDetail(BaseModel):
    type: str = Field(examples=["court_not_found"])
    message: str
    issues: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    """The error format of the partner-sync, admin and audit surfaces."""

    error: ErrorDetail


ERROR_DESCRIPTIONS = {
    400: "Invalid request: invalid_schema, mutually_exclusive_fields_violation, duplicate_entries_provided, "
    "invalid_time_range.",
    401: "missing_api_token or invalid_api_token.",
    403: "scope_permission_denied, external_service_access_denied, organization_access_denied, "
    "user_access_denied.",
    404: "The named resource does not exist.",
    409: "stale_write, version_conflict or court_booking_overlap.",
    413: "payload_too_large: the body exceeds 1 MiB.",
    431: "headers_too_large: the request headers exceed 16 KiB.",
    429: "rate_limited: too many requests from this client; retry after Retry-After seconds.",
    503: "service_unavailable (the database cannot be reached) or write_contention (concurrent changes "
    "outlasted the write's retries; nothing was written): retry after Retry-After seconds.",
}


def error_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI declarations of one route's error responses; authenticated routes may answer 429 and 431."""
    declared = (*statuses, 429, 431) if 401 in statuses else statuses
    return {status: {"model": ErrorBody, "description": ERROR_DESCRIPTIONS[status]} for status in declared}
