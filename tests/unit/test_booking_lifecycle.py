"""Booking: roles, accept/reject, cancel, completion, notes, dismissal and disputes by the LE-KO statuses."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from domain.booking import ATHLETE, COACH, SYSTEM, Booking
from domain.booking_errors import (
    BookingNotCanceledError,
    BookingNotHappenedYetError,
    InvalidCancellationReasonError,
    InvalidStatusTransitionError,
    NotBookingOwnerError,
    NotBookingPartyError,
)
from tests.unit.events import given, meta, no_events, only_event

BOOKING = UUID(int=1)
CLIENT = UUID(int=2)
ORDER = UUID(int=3)
OWNER = UUID(int=4)
COACH_ID = UUID(int=5)
EVENT = UUID(int=6)
SPORT = UUID(int=7)
STRANGER = UUID(int=8)
START = datetime(2030, 1, 10, 10, tzinfo=UTC)
END = START + timedelta(hours=1)
BEFORE_END = END - timedelta(microseconds=1)
AFTER_END = END + timedelta(hours=1)
CANCELED_AT = "2030-01-05T08:30:00.000000Z"
TIMESLOT = {"number_of_participants": 1, "slot_type": "Offline", "price": 1500}

STATUSES = ("Pending", "Accepted", "Rejected", "Canceled", "InDispute", "DisputeDone")


def request() -> Booking:
    """When: OWNER requests a seat at COACH_ID's event."""
    return Booking(
        booking_id=BOOKING,
        client_id=CLIENT,
        order_id=ORDER,
        user_id=OWNER,
        coach_id=COACH_ID,
        event_id=EVENT,
        sport_id=SPORT,
        start_at=START,
        end_at=END,
        timeslot=TIMESLOT,
        meta=meta(),
    )


def requested() -> Booking:
    """Given: a Pending booking of OWNER at COACH_ID's event, its events saved."""
    return given(request())


def booking_in(status: str) -> Booking:
    """Given: a booking brought to `status` by the lifecycle's own commands, its events saved."""
    booking = requested()
    if status in ("Accepted", "InDispute", "DisputeDone"):
        booking.accept(COACH, meta())
    if status in ("InDispute", "DisputeDone"):
        booking.open_dispute("No-show", ATHLETE, AFTER_END, meta())
    if status == "DisputeDone":
        booking.resolve_dispute("Refunded", COACH, AFTER_END, meta())
    if status == "Rejected":
        booking.reject(COACH, meta())
    if status == "Canceled":
        booking.cancel(ATHLETE, "NoTime", None, meta())
    assert booking.status == status
    return given(booking)


def other_than(*statuses: str) -> list[str]:
    return [status for status in STATUSES if status not in statuses]


# Requesting


def test_a_requested_booking_is_pending_with_the_id_it_was_given() -> None:
    booking = request()

    event = only_event(booking, Booking.Requested)
    assert booking.id == event.originator_id == BOOKING
    assert (event.user_id, event.coach_id, event.event_id, event.order_id) == (OWNER, COACH_ID, EVENT, ORDER)
    assert (event.start_at, event.end_at) == (START, END)
    assert booking.status == "Pending"
    assert booking.is_active is True
    assert booking.completed is False
    assert booking.note is None
    assert booking.canceled_at is None


# Roles


@pytest.mark.parametrize("is_system", [False, True])
def test_the_owner_acts_as_athlete(is_system: bool) -> None:
    booking = requested()

    role = booking.role_of(OWNER, is_system)

    assert role == ATHLETE


@pytest.mark.parametrize("is_system", [False, True])
def test_the_events_coach_acts_as_coach(is_system: bool) -> None:
    booking = requested()

    role = booking.role_of(COACH_ID, is_system)

    assert role == COACH


@pytest.mark.parametrize("acting_user_id", [STRANGER, None])
def test_an_admin_caller_who_is_not_a_party_acts_as_system(acting_user_id: UUID | None) -> None:
    booking = requested()

    role = booking.role_of(acting_user_id, is_system=True)

    assert role == SYSTEM


