"""A resource's booking rules: a validated value object with a JSON-safe dict form."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from domain.errors import InvalidInputError
from domain.local_time import MINUTES_PER_DAY
from domain.resource_day import MAX_BOOKING_LENGTH
from domain.setting_checks import CENT as CENT
from domain.setting_checks import MAX_PRICE, check_currency, checked_amount, typed_value

MAX_ADVANCE_DAYS = 3660
MAX_DURATION_MINUTES = int(MAX_BOOKING_LENGTH.total_seconds()) // 60
_PRICE_UNIT = re.compile(r"[a-z_]{1,20}")


class InvalidBookingRulesError(InvalidInputError):
    """Raised when a resource's booking rules or opening hours are not acceptable."""


class MalformedBookingRulesError(InvalidBookingRulesError):
    """Raised when a rules or opening-range dict lacks a field or holds a value of the wrong type."""


class InvalidCapacityError(InvalidBookingRulesError):
    """Raised when a resource's capacity is not a positive whole number."""


class InvalidBookingIntervalError(InvalidBookingRulesError):
    """Raised when the booking interval is not from 1 to 1440 minutes."""


class InvalidDurationBoundsError(InvalidBookingRulesError):
    """Raised when the minimum duration is below 1, exceeds the maximum, or the maximum exceeds 7 days."""


class InvalidAdvanceLimitsError(InvalidBookingRulesError):
    """Raised when the advance limits are out of range or the minimum reaches beyond the maximum."""


class InvalidPriceError(InvalidBookingRulesError):
    """Raised when a price is negative, not finite, has more than two decimals or exceeds one million."""


class InvalidCurrencyError(InvalidBookingRulesError):
    """Raised when a currency is not three capital letters, as in ISO 4217."""


class InvalidPriceUnitError(InvalidBookingRulesError):
    """Raised when a price unit is not a short lower-case word such as `hour`."""


def checked_price(value: Decimal, name: str) -> Decimal:
    """The price, once it is known to be from 0 to the maximum with at most two decimals."""
    return checked_amount(value, name, MAX_PRICE, InvalidPriceError)


@dataclass(frozen=True)
class BookingRules:
    """How a resource may be booked: capacity, price, and the limits every booking is checked against."""

    capacity: int
    base_price: Decimal
    currency: str
    price_unit: str
    booking_interval_minutes: int
    min_booking_duration_minutes: int
    max_booking_duration_minutes: int
    min_advance_booking_minutes: int
    max_advance_booking_days: int
    prevent_unbookable_gaps: bool
    is_bookable: bool

    def __post_init__(self) -> None:
        if self.capacity < 1:
            raise InvalidCapacityError("capacity must be at least 1.")
        checked_price(self.base_price, "base_price")
        check_currency(self.currency, InvalidCurrencyError)
        if not _PRICE_UNIT.fullmatch(self.price_unit):
            raise InvalidPriceUnitError("price_unit must be a short lower-case word, such as hour.")
        if not 1 <= self.booking_interval_minutes <= MINUTES_PER_DAY:
            raise InvalidBookingIntervalError(
                f"booking_interval_minutes must be from 1 to {MINUTES_PER_DAY}."
            )
        low, high = self.min_booking_duration_minutes, self.max_booking_duration_minutes
        if not 1 <= low <= high <= MAX_DURATION_MINUTES:
            raise InvalidDurationBoundsError(
                "min_booking_duration_minutes must be at least 1 and at most max_booking_duration_minutes, "
                f"which is at most {MAX_DURATION_MINUTES}."
            )
        days = self.max_advance_booking_days
        if not 1 <= days <= MAX_ADVANCE_DAYS:
            raise InvalidAdvanceLimitsError(f"max_advance_booking_days must be from 1 to {MAX_ADVANCE_DAYS}.")
        if not 0 <= self.min_advance_booking_minutes < days * MINUTES_PER_DAY:
            raise InvalidAdvanceLimitsError(
                "min_advance_booking_minutes must be from 0 to less than max_advance_booking_days."
            )

    def as_dict(self) -> dict[str, Any]:
        """The rules as JSON-safe values, prices as decimal strings."""
        values: dict[str, Any] = {name: getattr(self, name) for name in _RULE_TYPES}
        values["base_price"] = f"{self.base_price:f}"
        return values

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> BookingRules:
        """Rules from `as_dict`'s form; a missing or mistyped field raises `MalformedBookingRulesError`."""
        values = {name: typed_field(data, name, kind) for name, kind in _RULE_TYPES.items()}
        return cls(**values)


_RULE_TYPES: dict[str, type] = {
    "capacity": int,
    "base_price": Decimal,
    "currency": str,
    "price_unit": str,
    "booking_interval_minutes": int,
    "min_booking_duration_minutes": int,
    "max_booking_duration_minutes": int,
    "min_advance_booking_minutes": int,
    "max_advance_booking_days": int,
    "prevent_unbookable_gaps": bool,
    "is_bookable": bool,
}


def typed_field(data: Mapping[str, Any], name: str, kind: type) -> Any:
    """The field `name` of `data` as `kind`; a Decimal field takes a decimal string, an int or a Decimal."""
    return typed_value(data, name, kind, MalformedBookingRulesError)
