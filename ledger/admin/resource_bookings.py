"""Resource bookings in the admin API and `ledger admin`: an operator confirms a pending booking."""

from __future__ import annotations

from datetime import datetime
from typing import Literal
from uuid import UUID

from domain.application import Ledger
from domain.context import RequestContext
from domain.resource_booking import ResourceBooking
from ledger.admin.booking_rules import money
from ledger.admin.mirrored import Mirrored


class ResourceBookingOut(Mirrored):
    """A booking of a resource as it now is; times in UTC, the price with two decimals."""

    id: UUID
    number: int
    referenceCode: str
    status: Literal["pending", "confirmed", "cancelled", "expired"]
    clientId: UUID
    userId: UUID
    resourceId: UUID
    venueId: UUID
    organizationId: UUID
    startDatetime: datetime
    endDatetime: datetime
    participantCount: int
    totalPrice: str
    currency: str
    createdAt: datetime

    @classmethod
    def of(cls, booking: ResourceBooking) -> ResourceBookingOut:
        return cls.mirror(
            booking,
            startDatetime=booking.start,
            endDatetime=booking.end,
            totalPrice=money(booking.total_price),
        )


def confirm_resource_booking(ledger: Ledger, ctx: RequestContext, ref: str) -> ResourceBookingOut:
    """Confirm a pending booking (number, UUID or reference code); a confirmed one is answered as it is."""
    return ResourceBookingOut.of(ledger.confirm_resource_booking(ctx, ref).value)
