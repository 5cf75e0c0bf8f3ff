"""Router of the query surface: an organisation's bookings with filters and profiles; its profile schema."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Path, Response
from fastapi.responses import JSONResponse

from api.query.deps import Analyst, Consistency, ParsedBookingsRequest, granted_organisation
from api.query.errors import (
    InvalidDateFormatError,
    InvalidFilterValueError,
    InvalidOrganisationIdError,
    InvalidPageError,
    MissingOrganisationError,
    RepeatedParameterError,
    UnknownFilterFieldError,
)
from api.query.profiles import profile_of, shown_fields
from api.query.schemas import BookingsPageOut, SchemaResponse
from api.query.surface import SURFACE
from api.shared.deps import RuntimeDep
from api.shared.problems import PositionBeyondHeadError
from domain.organization import OrganizationNotFoundError
from projections.analytics_bookings import AnalyticsBookingsView
from projections.booking_facts import DOCUMENT_FIELDS

router = SURFACE.router(prefix="/api/v1", tags=["query"])
# The seed's common filters, documented; any other field of the booking document filters as well.
COMMON_FILTERS = {
    "eventId": ("string", "Bookings of this event."),
    "date": ("string", "Bookings on this local date, YYYY-MM-DD."),
    "memberId": ("string", "Bookings of this member."),
    "attending": ("boolean", "Attendance: true or false, in any case."),
    "userStatus": ("string", "The member's status: pending, confirmed, rejected, cancelled, disputed."),
    "orgStatus": ("string", "The organisation's status: pending, approved, rejected, cancelled."),
    "bookingType": ("string", "The kind of booking: court, coach-event."),
}
FILTER_PARAMETERS = [
    {"name": name, "in": "query", "required": False, "description": text, "schema": {"type": kind}}
    for name, (kind, text) in COMMON_FILTERS.items()
]
ORGANISATION_ERRORS = (MissingOrganisationError, InvalidOrganisationIdError, OrganizationNotFoundError)


def answer(body: dict[str, Any], response: Response) -> JSONResponse:
    """The body, sent as built (its fields are the document's), with the headers dependencies set."""
    headers = {name: value for name, value in response.headers.items() if name != "content-length"}
    return JSONResponse(body, headers=headers)


@router.get(
    "/bookings",
    summary="List an organisation's bookings",
    response_model=BookingsPageOut,
    openapi_extra={"parameters": FILTER_PARAMETERS},
    responses=SURFACE.responses(
        *ORGANISATION_ERRORS,
        UnknownFilterFieldError,
        InvalidFilterValueError,
        InvalidDateFormatError,
        RepeatedParameterError,
        InvalidPageError,
        PositionBeyondHeadError,
    ),
)
def list_bookings(
    analyst: Analyst,
    parsed: ParsedBookingsRequest,
    consistency: Consistency,
    runtime: RuntimeDep,
    response: Response,
) -> JSONResponse:
    """Every kind of booking of the organisation, filtered by any field of the booking document (several at
    once), ordered by start then bookingId, each with the member's profile fields; waits up to 5 s for
    `consistentWith`."""
    query = parsed.query
    schema = runtime.ledger.profile_schema(query.organisation_id)
    fields = shown_fields(schema.fields, parsed.profile_fields)
    page = runtime.view(AnalyticsBookingsView).read_page(query)
    bookings: list[dict[str, Any]] = []
    for document in page.documents:
        booking = {name: document.get(name) for name in DOCUMENT_FIELDS}
        booking["profile"] = profile_of(query.organisation_id, booking["memberId"], page.profiles, fields)
        bookings.append(booking)
    body = {"bookings": bookings, "offset": query.offset, "limit": query.limit, "total": page.total}
    return answer(body, response)


@router.get(
    "/schemas/{organisationId}",
    summary="Get an organisation's profile schema",
    response_model=SchemaResponse,
    responses=SURFACE.responses(*ORGANISATION_ERRORS),
)
def get_schema(
    organisationId: Annotated[str, Path(description="The organisation's id.")],
    analyst: Analyst,
    runtime: RuntimeDep,
    response: Response,
) -> JSONResponse:
    """The profile fields the organisation keeps; their ids are what `profileFields` names."""
    organisation_id = granted_organisation(analyst, organisationId)
    schema = runtime.ledger.profile_schema(organisation_id)
    body = {
        "schema": {
            "organisationId": str(organisation_id),
            "schemaId": schema.schema_id,
            "name": schema.name,
            "fields": [field.as_dict() for field in schema.fields],
        }
    }
    return answer(body, response)
