"""The booking checks: each rule refuses with its own error and message, in the fixed order."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from domain.availability import InvalidIntervalError
from domain.booking_checks import (
    BookingRuleError,
    BookingTooFarAheadError,
    BookingTooLongError,
    BookingTooShortError,
    BookingTooSoonError,
    MisalignedBookingError,
    OutsideOpeningHoursError,
    ParticipantCountError,
    ResourceNotBookableError,
    SlotNotAvailableError,
    UnbookableGapError,
    check_booking,
)
from domain.booking_rules import BookingRules
from domain.errors import InvalidInputError
from domain.opening_hours import OpeningHours
from tests.unit.availability_support import (
    BERLIN,
    SEED_DAY,
    SEED_HOURS,
    SEED_RULES,
    berlin,
    every_day,
    rules,
)

SEED_NOW = datetime.fromisoformat("2025-01-14T15:30:00+00:00")
Reservation = tuple[datetime, datetime]


def book(
    start: tuple[int, int],
    end: tuple[int, int],
    *reservations: Reservation,
    participants: int = 2,
    booking_rules: BookingRules = SEED_RULES,
    hours: OpeningHours = SEED_HOURS,
    now: datetime = SEED_NOW,
) -> None:
    """When: a booking from `start` to `end` (hour, minute on the seed day in Berlin) is checked."""
    check_booking(
        rules=booking_rules,
        opening_hours=hours,
        tz=BERLIN,
        reservations=reservations,
        now=now,
        start=berlin(SEED_DAY, *start),
        end=berlin(SEED_DAY, *end),
        participant_count=participants,
    )


def held(start: tuple[int, int], end: tuple[int, int]) -> Reservation:
    """Given: a reservation on the seed day, Berlin time."""
    return berlin(SEED_DAY, *start), berlin(SEED_DAY, *end)


def test_the_seeds_booking_passes_every_check() -> None:
    book((10, 0), (11, 30))


def test_a_booking_with_offsets_other_than_utc_is_read_as_the_same_instants() -> None:
    check_booking(
        rules=SEED_RULES,
        opening_hours=SEED_HOURS,
        tz=BERLIN,
        reservations=[],
        now=SEED_NOW,
        start=datetime.fromisoformat("2025-01-15T10:00:00+01:00"),
        end=datetime.fromisoformat("2025-01-15T11:30:00+01:00"),
        participant_count=2,
    )


def test_a_resource_that_is_not_bookable_is_refused_first() -> None:
    with pytest.raises(ResourceNotBookableError) as raised:
        book((10, 10), (10, 20), participants=0, booking_rules=rules(is_bookable=False))

    assert raised.value.message == "This resource cannot be booked."


@pytest.mark.parametrize(("start", "end"), [((11, 0), (10, 0)), ((10, 0), (10, 0))])
def test_a_booking_that_does_not_end_after_it_starts_is_refused(
    start: tuple[int, int], end: tuple[int, int]
) -> None:
    with pytest.raises(InvalidIntervalError):
        book(start, end)


def test_a_booking_without_offsets_is_refused() -> None:
    with pytest.raises(InvalidIntervalError):
        check_booking(
            rules=SEED_RULES,
            opening_hours=SEED_HOURS,
            tz=BERLIN,
            reservations=[],
            now=SEED_NOW,
            start=datetime(2025, 1, 15, 10),
            end=datetime(2025, 1, 15, 11),
            participant_count=2,
        )


def test_a_now_without_an_offset_is_refused() -> None:
    with pytest.raises(InvalidIntervalError):
        book((10, 0), (11, 0), now=datetime(2025, 1, 14, 15, 30))


@pytest.mark.parametrize(("start", "end"), [((10, 15), (11, 15)), ((10, 0), (11, 10))])
def test_a_booking_off_the_grid_is_refused_with_examples_of_the_grid(
    start: tuple[int, int], end: tuple[int, int]
) -> None:
    with pytest.raises(MisalignedBookingError) as raised:
        book(start, end)

    assert "30-minute grid" in raised.value.message
    assert "10:00 or 10:30" in raised.value.message


def test_the_grid_runs_from_the_venues_midnight_not_from_utc_midnight() -> None:
    ninety = rules(booking_interval_minutes=90, min_booking_duration_minutes=90)

    book((10, 30), (12, 0), booking_rules=ninety)
    with pytest.raises(MisalignedBookingError) as raised:
        book((10, 0), (11, 30), booking_rules=ninety)

    assert "10:30 or 12:00" in raised.value.message


def test_a_booking_shorter_than_the_minimum_is_refused() -> None:
    with pytest.raises(BookingTooShortError) as raised:
        book((10, 0), (10, 30))

    assert raised.value.message == "A booking lasts at least 60 minutes."


def test_a_booking_longer_than_the_maximum_is_refused() -> None:
    with pytest.raises(BookingTooLongError) as raised:
        book((8, 0), (11, 30))

    assert raised.value.message == "A booking lasts at most 180 minutes."


@pytest.mark.parametrize(("start", "end"), [((10, 0), (11, 0)), ((8, 0), (11, 0))])
def test_bookings_of_the_minimum_and_maximum_length_are_accepted(
    start: tuple[int, int], end: tuple[int, int]
) -> None:
    book(start, end)


def test_a_booking_sooner_than_the_minimum_advance_is_refused() -> None:
    with pytest.raises(BookingTooSoonError) as raised:
        book((10, 0), (11, 0), now=berlin(SEED_DAY, 9, 1))

    assert raised.value.message == "Bookings start at least 60 minutes from now."


def test_a_booking_exactly_the_minimum_advance_ahead_is_accepted() -> None:
    book((10, 0), (11, 0), now=berlin(SEED_DAY, 9))


def test_a_booking_ending_beyond_the_maximum_advance_is_refused() -> None:
    now = berlin(SEED_DAY, 10, 30) - timedelta(days=30)

    book((9, 30), (10, 30), now=now)
    with pytest.raises(BookingTooFarAheadError) as raised:
        book((10, 0), (11, 0), now=now)

    assert raised.value.message == "Bookings end at most 30 days from now."


@pytest.mark.parametrize("participants", [0, 5, -1])
def test_a_participant_count_outside_one_to_capacity_is_refused(participants: int) -> None:
    with pytest.raises(ParticipantCountError) as raised:
        book((10, 0), (11, 0), participants=participants)

    assert raised.value.message == "participant_count must be from 1 to 4."


@pytest.mark.parametrize("participants", [1, 4])
def test_one_to_capacity_participants_are_accepted(participants: int) -> None:
    book((10, 0), (11, 0), participants=participants)


@pytest.mark.parametrize(
    ("start", "end"),
    [((7, 30), (8, 30)), ((13, 30), (14, 30)), ((13, 30), (16, 0)), ((21, 30), (22, 30)), ((14, 0), (15, 0))],
)
def test_a_booking_not_wholly_inside_the_opening_hours_is_refused(
    start: tuple[int, int], end: tuple[int, int]
) -> None:
    with pytest.raises(OutsideOpeningHoursError) as raised:
        book(start, end)

    assert raised.value.message == "The requested time is outside the opening hours."


def test_a_booking_across_touching_ranges_of_one_day_is_inside_the_opening_hours() -> None:
    hours = every_day(("08:00", "14:00", "25.00", ""), ("14:00", "18:00", "30.00", "Peak Hours"))

    book((13, 30), (15, 0), hours=hours)


def test_a_booking_across_midnight_is_outside_the_opening_hours_even_when_both_days_are_open() -> None:
    hours = every_day(("00:00", "24:00", "25.00", ""))

    with pytest.raises(OutsideOpeningHoursError):
        check_booking(
            rules=SEED_RULES,
            opening_hours=hours,
            tz=BERLIN,
            reservations=[],
            now=SEED_NOW,
            start=berlin(SEED_DAY, 23),
            end=berlin(SEED_DAY + timedelta(days=1), 0, 30),
            participant_count=1,
        )


@pytest.mark.parametrize(
    ("start", "end", "reservations"),
    [
        ((11, 30), (12, 30), [held((10, 0), (11, 0))]),
        ((9, 0), (10, 0), [held((10, 30), (11, 30))]),
        ((8, 30), (9, 30), []),
        ((12, 0), (13, 30), []),
    ],
)
def test_a_booking_leaving_a_gap_shorter_than_the_minimum_is_refused(
    start: tuple[int, int], end: tuple[int, int], reservations: list[Reservation]
) -> None:
    with pytest.raises(UnbookableGapError) as raised:
        book(start, end, *reservations)

    assert raised.value.details == {"gap_minutes": 30}
    assert "leave 30 free minutes" in raised.value.message


@pytest.mark.parametrize(
    ("start", "end", "reservations"),
    [
        ((11, 0), (12, 0), [held((10, 0), (11, 0))]),
        ((12, 0), (13, 0), [held((10, 0), (11, 0))]),
        ((8, 0), (9, 0), []),
        ((13, 0), (14, 0), []),
        ((10, 30), (11, 30), [held((9, 0), (10, 15))]),
    ],
)
def test_a_booking_next_to_its_neighbours_or_leaving_room_for_another_passes_the_gap_rule(
    start: tuple[int, int], end: tuple[int, int], reservations: list[Reservation]
) -> None:
    book(start, end, *reservations)


def test_without_the_gap_rule_a_short_gap_may_be_left() -> None:
    book((11, 30), (12, 30), held((10, 0), (11, 0)), booking_rules=rules(prevent_unbookable_gaps=False))


def test_time_before_the_minimum_advance_counts_as_no_free_time_for_the_gap_rule() -> None:
    now = berlin(SEED_DAY, 9, 50)

    book((11, 0), (12, 0), now=now)
    with pytest.raises(UnbookableGapError):
        book((11, 30), (12, 30), now=now)


def test_the_maximum_advance_does_not_bound_the_gap_after_a_booking() -> None:
    now = berlin(SEED_DAY, 10, 30) - timedelta(days=30)

    book((9, 0), (10, 30), now=now)


def test_a_booking_overlapping_a_reservation_is_not_available() -> None:
    with pytest.raises(SlotNotAvailableError) as raised:
        book((10, 0), (11, 30), held((11, 0), (12, 0)), booking_rules=rules(prevent_unbookable_gaps=False))

    assert raised.value.message == "The requested time slot is not available"


def test_a_booking_touching_reservations_on_both_sides_is_available() -> None:
    book((10, 0), (11, 30), held((9, 0), (10, 0)), held((11, 30), (12, 30)))


@pytest.mark.parametrize(
    ("start", "end", "participants", "now", "error"),
    [
        ((10, 10), (10, 20), 0, berlin(SEED_DAY, 10), MisalignedBookingError),
        ((10, 0), (10, 30), 0, berlin(SEED_DAY, 10), BookingTooShortError),
        ((7, 0), (8, 0), 0, berlin(SEED_DAY, 7), BookingTooSoonError),
        ((7, 0), (8, 0), 0, SEED_NOW, ParticipantCountError),
        ((7, 0), (8, 30), 1, SEED_NOW, OutsideOpeningHoursError),
        ((8, 30), (9, 30), 1, SEED_NOW, UnbookableGapError),
        ((9, 0), (10, 30), 1, SEED_NOW, SlotNotAvailableError),
    ],
)
def test_a_booking_breaking_several_rules_gets_the_error_of_the_first_in_order(
    start: tuple[int, int],
    end: tuple[int, int],
    participants: int,
    now: datetime,
    error: type[BookingRuleError],
) -> None:
    with pytest.raises(BookingRuleError) as raised:
        book(start, end, held((10, 0), (11, 0)), participants=participants, now=now)

    assert type(raised.value) is error


def test_a_booking_leaving_a_short_gap_beside_an_overlap_gets_the_gap_error() -> None:
    with pytest.raises(UnbookableGapError):
        book((8, 30), (10, 30), held((10, 0), (11, 0)))


def test_every_booking_rule_error_is_an_invalid_input() -> None:
    assert issubclass(BookingRuleError, InvalidInputError)
