"""Request and response bodies of the partner-sync surface (court bookings), in the seed's field names."""

from __future__ import annotations

from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, EmailStr, Field, SerializerFunctionWrapHandler, model_serializer

from api.schemas_common import BodyInstant, Instant
from domain.court_booking import CourtBooking
from domain.court_booking_terms import MAX_PARTICIPANTS


class ParticipantIn(BaseModel):
    userId: UUID | None = None
    email: EmailStr | None = Field(default=None, max_length=320)


class CourtBookingIn(BaseModel):
    """The upsert body; unknown fields are ignored."""

    courtId: UUID
    startDate: BodyInstant
    endDate: BodyInstant
    externalUpdatedAt: BodyInstant
    participants: list[ParticipantIn] = Field(min_length=1, max_length=MAX_PARTICIPANTS)

    def participant_pairs(self) -> list[tuple[UUID | None, str | None]]:
        return [(p.userId, str(p.email) if p.email is not None else None) for p in self.participants]


class ParticipantOut(BaseModel):
    """Exactly one of `userId` and `email`; the absent one is omitted."""

    userId: UUID | None = None
    email: str | None = None

    @model_serializer(mode="wrap")
    def _omit_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        return {key: value for key, value in handler(self).items() if value is not None}


class CourtBookingOut(BaseModel):
    externalServiceId: UUID
    courtId: UUID
    externalCourtBookingId: str
    startDate: Instant
    endDate: Instant
    externalUpdatedAt: Instant
    participants: list[ParticipantOut]
    createdAt: Instant
    updatedAt: Instant
    status: Literal["active", "canceled"]

    @classmethod
    def of(cls, booking: CourtBooking) -> CourtBookingOut:
        return cls(
            externalServiceId=booking.external_service_id,
            courtId=booking.court_id,
            externalCourtBookingId=booking.external_court_booking_id,
            startDate=booking.start,
            endDate=booking.end,
            externalUpdatedAt=booking.external_updated_at,
            participants=[ParticipantOut.model_validate(p) for p in booking.participants],
            createdAt=booking.created_at,
            updatedAt=booking.updated_at,
            status="active" if booking.is_active else "canceled",
        )


class CourtBookingPage(BaseModel):
    """One page of the list; pass `nextCursor` as `cursor` for the next page (null on the last page)."""

    data: list[CourtBookingOut]
    nextCursor: str | None


def court_booking_from_row(row: dict[str, Any]) -> CourtBookingOut:
    """A view row in the response shape."""
    return CourtBookingOut(
        externalServiceId=row["external_service_id"],
        courtId=row["court_id"],
        externalCourtBookingId=row["external_court_booking_id"],
        startDate=row["start_date"],
        endDate=row["end_date"],
        externalUpdatedAt=row["external_updated_at"],
        participants=[ParticipantOut.model_validate(p) for p in row["participants"]],
        createdAt=row["created_at"],
        updatedAt=row["updated_at"],
        status=row["status"],
    )
