"""Request and response bodies of the partner-sync surface (court bookings), in the seed's field names."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from pydantic import BaseModel, EmailStr, Field, SerializerFunctionWrapHandler, model_serializer

from api.shared.schemas import BodyInstant, Instant
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


# The view's columns whose names differ from the aggregate's attributes.
VIEW_COLUMNS = {"start": "start_date", "end": "end_date"}


@dataclass(frozen=True)
class CourtBookingRecord:
    """What the response of a court booking shows, read from its aggregate or from a row of its view."""

    external_service_id: UUID
    court_id: UUID
    external_court_booking_id: str
    start: datetime
    end: datetime
    external_updated_at: datetime
    participants: list[dict[str, Any]]
    created_at: datetime
    updated_at: datetime
    status: Literal["active", "canceled"]

    @classmethod
    def of(cls, source: CourtBooking | Mapping[str, Any]) -> CourtBookingRecord:
        if isinstance(source, Mapping):
            return cls(**{f.name: source[VIEW_COLUMNS.get(f.name, f.name)] for f in fields(cls)})
        return cls(**{f.name: getattr(source, f.name) for f in fields(cls)})


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
    def of(cls, source: CourtBooking | Mapping[str, Any]) -> CourtBookingOut:
        """The response of a court booking, the one mapping for its aggregate and for a row of its view."""
        booking = CourtBookingRecord.of(source)
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
            status=booking.status,
        )


class CourtBookingPage(BaseModel):
    """One page of the list; pass `nextCursor` as `cursor` for the next page (null on the last page)."""

    data: list[CourtBookingOut]
    nextCursor: str | None
