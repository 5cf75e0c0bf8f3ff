"""The availability engine: free priced ranges per local date, cut by reservations, advance limits, grid."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.availability import (
    FreeRange,
    InvalidIntervalError,
    available_ranges,
    busy_times,
    price_of_interval,
)
from domain.booking_rules import BookingRules
from domain.calendar import InvalidDateRangeError
from domain.opening_hours import OpeningHours
from tests.unit.availability_support import (
    BERLIN,
    SEED_DAY,
    SEED_HOURS,
    SEED_RULES,
    berlin,
    every_day,
    rules,
    shown,
    utc,
)

LONG_BEFORE = utc(date(2025, 1, 10), 12)
Reservation = tuple[datetime, datetime]


def free_on(
    day: date,
    *reservations: Reservation,
    now: datetime = LONG_BEFORE,
    booking_rules: BookingRules = SEED_RULES,
    hours: OpeningHours = SEED_HOURS,
) -> list[FreeRange]:
    """When: the free ranges of one date are asked for."""
    found = available_ranges(
        rules=booking_rules,
        opening_hours=hours,
        tz=BERLIN,
        reservations=reservations,
        now=now,
        first_day=day,
        last_day=day,
    )
    return found[day]


def test_a_day_without_reservations_is_free_through_its_opening_ranges() -> None:
    ranges = free_on(SEED_DAY)

    assert shown(ranges) == [("08:00", "14:00", "25.00", ""), ("15:30", "22:00", "30.00", "Peak Hours")]
    assert {r.date for r in ranges} == {SEED_DAY}
    assert ranges[0].start == berlin(SEED_DAY, 8)


def test_a_reservation_is_cut_out_of_the_free_range() -> None:
    ranges = free_on(SEED_DAY, (berlin(SEED_DAY, 10), berlin(SEED_DAY, 11, 30)))

    assert shown(ranges)[:2] == [("08:00", "10:00", "25.00", ""), ("11:30", "14:00", "25.00", "")]


def test_free_time_around_an_off_grid_reservation_shrinks_to_the_booking_grid() -> None:
    ranges = free_on(SEED_DAY, (berlin(SEED_DAY, 9, 50), berlin(SEED_DAY, 11, 10)))

    assert shown(ranges)[:2] == [("08:00", "09:30", "25.00", ""), ("11:30", "14:00", "25.00", "")]


def test_free_time_shorter_than_the_minimum_duration_is_left_out() -> None:
    ranges = free_on(SEED_DAY, (berlin(SEED_DAY, 8, 30), berlin(SEED_DAY, 13, 30)))

    assert shown(ranges) == [("15:30", "22:00", "30.00", "Peak Hours")]


def test_free_time_starts_at_the_minimum_advance_rounded_up_to_the_grid() -> None:
    now = berlin(SEED_DAY, 9, 17)

    ranges = free_on(SEED_DAY, now=now)

    assert shown(ranges)[0] == ("10:30", "14:00", "25.00", "")


def test_free_time_ends_at_the_maximum_advance_rounded_down_to_the_grid() -> None:
    now = berlin(SEED_DAY, 12, 10)
    limit = SEED_DAY + timedelta(days=2)

    ranges = free_on(limit, now=now, booking_rules=rules(max_advance_booking_days=2))

    assert shown(ranges) == [("08:00", "12:00", "25.00", "")]
    assert free_on(limit + timedelta(days=1), now=now, booking_rules=rules(max_advance_booking_days=2)) == []


def test_free_time_crossing_a_price_change_is_split_there() -> None:
    hours = every_day(("08:00", "14:00", "25.00", ""), ("14:00", "18:00", "30.00", "Peak Hours"))

    ranges = free_on(SEED_DAY, (berlin(SEED_DAY, 8), berlin(SEED_DAY, 12)), hours=hours)

    assert shown(ranges) == [("12:00", "14:00", "25.00", ""), ("14:00", "18:00", "30.00", "Peak Hours")]


def test_a_piece_before_a_price_change_is_kept_when_the_free_time_continues_past_it() -> None:
    hours = every_day(("08:00", "14:00", "25.00", ""), ("14:00", "18:00", "30.00", "Peak Hours"))

    ranges = free_on(SEED_DAY, (berlin(SEED_DAY, 8), berlin(SEED_DAY, 13, 30)), hours=hours)

    assert shown(ranges) == [("13:30", "14:00", "25.00", ""), ("14:00", "18:00", "30.00", "Peak Hours")]


def test_touching_ranges_with_the_same_price_and_label_are_one_free_range() -> None:
    hours = every_day(("08:00", "12:00", "25.00", ""), ("12:00", "14:00", "25.00", ""))

    assert shown(free_on(SEED_DAY, hours=hours)) == [("08:00", "14:00", "25.00", "")]


def test_a_range_ending_at_24_00_ends_at_the_next_midnight_but_stays_on_its_date() -> None:
    hours = every_day(("20:00", "24:00", "25.00", ""))

    [late] = free_on(SEED_DAY, hours=hours)

    assert (late.date, late.end) == (SEED_DAY, berlin(SEED_DAY + timedelta(days=1), 0))


def test_a_reservation_across_midnight_is_cut_from_both_dates() -> None:
    hours = every_day(("00:00", "24:00", "25.00", ""))
    night = (berlin(SEED_DAY, 22), berlin(SEED_DAY + timedelta(days=1), 2))

    found = available_ranges(
        rules=SEED_RULES,
        opening_hours=hours,
        tz=BERLIN,
        reservations=[night],
        now=LONG_BEFORE,
        first_day=SEED_DAY,
        last_day=SEED_DAY + timedelta(days=1),
    )

    assert [shown(found[day]) for day in found] == [
        [("00:00", "22:00", "25.00", "")],
        [("02:00", "00:00", "25.00", "")],
    ]


def test_reservations_in_any_order_and_overlapping_give_the_same_free_time() -> None:
    a = (berlin(SEED_DAY, 9), berlin(SEED_DAY, 10))
    b = (berlin(SEED_DAY, 9, 30), berlin(SEED_DAY, 11))
    c = (berlin(SEED_DAY, 12), berlin(SEED_DAY, 13))

    assert free_on(SEED_DAY, c, b, a) == free_on(SEED_DAY, a, b, c)
    assert shown(free_on(SEED_DAY, c, b, a))[:3] == [
        ("08:00", "09:00", "25.00", ""),
        ("11:00", "12:00", "25.00", ""),
        ("13:00", "14:00", "25.00", ""),
    ]


def test_busy_times_join_overlapping_and_touching_reservations_and_skip_empty_ones() -> None:
    busy = busy_times(
        [
            (berlin(SEED_DAY, 11), berlin(SEED_DAY, 12)),
            (berlin(SEED_DAY, 9), berlin(SEED_DAY, 10)),
            (berlin(SEED_DAY, 10), berlin(SEED_DAY, 10, 30)),
            (berlin(SEED_DAY, 13), berlin(SEED_DAY, 13)),
        ]
    )

    assert busy == [(utc(SEED_DAY, 8), utc(SEED_DAY, 9, 30)), (utc(SEED_DAY, 10), utc(SEED_DAY, 11))]


def test_every_date_is_answered_and_a_closed_weekday_has_no_ranges() -> None:
    weekdays_only = OpeningHours(tuple(r for r in SEED_HOURS.ranges if r.weekday < 5))

    found = available_ranges(
        rules=SEED_RULES,
        opening_hours=weekdays_only,
        tz=BERLIN,
        reservations=[],
        now=LONG_BEFORE,
        first_day=date(2025, 1, 17),
        last_day=date(2025, 1, 20),
    )

    assert [(day.isoformat(), len(ranges)) for day, ranges in found.items()] == [
        ("2025-01-17", 2),
        ("2025-01-18", 0),
        ("2025-01-19", 0),
        ("2025-01-20", 2),
    ]


def test_a_resource_that_is_not_bookable_has_no_free_time() -> None:
    assert free_on(SEED_DAY, booking_rules=rules(is_bookable=False)) == []


@pytest.mark.parametrize(("days", "accepted"), [(1, True), (31, True), (32, False), (0, False)])
def test_availability_covers_one_to_31_dates(days: int, accepted: bool) -> None:
    def ask() -> dict[date, list[FreeRange]]:
        return available_ranges(
            rules=SEED_RULES,
            opening_hours=SEED_HOURS,
            tz=BERLIN,
            reservations=[],
            now=LONG_BEFORE,
            first_day=SEED_DAY,
            last_day=SEED_DAY + timedelta(days=days - 1),
        )

    if accepted:
        assert len(ask()) == days
    else:
        with pytest.raises(InvalidDateRangeError):
            ask()


def test_a_reservation_without_an_offset_is_refused() -> None:
    with pytest.raises(InvalidIntervalError):
        free_on(SEED_DAY, (datetime(2025, 1, 15, 9), datetime(2025, 1, 15, 10)))


def test_the_seeds_ninety_minutes_at_25_per_hour_cost_37_50() -> None:
    price = price_of_interval(
        datetime.fromisoformat("2025-01-15T10:00:00+01:00"),
        datetime.fromisoformat("2025-01-15T11:30:00+01:00"),
        SEED_HOURS,
        BERLIN,
    )

    assert (price, str(price)) == (Decimal("37.50"), "37.50")


def test_the_price_of_an_interval_across_a_price_change_sums_both_parts() -> None:
    hours = every_day(("08:00", "14:00", "25.00", ""), ("14:00", "18:00", "30.00", "Peak Hours"))

    assert price_of_interval(berlin(SEED_DAY, 13), berlin(SEED_DAY, 15, 30), hours, BERLIN) == Decimal(
        "70.00"
    )


@pytest.mark.parametrize(
    ("per_hour", "minutes", "expected"),
    [("25.00", 20, "8.33"), ("25.00", 40, "16.67"), ("0.05", 30, "0.03"), ("0.00", 60, "0.00")],
)
def test_the_price_is_rounded_half_up_to_cents(per_hour: str, minutes: int, expected: str) -> None:
    hours = every_day(("08:00", "14:00", per_hour, ""))

    price = price_of_interval(
        berlin(SEED_DAY, 9), berlin(SEED_DAY, 9) + timedelta(minutes=minutes), hours, BERLIN
    )

    assert str(price) == expected


def test_time_outside_the_opening_hours_adds_nothing_to_the_price() -> None:
    assert price_of_interval(berlin(SEED_DAY, 13), berlin(SEED_DAY, 16, 30), SEED_HOURS, BERLIN) == Decimal(
        "55.00"
    )


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (berlin(SEED_DAY, 11), berlin(SEED_DAY, 10)),
        (berlin(SEED_DAY, 10), berlin(SEED_DAY, 10)),
        (berlin(SEED_DAY, 10), berlin(SEED_DAY, 10) + timedelta(days=7, minutes=1)),
        (datetime(2025, 1, 15, 10), datetime(2025, 1, 15, 11)),
    ],
)
def test_pricing_an_interval_that_is_empty_too_long_or_without_offsets_is_refused(
    start: datetime, end: datetime
) -> None:
    with pytest.raises(InvalidIntervalError):
        price_of_interval(start, end, SEED_HOURS, BERLIN)
