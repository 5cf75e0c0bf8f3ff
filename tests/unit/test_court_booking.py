"""CourtBooking: registration, idempotent replays, stale writes, version conflicts, cancel, reactivation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any
from uuid import UUID

import pytest

from domain.court_booking import CourtBooking, StaleWriteError, VersionConflictError
from domain.court_booking_terms import CourtBookingTerms, checked_participants
from domain.ids import court_booking_id
from tests.unit.events import given, meta, no_events, only_event

SERVICE = UUID(int=1)
ORGANIZATION = UUID(int=2)
COURT = UUID(int=3)
OTHER_COURT = UUID(int=4)
EXTERNAL_ID = "partner-booking-1"
START = datetime(2030, 1, 1, 9, tzinfo=UTC)
T1 = datetime(2029, 12, 1, 12, tzinfo=UTC)
T2 = T1 + timedelta(seconds=1)
T3 = T2 + timedelta(seconds=1)
LATER = "2030-01-02T00:00:00.000000Z"
# The stored shape of the events and of snapshots, which existing data depends on.
EVENT_FIELDS = {"originator_id", "originator_version", "timestamp", "meta"}
RECORDED_FIELDS = {
    "organization_id",
    "court_id",
    "start",
    "end",
    "participants",
    "external_updated_at",
    "fingerprint",
}


def terms(
    updated_at: datetime = T1,
    start: datetime = START,
    hours: int = 1,
    court: UUID = COURT,
    emails: tuple[str, ...] = ("ana@example.com",),
) -> CourtBookingTerms:
    participants = checked_participants([(None, email) for email in emails])
    return CourtBookingTerms(court, start, start + timedelta(hours=hours), participants, updated_at)


def registered(booking_terms: CourtBookingTerms | None = None) -> CourtBooking:
    """Given: a booking registered with `booking_terms` (default: `terms()`), its events saved."""
    booking = CourtBooking.register(SERVICE, EXTERNAL_ID, ORGANIZATION, booking_terms or terms(), meta())
    return given(booking)


def canceled(at: datetime = T2) -> CourtBooking:
    """Given: a booking registered at T1 and canceled at `at`, its events saved."""
    booking = registered()
    booking.cancel(at, meta())
    return given(booking)


def test_registering_a_booking_records_registered_with_its_terms_and_meta() -> None:
    booking_terms = terms(emails=("Ana@Example.com", "bo@example.com"))

    booking = CourtBooking.register(SERVICE, EXTERNAL_ID, ORGANIZATION, booking_terms, meta())

    event = only_event(booking, CourtBooking.Registered)
    assert event.originator_id == court_booking_id(SERVICE, EXTERNAL_ID)
    assert event.meta == meta()
    assert event.recorded_at == datetime(2030, 1, 1, tzinfo=UTC)
    assert (event.external_service_id, event.external_court_booking_id) == (SERVICE, EXTERNAL_ID)
    assert (event.organization_id, event.court_id) == (ORGANIZATION, COURT)
    assert (event.start, event.end) == (START, START + timedelta(hours=1))
    assert event.participants == [{"email": "ana@example.com"}, {"email": "bo@example.com"}]
    assert event.external_updated_at == T1
    assert event.fingerprint == booking_terms.fingerprint()
    assert booking.status == "active"
    assert booking.created_at == booking.updated_at == datetime(2030, 1, 1, tzinfo=UTC)


def test_participant_with_user_id_is_recorded_as_user_id() -> None:
    user = UUID(int=7)
    booking_terms = CourtBookingTerms(
        COURT, START, START + timedelta(hours=1), checked_participants([(user, None)]), T1
    )

    booking = CourtBooking.register(SERVICE, EXTERNAL_ID, ORGANIZATION, booking_terms, meta())

    assert only_event(booking, CourtBooking.Registered).participants == [{"userId": str(user)}]


def test_equal_timestamp_with_same_payload_is_an_idempotent_replay() -> None:
    booking = registered()

    needs_revision = booking.revise(ORGANIZATION, terms(), meta(LATER))

    assert needs_revision is False
    no_events(booking)


def test_equal_timestamp_with_changed_payload_is_a_version_conflict() -> None:
    booking = registered()

    with pytest.raises(VersionConflictError):
        booking.revise(ORGANIZATION, terms(hours=2), meta(LATER))

    no_events(booking)


@pytest.mark.parametrize(
    "changed",
    [
        {"court": OTHER_COURT},
        {"start": START + timedelta(minutes=30)},
        {"hours": 2},
        {"emails": ("bo@example.com",)},
        {"emails": ("ana@example.com", "bo@example.com")},
    ],
)
def test_equal_timestamp_with_any_changed_field_is_a_version_conflict(changed: dict[str, Any]) -> None:
    booking = registered()

    with pytest.raises(VersionConflictError):
        booking.revise(ORGANIZATION, terms(**changed), meta(LATER))


def test_older_timestamp_is_a_stale_write() -> None:
    booking = registered(terms(updated_at=T2))

    with pytest.raises(StaleWriteError):
        booking.revise(ORGANIZATION, terms(updated_at=T1), meta(LATER))

    no_events(booking)


def test_older_timestamp_with_same_payload_is_still_a_stale_write() -> None:
    booking = registered(terms(updated_at=T2))

    with pytest.raises(StaleWriteError):
        booking.revise(ORGANIZATION, terms(updated_at=T2 - timedelta(microseconds=1)), meta(LATER))


def test_newer_timestamp_revises_the_booking() -> None:
    booking = registered()
    new_start = START + timedelta(hours=3)

    booking.revise(ORGANIZATION, terms(updated_at=T2, start=new_start, court=OTHER_COURT), meta(LATER))

    event = only_event(booking, CourtBooking.Revised)
    assert (event.court_id, event.start, event.end) == (
        OTHER_COURT,
        new_start,
        new_start + timedelta(hours=1),
    )
    assert event.external_updated_at == T2
    assert event.meta == meta(LATER)
    assert (booking.court_id, booking.start, booking.external_updated_at) == (OTHER_COURT, new_start, T2)
    assert booking.status == "active"
    assert booking.updated_at == datetime(2030, 1, 2, tzinfo=UTC)
    assert booking.created_at == datetime(2030, 1, 1, tzinfo=UTC)


def test_newer_timestamp_with_same_payload_revises_only_the_timestamp() -> None:
    booking = registered()

    booking.revise(ORGANIZATION, terms(updated_at=T2), meta(LATER))

    event = only_event(booking, CourtBooking.Revised)
    assert event.external_updated_at == T2
    assert event.fingerprint == terms().fingerprint()


def test_cancel_records_canceled_and_marks_the_booking_canceled() -> None:
    booking = registered()

    booking.cancel(T2, meta(LATER))

    event = only_event(booking, CourtBooking.Canceled)
    assert event.external_updated_at == T2
    assert event.meta == meta(LATER)
    assert booking.status == "canceled"
    assert booking.is_active is False
    assert booking.external_updated_at == T2
    assert booking.updated_at == datetime(2030, 1, 2, tzinfo=UTC)


def test_repeating_a_cancel_with_the_same_timestamp_records_nothing() -> None:
    booking = canceled(at=T2)

    needs_cancel = booking.cancel(T2, meta(LATER))

    assert needs_cancel is False
    no_events(booking)
    assert booking.status == "canceled"


def test_cancel_with_the_stored_timestamp_while_active_is_a_version_conflict() -> None:
    booking = registered()

    with pytest.raises(VersionConflictError):
        booking.cancel(T1, meta(LATER))

    no_events(booking)
    assert booking.status == "active"


def test_cancel_with_an_older_timestamp_is_a_stale_write() -> None:
    booking = registered(terms(updated_at=T2))

    with pytest.raises(StaleWriteError):
        booking.cancel(T1, meta(LATER))

    no_events(booking)


def test_upsert_older_than_the_cancel_is_a_stale_write() -> None:
    booking = canceled(at=T2)

    with pytest.raises(StaleWriteError):
        booking.revise(ORGANIZATION, terms(updated_at=T1), meta(LATER))


def test_upsert_with_the_cancel_timestamp_is_a_version_conflict() -> None:
    booking = canceled(at=T2)

    with pytest.raises(VersionConflictError):
        booking.revise(ORGANIZATION, terms(updated_at=T2), meta(LATER))

    no_events(booking)


def test_revising_a_canceled_booking_with_a_newer_timestamp_reactivates_it() -> None:
    booking = canceled(at=T2)

    booking.revise(ORGANIZATION, terms(updated_at=T3, hours=2), meta(LATER))

    event = only_event(booking, CourtBooking.Reactivated)
    assert event.external_updated_at == T3
    assert event.end == START + timedelta(hours=2)
    assert booking.status == "active"
    assert booking.end == START + timedelta(hours=2)


def test_fingerprint_ignores_email_case_because_emails_are_normalized() -> None:
    lower = terms(emails=("ana@example.com",))
    mixed = terms(emails=(" Ana@EXAMPLE.com ",))

    assert mixed.participants == lower.participants
    assert mixed.fingerprint() == lower.fingerprint()


def test_replay_differing_only_in_email_case_records_nothing() -> None:
    booking = registered(terms(emails=("ana@example.com",)))

    booking.revise(ORGANIZATION, terms(emails=("ANA@Example.COM",)), meta(LATER))

    no_events(booking)


def test_fingerprint_ignores_the_offset_of_equal_instants() -> None:
    plus_two = timezone(timedelta(hours=2))

    shifted = terms(start=START.astimezone(plus_two))

    assert shifted.fingerprint() == terms().fingerprint()


def test_booking_rebuilt_from_its_events_has_the_same_state() -> None:
    booking = CourtBooking.register(SERVICE, EXTERNAL_ID, ORGANIZATION, terms(), meta())
    booking.revise(ORGANIZATION, terms(updated_at=T2, hours=2), meta(LATER))
    booking.cancel(T3, meta(LATER))
    events = booking.collect_events()

    rebuilt: CourtBooking | None = None
    for event in events:
        rebuilt = event.mutate(rebuilt)

    assert isinstance(rebuilt, CourtBooking)
    assert rebuilt.version == booking.version == 3
    assert (rebuilt.status, rebuilt.end, rebuilt.external_updated_at) == ("canceled", booking.end, T3)
    assert rebuilt.fingerprint == booking.fingerprint == terms(hours=2).fingerprint()


def test_revising_with_a_newer_timestamp_reports_that_it_recorded_a_revision() -> None:
    booking = registered()

    revised = booking.revise(ORGANIZATION, terms(updated_at=T2, hours=2), meta(LATER))

    assert revised is True
    assert only_event(booking, CourtBooking.Revised).end == START + timedelta(hours=2)


def test_cancelling_with_a_newer_timestamp_reports_that_it_recorded_a_cancel() -> None:
    booking = registered()

    canceled_now = booking.cancel(T2, meta(LATER))

    assert canceled_now is True
    assert only_event(booking, CourtBooking.Canceled).external_updated_at == T2


def test_registration_records_the_terms_with_the_external_ids() -> None:
    booking = CourtBooking.register(SERVICE, EXTERNAL_ID, ORGANIZATION, terms(), meta())

    event = only_event(booking, CourtBooking.Registered)

    assert set(vars(event)) == EVENT_FIELDS | RECORDED_FIELDS | {
        "originator_topic",
        "external_service_id",
        "external_court_booking_id",
    }


def test_revision_and_reactivation_record_the_same_terms_fields() -> None:
    revised, reactivated = registered(), canceled(at=T2)

    revised.revise(ORGANIZATION, terms(updated_at=T2), meta(LATER))
    reactivated.revise(ORGANIZATION, terms(updated_at=T3), meta(LATER))

    assert set(vars(only_event(revised, CourtBooking.Revised))) == EVENT_FIELDS | RECORDED_FIELDS
    assert set(vars(only_event(reactivated, CourtBooking.Reactivated))) == EVENT_FIELDS | RECORDED_FIELDS


def test_a_booking_keeps_its_terms_as_plain_attributes_and_its_personal_fields_on_the_class() -> None:
    booking = registered()

    state = {name for name in vars(booking) if not name.startswith("_")}

    assert state == RECORDED_FIELDS | {
        "external_service_id",
        "external_court_booking_id",
        "status",
        "created_at",
        "updated_at",
    }
    assert booking.PERSONAL_FIELDS == ("participants",)
