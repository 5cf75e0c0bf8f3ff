"""The availability answer, written from plain values, is exactly what its documented model writes."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from types import SimpleNamespace
from typing import cast
from zoneinfo import ZoneInfo

from api.client_api.booking_schemas import AvailabilityOut
from domain.availability import FreeRange
from domain.organization import Resource, Venue
from tests.unit.availability_support import rules

BERLIN = ZoneInfo("Europe/Berlin")
DAY = date(2031, 3, 4)


def free(start_hour: float, hours: float, label: str, day: date = DAY) -> FreeRange:
    start = datetime(day.year, day.month, day.day, tzinfo=BERLIN) + timedelta(hours=start_hour)
    return FreeRange(
        day,
        start.astimezone(UTC),
        (start + timedelta(hours=hours)).astimezone(UTC),
        Decimal("25"),
        label,
        BERLIN,
    )


def answer(ranges: list[FreeRange]) -> bytes:
    resource = cast(Resource, SimpleNamespace(name="Pista Número 1"))
    venue = cast(Venue, SimpleNamespace(timezone="Europe/Berlin"))
    return AvailabilityOut.json_of(7, resource, venue, rules(), (DAY, DAY + timedelta(days=1)), ranges, "EUR")


def test_the_answer_is_byte_for_byte_what_the_model_writes() -> None:
    raw = answer([free(8, 2.5, "Früh"), free(22, 2, "Late"), free(9, 1, "Peak", DAY + timedelta(days=1))])

    assert AvailabilityOut.model_validate_json(raw).model_dump_json().encode() == raw


def test_a_range_to_midnight_ends_at_24_and_prices_have_two_decimals() -> None:
    parsed = AvailabilityOut.model_validate_json(answer([free(22, 2, "Late")]))

    [late] = parsed.available_ranges
    assert (late.start_time, late.end_time, late.price_per_hour) == ("22:00:00", "24:00:00", "25.00")
    assert late.slot_prices is None
