"""Errors of the client API as its seed gives them: `{"detail"}` for 401 and 403, else `{"error"}`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, RootModel

from api.shared import problems
from api.shared.errors import COMMON_TYPES, ErrorFormat, ErrorTable, Problem, RequestInfo, http_types
from api.shared.idempotency import IdempotencyInProgressError, IdempotencyKeyReusedError
from domain import (
    availability,
    booking_checks,
    calendar,
    client,
    client_mappings,
    organization,
    payments,
    resource_booking_commands,
    resource_booking_errors,
    user,
    user_mapping_commands,
    venue_mappings,
)
from domain.errors import AccessDeniedError, InvalidInputError, NotFoundError
from domain.mapping_lists import InvalidPageError

NOT_AUTHENTICATED = "Authentication credentials were not provided."
INVALID_TOKEN = "Invalid token."  # noqa: S105 (a message, not a credential)
PERMISSION_DENIED = "You do not have permission to perform this action."
DETAIL_STATUSES = (401, 403)
NON_FIELD = "non_field_errors"
# Where an issue's location names where the value came from rather than which field it is.
SOURCES = ("body", "query", "header", "path")

CLIENT_API_TYPES: ErrorTable = {
    **COMMON_TYPES,
    InvalidInputError: (400, "invalid"),
    client_mappings.InvalidExternalIdError: (400, "invalid_external_id"),
    client_mappings.InvalidExternalDataError: (400, "invalid_external_data"),
    user.InvalidEmailError: (400, "invalid_email"),
    organization.InvalidNameError: (400, "invalid_name"),
    venue_mappings.InvalidApprovalStatusError: (400, "invalid_approval_status"),
    InvalidPageError: (400, "invalid_page"),
    user_mapping_commands.UserIdentificationRequiredError: (400, "user_identification_required"),
    user_mapping_commands.UserIdentityMismatchError: (400, "user_identity_mismatch"),
    calendar.InvalidDateRangeError: (400, "invalid_date_range"),
    availability.InvalidIntervalError: (400, "invalid_interval"),
    resource_booking_errors.InvalidBookingTextError: (400, "invalid_booking_text"),
    booking_checks.ResourceNotBookableError: (400, "resource_not_bookable"),
    booking_checks.MisalignedBookingError: (400, "misaligned_booking"),
    booking_checks.BookingTooShortError: (400, "booking_too_short"),
    booking_checks.BookingTooLongError: (400, "booking_too_long"),
    booking_checks.BookingTooSoonError: (400, "booking_too_soon"),
    booking_checks.BookingTooFarAheadError: (400, "booking_too_far_ahead"),
    booking_checks.ParticipantCountError: (400, "invalid_participant_count"),
    booking_checks.OutsideOpeningHoursError: (400, "outside_opening_hours"),
    booking_checks.UnbookableGapError: (400, "unbookable_gap"),
    booking_checks.SlotNotAvailableError: (400, "slot_not_available"),
    resource_booking_errors.ResourceBookingStatusError: (400, "invalid_booking_status"),
    resource_booking_errors.BookingAlreadyCancelledError: (400, "booking_already_cancelled"),
    resource_booking_errors.BookingExpiredError: (400, "booking_expired"),
    resource_booking_errors.BookingNotPayableError: (400, "booking_not_payable"),
    payments.OnlinePaymentNotConfiguredError: (400, "online_payment_not_configured"),
    payments.PaymentRefusedError: (400, "payment_refused"),
    payments.PaymentProviderUnavailableError: (503, "payment_provider_unavailable"),
    payments.PaymentIntentTakenError: (409, "payment_intent_taken"),
    problems.MissingApiTokenError: (401, "not_authenticated"),
    client.InvalidApiTokenError: (401, "authentication_failed"),
    AccessDeniedError: (403, "permission_denied"),
    venue_mappings.VenueNotMappedError: (403, "venue_not_mapped"),
    venue_mappings.VenueMappingNotApprovedError: (403, "venue_not_approved"),
    NotFoundError: (404, "not_found"),
    user_mapping_commands.UserMappingNotFoundError: (404, "user_not_found"),
    client_mappings.ResourceMappingNotFoundError: (404, "resource_not_found"),
    venue_mappings.VenueMappingNotFoundError: (404, "venue_not_found"),
    organization.ResourceNotFoundError: (404, "resource_not_found"),
    organization.VenueNotFoundError: (404, "venue_not_found"),
    resource_booking_errors.ResourceBookingNotFoundError: (404, "booking_not_found"),
    client_mappings.ExternalIdConflictError: (409, "external_id_conflict"),
    client_mappings.AlreadyMappedError: (409, "already_mapped"),
    resource_booking_commands.BookingIdTakenError: (409, "booking_id_taken"),
    IdempotencyInProgressError: (409, "idempotency_request_in_progress"),
    IdempotencyKeyReusedError: (422, "idempotency_key_reused"),
}
# The field that a refused value of each type belongs to, for the `fields` of a 400.
FIELD_OF_TYPE = {
    "invalid_external_id": "external_id",
    "invalid_external_data": "external_data",
    "invalid_email": "email",
    "invalid_approval_status": "approval_status",
    "invalid_date_range": "end_date",
    "invalid_interval": "end_datetime",
    "invalid_participant_count": "participant_count",
}
CLIENT_API_HTTP_TYPES = http_types("invalid", "not_authenticated")


class ClientApiError(BaseModel):
    """An error of the client API other than authentication and permission; `fields` names refused values."""

    error: str = Field(examples=["No user found with external_id: your-user-123"])
    fields: dict[str, list[str]] | None = Field(
        default=None, examples=[{"limit": ["Input should be less than or equal to 1000"]}]
    )


class ClientApiDetail(BaseModel):
    """A refused authentication (401) or permission (403)."""

    detail: str = Field(examples=[NOT_AUTHENTICATED])


class ClientApiErrorBody(RootModel[ClientApiError | ClientApiDetail]):
    """The error format of the client API: `{"detail"}` for 401 and 403, `{"error", "fields"?}` otherwise."""


def field_errors(problem: Problem) -> dict[str, list[str]]:
    """Messages per field: from the issues of a request that failed validation, or the refused type."""
    fields: dict[str, list[str]] = {}
    for issue in problem.issues or []:
        path = [str(part) for part in issue.get("path", [])]
        if path and path[0] in SOURCES:
            path = path[1:]
        fields.setdefault(".".join(path) or NON_FIELD, []).append(str(issue.get("message", "Invalid value.")))
    if not fields and problem.type in FIELD_OF_TYPE:
        fields[FIELD_OF_TYPE[problem.type]] = [problem.message]
    return fields


def render(problem: Problem, _: RequestInfo) -> dict[str, Any]:
    if problem.status in DETAIL_STATUSES:
        return {"detail": problem.message}
    body: dict[str, Any] = {"error": problem.message}
    fields = field_errors(problem) if problem.status == 400 else {}
    if fields:
        body["fields"] = fields
    return body


CLIENT_API_FORMAT = ErrorFormat(
    render=render, model=ClientApiErrorBody, validation_type="invalid", http_types=CLIENT_API_HTTP_TYPES
)
