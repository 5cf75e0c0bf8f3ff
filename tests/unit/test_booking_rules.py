"""Booking rules and opening hours: what is refused, and the JSON-safe dict form they are recorded in."""

from __future__ import annotations

import json
from datetime import time
from decimal import Decimal
from typing import Any

import pytest

from domain.booking_rules import (
    BookingRules,
    InvalidAdvanceLimitsError,
    InvalidBookingIntervalError,
    InvalidBookingRulesError,
    InvalidCapacityError,
    InvalidCurrencyError,
    InvalidDurationBoundsError,
    InvalidPriceError,
    InvalidPriceUnitError,
    MalformedBookingRulesError,
)
from domain.errors import InvalidInputError
from domain.opening_hours import (
    InvalidLabelError,
    InvalidOpeningTimeError,
    InvalidWeekdayError,
    OpeningHours,
    OpeningRange,
    OpeningRangeOrderError,
    OverlappingOpeningHoursError,
)
from tests.unit.availability_support import SEED_HOURS, SEED_RULES, rules

MONDAY = 0


def opening(
    start: str, end: str, weekday: int = MONDAY, price: str = "25.00", label: str = ""
) -> OpeningRange:
    return OpeningRange.from_dict(
        {"weekday": weekday, "start_time": start, "end_time": end, "price_per_hour": price, "label": label}
    )


def test_rules_survive_a_round_trip_through_json_with_prices_as_strings() -> None:
    recorded = json.loads(json.dumps(SEED_RULES.as_dict()))

    assert recorded["base_price"] == "25.00"
    assert BookingRules.from_dict(recorded) == SEED_RULES


def test_opening_hours_survive_a_round_trip_through_json() -> None:
    recorded = json.loads(json.dumps(SEED_HOURS.as_dicts()))

    assert recorded[1] == {
        "weekday": 0,
        "start_time": "15:30",
        "end_time": "22:00",
        "price_per_hour": "30.00",
        "label": "Peak Hours",
    }
    assert OpeningHours.from_dicts(recorded) == SEED_HOURS


def test_an_opening_range_may_end_at_midnight_written_24_00() -> None:
    late = opening("20:00", "24:00")

    assert (late.end, late.end_minute) == (time(0), 24 * 60)
    assert late.as_dict()["end_time"] == "24:00"
    assert OpeningRange.from_dict(late.as_dict()) == late


def test_opening_times_may_carry_zero_seconds() -> None:
    assert opening("08:00:00", "14:00:00") == opening("08:00", "14:00")


def test_opening_ranges_are_kept_by_weekday_and_start() -> None:
    hours = OpeningHours((opening("15:00", "18:00", weekday=2), opening("08:00", "12:00", weekday=2)))

    assert [r.start for r in hours.on(2)] == [time(8), time(15)]
    assert hours.on(3) == ()


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"capacity": 0}, InvalidCapacityError),
        ({"booking_interval_minutes": 0}, InvalidBookingIntervalError),
        ({"booking_interval_minutes": 1441}, InvalidBookingIntervalError),
        ({"min_booking_duration_minutes": 0}, InvalidDurationBoundsError),
        (
            {"min_booking_duration_minutes": 120, "max_booking_duration_minutes": 90},
            InvalidDurationBoundsError,
        ),
        ({"max_booking_duration_minutes": 7 * 24 * 60 + 1}, InvalidDurationBoundsError),
        ({"min_advance_booking_minutes": -1}, InvalidAdvanceLimitsError),
        ({"max_advance_booking_days": 0}, InvalidAdvanceLimitsError),
        ({"max_advance_booking_days": 3661}, InvalidAdvanceLimitsError),
        ({"max_advance_booking_days": 1, "min_advance_booking_minutes": 24 * 60}, InvalidAdvanceLimitsError),
        ({"base_price": Decimal("-0.01")}, InvalidPriceError),
        ({"base_price": Decimal("NaN")}, InvalidPriceError),
        ({"base_price": Decimal("1.005")}, InvalidPriceError),
        ({"base_price": Decimal("1000000.01")}, InvalidPriceError),
        ({"base_price": Decimal("1E+40")}, InvalidPriceError),
        ({"currency": "eur"}, InvalidCurrencyError),
        ({"currency": "EURO"}, InvalidCurrencyError),
        ({"price_unit": ""}, InvalidPriceUnitError),
        ({"price_unit": "Per Hour"}, InvalidPriceUnitError),
    ],
)
def test_unacceptable_rules_are_refused_with_their_own_error(
    changes: dict[str, Any], error: type[InvalidBookingRulesError]
) -> None:
    with pytest.raises(error):
        rules(**changes)


