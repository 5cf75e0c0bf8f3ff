"""CoachEvent: TimeSlot ranges and enums, scheduling, taking and releasing seats, cancellation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import pytest

from domain.coach_event import (
    CoachEvent,
    EventAlreadyBookedError,
    EventAlreadyStartedError,
    EventCanceledError,
    EventFullError,
    InvalidCoachEventError,
    TimeSlot,
)
from tests.unit.events import given, meta, no_events, only_event

COACH = UUID(int=1)
SPORT = UUID(int=2)
ADDRESS = UUID(int=3)
TIME_SLOT = UUID(int=4)
ORGANIZATION = UUID(int=5)
ANA, BO, CY = UUID(int=11), UUID(int=12), UUID(int=13)
BOOKING_1, BOOKING_2, BOOKING_3 = UUID(int=21), UUID(int=22), UUID(int=23)
START = datetime(2030, 1, 10, 10, tzinfo=UTC)
END = START + timedelta(hours=1)
BEFORE_START = START - timedelta(days=1)
LATER = "2030-01-02T00:00:00.000000Z"

VALID_SLOT: dict[str, Any] = {
    "time_slot_id": TIME_SLOT,
    "start_time": "10:00:00+00:00",
    "end_time": "11:00:00+00:00",
    "number_of_participants": 2,
    "slot_type": "Offline",
    "age_from": 18,
    "age_to": 99,
    "duration": 60,
    "price": 1500,
    "price_currency": "RUB",
    "payment_method": "Cash",
    "public": True,
    "level": "Any",
    "eligibility": "All",
}


def timeslot(**changes: Any) -> TimeSlot:
    """A valid timeslot with `changes` applied."""
    return TimeSlot(**{**VALID_SLOT, **changes})


def scheduled(seats: int = 2) -> CoachEvent:
    """Given: a coach event with `seats` seats starting at START, its events saved."""
    return given(
        CoachEvent.schedule(COACH, SPORT, START, END, ADDRESS, timeslot(number_of_participants=seats), meta())
    )


def with_seats_taken(*seats: tuple[UUID, UUID], capacity: int = 2) -> CoachEvent:
    """Given: a coach event whose seats (booking id, user id) were taken, its events saved."""
    coach_event = scheduled(capacity)
    for booking_id, user_id in seats:
        coach_event.take_seat(booking_id, user_id, BEFORE_START, meta())
    return given(coach_event)


def canceled_event() -> CoachEvent:
    """Given: a coach event that was cancelled, its events saved."""
    coach_event = scheduled()
    coach_event.cancel(meta())
    return given(coach_event)


# TimeSlot


@pytest.mark.parametrize(
    "changes",
    [
        {"number_of_participants": 1},
        {"age_from": 18, "age_to": 18},
        {"age_from": 99, "age_to": 99},
        {"duration": 15},
        {"price": 0},
        {"slot_type": "Online"},
        {"level": "Beginner"},
        {"level": "Medium"},
        {"level": "Pro"},
        {"eligibility": "Men"},
        {"eligibility": "Women"},
    ],
)
def test_timeslot_accepts_the_bounds_and_every_enum_value_of_the_seed(changes: dict[str, Any]) -> None:
    slot = timeslot(**changes)

    assert {name: getattr(slot, name) for name in changes} == changes


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"number_of_participants": 0}, "numberOfParticipants"),
        ({"number_of_participants": -1}, "numberOfParticipants"),
        ({"age_from": 17}, "ageFrom"),
        ({"age_to": 100}, "ageFrom"),
        ({"age_from": 100, "age_to": 100}, "ageFrom"),
        ({"age_from": 17, "age_to": 17}, "ageFrom"),
        ({"age_from": 31, "age_to": 30}, "ageFrom"),
        ({"duration": 14}, "duration"),
        ({"duration": 0}, "duration"),
        ({"price": -1}, "price must not be negative"),
        ({"slot_type": "Hybrid"}, "slotType"),
        ({"slot_type": "online"}, "slotType"),
        ({"level": "Expert"}, "level"),
        ({"eligibility": "Kids"}, "eligibility"),
        ({"price_currency": "EUR"}, "priceCurrency"),
        ({"payment_method": "Card"}, "paymentMethod"),
    ],
)
def test_timeslot_outside_the_seed_ranges_is_an_invalid_coach_event(
    changes: dict[str, Any], problem: str
) -> None:
    with pytest.raises(InvalidCoachEventError) as raised:
        timeslot(**changes)

    assert problem in raised.value.message


def test_timeslot_reports_every_problem_at_once() -> None:
    with pytest.raises(InvalidCoachEventError) as raised:
        timeslot(number_of_participants=0, duration=10, price=-5)

    assert "numberOfParticipants" in raised.value.message
    assert "duration" in raised.value.message
    assert "price must not be negative" in raised.value.message


# Scheduling


def test_scheduling_records_scheduled_with_the_timeslot_and_an_active_status() -> None:
    slot = timeslot()

    coach_event = CoachEvent.schedule(COACH, SPORT, START, END, ADDRESS, slot, meta())

    event = only_event(coach_event, CoachEvent.Scheduled)
    assert event.originator_id == coach_event.id
    assert (event.coach_id, event.sport_id, event.address_id) == (COACH, SPORT, ADDRESS)
    assert (event.start_at, event.end_at) == (START, END)
    assert slot.as_dict().items() <= event.timeslot.items()
    assert event.meta == meta()
    assert coach_event.status == "Active"
    assert coach_event.seats == 2
    assert coach_event.holders == {}


def test_scheduling_without_an_organization_records_none() -> None:
    coach_event = CoachEvent.schedule(COACH, SPORT, START, END, ADDRESS, timeslot(), meta())

    assert only_event(coach_event, CoachEvent.Scheduled).organization_id is None
    assert coach_event.organization_id is None


def test_scheduling_in_an_organization_records_it() -> None:
    coach_event = CoachEvent.schedule(COACH, SPORT, START, END, ADDRESS, timeslot(), meta(), ORGANIZATION)

    assert only_event(coach_event, CoachEvent.Scheduled).organization_id == ORGANIZATION
    assert coach_event.organization_id == ORGANIZATION


def test_a_scheduled_event_of_version_1_is_upcast_without_an_organization() -> None:
    state = {"coach_id": COACH, "timeslot": {}}

    CoachEvent.Scheduled.upcast_v1_v2(state)

    assert state == {"coach_id": COACH, "timeslot": {}, "organization_id": None}
    assert CoachEvent.Scheduled.class_version == 2


def test_scheduling_without_an_address_is_allowed() -> None:
    coach_event = CoachEvent.schedule(COACH, SPORT, START, END, None, timeslot(), meta())

    assert only_event(coach_event, CoachEvent.Scheduled).address_id is None


@pytest.mark.parametrize(
    ("start_at", "end_at"),
    [(START, START), (END, START), (END + timedelta(microseconds=1), END)],
    ids=["equal", "reversed", "one-microsecond-after"],
)
def test_scheduling_with_start_not_before_end_is_an_invalid_coach_event(
    start_at: datetime, end_at: datetime
) -> None:
    with pytest.raises(InvalidCoachEventError):
        CoachEvent.schedule(COACH, SPORT, start_at, end_at, ADDRESS, timeslot(), meta())


@pytest.mark.parametrize(
    ("start_at", "end_at"),
    [
        (START.replace(tzinfo=None), END),
        (START, END.replace(tzinfo=None)),
        (START.replace(tzinfo=None), END.replace(tzinfo=None)),
    ],
    ids=["naive-start", "naive-end", "both-naive"],
)
def test_scheduling_with_a_naive_datetime_is_an_invalid_coach_event(
    start_at: datetime, end_at: datetime
) -> None:
    with pytest.raises(InvalidCoachEventError):
        CoachEvent.schedule(COACH, SPORT, start_at, end_at, ADDRESS, timeslot(), meta())


# Taking seats


def test_taking_a_seat_records_seat_taken_for_the_booking_and_user() -> None:
    coach_event = scheduled()

    coach_event.take_seat(BOOKING_1, ANA, BEFORE_START, meta(LATER))

    event = only_event(coach_event, CoachEvent.SeatTaken)
    assert (event.booking_id, event.user_id) == (BOOKING_1, ANA)
    assert event.meta == meta(LATER)
    assert coach_event.holders == {BOOKING_1: ANA}


def test_taking_the_last_seat_is_allowed() -> None:
    coach_event = with_seats_taken((BOOKING_1, ANA))

    coach_event.take_seat(BOOKING_2, BO, BEFORE_START, meta())

    assert only_event(coach_event, CoachEvent.SeatTaken).user_id == BO
    assert coach_event.holders == {BOOKING_1: ANA, BOOKING_2: BO}


def test_taking_a_seat_of_a_full_event_is_refused_as_full() -> None:
    coach_event = with_seats_taken((BOOKING_1, ANA), (BOOKING_2, BO))

    with pytest.raises(EventFullError) as raised:
        coach_event.take_seat(BOOKING_3, CY, BEFORE_START, meta())

    assert raised.value.details == {"event_ids": [str(coach_event.id)]}
    no_events(coach_event)
    assert coach_event.holders == {BOOKING_1: ANA, BOOKING_2: BO}


def test_taking_a_seat_of_a_cancelled_event_is_refused_as_cancelled() -> None:
    coach_event = canceled_event()

    with pytest.raises(EventCanceledError) as raised:
        coach_event.take_seat(BOOKING_1, ANA, BEFORE_START, meta())

    assert raised.value.details == {"event_ids": [str(coach_event.id)]}
    no_events(coach_event)


@pytest.mark.parametrize("now", [START, START + timedelta(minutes=5), END + timedelta(days=1)])
def test_taking_a_seat_once_the_event_has_started_is_refused_as_started(now: datetime) -> None:
    coach_event = scheduled()

    with pytest.raises(EventAlreadyStartedError) as raised:
        coach_event.take_seat(BOOKING_1, ANA, now, meta())

    assert raised.value.details == {"event_ids": [str(coach_event.id)]}
    no_events(coach_event)


def test_taking_a_seat_one_microsecond_before_the_start_is_allowed() -> None:
    coach_event = scheduled()

    coach_event.take_seat(BOOKING_1, ANA, START - timedelta(microseconds=1), meta())

    assert only_event(coach_event, CoachEvent.SeatTaken).booking_id == BOOKING_1


def test_the_same_user_taking_a_second_seat_is_refused_as_already_booked() -> None:
    coach_event = with_seats_taken((BOOKING_1, ANA))

    with pytest.raises(EventAlreadyBookedError) as raised:
        coach_event.take_seat(BOOKING_2, ANA, BEFORE_START, meta())

    assert raised.value.details == {"event_ids": [str(coach_event.id)]}
    no_events(coach_event)
    assert coach_event.holders == {BOOKING_1: ANA}


# Releasing seats


def test_releasing_a_seat_records_seat_released_and_frees_it() -> None:
    coach_event = with_seats_taken((BOOKING_1, ANA), (BOOKING_2, BO))

    coach_event.release_seat(BOOKING_1, meta(LATER))

    event = only_event(coach_event, CoachEvent.SeatReleased)
    assert event.booking_id == BOOKING_1
    assert event.meta == meta(LATER)
    assert coach_event.holders == {BOOKING_2: BO}


def test_a_released_seat_of_a_full_event_can_be_taken_by_another_user() -> None:
    coach_event = with_seats_taken((BOOKING_1, ANA), capacity=1)
    coach_event.release_seat(BOOKING_1, meta())
    given(coach_event)

    coach_event.take_seat(BOOKING_2, BO, BEFORE_START, meta())

    event = only_event(coach_event, CoachEvent.SeatTaken)
    assert (event.booking_id, event.user_id) == (BOOKING_2, BO)
    assert coach_event.holders == {BOOKING_2: BO}


def test_a_user_whose_seat_was_released_can_book_again() -> None:
    coach_event = with_seats_taken((BOOKING_1, ANA))
    coach_event.release_seat(BOOKING_1, meta())
    given(coach_event)

    coach_event.take_seat(BOOKING_2, ANA, BEFORE_START, meta())

    assert only_event(coach_event, CoachEvent.SeatTaken).booking_id == BOOKING_2


def test_releasing_a_booking_that_holds_no_seat_records_nothing() -> None:
    coach_event = with_seats_taken((BOOKING_1, ANA))

    coach_event.release_seat(BOOKING_2, meta())

    no_events(coach_event)
    assert coach_event.holders == {BOOKING_1: ANA}


def test_releasing_the_same_seat_twice_records_nothing_the_second_time() -> None:
    coach_event = with_seats_taken((BOOKING_1, ANA))
    coach_event.release_seat(BOOKING_1, meta())
    given(coach_event)

    coach_event.release_seat(BOOKING_1, meta())

    no_events(coach_event)


# Cancellation


def test_cancelling_releases_every_seat_then_records_canceled_and_returns_the_holders() -> None:
    coach_event = with_seats_taken((BOOKING_1, ANA), (BOOKING_2, BO))

    holders = coach_event.cancel(meta(LATER))

    events = coach_event.collect_events()
    assert [type(event) for event in events] == [
        CoachEvent.SeatReleased,
        CoachEvent.SeatReleased,
        CoachEvent.Canceled,
    ]
    released = [event.booking_id for event in events if isinstance(event, CoachEvent.SeatReleased)]
    assert sorted(released) == sorted(holders) == [BOOKING_1, BOOKING_2]
    assert [event.meta for event in events if isinstance(event, CoachEvent.Event)] == [meta(LATER)] * 3
    assert coach_event.status == "Canceled"
    assert coach_event.is_canceled is True
    assert coach_event.holders == {}


def test_cancelling_an_event_without_seats_taken_records_only_canceled() -> None:
    coach_event = scheduled()

    holders = coach_event.cancel(meta())

    only_event(coach_event, CoachEvent.Canceled)
    assert holders == []
    assert coach_event.is_canceled is True


def test_cancelling_a_cancelled_event_is_refused_as_cancelled() -> None:
    coach_event = canceled_event()

    with pytest.raises(EventCanceledError) as raised:
        coach_event.cancel(meta())

    assert raised.value.details == {"event_ids": [str(coach_event.id)]}
    no_events(coach_event)


def test_coach_event_rebuilt_from_its_events_has_the_same_seats_and_status() -> None:
    coach_event = CoachEvent.schedule(COACH, SPORT, START, END, ADDRESS, timeslot(), meta())
    coach_event.take_seat(BOOKING_1, ANA, BEFORE_START, meta())
    coach_event.take_seat(BOOKING_2, BO, BEFORE_START, meta())
    coach_event.release_seat(BOOKING_1, meta())
    events = coach_event.collect_events()

    rebuilt: CoachEvent | None = None
    for event in events:
        rebuilt = event.mutate(rebuilt)

    assert isinstance(rebuilt, CoachEvent)
    assert rebuilt.version == coach_event.version == 4
    assert rebuilt.holders == coach_event.holders == {BOOKING_2: BO}
    assert rebuilt.status == "Active"
    assert rebuilt.timeslot == coach_event.timeslot
    assert rebuilt.seats == 2
