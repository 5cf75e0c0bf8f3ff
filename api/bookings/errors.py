"""Errors of the bookings-and-orders surface (LE-KO): its codes, and its `{"errors": [...]}` format."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from api.shared import problems
from api.shared.errors import ErrorFormat, ErrorTable, Problem, RequestInfo
from api.shared.idempotency import IdempotencyInProgressError, IdempotencyKeyReusedError
from api.shared.rate_limit import RateLimitedError
from domain import booking_errors, client, coach_event, order
from domain.booking_commands import OrderRejectedError
from domain.errors import (
    AccessDeniedError,
    ConcurrencyExhaustedError,
    ConflictError,
    InvalidInputError,
    LedgerError,
    NotFoundError,
)


class InvalidTraceparentError(InvalidInputError):
    """Raised when a traceparent header does not match the W3C trace-context pattern."""


class ActingUserRequiredError(InvalidInputError):
    """Raised when a call on behalf of a user lacks a valid `x-current-user-id`."""


BOOKINGS_TYPES: ErrorTable = {
    LedgerError: (400, "validation"),
    InvalidInputError: (400, "validation"),
    problems.MissingApiTokenError: (401, "unauthorized"),
    client.InvalidApiTokenError: (401, "unauthorized"),
    problems.AdminTokenRequiredError: (401, "unauthorized"),
    AccessDeniedError: (403, "forbidden"),
    booking_errors.NotBookingOwnerError: (403, "not_booking_owner"),
    booking_errors.NotBookingPartyError: (403, "not_booking_party"),
    NotFoundError: (404, "not_found"),
    problems.PayloadTooLargeError: (413, "payload_too_large"),
    problems.HeadersTooLargeError: (431, "headers_too_large"),
    IdempotencyKeyReusedError: (422, "idempotency_key_reused"),
    ConflictError: (409, "conflict"),
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
    RateLimitedError: (429, "rate_limited"),
    problems.ServiceUnavailableError: (503, "service_unavailable"),
    ConcurrencyExhaustedError: (503, "write_contention"),
}
BOOKINGS_HTTP_TYPES = {
    400: "validation",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
}


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
