"""Givens for the availability and booking-check tests: a Berlin venue with the seed's rules and hours."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from domain.availability import FreeRange
from domain.booking_rules import BookingRules
from domain.opening_hours import OpeningHours, OpeningRange

BERLIN = ZoneInfo("Europe/Berlin")
SEED_DAY = date(2025, 1, 15)  # a Wednesday
SEED_RULES = BookingRules(
    capacity=4,
    base_price=Decimal("25.00"),
    currency="EUR",
    price_unit="hour",
    booking_interval_minutes=30,
    min_booking_duration_minutes=60,
    max_booking_duration_minutes=180,
    min_advance_booking_minutes=60,
    max_advance_booking_days=30,
    prevent_unbookable_gaps=True,
    is_bookable=True,
)


def rules(**changes: object) -> BookingRules:
    """Given: the seed's booking rules with some of them changed."""
    return replace(SEED_RULES, **changes)  # type: ignore[arg-type]


def parse(text: str) -> time:
    return time() if text == "24:00" else time.fromisoformat(text)


def every_day(*ranges: tuple[str, str, str, str]) -> OpeningHours:
    """Given: the same (start, end, price per hour, label) ranges on all seven weekdays."""
    return OpeningHours(
        tuple(
            OpeningRange(weekday, parse(start), parse(end), Decimal(price), label)
            for weekday in range(7)
            for start, end, price, label in ranges
        )
    )


SEED_HOURS = every_day(("08:00", "14:00", "25.00", ""), ("15:30", "22:00", "30.00", "Peak Hours"))


def berlin(day: date, hour: int, minute: int = 0, fold: int = 0) -> datetime:
    """A wall-clock time in Berlin as a UTC instant (`fold=1` is the second of a repeated hour).

    UTC, because Python compares and subtracts datetimes of one zone by their wall-clock fields.
    """
    return datetime(day.year, day.month, day.day, hour, minute, fold=fold, tzinfo=BERLIN).astimezone(UTC)


def utc(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


def shown(ranges: list[FreeRange]) -> list[tuple[str, str, str, str]]:
    """Then: each range as the venue's clock shows it, with its price and label."""
    return [
        (r.local_start.strftime("%H:%M"), r.local_end.strftime("%H:%M"), f"{r.price_per_hour:f}", r.label)
        for r in ranges
    ]
