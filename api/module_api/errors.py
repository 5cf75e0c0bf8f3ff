"""Errors of the module API: its error table, and the seed's `messageList` envelope that answers them."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from api.shared import problems
from api.shared.errors import SERVER_TYPES, ErrorFormat, ErrorTable, Problem, RequestInfo, http_types
from domain import appointment, booking_template, client, customer, organization, slot_ids, template_slots
from domain.errors import AccessDeniedError, InvalidInputError, LedgerError


class InvalidLocaleError(InvalidInputError):
    """Raised when the path's locale is not a language code such as `de` or `en-GB`."""


class InvalidPathIdError(InvalidInputError):
    """Raised when an id in the path is neither a UUID nor 32 hexadecimal characters."""


class OrganizationNotPermittedError(AccessDeniedError):
    """Raised when the path names an organization other than the one the access token is for."""


MODULE_TYPES: ErrorTable = {
    **SERVER_TYPES,
    LedgerError: (400, "bad_request"),
    InvalidInputError: (400, "invalid_request"),
    problems.CredentialInQueryError: (400, "credential_in_query"),
    InvalidLocaleError: (400, "invalid_locale"),
    InvalidPathIdError: (400, "invalid_id"),
    template_slots.InvalidSlotRangeError: (400, "invalid_booking_slot_range"),
    slot_ids.InvalidSlotIdError: (400, "invalid_booking_slot_id"),
    slot_ids.ExpiredSlotIdError: (400, "expired_booking_slot_id"),
    customer.InvalidCustomerError: (400, "invalid_customer"),
    customer.MissingCustomerFieldError: (400, "missing_customer_field"),
    problems.MissingApiTokenError: (401, "missing_access_token"),
    client.InvalidApiTokenError: (401, "invalid_access_token"),
    AccessDeniedError: (403, "forbidden"),
    problems.ScopePermissionDeniedError: (403, "insufficient_scope"),
    OrganizationNotPermittedError: (403, "organization_not_permitted"),
    organization.OrganizationNotFoundError: (404, "organization_not_found"),
    booking_template.BookingTemplateNotFoundError: (404, "booking_template_not_found"),
    appointment.AppointmentNotFoundError: (404, "appointment_not_found"),
    appointment.SlotTakenError: (409, "booking_slot_taken"),
    appointment.SlotNoLongerBookableError: (409, "booking_slot_unavailable"),
    appointment.AppointmentStartedError: (409, "appointment_started"),
}
MODULE_HTTP_TYPES = http_types("invalid_request", "missing_access_token")


class ModuleMessage(BaseModel):
    """One message of a `messageList`; errors have the type ERROR."""

    type: str = Field(examples=["ERROR"])
    code: str = Field(examples=["booking_slot_taken"])
    message: str = Field(examples=["The booking slot was booked by someone else in the meantime."])


class ModuleApiErrorBody(BaseModel):
    """The error format of the module API: the seed's `messageList`, the refusal first, then one entry per
    invalid field of the request."""

    messageList: list[ModuleMessage]


def issue_entries(problem: Problem) -> list[dict[str, str]]:
    """One entry per issue that has its own message (a field of a request that failed validation)."""
    entries = []
    for issue in problem.issues or ():
        if issue.get("message"):
            where = ".".join(str(part) for part in issue.get("path", ()))
            text = f"{where}: {issue['message']}" if where else str(issue["message"])
            entries.append({"type": "ERROR", "code": problem.type, "message": text})
    return entries


def render_messages(problem: Problem, message: str) -> dict[str, Any]:
    """The body of a refusal whose message, in the request's language, is `message`."""
    first = {"type": "ERROR", "code": problem.type, "message": message}
    return {"messageList": [first, *issue_entries(problem)]}


def render_english(problem: Problem, _: RequestInfo) -> dict[str, Any]:
    return render_messages(problem, problem.message)


MODULE_FORMAT = ErrorFormat(
    render=render_english,
    model=ModuleApiErrorBody,
    validation_type="invalid_request",
    http_types=MODULE_HTTP_TYPES,
)
