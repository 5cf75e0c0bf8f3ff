"""Request and response bodies of the bookings-and-orders surface, in the LE-KO seed's field names."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StrictBool

from api.shared.schemas import FREE_TEXT_PATTERN
from domain.booking import Booking
from domain.order import Order
from ledger.admin.mirrored import Mirrored
from ledger.admin.responses import TimeSlotOut

Text = Field(min_length=1, max_length=2000, pattern=FREE_TEXT_PATTERN)


class PaymentMethodIn(BaseModel):
    type: Literal["Cash", "Card"]
    methodId: UUID | None = None


class OrderIn(BaseModel):
    userId: UUID
    eventIds: list[UUID] = Field(min_length=1, max_length=50)
    paymentMethod: PaymentMethodIn


class PaymentResultIn(BaseModel):
    """The payment provider's callback."""

    status: Literal["Paid", "Failed"]


class CancelIn(BaseModel):
    cancellationReasonCode: Literal["NotFeelingWell", "NoTime", "Other"]
    cancellationReasonText: str | None = Field(default=None, max_length=2000, pattern=FREE_TEXT_PATTERN)


class CompletedIn(BaseModel):
    completed: StrictBool


class NoteIn(BaseModel):
    note: str = Field(max_length=5000, pattern=FREE_TEXT_PATTERN)


class DisputeIn(BaseModel):
    reason: str = Text


class ResolutionIn(BaseModel):
    resolution: str = Text


class BookingOut(Mirrored):
    bookingId: UUID
    orderId: UUID
    userId: UUID
    coachId: UUID
    eventId: UUID
    startAt: datetime
    endAt: datetime
    bookingStatus: Literal["Accepted", "Rejected", "Pending", "Canceled", "InDispute", "DisputeDone"]
    eventStatus: str | None
    completed: bool
    note: str | None
    canceledAt: datetime | None = None
    canceledByRole: Literal["Athlete", "Coach", "System"] | None = None
    cancellationReasonCode: Literal["NotFeelingWell", "NoTime", "Other"] | None = None
    cancellationReasonText: str | None = None
    sportId: UUID
    serviceCardinality: int | None = Field(
        description="The booking's ordinal among the user's non-cancelled bookings with this coach, or null."
    )
    timeslot: TimeSlotOut

    @classmethod
    def of(cls, booking: Booking, event_status: str | None, cardinality: int | None) -> BookingOut:
        return cls.mirror(
            booking,
            bookingId=booking.id,
            bookingStatus=booking.status,
            eventStatus=event_status,
            cancellationReasonCode=booking.reason_code,
            cancellationReasonText=booking.reason_text,
            serviceCardinality=cardinality,
            timeslot=TimeSlotOut.of(booking.timeslot),
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BookingOut:
        return cls.mirror(row, bookingStatus=row["status"], timeslot=TimeSlotOut.of(row["timeslot"]))


class OrderOut(Mirrored):
    orderId: UUID
    userId: UUID
    paymentStatus: Literal["Pending", "Paid", "Failed", "Cash"]
    createdAt: datetime
    bookings: list[BookingOut]

    @classmethod
    def of(cls, order: Order, bookings: list[BookingOut]) -> OrderOut:
        return cls.mirror(order, orderId=order.id, bookings=bookings)

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> OrderOut:
        return cls.mirror(row, bookings=[BookingOut.from_row(booking) for booking in row["bookings"]])