def test_limits_at_their_bounds_are_accepted() -> None:
    accepted = rules(
        capacity=1,
        base_price=Decimal("0"),
        booking_interval_minutes=1440,
        min_booking_duration_minutes=90,
        max_booking_duration_minutes=90,
        min_advance_booking_minutes=0,
        max_advance_booking_days=1,
    )

    assert accepted.max_booking_duration_minutes == 90


@pytest.mark.parametrize(
    ("make", "error"),
    [
        (lambda: opening("08:00", "14:00", weekday=7), InvalidWeekdayError),
        (lambda: opening("08:00", "14:00", weekday=-1), InvalidWeekdayError),
        (lambda: opening("14:00", "14:00"), OpeningRangeOrderError),
        (lambda: opening("14:00", "08:00"), OpeningRangeOrderError),
        (lambda: opening("24:00", "24:00"), InvalidOpeningTimeError),
        (lambda: opening("8:00", "14:00"), InvalidOpeningTimeError),
        (lambda: opening("\u0660\u0668:00", "14:00"), InvalidOpeningTimeError),
        (lambda: opening("08:00", "14:60"), InvalidOpeningTimeError),
        (lambda: opening("08:00:30", "14:00"), InvalidOpeningTimeError),
        (lambda: OpeningRange(MONDAY, time(8, 0, 30), time(14), Decimal(1)), InvalidOpeningTimeError),
        (lambda: opening("08:00", "14:00", price="-1"), InvalidPriceError),
        (lambda: opening("08:00", "14:00", label="x" * 101), InvalidLabelError),
    ],
)
def test_unacceptable_opening_ranges_are_refused_with_their_own_error(
    make: Any, error: type[InvalidBookingRulesError]
) -> None:
    with pytest.raises(error):
        make()


@pytest.mark.parametrize("end", ["24:00", "00:00"])
def test_a_range_ending_at_00_00_or_24_00_runs_to_the_midnight_ending_the_day(end: str) -> None:
    whole_day = opening("00:00", end)

    assert (whole_day.start_minute, whole_day.end_minute) == (0, 24 * 60)


def test_overlapping_ranges_of_one_weekday_are_refused() -> None:
    with pytest.raises(OverlappingOpeningHoursError) as raised:
        OpeningHours((opening("08:00", "14:00"), opening("13:30", "18:00")))

    assert "08:00-14:00 and 13:30-18:00" in raised.value.message


def test_touching_ranges_and_the_same_range_on_other_weekdays_are_accepted() -> None:
    hours = OpeningHours((opening("08:00", "14:00"), opening("14:00", "18:00"), opening("08:00", "14:00", 1)))

    assert len(hours.ranges) == 3


@pytest.mark.parametrize(
    "changes",
    [
        {"capacity": None},
        {"capacity": True},
        {"capacity": "4"},
        {"base_price": 25.0},
        {"base_price": "twenty"},
        {"is_bookable": 1},
        {"currency": 978},
    ],
)
def test_a_rules_dict_with_a_mistyped_field_is_malformed(changes: dict[str, Any]) -> None:
    with pytest.raises(MalformedBookingRulesError):
        BookingRules.from_dict({**SEED_RULES.as_dict(), **changes})


def test_a_rules_dict_without_a_field_is_malformed_and_names_it() -> None:
    recorded = SEED_RULES.as_dict()
    del recorded["currency"]

    with pytest.raises(MalformedBookingRulesError) as raised:
        BookingRules.from_dict(recorded)

    assert raised.value.details == {"field": "currency"}


def test_prices_may_be_given_as_whole_numbers() -> None:
    assert BookingRules.from_dict({**SEED_RULES.as_dict(), "base_price": 25}) == SEED_RULES


@pytest.mark.parametrize("items", ["08:00-14:00", [["08:00", "14:00"]], {"weekday": 0}])
def test_opening_hours_that_are_not_a_list_of_objects_are_malformed(items: Any) -> None:
    with pytest.raises(MalformedBookingRulesError):
        OpeningHours.from_dicts(items)


def test_every_rules_error_is_an_invalid_input() -> None:
    assert issubclass(InvalidBookingRulesError, InvalidInputError)
