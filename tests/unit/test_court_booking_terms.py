"""Validation of a booking's participants and time range before any event is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from domain.court_booking_terms import (
    CourtBookingTerms,
    DuplicateEntriesError,
    InvalidParticipantsError,
    InvalidTimeRangeError,
    MutuallyExclusiveFieldsError,
    Participant,
    checked_participants,
)
from domain.user import InvalidEmailError

COURT = UUID(int=3)
START = datetime(2030, 1, 1, 9, tzinfo=UTC)
UPDATED_AT = datetime(2029, 12, 1, tzinfo=UTC)
ONE = (Participant(email="ana@example.com"),)


def emails(count: int) -> list[tuple[UUID | None, str | None]]:
    return [(None, f"p{index}@example.com") for index in range(count)]


@pytest.mark.parametrize("count", [0, 5])
def test_fewer_than_one_or_more_than_four_participants_are_invalid(count: int) -> None:
    with pytest.raises(InvalidParticipantsError):
        checked_participants(emails(count))


@pytest.mark.parametrize("count", [1, 4])
def test_one_to_four_participants_are_accepted(count: int) -> None:
    participants = checked_participants(emails(count))

    assert len(participants) == count


@pytest.mark.parametrize(
    "raw",
    [
        [(UUID(int=7), "ana@example.com")],
        [(None, None)],
        [(None, "ana@example.com"), (None, None)],
    ],
)
def test_participant_needs_exactly_one_of_user_id_and_email(
    raw: list[tuple[UUID | None, str | None]],
) -> None:
    with pytest.raises(MutuallyExclusiveFieldsError) as raised:
        checked_participants(raw)

    assert raised.value.details == {"index": len(raw) - 1}


def test_emails_differing_only_in_case_are_duplicates() -> None:
    with pytest.raises(DuplicateEntriesError):
        checked_participants([(None, "ana@example.com"), (None, "ANA@Example.com")])


def test_the_same_user_id_twice_is_a_duplicate() -> None:
    with pytest.raises(DuplicateEntriesError):
        checked_participants([(UUID(int=7), None), (UUID(int=7), None)])


def test_user_id_and_email_participants_can_be_mixed() -> None:
    participants = checked_participants([(UUID(int=7), None), (None, "Ana@Example.com")])

    assert participants == (Participant(user_id=UUID(int=7)), Participant(email="ana@example.com"))


@pytest.mark.parametrize(
    "email", ["ana", "@example.com", "ana@localhost", "ana maria@example.com", "", "a" * 310 + "@example.com"]
)
def test_implausible_email_is_invalid(email: str) -> None:
    with pytest.raises(InvalidEmailError):
        checked_participants([(None, email)])


@pytest.mark.parametrize("end", [START, START - timedelta(minutes=1)])
def test_booking_that_does_not_start_before_it_ends_is_an_invalid_time_range(end: datetime) -> None:
    with pytest.raises(InvalidTimeRangeError):
        CourtBookingTerms(COURT, START, end, ONE, UPDATED_AT)


def test_booking_longer_than_seven_days_is_an_invalid_time_range() -> None:
    with pytest.raises(InvalidTimeRangeError):
        CourtBookingTerms(COURT, START, START + timedelta(days=7, microseconds=1), ONE, UPDATED_AT)


def test_booking_of_exactly_seven_days_is_accepted() -> None:
    terms = CourtBookingTerms(COURT, START, START + timedelta(days=7), ONE, UPDATED_AT)

    assert terms.end - terms.start == timedelta(days=7)
