"""Bodies of the client API's availability and bookings, in the seed's snake_case shapes."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any, Literal, cast
from uuid import UUID
from zoneinfo import ZoneInfo

from pydantic import BaseModel, Field

from api.client_api.schemas import ExternalId
from api.client_api.venue_views import money
from api.shared.schemas import FREE_TEXT_PATTERN, BodyInstant, Instant
from domain.availability import FreeRange
from domain.booking_rules import BookingRules
from domain.organization import Resource, Venue
from domain.resource_booking import MAX_NOTES_LENGTH, MAX_REASON_LENGTH, ResourceBooking

Status = Literal["pending", "confirmed", "cancelled", "expired"]
END_OF_DAY = "24:00:00"


def wall_time(moment: datetime, day: date) -> str:
    """The venue clock's time of `moment` as HH:MM:SS; the midnight that ends `day` is 24:00:00."""
    wall = moment.time()
    if wall == time(0) and moment.date() > day:
        return END_OF_DAY
    return wall.isoformat(timespec="seconds")  # several times faster than strftime, for hundreds of ranges


def range_fields(free: FreeRange, currency: str) -> dict[str, Any]:
    """One free range as `AvailableRangeOut` writes it."""
    return {
        "date": free.date.isoformat(),
        "start_time": wall_time(free.local_start, free.date),
        "end_time": wall_time(free.local_end, free.date),
        "price_per_hour": money(free.price_per_hour),
        "currency": currency,
        "label": free.label,
        "slot_prices": None,
    }


class AvailableRangeOut(BaseModel):
    """Free time on one of the venue's dates at one price; times are the venue's wall clock."""

    date: date
    start_time: str = Field(examples=["08:00:00"])
    end_time: str = Field(examples=["14:00:00"], description="24:00:00 when the range runs to midnight.")
    price_per_hour: str = Field(examples=["25.00"])
    currency: str
    label: str = Field(examples=["Peak Hours"])
    slot_prices: None = Field(default=None, description="Always null: the price is per hour of the range.")


class AvailabilityOut(BaseModel):
    """A resource's free, priced ranges of each date asked for, with the rules a booking of it follows."""

    resource_id: int = Field(description="The resource's number.")
    resource_name: str
    start_date: date
    end_date: date
    timezone: str = Field(examples=["Europe/Berlin"])
    booking_interval_minutes: int
    min_duration_minutes: int
    max_duration_minutes: int
    prevent_unbookable_gaps: bool
    min_advance_booking_minutes: int
    max_advance_booking_days: int
    available_ranges: list[AvailableRangeOut]

    @classmethod
    def json_of(
        cls,
        number: int,
        resource: Resource,
        venue: Venue,
        rules: BookingRules,
        dates: tuple[date, date],
        ranges: Iterable[FreeRange],
        currency: str,
    ) -> bytes:
        """The answer as this model writes it, built from plain values: an answer holds hundreds of ranges,
        and building a model of each costs more than the engine that found them."""
        body = {
            "resource_id": number,
            "resource_name": resource.name,
            "start_date": dates[0].isoformat(),
            "end_date": dates[1].isoformat(),
            "timezone": venue.timezone,
            "booking_interval_minutes": rules.booking_interval_minutes,
            "min_duration_minutes": rules.min_booking_duration_minutes,
            "max_duration_minutes": rules.max_booking_duration_minutes,
            "prevent_unbookable_gaps": rules.prevent_unbookable_gaps,
            "min_advance_booking_minutes": rules.min_advance_booking_minutes,
            "max_advance_booking_days": rules.max_advance_booking_days,
            "available_ranges": [range_fields(free, currency) for free in ranges],
        }
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()


class ClientBookingIn(BaseModel):
    resource_external_id: ExternalId
    start_datetime: BodyInstant = Field(
        description="With its offset, e.g. 2025-01-15T10:00:00+01:00; one without an offset is refused."
    )
    end_datetime: BodyInstant
    # Bounded by the resource's capacity, checked in the rules' order with the rules' own message.
    participant_count: int = Field(default=1, description="From 1 to the resource's capacity.")
    notes: Annotated[str, Field(max_length=MAX_NOTES_LENGTH, pattern=FREE_TEXT_PATTERN)] = ""


class ClientCancelIn(BaseModel):
    reason: Annotated[str, Field(max_length=MAX_REASON_LENGTH, pattern=FREE_TEXT_PATTERN)] = ""
    notes: Annotated[str, Field(max_length=MAX_NOTES_LENGTH, pattern=FREE_TEXT_PATTERN)] = ""


@dataclass(frozen=True)
class BookingFacts:
    """What the booking shape shows, read from the booking itself or from a row of the bookings view."""

    number: int
    reference_code: str
    status: str
    resource_id: UUID
    start: datetime
    end: datetime
    total_price: Decimal
    currency: str
    participant_count: int
    created_at: datetime

    @classmethod
    def of_booking(cls, booking: ResourceBooking) -> BookingFacts:
        return cls(
            booking.number,
            booking.reference_code,
            booking.status,
            booking.resource_id,
            booking.start,
            booking.end,
            booking.total_price,
            booking.currency,
            booking.participant_count,
            booking.created_at,
        )

    @classmethod
    def of_row(cls, row: dict[str, Any]) -> BookingFacts:
        return cls(
            row["number"],
            row["reference_code"],
            row["status"],
            row["resource_id"],
            row["start_at"],
            row["end_at"],
            row["total_price"],
            row["currency"],
            row["participant_count"],
            row["created_at"],
        )


class ClientBookingOut(BaseModel):
    """A booking of a resource; its times in the venue's offset, as the seed shows them."""

    id: int = Field(description="The booking's number.")
    reference_code: str = Field(examples=["BK-250115-A7F3"])
    status: Status
    resource_id: int = Field(description="The resource's number.")
    resource_name: str
    venue_name: str
    start_datetime: datetime = Field(examples=["2025-01-15T10:00:00+01:00"])
    end_datetime: datetime = Field(examples=["2025-01-15T11:30:00+01:00"])
    total_price: str = Field(examples=["37.50"])
    currency: str
    participant_count: int
    created_at: Instant

    @classmethod
    def of(
        cls, facts: BookingFacts, resource_number: int, resource: Resource, venue: Venue
    ) -> ClientBookingOut:
        tz = ZoneInfo(venue.timezone)
        return cls(
            id=facts.number,
            reference_code=facts.reference_code,
            status=cast(Status, facts.status),
            resource_id=resource_number,
            resource_name=resource.name,
            venue_name=venue.name,
            start_datetime=facts.start.astimezone(tz),
            end_datetime=facts.end.astimezone(tz),
            total_price=money(facts.total_price),
            currency=facts.currency,
            participant_count=facts.participant_count,
            created_at=facts.created_at,
        )
