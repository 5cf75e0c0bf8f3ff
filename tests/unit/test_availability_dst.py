"""Availability, grid and prices on the days Europe/Berlin changes its clocks (2026-03-29 and 2026-10-25)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.availability import FreeRange, available_ranges, price_of_interval
from domain.booking_checks import BookingTooShortError, check_booking
from domain.booking_rules import BookingRules
from domain.local_time import is_aligned, next_aligned, previous_aligned, wall_instant
from domain.opening_hours import OpeningHours
from tests.unit.availability_support import BERLIN, berlin, every_day, rules, shown, utc

SPRING = date(2026, 3, 29)  # 02:00 CET becomes 03:00 CEST
AUTUMN = date(2026, 10, 25)  # 03:00 CEST becomes 02:00 CET
NOW = utc(date(2026, 3, 1), 12)
ANY_TIME = rules(
    min_advance_booking_minutes=0, max_advance_booking_days=365, max_booking_duration_minutes=600
)


def free_on(
    day: date,
    hours: OpeningHours,
    *reservations: tuple[datetime, datetime],
    now: datetime = NOW,
    booking_rules: BookingRules = ANY_TIME,
) -> list[FreeRange]:
    return available_ranges(
        rules=booking_rules,
        opening_hours=hours,
        tz=BERLIN,
        reservations=reservations,
        now=now,
        first_day=day,
        last_day=day,
    )[day]


def test_in_spring_a_range_across_the_skipped_hour_is_one_hour_shorter_and_priced_so() -> None:
    [free] = free_on(SPRING, every_day(("01:00", "05:00", "20.00", "")))

    assert shown([free]) == [("01:00", "05:00", "20.00", "")]
    assert free.end - free.start == timedelta(hours=3)
    assert price_of_interval(
        free.start, free.end, every_day(("01:00", "05:00", "20.00", "")), BERLIN
    ) == Decimal("60.00")


def test_in_spring_a_range_within_the_skipped_hour_is_closed() -> None:
    assert free_on(SPRING, every_day(("02:00", "03:00", "20.00", ""))) == []


def test_in_spring_a_range_starting_in_the_skipped_hour_opens_when_the_clock_jumps() -> None:
    assert shown(free_on(SPRING, every_day(("02:30", "05:00", "20.00", "")))) == [
        ("03:00", "05:00", "20.00", "")
    ]


def test_in_spring_ranges_either_side_of_the_skipped_hour_touch_and_split_at_the_price_change() -> None:
    hours = every_day(("01:00", "02:00", "20.00", ""), ("03:00", "04:00", "30.00", "Peak Hours"))

    ranges = free_on(SPRING, hours)

    assert shown(ranges) == [("01:00", "03:00", "20.00", ""), ("03:00", "04:00", "30.00", "Peak Hours")]
    assert [r.end - r.start for r in ranges] == [timedelta(hours=1), timedelta(hours=1)]


def test_in_spring_a_booking_across_the_skipped_hour_lasts_and_costs_real_time() -> None:
    hours = every_day(("01:00", "05:00", "20.00", ""))
    start, end = berlin(SPRING, 1), berlin(SPRING, 3, 30)

    check_booking(
        rules=ANY_TIME,
        opening_hours=hours,
        tz=BERLIN,
        reservations=[],
        now=NOW,
        start=start,
        end=end,
        participant_count=1,
    )

    assert end - start == timedelta(hours=1, minutes=30)
    assert price_of_interval(start, end, hours, BERLIN) == Decimal("30.00")


def test_in_spring_a_booking_from_01_00_to_03_00_lasts_one_real_hour_so_is_too_short_for_90_minutes() -> None:
    with pytest.raises(BookingTooShortError):
        check_booking(
            rules=replace(ANY_TIME, min_booking_duration_minutes=90),
            opening_hours=every_day(("01:00", "05:00", "20.00", "")),
            tz=BERLIN,
            reservations=[],
            now=NOW,
            start=berlin(SPRING, 1),
            end=berlin(SPRING, 3),
            participant_count=1,
        )


def test_in_autumn_a_range_across_the_repeated_hour_is_one_hour_longer_and_priced_so() -> None:
    hours = every_day(("00:00", "06:00", "20.00", ""))

    [free] = free_on(AUTUMN, hours)

    assert shown([free]) == [("00:00", "06:00", "20.00", "")]
    assert free.end - free.start == timedelta(hours=7)
    assert price_of_interval(free.start, free.end, hours, BERLIN) == Decimal("140.00")


def test_in_autumn_a_range_of_the_repeated_hour_is_open_through_both_of_its_occurrences() -> None:
    [free] = free_on(AUTUMN, every_day(("02:00", "03:00", "20.00", "")))

    assert (free.start, free.end) == (berlin(AUTUMN, 2, fold=0), berlin(AUTUMN, 3))
    assert free.end - free.start == timedelta(hours=2)


def test_in_autumn_a_reservation_in_the_second_occurrence_is_cut_from_that_occurrence_only() -> None:
    second = (berlin(AUTUMN, 2, fold=1), berlin(AUTUMN, 2, 30, fold=1))

    ranges = free_on(AUTUMN, every_day(("00:00", "06:00", "20.00", "")), second)

    assert [(r.start, r.end) for r in ranges] == [
        (berlin(AUTUMN, 0), berlin(AUTUMN, 2, fold=1)),
        (berlin(AUTUMN, 2, 30, fold=1), berlin(AUTUMN, 6)),
    ]
    assert (ranges[1].local_start.fold, ranges[1].local_start.utcoffset()) == (1, timedelta(hours=1))


def test_in_autumn_the_minimum_advance_rounds_up_into_the_repeated_hour() -> None:
    now = berlin(AUTUMN, 1, 50)

    [free] = free_on(AUTUMN, every_day(("00:00", "06:00", "20.00", "")), now=now, booking_rules=rules())

    assert free.start == berlin(AUTUMN, 2, fold=1)
    assert free.local_start.fold == 1


def test_in_autumn_a_booking_of_the_repeated_hour_is_aligned_and_lasts_one_hour() -> None:
    check_booking(
        rules=ANY_TIME,
        opening_hours=every_day(("00:00", "06:00", "20.00", "")),
        tz=BERLIN,
        reservations=[],
        now=NOW,
        start=berlin(AUTUMN, 2, fold=0),
        end=berlin(AUTUMN, 2, fold=1),
        participant_count=1,
    )


def test_the_maximum_advance_counts_days_of_24_real_hours_across_a_change() -> None:
    now = berlin(SPRING - timedelta(days=1), 12)

    ranges = free_on(
        SPRING,
        every_day(("08:00", "18:00", "20.00", "")),
        now=now,
        booking_rules=rules(max_advance_booking_days=1),
    )

    assert shown(ranges) == [("08:00", "13:00", "20.00", "")]


def test_a_skipped_wall_time_stands_for_the_moment_the_clock_jumps() -> None:
    assert wall_instant(SPRING, 2 * 60 + 30, BERLIN) == utc(SPRING, 1)
    assert wall_instant(SPRING, 2 * 60, BERLIN) == wall_instant(SPRING, 3 * 60, BERLIN)


def test_a_repeated_wall_time_stands_for_its_first_occurrence() -> None:
    assert wall_instant(AUTUMN, 2 * 60 + 30, BERLIN) == utc(AUTUMN, 0, 30)
    assert wall_instant(AUTUMN, 3 * 60, BERLIN) == utc(AUTUMN, 2)


def test_the_end_of_day_minute_is_the_next_midnight() -> None:
    assert wall_instant(SPRING, 24 * 60, BERLIN) == berlin(SPRING + timedelta(days=1), 0)


@pytest.mark.parametrize(
    ("moment", "step", "expected"),
    [
        (berlin(SPRING, 1, 50), 30, berlin(SPRING, 3)),
        (berlin(SPRING, 1, 56), 7, berlin(SPRING, 1, 59)),
        (berlin(SPRING, 1, 59) + timedelta(seconds=30), 7, berlin(SPRING, 3, 2)),
        (berlin(AUTUMN, 2, 50, fold=0), 30, berlin(AUTUMN, 2, fold=1)),
        (berlin(AUTUMN, 2, 10, fold=1), 30, berlin(AUTUMN, 2, 30, fold=1)),
        (berlin(AUTUMN, 23, 50), 45, berlin(AUTUMN + timedelta(days=1), 0)),
    ],
)
def test_the_next_grid_point_follows_the_clock_as_shown(
    moment: datetime, step: int, expected: datetime
) -> None:
    assert next_aligned(moment, BERLIN, step) == expected


@pytest.mark.parametrize(
    ("moment", "step", "expected"),
    [
        (berlin(SPRING, 3, 20), 30, berlin(SPRING, 3)),
        (berlin(SPRING, 3, 20), 120, berlin(SPRING, 0)),
        (berlin(AUTUMN, 2, 10, fold=1), 30, berlin(AUTUMN, 2, fold=1)),
        (berlin(AUTUMN, 2, 0, fold=1), 45, berlin(AUTUMN, 2, 15, fold=0)),
    ],
)
def test_the_previous_grid_point_follows_the_clock_as_shown(
    moment: datetime, step: int, expected: datetime
) -> None:
    assert previous_aligned(moment, BERLIN, step) == expected


def test_both_occurrences_of_a_repeated_grid_time_are_aligned() -> None:
    assert is_aligned(berlin(AUTUMN, 2, 30, fold=0), BERLIN, 30)
    assert is_aligned(berlin(AUTUMN, 2, 30, fold=1), BERLIN, 30)
    assert not is_aligned(berlin(AUTUMN, 2, 40, fold=1), BERLIN, 30)