@pytest.mark.parametrize("acting_user_id", [STRANGER, None])
def test_a_stranger_without_admin_is_not_a_booking_party(acting_user_id: UUID | None) -> None:
    booking = requested()

    with pytest.raises(NotBookingPartyError):
        booking.role_of(acting_user_id, is_system=False)


# Accepting and rejecting


@pytest.mark.parametrize("role", [COACH, SYSTEM])
def test_accepting_a_pending_booking_records_accepted(role: str) -> None:
    booking = requested()

    booking.accept(role, meta(CANCELED_AT))

    assert only_event(booking, Booking.Accepted).meta == meta(CANCELED_AT)
    assert booking.status == "Accepted"
    assert booking.is_active is True


@pytest.mark.parametrize("role", [COACH, SYSTEM])
def test_rejecting_a_pending_booking_records_rejected(role: str) -> None:
    booking = requested()

    booking.reject(role, meta())

    only_event(booking, Booking.Rejected)
    assert booking.status == "Rejected"
    assert booking.is_active is False


def test_the_athlete_accepting_is_not_a_booking_party() -> None:
    booking = requested()

    with pytest.raises(NotBookingPartyError):
        booking.accept(ATHLETE, meta())

    no_events(booking)
    assert booking.status == "Pending"


def test_the_athlete_rejecting_is_not_a_booking_party() -> None:
    booking = requested()

    with pytest.raises(NotBookingPartyError):
        booking.reject(ATHLETE, meta())

    no_events(booking)
    assert booking.status == "Pending"


def test_accepting_a_cancelled_booking_is_an_invalid_status_transition() -> None:
    booking = booking_in("Canceled")

    with pytest.raises(InvalidStatusTransitionError):
        booking.accept(COACH, meta())

    no_events(booking)
    assert booking.status == "Canceled"


@pytest.mark.parametrize("status", other_than("Pending"))
def test_accepting_a_booking_that_is_not_pending_is_an_invalid_status_transition(status: str) -> None:
    booking = booking_in(status)

    with pytest.raises(InvalidStatusTransitionError):
        booking.accept(SYSTEM, meta())

    no_events(booking)
    assert booking.status == status


@pytest.mark.parametrize("status", other_than("Pending"))
def test_rejecting_a_booking_that_is_not_pending_is_an_invalid_status_transition(status: str) -> None:
    booking = booking_in(status)

    with pytest.raises(InvalidStatusTransitionError):
        booking.reject(COACH, meta())

    no_events(booking)
    assert booking.status == status


# Cancelling


@pytest.mark.parametrize("status", ["Pending", "Accepted"])
@pytest.mark.parametrize("role", [ATHLETE, COACH, SYSTEM])
def test_cancelling_an_active_booking_records_the_role_reason_and_time(status: str, role: str) -> None:
    booking = booking_in(status)

    booking.cancel(role, "NotFeelingWell", "Caught a cold", meta(CANCELED_AT))

    event = only_event(booking, Booking.Canceled)
    assert (event.role, event.reason_code, event.reason_text) == (role, "NotFeelingWell", "Caught a cold")
    assert event.meta == meta(CANCELED_AT)
    assert booking.status == "Canceled"
    assert booking.is_active is False
    assert booking.canceled_at == datetime(2030, 1, 5, 8, 30, tzinfo=UTC)
    assert booking.canceled_by_role == role
    assert (booking.reason_code, booking.reason_text) == ("NotFeelingWell", "Caught a cold")


@pytest.mark.parametrize("reason_code", ["NotFeelingWell", "NoTime", "Other", None])
def test_cancelling_accepts_every_seed_reason_code_or_none(reason_code: str | None) -> None:
    booking = requested()

    booking.cancel(SYSTEM, reason_code, None, meta())

    event = only_event(booking, Booking.Canceled)
    assert (event.reason_code, event.reason_text) == (reason_code, None)
    assert booking.reason_code == reason_code


@pytest.mark.parametrize("status", other_than("Pending", "Accepted"))
def test_cancelling_a_booking_that_is_not_active_is_an_invalid_status_transition(status: str) -> None:
    booking = booking_in(status)

    with pytest.raises(InvalidStatusTransitionError):
        booking.cancel(ATHLETE, "Other", None, meta(CANCELED_AT))

    no_events(booking)
    assert booking.status == status


