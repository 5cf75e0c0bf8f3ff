"""Seats booked in coach events through orders (bookings surface) in the bookings query view."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.booking import Booking
from projections.booking_facts import BookingChange, BookingFacts, BookingKind, BookingPatch

# The LE-KO status of a booking -> its status, the member's status and the organisation's.
LIFECYCLE: dict[str, dict[str, str]] = {
    "Pending": {"userStatus": "pending", "orgStatus": "pending"},
    "Accepted": {"userStatus": "confirmed", "orgStatus": "approved"},
    "Rejected": {"userStatus": "rejected", "orgStatus": "rejected"},
    "Canceled": {"userStatus": "cancelled", "orgStatus": "cancelled"},
    "InDispute": {"userStatus": "disputed", "orgStatus": "approved"},
    "DisputeDone": {"userStatus": "confirmed", "orgStatus": "approved"},
}
STATUS_OF_EVENT: dict[type, str] = {
    Booking.Accepted: "Accepted",
    Booking.Rejected: "Rejected",
    Booking.Canceled: "Canceled",
    Booking.Disputed: "InDispute",
    Booking.DisputeResolved: "DisputeDone",
}
MINOR_UNITS = Decimal(100)


def _requested(event: Booking.Requested) -> BookingFacts:
    timeslot = event.timeslot
    seats = int(timeslot.get("number_of_participants", 1))
    price = timeslot.get("price")
    return BookingFacts(
        booking_id=event.originator_id,
        source="bookings",
        booking_type="coach-event",
        start=event.start_at,
        end=event.end_at,
        status="Pending",
        user_status=LIFECYCLE["Pending"]["userStatus"],
        org_status=LIFECYCLE["Pending"]["orgStatus"],
        at=event.recorded_at,
        client_id=event.client_id,
        event_id=event.event_id,
        member_id=event.user_id,
        booker_id=event.user_id,
        order_id=event.order_id,
        type="individual" if seats == 1 else "group",
        attending=False,
        # Timeslot prices are integer minor units.
        price=None if price is None else Decimal(int(price)) / MINOR_UNITS,
        currency=timeslot.get("price_currency"),
    )


def coach_event_booking_change(event: Any) -> BookingChange:
    """The view's change for one event of a coach-event booking."""
    if isinstance(event, Booking.Requested):
        return _requested(event)
    status = STATUS_OF_EVENT.get(type(event))
    if status is not None:
        return BookingPatch(event.originator_id, event.recorded_at, {"status": status, **LIFECYCLE[status]})
    if isinstance(event, Booking.CompletionMarked):
        return BookingPatch(event.originator_id, event.recorded_at, {"attending": event.completed})
    # A note or a dismissal changes nothing the view shows but the time of the last change.
    return BookingPatch(event.originator_id, event.recorded_at)


COACH_EVENT_BOOKINGS = BookingKind(
    name="coach-event",
    events=(
        Booking.Requested,
        *STATUS_OF_EVENT,
        Booking.CompletionMarked,
        Booking.NoteWritten,
        Booking.Dismissed,
    ),
    change=coach_event_booking_change,
)
