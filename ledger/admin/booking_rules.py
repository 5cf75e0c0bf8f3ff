"""A resource's booking rules in the admin API and `ledger admin`: the body, the answer, the operation."""

from __future__ import annotations

from decimal import Decimal
from typing import Any
from uuid import UUID

from pydantic import BaseModel, Field, StrictBool, StrictInt

from domain.application import Ledger
from domain.booking_rules import CENT, BookingRules
from domain.context import RequestContext
from domain.opening_hours import OpeningHours
from domain.organization import Resource
from ledger.admin.mirrored import Mirrored
from ledger.admin.requests import NAME_PATTERN
from ledger.admin.responses import CourtOut
from ledger.money import Money

# Wider than any rule allows; the domain answers with the rule, this only keeps absurd numbers out.
Count = Field(ge=-(10**9), le=10**9)


class OpeningRangeIn(BaseModel):
    weekday: StrictInt = Field(description="0 = Monday ... 6 = Sunday", ge=-(10**9), le=10**9)
    startTime: str = Field(max_length=8, examples=["08:00"], description="Local time of the venue")
    endTime: str = Field(max_length=8, examples=["14:00"], description="`24:00` is the end of the day")
    pricePerHour: Money
    label: str = Field(default="", max_length=200, pattern=NAME_PATTERN, examples=["Peak Hours"])

    def as_domain_dict(self) -> dict[str, Any]:
        return {
            "weekday": self.weekday,
            "start_time": self.startTime,
            "end_time": self.endTime,
            "price_per_hour": self.pricePerHour,
            "label": self.label,
        }


class BookingRulesIn(BaseModel):
    """Every rule of a resource at once, with its weekly opening hours in the venue's local time."""

    capacity: StrictInt = Count
    basePrice: Money
    currency: str = Field(max_length=16, examples=["EUR"])
    priceUnit: str = Field(max_length=32, examples=["hour"])
    bookingIntervalMinutes: StrictInt = Count
    minBookingDurationMinutes: StrictInt = Count
    maxBookingDurationMinutes: StrictInt = Count
    minAdvanceBookingMinutes: StrictInt = Count
    maxAdvanceBookingDays: StrictInt = Count
    preventUnbookableGaps: StrictBool
    isBookable: StrictBool
    openingHours: list[OpeningRangeIn] = Field(max_length=7 * 96)

    def rules(self) -> BookingRules:
        """The rules, checked by the domain (`InvalidBookingRulesError` names the first broken one)."""
        return BookingRules(
            capacity=self.capacity,
            base_price=self.basePrice,
            currency=self.currency,
            price_unit=self.priceUnit,
            booking_interval_minutes=self.bookingIntervalMinutes,
            min_booking_duration_minutes=self.minBookingDurationMinutes,
            max_booking_duration_minutes=self.maxBookingDurationMinutes,
            min_advance_booking_minutes=self.minAdvanceBookingMinutes,
            max_advance_booking_days=self.maxAdvanceBookingDays,
            prevent_unbookable_gaps=self.preventUnbookableGaps,
            is_bookable=self.isBookable,
        )

    def opening_hours(self) -> OpeningHours:
        return OpeningHours.from_dicts([opening.as_domain_dict() for opening in self.openingHours])


class OpeningRangeOut(Mirrored):
    weekday: int
    startTime: str
    endTime: str
    pricePerHour: str
    label: str


class ResourceRulesOut(CourtOut):
    """A resource with its number, its booking rules and its opening hours; prices with two decimals."""

    capacity: int
    basePrice: str
    currency: str
    priceUnit: str
    bookingIntervalMinutes: int
    minBookingDurationMinutes: int
    maxBookingDurationMinutes: int
    minAdvanceBookingMinutes: int
    maxAdvanceBookingDays: int
    preventUnbookableGaps: bool
    isBookable: bool
    openingHours: list[OpeningRangeOut]

    @classmethod
    def of(cls, court: Resource) -> ResourceRulesOut:
        rules = BookingRules.from_dict(court.booking_rules or {})
        hours = [
            OpeningRangeOut.mirror(opening, pricePerHour=money(Decimal(opening["price_per_hour"])))
            for opening in court.opening_hours
        ]
        resource = CourtOut.of(court).model_dump()
        return cls.mirror(rules, **resource, basePrice=money(rules.base_price), openingHours=hours)


def money(amount: Decimal) -> str:
    return f"{amount.quantize(CENT):f}"


def set_booking_rules(
    ledger: Ledger, ctx: RequestContext, resource_ref: str | UUID, body: BookingRulesIn
) -> ResourceRulesOut:
    """Set every rule of the resource (number or UUID) at once; answers the resource as it now is."""
    saved = ledger.set_booking_rules(ctx, resource_ref, body.rules(), body.opening_hours())
    return ResourceRulesOut.of(saved.value)
