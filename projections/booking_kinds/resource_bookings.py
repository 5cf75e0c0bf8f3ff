"""Resource bookings made through the client API in the bookings query view: one mapping of their events."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from domain.resource_booking import CANCELLED, CONFIRMED, EXPIRED, PENDING, ResourceBooking
from projections.booking_facts import BookingChange, BookingFacts, BookingKind, BookingPatch

# The booking's status -> the member's status and the organisation's, in the words every kind shares.
LIFECYCLE: dict[str, dict[str, str]] = {
    PENDING: {"status": PENDING, "userStatus": "pending", "orgStatus": "pending"},
    CONFIRMED: {"status": CONFIRMED, "userStatus": "confirmed", "orgStatus": "approved"},
    CANCELLED: {"status": CANCELLED, "userStatus": "cancelled", "orgStatus": "cancelled"},
    # An unpaid booking that gave up its slot: the member never held it, the organisation let it go.
    EXPIRED: {"status": EXPIRED, "userStatus": "expired", "orgStatus": "cancelled"},
}
STATUS_OF_EVENT: dict[type, str] = {
    ResourceBooking.Confirmed: CONFIRMED,
    ResourceBooking.Cancelled: CANCELLED,
    ResourceBooking.Expired: EXPIRED,
}


def _requested(event: ResourceBooking.Requested) -> BookingFacts:
    pending = LIFECYCLE[PENDING]
    return BookingFacts(
        booking_id=event.originator_id,
        source="client-api",
        booking_type="resource",
        start=event.start,
        end=event.end,
        status=pending["status"],
        user_status=pending["userStatus"],
        org_status=pending["orgStatus"],
        at=event.recorded_at,
        organisation_id=event.organization_id,
        client_id=event.client_id,
        resource_id=event.resource_id,
        venue_id=event.venue_id,
        member_id=event.user_id,
        booker_id=event.user_id,
        type="individual" if event.participant_count == 1 else "group",
        price=Decimal(event.total_price),
        currency=event.currency,
        # The code the member and the operator know the booking by.
        external_id=event.reference_code,
    )


def resource_booking_change(event: Any) -> BookingChange:
    """The view's change for one event of a resource booking."""
    if isinstance(event, ResourceBooking.Requested):
        return _requested(event)
    status = STATUS_OF_EVENT.get(type(event))
    if status is not None:
        return BookingPatch(event.originator_id, event.recorded_at, LIFECYCLE[status])
    # A payment result changes nothing the view shows but the time of the last change; a success that
    # confirms the booking comes with its own Confirmed event.
    return BookingPatch(event.originator_id, event.recorded_at)


RESOURCE_BOOKINGS = BookingKind(
    name="resource",
    events=(
        ResourceBooking.Requested,
        *STATUS_OF_EVENT,
        ResourceBooking.PaymentSucceeded,
        ResourceBooking.PaymentFailed,
    ),
    change=resource_booking_change,
)
