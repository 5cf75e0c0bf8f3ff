"""Request and response bodies of the bookings-and-orders surface, in the LE-KO seed's field names."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, Field, StrictBool

from api.shared.schemas import FREE_TEXT_PATTERN
from domain.booking import Booking
from domain.order import Order
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


class BookingOut(BaseModel):
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
        return cls(
            bookingId=booking.id,
            orderId=booking.order_id,
            userId=booking.user_id,
            coachId=booking.coach_id,
            eventId=booking.event_id,
            startAt=booking.start_at,
            endAt=booking.end_at,
            bookingStatus=booking.status,  # type: ignore[arg-type]
            eventStatus=event_status,
            completed=booking.completed,
            note=booking.note,
            canceledAt=booking.canceled_at,
            canceledByRole=booking.canceled_by_role,  # type: ignore[arg-type]
            cancellationReasonCode=booking.reason_code,  # type: ignore[arg-type]
            cancellationReasonText=booking.reason_text,
            sportId=booking.sport_id,
            serviceCardinality=cardinality,
            timeslot=TimeSlotOut.of(booking.timeslot),
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> BookingOut:
        return cls(
            bookingId=row["booking_id"],
            orderId=row["order_id"],
            userId=row["user_id"],
            coachId=row["coach_id"],
            eventId=row["event_id"],
            startAt=row["start_at"],
            endAt=row["end_at"],
            bookingStatus=row["status"],
            eventStatus=row["event_status"],
            completed=row["completed"],
            note=row["note"],
            canceledAt=row["canceled_at"],
            canceledByRole=row["canceled_by_role"],
            cancellationReasonCode=row["cancellation_reason_code"],
            cancellationReasonText=row["cancellation_reason_text"],
            sportId=row["sport_id"],
            serviceCardinality=row["service_cardinality"],
            timeslot=TimeSlotOut.of(row["timeslot"]),
        )


class OrderOut(BaseModel):
    orderId: UUID
    userId: UUID
    paymentStatus: Literal["Pending", "Paid", "Failed", "Cash"]
    createdAt: datetime
    bookings: list[BookingOut]

    @classmethod
    def of(cls, order: Order, bookings: list[BookingOut]) -> OrderOut:
        return cls(
            orderId=order.id,
            userId=order.user_id,
            paymentStatus=order.payment_status,  # type: ignore[arg-type]
            createdAt=order.created_at,
            bookings=bookings,
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> OrderOut:
        return cls(
            orderId=row["order_id"],
            userId=row["user_id"],
            paymentStatus=row["payment_status"],
            createdAt=row["created_at"],
            bookings=[BookingOut.from_row(booking) for booking in row["bookings"]],
        )
