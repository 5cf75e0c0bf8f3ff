"""Client API availability and bookings across both of Europe/Berlin's clock changes of a year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest

from tests.api.client_booking_support import Bookable, court_booking, local, make_bookable, rules
from tests.support import MovableClock, expect

SPRING = date(2031, 3, 30)  # 02:00 CET becomes 03:00 CEST
AUTUMN = date(2031, 10, 26)  # 03:00 CEST becomes 02:00 CET: 02:00-03:00 happens twice
NIGHT_AND_DAY = [
    {"startTime": "00:00", "endTime": "06:00", "pricePerHour": "10.00", "label": "Night"},
    {"startTime": "08:00", "endTime": "14:00", "pricePerHour": "25.00", "label": ""},
]


def days_before(clock: MovableClock, day: date) -> None:
    """Given: the ledger's clock three days before `day`, so that it is inside the advance limits."""
    clock.advance(datetime(day.year, day.month, day.day - 3, 12, tzinfo=UTC) - clock())


@pytest.fixture
def bookable(http: httpx.Client, admin_headers: dict[str, str]) -> Bookable:
    body = rules(NIGHT_AND_DAY, maxBookingDurationMinutes=360, preventUnbookableGaps=False)
    return make_bookable(http, admin_headers, body, scopes=["client-api", "court-bookings:write"])


@pytest.mark.parametrize("day", [SPRING, AUTUMN], ids=["spring", "autumn"])
def test_on_a_clock_change_day_the_ranges_keep_their_wall_times(
    bookable: Bookable, clock: MovableClock, day: date
) -> None:
    days_before(clock, day)

    assert bookable.ranges(day) == [
        (day.isoformat(), "00:00:00", "06:00:00", "10.00", "Night"),
        (day.isoformat(), "08:00:00", "14:00:00", "25.00", ""),
    ]


def test_in_spring_the_free_time_after_a_reservation_resumes_at_three_the_skipped_hour_left_out(
    bookable: Bookable, clock: MovableClock
) -> None:
    days_before(clock, SPRING)
    expect(court_booking(bookable, local(SPRING, 1), local(SPRING, 2)), 201)

    assert bookable.ranges(SPRING)[:2] == [
        (SPRING.isoformat(), "00:00:00", "01:00:00", "10.00", "Night"),
        (SPRING.isoformat(), "03:00:00", "06:00:00", "10.00", "Night"),
    ]


def test_in_autumn_the_free_time_after_a_reservation_of_the_first_two_oclock_hour_starts_at_the_second(
    bookable: Bookable, clock: MovableClock
) -> None:
    days_before(clock, AUTUMN)
    expect(court_booking(bookable, local(AUTUMN, 2), local(AUTUMN, 2, fold=1)), 201)

    assert bookable.ranges(AUTUMN)[:2] == [
        (AUTUMN.isoformat(), "00:00:00", "02:00:00", "10.00", "Night"),
        (AUTUMN.isoformat(), "02:00:00", "06:00:00", "10.00", "Night"),
    ]


@pytest.mark.parametrize(
    ("day", "offset"), [(SPRING, "+02:00"), (AUTUMN, "+01:00")], ids=["spring", "autumn"]
)
def test_a_booking_on_a_clock_change_day_shows_the_offset_of_its_hour_and_costs_its_real_time(
    bookable: Bookable, clock: MovableClock, day: date, offset: str
) -> None:
    days_before(clock, day)

    booked = bookable.booked(local(day, 10), local(day, 11, 30))

    assert booked["start_datetime"] == f"{day.isoformat()}T10:00:00{offset}"
    assert booked["end_datetime"] == f"{day.isoformat()}T11:30:00{offset}"
    assert booked["total_price"] == "37.50"


@pytest.mark.parametrize(
    ("day", "price", "start", "end"),
    [
        (SPRING, "20.00", "T01:00:00+01:00", "T04:00:00+02:00"),
        (AUTUMN, "40.00", "T01:00:00+02:00", "T04:00:00+01:00"),
    ],
    ids=["spring: two real hours", "autumn: four real hours"],
)
def test_one_to_four_on_the_wall_clock_is_priced_by_the_hours_that_really_pass(
    bookable: Bookable, clock: MovableClock, day: date, price: str, start: str, end: str
) -> None:
    days_before(clock, day)

    booked = bookable.booked(local(day, 1), local(day, 4))

    assert (booked["total_price"], booked["start_datetime"], booked["end_datetime"]) == (
        price,
        day.isoformat() + start,
        day.isoformat() + end,
    )