@pytest.mark.parametrize("reason_code", ["Sick", "notime", ""])
def test_cancelling_with_an_unknown_reason_code_is_an_invalid_cancellation_reason(reason_code: str) -> None:
    booking = requested()

    with pytest.raises(InvalidCancellationReasonError):
        booking.cancel(ATHLETE, reason_code, None, meta(CANCELED_AT))

    no_events(booking)
    assert booking.status == "Pending"
    assert booking.canceled_at is None


# Completion


@pytest.mark.parametrize("now", [END, AFTER_END])
def test_marking_a_booking_completed_after_it_ended_records_completion_marked(now: datetime) -> None:
    booking = booking_in("Accepted")

    booking.mark_completed(True, COACH, now, meta())

    assert only_event(booking, Booking.CompletionMarked).completed is True
    assert booking.completed is True


@pytest.mark.parametrize("now", [START - timedelta(days=1), START, BEFORE_END])
def test_marking_a_booking_completed_before_it_ended_is_refused_as_not_happened_yet(now: datetime) -> None:
    booking = booking_in("Accepted")

    with pytest.raises(BookingNotHappenedYetError):
        booking.mark_completed(True, COACH, now, meta())

    no_events(booking)
    assert booking.completed is False


def test_marking_a_completed_booking_completed_again_records_nothing() -> None:
    booking = booking_in("Accepted")
    booking.mark_completed(True, ATHLETE, AFTER_END, meta())
    given(booking)

    booking.mark_completed(True, ATHLETE, AFTER_END, meta())

    no_events(booking)
    assert booking.completed is True


def test_marking_a_new_booking_not_completed_records_nothing() -> None:
    booking = booking_in("Accepted")

    booking.mark_completed(False, COACH, AFTER_END, meta())

    no_events(booking)
    assert booking.completed is False


def test_unmarking_a_completed_booking_records_completion_marked_false() -> None:
    booking = booking_in("Accepted")
    booking.mark_completed(True, COACH, AFTER_END, meta())
    given(booking)

    booking.mark_completed(False, COACH, AFTER_END, meta())

    assert only_event(booking, Booking.CompletionMarked).completed is False
    assert booking.completed is False


@pytest.mark.parametrize("status", ["Rejected", "Canceled"])
def test_marking_a_rejected_or_cancelled_booking_completed_is_an_invalid_status_transition(
    status: str,
) -> None:
    booking = booking_in(status)

    with pytest.raises(InvalidStatusTransitionError):
        booking.mark_completed(True, COACH, AFTER_END, meta())

    no_events(booking)
    assert booking.completed is False


# Notes


@pytest.mark.parametrize("role", [ATHLETE, COACH])
def test_writing_a_note_after_the_booking_ended_records_note_written(role: str) -> None:
    booking = booking_in("Accepted")

    booking.write_note("Great session", role, AFTER_END, meta())

    assert only_event(booking, Booking.NoteWritten).note == "Great session"
    assert booking.note == "Great session"


def test_writing_a_note_before_the_booking_ended_is_refused_as_not_happened_yet() -> None:
    booking = booking_in("Accepted")

    with pytest.raises(BookingNotHappenedYetError):
        booking.write_note("Too early", ATHLETE, BEFORE_END, meta())

    no_events(booking)
    assert booking.note is None


def test_the_system_writing_a_note_is_not_a_booking_party() -> None:
    booking = booking_in("Accepted")

    with pytest.raises(NotBookingPartyError):
        booking.write_note("From the system", SYSTEM, AFTER_END, meta())

    no_events(booking)
    assert booking.note is None


# Dismissal


def test_the_owner_dismissing_a_cancelled_booking_records_dismissed() -> None:
    booking = booking_in("Canceled")

    booking.dismiss(OWNER, meta())

    only_event(booking, Booking.Dismissed)
    assert booking.dismissed is True


def test_dismissing_a_dismissed_booking_records_nothing() -> None:
    booking = booking_in("Canceled")
    booking.dismiss(OWNER, meta())
    given(booking)

    booking.dismiss(OWNER, meta())

    no_events(booking)
    assert booking.dismissed is True


