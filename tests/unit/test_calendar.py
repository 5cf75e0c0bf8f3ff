"""Calendar: reserving, moving and releasing holds over saved days, and reading a resource's reservations."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from uuid import UUID

import pytest

from domain.calendar import Calendar, Hold, InvalidDateRangeError, Reservation
from domain.resource_day import CourtBookingOverlapError, ResourceDay
from tests.unit.events import given, meta

COURT = UUID(int=3)
OTHER_COURT = UUID(int=4)
BOOKING_A = UUID(int=10)
BOOKING_B = UUID(int=11)
DAY = date(2030, 1, 1)
NEXT_DAY = date(2030, 1, 2)


def at(hour: int, day: date = DAY) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC) + timedelta(hours=hour)


class SavedDays:
    """Given: the calendar days saved so far, found by resource and date as the ledger finds them."""

    def __init__(self, *holds: tuple[UUID, Hold]) -> None:
        self.days: dict[tuple[UUID, date], ResourceDay] = {}
        for booking_id, hold in holds:
            self.save(Calendar(self.find).reserve(booking_id, hold, meta()))

    def find(self, resource_id: UUID, day: date) -> ResourceDay | None:
        return self.days.get((resource_id, day))

    def save(self, days: list[ResourceDay]) -> None:
        for calendar_day in days:
            self.days[(calendar_day.resource_id, calendar_day.day)] = given(calendar_day)

    def calendar(self) -> Calendar:
        return Calendar(self.find)


def events_of(days: list[ResourceDay]) -> list[tuple[date, str, UUID | None]]:
    """Then: each returned day's date with the names of its new events and the booking they concern."""
    return [
        (day.day, type(event).__name__, getattr(event, "booking_id", None))
        for day in days
        for event in day.collect_events()
    ]


def test_reserving_on_an_unsaved_day_opens_the_day_and_reserves() -> None:
    days = SavedDays()

    changed = days.calendar().reserve(BOOKING_A, Hold(COURT, at(9), at(10)), meta())

    assert events_of(changed) == [(DAY, "Opened", None), (DAY, "Reserved", BOOKING_A)]


def test_reserving_across_midnight_reserves_on_both_days() -> None:
    days = SavedDays()

    changed = days.calendar().reserve(BOOKING_A, Hold(COURT, at(23), at(1, NEXT_DAY)), meta())

    assert [(day.day, day.reservations) for day in changed] == [
        (DAY, {BOOKING_A: (at(23), at(1, NEXT_DAY))}),
        (NEXT_DAY, {BOOKING_A: (at(23), at(1, NEXT_DAY))}),
    ]


def test_reserving_over_another_booking_is_an_overlap() -> None:
    days = SavedDays((BOOKING_A, Hold(COURT, at(9), at(10))))

    with pytest.raises(CourtBookingOverlapError) as raised:
        days.calendar().reserve(BOOKING_B, Hold(COURT, at(9), at(11)), meta())

    assert raised.value.details == {"overlapping": [str(BOOKING_A)]}


def test_reserving_the_same_time_on_another_resource_is_no_overlap() -> None:
    days = SavedDays((BOOKING_A, Hold(COURT, at(9), at(10))))

    changed = days.calendar().reserve(BOOKING_B, Hold(OTHER_COURT, at(9), at(10)), meta())

    assert events_of(changed) == [(DAY, "Opened", None), (DAY, "Reserved", BOOKING_B)]


def test_moving_within_a_day_reserves_the_new_time_on_that_day_only() -> None:
    days = SavedDays((BOOKING_A, Hold(COURT, at(9), at(10))))

    changed = days.calendar().move(BOOKING_A, Hold(COURT, at(9), at(10)), Hold(COURT, at(11), at(12)), meta())

    assert events_of(changed) == [(DAY, "Reserved", BOOKING_A)]
    assert changed[0].reservations == {BOOKING_A: (at(11), at(12))}


def test_moving_to_another_day_releases_the_old_day_and_reserves_the_new_one() -> None:
    days = SavedDays((BOOKING_A, Hold(COURT, at(9), at(10))))

    changed = days.calendar().move(
        BOOKING_A, Hold(COURT, at(9), at(10)), Hold(COURT, at(9, NEXT_DAY), at(10, NEXT_DAY)), meta()
    )

    assert events_of(changed) == [
        (DAY, "Released", BOOKING_A),
        (NEXT_DAY, "Opened", None),
        (NEXT_DAY, "Reserved", BOOKING_A),
    ]


def test_moving_onto_another_booking_is_an_overlap() -> None:
    days = SavedDays((BOOKING_A, Hold(COURT, at(9), at(10))), (BOOKING_B, Hold(COURT, at(11), at(12))))

    with pytest.raises(CourtBookingOverlapError):
        days.calendar().move(BOOKING_A, Hold(COURT, at(9), at(10)), Hold(COURT, at(10), at(12)), meta())


def test_releasing_frees_the_time_on_every_day_of_the_hold() -> None:
    hold = Hold(COURT, at(23), at(1, NEXT_DAY))
    days = SavedDays((BOOKING_A, hold))

    changed = days.calendar().release(BOOKING_A, hold, meta())

    assert events_of(changed) == [(DAY, "Released", BOOKING_A), (NEXT_DAY, "Released", BOOKING_A)]
    assert [day.reservations for day in changed] == [{}, {}]


def test_released_time_can_be_reserved_by_another_booking() -> None:
    hold = Hold(COURT, at(9), at(10))
    days = SavedDays((BOOKING_A, hold))
    days.save(days.calendar().release(BOOKING_A, hold, meta()))

    changed = days.calendar().reserve(BOOKING_B, hold, meta())

    assert events_of(changed) == [(DAY, "Reserved", BOOKING_B)]


def test_reservations_of_a_range_list_each_booking_once_by_start() -> None:
    days = SavedDays(
        (BOOKING_B, Hold(COURT, at(23), at(1, NEXT_DAY))),
        (BOOKING_A, Hold(COURT, at(9), at(10))),
        (UUID(int=12), Hold(OTHER_COURT, at(9), at(10))),
    )

    reservations = days.calendar().reservations(COURT, DAY, NEXT_DAY + timedelta(days=1))

    assert reservations == [
        Reservation(BOOKING_A, Hold(COURT, at(9), at(10))),
        Reservation(BOOKING_B, Hold(COURT, at(23), at(1, NEXT_DAY))),
    ]


def test_reservations_of_one_day_include_a_hold_that_started_the_day_before() -> None:
    days = SavedDays((BOOKING_A, Hold(COURT, at(23), at(1, NEXT_DAY))))

    reservations = days.calendar().reservations(COURT, NEXT_DAY, NEXT_DAY)

    assert [reservation.booking_id for reservation in reservations] == [BOOKING_A]


def test_released_holds_are_not_reservations() -> None:
    hold = Hold(COURT, at(9), at(10))
    days = SavedDays((BOOKING_A, hold))
    days.save(days.calendar().release(BOOKING_A, hold, meta()))

    assert days.calendar().reservations(COURT, DAY, DAY) == []


@pytest.mark.parametrize(
    ("first", "last"), [(NEXT_DAY, DAY), (DAY, DAY + timedelta(days=31))], ids=["backwards", "too long"]
)
def test_reading_a_backwards_or_too_long_range_is_invalid(first: date, last: date) -> None:
    with pytest.raises(InvalidDateRangeError):
        SavedDays().calendar().reservations(COURT, first, last)
