"""Errors of the bookings-and-orders surface (LE-KO): its codes, and its `{"errors": [...]}` format."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from api.shared import problems
from api.shared.errors import SERVER_TYPES, ErrorFormat, ErrorTable, Problem, RequestInfo, http_types
from api.shared.idempotency import IdempotencyInProgressError, IdempotencyKeyReusedError
from domain import booking_errors, client, coach_event, order
from domain.booking_commands import OrderRejectedError
from domain.errors import AccessDeniedError, InvalidInputError, LedgerError


class InvalidTraceparentError(InvalidInputError):
    """Raised when a traceparent header does not match the W3C trace-context pattern."""


class ActingUserRequiredError(InvalidInputError):
    """Raised when a call on behalf of a user lacks a valid `x-current-user-id`."""


BOOKINGS_TYPES: ErrorTable = {
    **SERVER_TYPES,
    LedgerError: (400, "validation"),
    InvalidInputError: (400, "validation"),
    problems.MissingApiTokenError: (401, "unauthorized"),
    client.InvalidApiTokenError: (401, "unauthorized"),
    problems.AdminTokenRequiredError: (401, "unauthorized"),
    AccessDeniedError: (403, "forbidden"),
    booking_errors.NotBookingOwnerError: (403, "not_booking_owner"),
    booking_errors.NotBookingPartyError: (403, "not_booking_party"),
    IdempotencyKeyReusedError: (422, "idempotency_key_reused"),
    OrderRejectedError: (409, "conflict"),
    IdempotencyInProgressError: (409, "idempotency_request_in_progress"),
    booking_errors.InvalidStatusTransitionError: (409, "invalid_status_transition"),
    booking_errors.BookingNotHappenedYetError: (409, "booking_not_happened_yet"),
    booking_errors.BookingNotCanceledError: (409, "booking_not_canceled"),
    coach_event.EventFullError: (409, "event_full"),
    coach_event.EventCanceledError: (409, "event_canceled"),
    coach_event.EventAlreadyStartedError: (409, "event_already_started"),
    coach_event.EventAlreadyBookedError: (409, "event_already_booked"),
    order.PaymentAlreadySettledError: (409, "payment_already_settled"),
}
BOOKINGS_HTTP_TYPES = http_types("validation", "unauthorized")


class ErrorEntry(BaseModel):
    code: str
    message: str
    endpoint: str
    requestId: str


class ErrorsBody(BaseModel):
    """The error format of the bookings-and-orders surface."""

    errors: list[ErrorEntry]


def render_errors(problem: Problem, info: RequestInfo) -> dict[str, Any]:
    """`{"errors": [{"code", "message", "endpoint", "requestId"}]}`: one entry per problem or field issue."""
    entries = [(part.type, part.message) for part in problem.parts]
    if not entries and problem.issues:
        entries = [
            (problem.type, f"{'.'.join(str(p) for p in issue['path'])}: {issue['message']}")
            for issue in problem.issues
        ]
    entries = entries or [(problem.type, problem.message)]
    return {
        "errors": [
            {"code": code, "message": message, "endpoint": info.endpoint, "requestId": info.request_id}
            for code, message in entries
        ]
    }


LEKO = ErrorFormat(
    render=render_errors, model=ErrorsBody, validation_type="validation", http_types=BOOKINGS_HTTP_TYPES
)
