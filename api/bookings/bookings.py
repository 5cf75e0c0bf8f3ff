"""Router of the booking reads of the bookings-and-orders surface: one booking, a user's, an event's."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Query, Response

from api.bookings.deps import Reader, check_user_visible
from api.bookings.responses import booking_etag, booking_views
from api.bookings.schemas import BookingOut
from api.bookings.surface import SURFACE
from api.shared.deps import RuntimeDep
from api.shared.schemas import AsOf, Instant
from domain.booking_errors import BookingNotFoundError
from domain.coach_event import CoachEventNotFoundError

router = SURFACE.router(prefix="/api/v1/bookings", tags=["bookings and orders"])


@router.get("/by-user/{userId}", responses=SURFACE.responses())
def bookings_by_user(
    userId: UUID,
    caller: Reader,
    runtime: RuntimeDep,
    startAt: Annotated[Instant | None, Query()] = None,
    endAt: Annotated[Instant | None, Query()] = None,
) -> list[BookingOut]:
    """The user's bookings overlapping [startAt, endAt), without the ones the user dismissed."""
    check_user_visible(caller, runtime, userId)
    rows = runtime.bookings.bookings_by_user(caller.visible_client(), userId, startAt, endAt)
    return [BookingOut.from_row(row) for row in rows]


@router.get("/by-event/{eventId}", responses=SURFACE.responses(CoachEventNotFoundError))
def bookings_by_event(
    eventId: UUID,
    caller: Reader,
    runtime: RuntimeDep,
    startAt: Annotated[Instant | None, Query()] = None,
    endAt: Annotated[Instant | None, Query()] = None,
) -> list[BookingOut]:
    runtime.ledger.get_visible_coach_event(caller.ctx, eventId)
    rows = runtime.bookings.bookings_by_event(caller.visible_client(), eventId, startAt, endAt)
    return [BookingOut.from_row(row) for row in rows]


@router.get("/{bookingId}", responses=SURFACE.responses(BookingNotFoundError))
def get_booking(
    bookingId: UUID, caller: Reader, runtime: RuntimeDep, response: Response, asOf: AsOf = None
) -> BookingOut:
    """The booking now, or as recorded by the instant `asOf` (then without serviceCardinality, which is
    counted over the user's bookings as they are now)."""
    booking = runtime.ledger.get_booking(caller.ctx, bookingId, asOf)
    [view] = booking_views(runtime, caller, [booking], None, asOf)
    response.headers["ETag"] = booking_etag(booking, view)
    return view
