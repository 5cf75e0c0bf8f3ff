"""Responses of the bookings-and-orders surface: bookings and orders in the seed's shape, with headers."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from fastapi.responses import JSONResponse

from api.bookings.deps import Caller
from api.bookings.schemas import BookingOut, OrderOut
from domain.booking import Booking
from domain.booking_commands import OrderWithBookings
from ledger.runtime import Runtime

VIEW_WAIT_SECONDS = 2.0


def booking_views(
    runtime: Runtime,
    caller: Caller,
    bookings: list[Booking],
    position: int | None,
    as_of: datetime | None = None,
) -> list[BookingOut]:
    """Bookings in the response shape; event status from the aggregates, cardinality from the view. With
    `as_of`, event statuses as recorded by then, and no cardinality (the view counts bookings as they are)."""
    if position is not None:
        runtime.bookings.wait_for(position, VIEW_WAIT_SECONDS)
    found = (
        [] if as_of else runtime.bookings.bookings_by_ids(caller.visible_client(), [b.id for b in bookings])
    )
    rows = {row["booking_id"]: row for row in found}
    statuses = {
        event_id: runtime.ledger.get_coach_event(event_id, as_of).status
        for event_id in {b.event_id for b in bookings}
    }
    return [
        BookingOut.of(b, statuses[b.event_id], rows[b.id]["service_cardinality"] if b.id in rows else None)
        for b in bookings
    ]


def booking_etag(booking: Booking, view: BookingOut) -> str:
    """The booking's version, and a digest of what its response shows from other records (the event's
    status, the cardinality from the view), which change while the booking's version stays."""
    derived = f"{view.eventStatus}|{view.serviceCardinality}".encode()
    return f'"{booking.version}-{hashlib.sha256(derived).hexdigest()[:12]}"'


def as_json(runtime: Runtime, model: Any, status: int, position: int | None) -> JSONResponse:
    headers = {"X-Ledger-Position": str(runtime.reported_position(position))}
    return JSONResponse(model.model_dump(mode="json"), status_code=status, headers=headers)


def order_json(
    runtime: Runtime, caller: Caller, found: OrderWithBookings, position: int | None, status: int
) -> JSONResponse:
    order_out = OrderOut.of(found.order, booking_views(runtime, caller, found.bookings, position))
    return as_json(runtime, order_out, status, position)
