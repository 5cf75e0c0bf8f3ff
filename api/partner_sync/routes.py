"""Router of the partner-sync surface: court bookings upserted, read, cancelled and listed by external id."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from fastapi import Query, Request, Response

from api.partner_sync.batch import CourtBookingBatchIn, CourtBookingBatchOut, parse_item, result_of
from api.partner_sync.deps import BatchBody, Consistency, Reader, ServiceId, UpsertBody, WriteContext
from api.partner_sync.responses import booking_response
from api.partner_sync.schemas import CourtBookingIn, CourtBookingOut, CourtBookingPage
from api.partner_sync.surface import SURFACE
from api.shared.cursor import decode_cursor, encode_cursor
from api.shared.deps import RuntimeDep, body_openapi
from api.shared.problems import PayloadTooLargeError, PositionBeyondHeadError
from api.shared.schemas import AsOf, ExternalIdPath, Instant
from domain.app_base import Saved
from domain.court_booking import (
    CourtBooking,
    CourtBookingNotFoundError,
    OrganizationAccessDeniedError,
    StaleWriteError,
    UserAccessDeniedError,
    VersionConflictError,
)
from domain.court_booking_commands import CourtBookingVersionNotFoundError, TimeTravelConflictError
from domain.court_booking_terms import (
    DuplicateEntriesError,
    InvalidTimeRangeError,
    MutuallyExclusiveFieldsError,
)
from domain.court_booking_upserts import UpsertItem
from domain.organization import CourtNotFoundError
from domain.resource_day import CourtBookingOverlapError
from ledger.runtime import Runtime
from projections.court_bookings import CourtBookingFilter

router = SURFACE.router(
    prefix="/api/v1/external-services/{externalServiceId}/court-bookings", tags=["court bookings"]
)
BY_EXTERNAL_ID = "/by-external-id/{externalCourtBookingId}"
MAX_LIMIT = 1000


def _written(runtime: Runtime, saved: Saved[CourtBooking]) -> Response:
    position = runtime.reported_position(saved.position)
    return booking_response(saved.value, 201 if saved.created else 200, position)


@router.put(
    BY_EXTERNAL_ID,
    summary="Upsert court booking",
    response_model=CourtBookingOut,
    openapi_extra=body_openapi(CourtBookingIn),
    responses={
        201: {"model": CourtBookingOut, "description": "Created."},
        **SURFACE.responses(
            InvalidTimeRangeError,
            MutuallyExclusiveFieldsError,
            DuplicateEntriesError,
            OrganizationAccessDeniedError,
            UserAccessDeniedError,
            CourtNotFoundError,
            StaleWriteError,
            VersionConflictError,
            CourtBookingOverlapError,
            PayloadTooLargeError,
        ),
    },
)
def upsert_court_booking(
    externalServiceId: ServiceId,
    externalCourtBookingId: ExternalIdPath,
    body: UpsertBody,
    ctx: WriteContext,
    runtime: RuntimeDep,
) -> Response:
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
    return _written(runtime, outcome)


@router.post(
    "/batch",
    summary="Upsert court bookings in a batch",
    openapi_extra=body_openapi(CourtBookingBatchIn),
    responses=SURFACE.responses(PayloadTooLargeError),
)
def upsert_court_bookings(
    externalServiceId: ServiceId,
    body: BatchBody,
    ctx: WriteContext,
    runtime: RuntimeDep,
    request: Request,
    response: Response,
) -> CourtBookingBatchOut:
    """Upsert up to 500 bookings at once: one result per booking, in order, each with the status and body its
    own upsert would have answered; a refused booking does not stop the others. Bookings on the same court
    and day are decided together and saved in one transaction."""
    parsed = [parse_item(raw) for raw in body.bookings]
    valid = [item for item in parsed if isinstance(item, UpsertItem)]
    decided = iter(runtime.ledger.upsert_court_bookings(ctx, externalServiceId, valid))
    outcomes = [next(decided) if isinstance(item, UpsertItem) else item for item in parsed]
    written = [o.position for o in outcomes if isinstance(o, Saved) and o.position is not None]
    response.headers["X-Ledger-Position"] = str(runtime.reported_position(max(written, default=None)))
    return CourtBookingBatchOut(results=[result_of(outcome, request.scope) for outcome in outcomes])


@router.get(
    BY_EXTERNAL_ID,
    summary="Get court booking",
    response_model=CourtBookingOut,
    responses=SURFACE.responses(
        CourtBookingNotFoundError, CourtBookingVersionNotFoundError, TimeTravelConflictError
    ),
)
def get_court_booking(
    externalServiceId: ServiceId,
    externalCourtBookingId: ExternalIdPath,
    principal: Reader,
    runtime: RuntimeDep,
    version: Annotated[
        int | None, Query(ge=1, le=2**31, description="The booking as it was at this version.")
    ] = None,
    asOf: AsOf = None,
) -> Response:
    """The booking now, as it was at `version` (its history lists each event's version), or as recorded by
    the instant `asOf`."""
    booking = runtime.ledger.get_court_booking(externalServiceId, externalCourtBookingId, version, asOf)
    return booking_response(booking)


@router.delete(
    BY_EXTERNAL_ID,
    summary="Cancel court booking",
    response_model=CourtBookingOut,
    responses=SURFACE.responses(
        CourtBookingNotFoundError, OrganizationAccessDeniedError, StaleWriteError, VersionConflictError
    ),
)
def cancel_court_booking(
    externalServiceId: ServiceId,
    externalCourtBookingId: ExternalIdPath,
    externalUpdatedAt: Annotated[
        Instant, Query(description="The partner's update time of the cancellation.")
    ],
    ctx: WriteContext,
    runtime: RuntimeDep,
) -> Response:
    """Cancel the booking: it frees its time and stays in history; a newer upsert re-activates it."""
    outcome = runtime.ledger.cancel_court_booking(
        ctx, externalServiceId, externalCourtBookingId, externalUpdatedAt
    )
    return _written(runtime, outcome)


@router.get("", summary="List court bookings", responses=SURFACE.responses(PositionBeyondHeadError))
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
    return CourtBookingPage(data=[CourtBookingOut.of(row) for row in page], nextCursor=next_cursor)
