"""Router of the partner-sync surface: court bookings upserted, read, cancelled and listed by external id."""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Annotated, Literal
from uuid import UUID

from fastapi import APIRouter, Depends, Path, Query, Response

from api.consistency import consistent_with
from api.deps import RuntimeDep, body_openapi, context_of, json_body, require_service_scope
from api.partner_schemas import CourtBookingIn, CourtBookingOut, CourtBookingPage, court_booking_from_row
from api.problems import RequestSchemaError
from api.schemas_common import ExternalIdPath, Instant, error_responses
from domain.app_base import Saved
from domain.context import Principal, RequestContext
from domain.court_booking import CourtBooking
from ledger.runtime import Runtime
from projections.court_bookings import CourtBookingFilter

router = APIRouter(
    prefix="/api/v1/external-services/{externalServiceId}/court-bookings", tags=["court bookings"]
)

Reader = Annotated[Principal, Depends(require_service_scope("court-bookings:read"))]
write_context = context_of(require_service_scope("court-bookings:write"))
WriteContext = Annotated[RequestContext, Depends(write_context)]
UpsertBody = Annotated[CourtBookingIn, Depends(json_body(CourtBookingIn, write_context))]
ServiceId = Annotated[UUID, Path(description="External service ID (UUID): the client's id.")]
Consistency = Annotated[bool | None, Depends(consistent_with(lambda runtime: runtime.court_bookings))]
BY_EXTERNAL_ID = "/by-external-id/{externalCourtBookingId}"
MAX_LIMIT = 1000


def _single(response: Response, booking: CourtBooking) -> CourtBookingOut:
    response.headers["ETag"] = f'"{booking.version}"'
    return CourtBookingOut.of(booking)


def _written(response: Response, runtime: Runtime, saved: Saved[CourtBooking]) -> CourtBookingOut:
    if saved.created:
        response.status_code = 201
    response.headers["X-Ledger-Position"] = str(runtime.reported_position(saved.position))
    return _single(response, saved.value)


@router.put(
    BY_EXTERNAL_ID,
    summary="Upsert court booking",
    openapi_extra=body_openapi(CourtBookingIn),
    responses={
        201: {"model": CourtBookingOut, "description": "Created."},
        **error_responses(400, 401, 403, 404, 409, 413, 503),
    },
)
def upsert_court_booking(
    externalServiceId: ServiceId,
    externalCourtBookingId: ExternalIdPath,
    body: UpsertBody,
    ctx: WriteContext,
    runtime: RuntimeDep,
    response: Response,
) -> CourtBookingOut:
    """Create or update a booking by external booking id with stale-write protection."""
    outcome = runtime.ledger.upsert_court_booking(
        ctx,
        externalServiceId,
        externalCourtBookingId,
        body.courtId,
        body.startDate,
        body.endDate,
        body.participant_pairs(),
        body.externalUpdatedAt,
    )
    return _written(response, runtime, outcome)


@router.get(BY_EXTERNAL_ID, summary="Get court booking", responses=error_responses(400, 401, 403, 404, 503))
def get_court_booking(
    externalServiceId: ServiceId,
    externalCourtBookingId: ExternalIdPath,
    principal: Reader,
    runtime: RuntimeDep,
    response: Response,
    version: Annotated[
        int | None, Query(ge=1, le=2**31, description="The booking as it was at this version.")
    ] = None,
) -> CourtBookingOut:
    """The booking now, or as it was at `version` (its history lists each event's version)."""
    booking = runtime.ledger.get_court_booking(externalServiceId, externalCourtBookingId, version)
    return _single(response, booking)


@router.delete(
    BY_EXTERNAL_ID, summary="Cancel court booking", responses=error_responses(400, 401, 403, 404, 409, 503)
)
def cancel_court_booking(
    externalServiceId: ServiceId,
    externalCourtBookingId: ExternalIdPath,
    externalUpdatedAt: Annotated[
        Instant, Query(description="The partner's update time of the cancellation.")
    ],
    ctx: WriteContext,
    runtime: RuntimeDep,
    response: Response,
) -> CourtBookingOut:
    """Cancel the booking: it frees its time and stays in history; a newer upsert re-activates it."""
    outcome = runtime.ledger.cancel_court_booking(
        ctx, externalServiceId, externalCourtBookingId, externalUpdatedAt
    )
    return _written(response, runtime, outcome)


def encode_cursor(start: datetime, booking_id: UUID) -> str:
    raw = json.dumps([start.isoformat(), str(booking_id)]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, UUID]:
    try:
        start, booking_id = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
        if isinstance(start, str) and isinstance(booking_id, str):
            moment = datetime.fromisoformat(start)
            if moment.tzinfo is not None:
                return moment, UUID(booking_id)
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        pass
    raise RequestSchemaError(
        "cursor is not a cursor that this endpoint returned.",
        [{"path": ["cursor"], "code": "invalid_cursor", "message": "Invalid cursor."}],
    )


@router.get("", summary="List court bookings", responses=error_responses(400, 401, 403, 503))
def list_court_bookings(
    externalServiceId: ServiceId,
    principal: Reader,
    runtime: RuntimeDep,
    consistency: Consistency,
    courtId: UUID | None = None,
    start_from: Annotated[
        Instant | None, Query(alias="from", description="Bookings ending after this.")
    ] = None,
    to: Annotated[Instant | None, Query(description="Bookings starting before this.")] = None,
    status: Literal["active", "canceled"] | None = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100,
    cursor: Annotated[str | None, Query(max_length=512)] = None,
) -> CourtBookingPage:
    """Bookings from the view ordered by start; waits up to 5 s for `consistentWith` before answering."""
    where = CourtBookingFilter(
        externalServiceId, courtId, start_from, to, status, decode_cursor(cursor) if cursor else None
    )
    rows = runtime.court_bookings.list_court_bookings(where, limit + 1)
    page = rows[:limit]
    has_more = len(rows) > limit
    next_cursor = encode_cursor(page[-1]["start_date"], page[-1]["id"]) if has_more else None
    return CourtBookingPage(data=[court_booking_from_row(row) for row in page], nextCursor=next_cursor)