@pytest.mark.parametrize("acting_user_id", [COACH_ID, STRANGER])
def test_dismissing_by_anyone_but_the_owner_is_refused_as_not_the_owner(acting_user_id: UUID) -> None:
    booking = booking_in("Canceled")

    with pytest.raises(NotBookingOwnerError):
        booking.dismiss(acting_user_id, meta())

    no_events(booking)
    assert booking.dismissed is False


@pytest.mark.parametrize("status", other_than("Canceled"))
def test_dismissing_a_booking_that_is_not_cancelled_is_refused_as_not_cancelled(status: str) -> None:
    booking = booking_in(status)

    with pytest.raises(BookingNotCanceledError):
        booking.dismiss(OWNER, meta())

    no_events(booking)
    assert booking.dismissed is False


# Disputes


@pytest.mark.parametrize("role", [ATHLETE, COACH])
def test_opening_a_dispute_on_an_accepted_booking_that_happened_puts_it_in_dispute(role: str) -> None:
    booking = booking_in("Accepted")

    booking.open_dispute("Coach did not come", role, AFTER_END, meta())

    assert only_event(booking, Booking.Disputed).reason == "Coach did not come"
    assert booking.status == "InDispute"
    assert booking.dispute_reason == "Coach did not come"
    assert booking.is_active is False


def test_opening_a_dispute_before_the_booking_ended_is_refused_as_not_happened_yet() -> None:
    booking = booking_in("Accepted")

    with pytest.raises(BookingNotHappenedYetError):
        booking.open_dispute("Too early", ATHLETE, BEFORE_END, meta())

    no_events(booking)
    assert booking.status == "Accepted"


def test_the_system_opening_a_dispute_is_not_a_booking_party() -> None:
    booking = booking_in("Accepted")

    with pytest.raises(NotBookingPartyError):
        booking.open_dispute("From the system", SYSTEM, AFTER_END, meta())

    no_events(booking)
    assert booking.status == "Accepted"


@pytest.mark.parametrize("status", other_than("Accepted"))
def test_opening_a_dispute_on_a_booking_that_is_not_accepted_is_an_invalid_status_transition(
    status: str,
) -> None:
    booking = booking_in(status)

    with pytest.raises(InvalidStatusTransitionError):
        booking.open_dispute("Late", ATHLETE, AFTER_END, meta())

    no_events(booking)
    assert booking.status == status


def test_resolving_a_dispute_marks_it_done_with_the_resolution() -> None:
    booking = booking_in("InDispute")

    booking.resolve_dispute("Refunded half", COACH, AFTER_END, meta())

    assert only_event(booking, Booking.DisputeResolved).resolution == "Refunded half"
    assert booking.status == "DisputeDone"
    assert booking.dispute_resolution == "Refunded half"


@pytest.mark.parametrize("status", other_than("InDispute"))
def test_resolving_a_booking_that_is_not_in_dispute_is_an_invalid_status_transition(status: str) -> None:
    booking = booking_in(status)

    with pytest.raises(InvalidStatusTransitionError):
        booking.resolve_dispute("Nothing to resolve", COACH, AFTER_END, meta())

    no_events(booking)
    assert booking.status == status


def test_booking_rebuilt_from_its_events_has_the_same_state() -> None:
    booking = request()
    booking.accept(COACH, meta())
    booking.cancel(ATHLETE, "NoTime", "Work", meta(CANCELED_AT))
    booking.dismiss(OWNER, meta())
    events = booking.collect_events()

    rebuilt: Booking | None = None
    for event in events:
        rebuilt = event.mutate(rebuilt)

    assert isinstance(rebuilt, Booking)
    assert rebuilt.version == booking.version == 4
    assert (rebuilt.status, rebuilt.canceled_by_role, rebuilt.reason_code) == ("Canceled", ATHLETE, "NoTime")
    assert rebuilt.canceled_at == booking.canceled_at == datetime(2030, 1, 5, 8, 30, tzinfo=UTC)
    assert rebuilt.dismissed is True
