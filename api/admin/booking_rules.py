"""Router of the admin API's resource bookings: a resource's booking rules, and confirming a booking."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.admin.deps import Admin, admin_body
from api.admin.surface import SURFACE, with_body
from domain.booking_rules import InvalidBookingRulesError
from domain.organization import ResourceNotFoundError
from domain.resource_booking_errors import BookingNotPendingError, ResourceBookingNotFoundError
from ledger.admin.booking_rules import BookingRulesIn, ResourceRulesOut, set_booking_rules
from ledger.admin.resource_bookings import ResourceBookingOut, confirm_resource_booking

router = SURFACE.router(prefix="/api/v1/admin", tags=["admin"])
Ref = Path(max_length=64, description="The integer number or the UUID")


@router.put(
    "/resources/{resourceId}/booking-rules",
    **with_body(BookingRulesIn, ResourceNotFoundError, InvalidBookingRulesError),
)
def put_booking_rules(
    resourceId: Annotated[str, Ref], body: Annotated[BookingRulesIn, admin_body(BookingRulesIn)], admin: Admin
) -> ResourceRulesOut:
    """Set every booking rule of the resource (a court is a resource) and its weekly opening hours at once.

    Times are local to the venue; each change is an event, so the resource's history shows when a price
    changed. Answers the resource as it now is.
    """
    return set_booking_rules(admin.ledger, admin.ctx, resourceId, body)


@router.post(
    "/resource-bookings/{bookingId}/confirm",
    responses=SURFACE.responses(ResourceBookingNotFoundError, BookingNotPendingError),
)
def confirm_booking(
    bookingId: Annotated[str, Path(max_length=64, description="The number, UUID or reference code")],
    admin: Admin,
) -> ResourceBookingOut:
    """Confirm a pending booking of a resource (bookings stay pending until paid or confirmed)."""
    return confirm_resource_booking(admin.ledger, admin.ctx, bookingId)
