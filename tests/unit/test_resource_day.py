"""ResourceDay: half-open holds on a UTC day, overlap refusal, and the UTC days an interval touches."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from uuid import UUID

import pytest

from domain.ids import resource_day_id
from domain.resource_day import CourtBookingOverlapError, ResourceDay, days_touched
from tests.unit.events import given, meta, no_events, only_event

COURT = UUID(int=3)
DAY = date(2030, 1, 1)
BOOKING_A = UUID(int=10)
BOOKING_B = UUID(int=11)
BOOKING_C = UUID(int=12)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2030, 1, 1, hour, minute, tzinfo=UTC)


def day_with(*holds: tuple[UUID, datetime, datetime]) -> ResourceDay:
    """Given: the court's day opened, with these holds reserved and saved."""
    calendar = ResourceDay(resource_id=COURT, day=DAY, meta=meta())
    for booking_id, start, end in holds:
        calendar.reserve(booking_id, start, end, meta())
    return given(calendar)


def test_opening_a_day_records_opened_under_the_derived_id() -> None:
    calendar = ResourceDay(resource_id=COURT, day=DAY, meta=meta())

    event = only_event(calendar, ResourceDay.Opened)
    assert event.originator_id == resource_day_id(COURT, DAY)
    assert (event.resource_id, event.day) == (COURT, DAY)
    assert calendar.reservations == {}


def test_reserving_a_free_interval_records_reserved() -> None:
    calendar = day_with()

    calendar.reserve(BOOKING_A, at(9), at(10), meta())

    event = only_event(calendar, ResourceDay.Reserved)
    assert (event.booking_id, event.start, event.end) == (BOOKING_A, at(9), at(10))
    assert calendar.reservations == {BOOKING_A: (at(9), at(10))}


def test_booking_starting_when_another_ends_does_not_overlap() -> None:
    calendar = day_with((BOOKING_A, at(9), at(10)))

    calendar.reserve(BOOKING_B, at(10), at(11), meta())

    assert only_event(calendar, ResourceDay.Reserved).booking_id == BOOKING_B


def test_booking_ending_when_another_starts_does_not_overlap() -> None:
    calendar = day_with((BOOKING_A, at(10), at(11)))

    calendar.reserve(BOOKING_B, at(9), at(10), meta())

    assert only_event(calendar, ResourceDay.Reserved).booking_id == BOOKING_B


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (at(9, 30), at(10, 30)),
        (at(10, 30), at(11, 30)),
        (at(10, 15), at(10, 45)),
        (at(9), at(12)),
        (at(10), at(11)),
        (at(10, 59), at(11)),
    ],
)
def test_overlapping_reservation_names_the_other_booking(start: datetime, end: datetime) -> None:
    calendar = day_with((BOOKING_A, at(10), at(11)))

    with pytest.raises(CourtBookingOverlapError) as raised:
        calendar.reserve(BOOKING_B, start, end, meta())

    assert raised.value.details == {"overlapping": [str(BOOKING_A)]}
    no_events(calendar)
    assert BOOKING_B not in calendar.reservations


def test_overlap_names_every_overlapping_booking_in_order() -> None:
    calendar = day_with((BOOKING_B, at(11), at(12)), (BOOKING_A, at(9), at(10)))

    with pytest.raises(CourtBookingOverlapError) as raised:
        calendar.reserve(BOOKING_C, at(9, 30), at(11, 30), meta())

    assert raised.value.details == {"overlapping": [str(BOOKING_A), str(BOOKING_B)]}


def test_moving_a_booking_within_its_own_time_does_not_conflict_with_itself() -> None:
    calendar = day_with((BOOKING_A, at(9), at(11)))

    calendar.reserve(BOOKING_A, at(10), at(12), meta())

    event = only_event(calendar, ResourceDay.Reserved)
    assert (event.booking_id, event.start, event.end) == (BOOKING_A, at(10), at(12))
    assert calendar.reservations == {BOOKING_A: (at(10), at(12))}


def test_moving_a_booking_onto_another_booking_is_an_overlap() -> None:
    calendar = day_with((BOOKING_A, at(9), at(10)), (BOOKING_B, at(11), at(12)))

    with pytest.raises(CourtBookingOverlapError):
        calendar.reserve(BOOKING_A, at(9), at(11, 30), meta())

    assert calendar.reservations[BOOKING_A] == (at(9), at(10))


def test_reserving_the_same_interval_again_records_nothing() -> None:
    calendar = day_with((BOOKING_A, at(9), at(10)))

    calendar.reserve(BOOKING_A, at(9), at(10), meta())

    no_events(calendar)


def test_reserving_the_same_instants_in_another_offset_records_nothing() -> None:
    calendar = day_with((BOOKING_A, at(9), at(10)))
    plus_two = timezone(timedelta(hours=2))

    calendar.reserve(BOOKING_A, at(9).astimezone(plus_two), at(10).astimezone(plus_two), meta())

    no_events(calendar)


def test_release_removes_the_hold_and_frees_its_time() -> None:
    calendar = day_with((BOOKING_A, at(9), at(10)))

    calendar.release(BOOKING_A, meta())

    assert only_event(calendar, ResourceDay.Released).booking_id == BOOKING_A
    assert calendar.reservations == {}
    calendar.reserve(BOOKING_B, at(9), at(10), meta())
    assert only_event(calendar, ResourceDay.Reserved).booking_id == BOOKING_B


def test_releasing_a_booking_without_a_hold_records_nothing() -> None:
    calendar = day_with((BOOKING_A, at(9), at(10)))

    calendar.release(BOOKING_B, meta())

    no_events(calendar)
    assert calendar.reservations == {BOOKING_A: (at(9), at(10))}


def test_interval_within_one_day_touches_that_day() -> None:
    assert days_touched(at(9), at(10)) == [DAY]


def test_interval_crossing_midnight_utc_touches_both_days() -> None:
    touched = days_touched(datetime(2030, 1, 1, 23, tzinfo=UTC), datetime(2030, 1, 2, 1, tzinfo=UTC))

    assert touched == [date(2030, 1, 1), date(2030, 1, 2)]


def test_interval_ending_exactly_at_midnight_utc_touches_only_its_start_day() -> None:
    touched = days_touched(datetime(2030, 1, 1, 22, tzinfo=UTC), datetime(2030, 1, 2, tzinfo=UTC))

    assert touched == [date(2030, 1, 1)]


def test_interval_starting_exactly_at_midnight_utc_touches_only_that_day() -> None:
    touched = days_touched(datetime(2030, 1, 2, tzinfo=UTC), datetime(2030, 1, 2, 1, tzinfo=UTC))

    assert touched == [date(2030, 1, 2)]


def test_days_touched_are_utc_dates_whatever_the_offset() -> None:
    plus_two = timezone(timedelta(hours=2))

    touched = days_touched(datetime(2030, 1, 2, 1, tzinfo=plus_two), datetime(2030, 1, 2, 3, tzinfo=plus_two))

    assert touched == [date(2030, 1, 1), date(2030, 1, 2)]


def test_seven_day_interval_touches_every_day_it_covers() -> None:
    touched = days_touched(at(12), at(12) + timedelta(days=7))

    assert touched == [DAY + timedelta(days=offset) for offset in range(8)]
