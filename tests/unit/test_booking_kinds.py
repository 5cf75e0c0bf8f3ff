"""Each kind of booking is one mapping of its events to the bookings query view's facts and patches."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any, cast

import pytest

from domain.booking import Booking
from domain.court_booking import CourtBooking
from domain.court_booking_terms import CourtBookingTerms, Participant
from projections.analytics_bookings import AnalyticsBookingsView, kind_handlers
from projections.booking_facts import BookingFacts, BookingKind, BookingPatch, document_instant
from projections.booking_kinds import KINDS
from projections.booking_kinds.coach_event_bookings import coach_event_booking_change
from projections.booking_kinds.court_bookings import court_booking_change
from tests.unit.events import meta
from tests.unit.test_coach_event import timeslot

START = datetime(2040, 1, 1, 10, tzinfo=UTC)
TARGETS = {table.name: f'"{table.name}"' for table in AnalyticsBookingsView.tables}


def court_terms(*participants: Participant, minutes: int = 0) -> CourtBookingTerms:
    return CourtBookingTerms(
        uuid.uuid4(), START, START + timedelta(minutes=90), participants, START + timedelta(minutes=minutes)
    )


def requested(seats: int = 3) -> Booking:
    return Booking(
        booking_id=uuid.uuid4(),
        client_id=uuid.uuid4(),
        order_id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        coach_id=uuid.uuid4(),
        event_id=uuid.uuid4(),
        sport_id=uuid.uuid4(),
        start_at=START,
        end_at=START + timedelta(hours=1),
        timeslot=timeslot(number_of_participants=seats, price=1550).as_dict(),
        meta=meta(),
    )


def test_a_registered_court_booking_maps_to_facts_with_its_member_and_origin() -> None:
    member = uuid.uuid4()
    service, organisation = uuid.uuid4(), uuid.uuid4()
    terms = court_terms(Participant(email="a@example.com"), Participant(user_id=member))
    booking = CourtBooking.register(service, "ext-1", organisation, terms, meta())
    [registered] = booking.collect_events()

    facts = court_booking_change(registered)

    assert isinstance(facts, BookingFacts)
    assert (facts.booking_id, facts.organisation_id, facts.resource_id) == (
        booking.id,
        organisation,
        terms.court_id,
    )
    assert (facts.member_id, facts.booker_id, facts.user_email) == (member, member, None)
    assert (facts.client_id, facts.external_id) == (service, "ext-1")
    assert (facts.source, facts.booking_type, facts.type) == ("partner-sync", "court", "group")
    assert (facts.status, facts.user_status, facts.org_status) == ("active", "confirmed", "approved")
    assert facts.duration_minutes == 90


def test_a_court_booking_for_guests_only_carries_the_first_guests_email() -> None:
    booking = CourtBooking.register(
        uuid.uuid4(), "x", uuid.uuid4(), court_terms(Participant(email="g@x.io")), meta()
    )

    facts = court_booking_change(booking.collect_events()[0])

    assert isinstance(facts, BookingFacts)
    assert (facts.member_id, facts.user_email, facts.type) == (None, "g@x.io", "individual")


def test_a_revised_court_booking_maps_to_new_terms_without_origin_and_a_cancellation_to_a_patch() -> None:
    booking = CourtBooking.register(
        uuid.uuid4(), "x", uuid.uuid4(), court_terms(Participant(email="g@x.io")), meta()
    )
    booking.revise(uuid.uuid4(), court_terms(Participant(email="h@x.io"), minutes=1), meta())
    booking.cancel(START + timedelta(minutes=2), meta())
    _, revised, canceled = cast(list[Any], booking.collect_events())

    facts, patch = court_booking_change(revised), court_booking_change(canceled)

    assert isinstance(facts, BookingFacts)
    assert (facts.client_id, facts.external_id, facts.user_email) == (None, None, "h@x.io")
    assert patch == BookingPatch(
        booking.id,
        canceled.recorded_at,
        {"status": "canceled", "userStatus": "cancelled", "orgStatus": "cancelled"},
    )


def test_a_requested_coach_event_booking_maps_to_pending_facts_with_its_price() -> None:
    booking = requested(seats=1)
    [event] = booking.collect_events()

    facts = coach_event_booking_change(event)

    assert isinstance(facts, BookingFacts)
    assert (facts.event_id, facts.order_id, facts.client_id) == (
        booking.event_id,
        booking.order_id,
        booking.client_id,
    )
    assert (facts.member_id, facts.booker_id, facts.organisation_id) == (
        booking.user_id,
        booking.user_id,
        None,
    )
    assert (facts.price, facts.currency) == (Decimal("15.50"), "RUB")
    assert (facts.status, facts.user_status, facts.org_status, facts.attending) == (
        "Pending",
        "pending",
        "pending",
        False,
    )
    assert (facts.source, facts.booking_type, facts.type) == ("bookings", "coach-event", "individual")


@pytest.mark.parametrize(
    ("act", "fields"),
    [
        (
            lambda b: b.accept("Coach", meta()),
            {"status": "Accepted", "userStatus": "confirmed", "orgStatus": "approved"},
        ),
        (
            lambda b: b.reject("Coach", meta()),
            {"status": "Rejected", "userStatus": "rejected", "orgStatus": "rejected"},
        ),
        (
            lambda b: b.cancel("Athlete", "NoTime", None, meta()),
            {"status": "Canceled", "userStatus": "cancelled", "orgStatus": "cancelled"},
        ),
        (lambda b: b.mark_completed(True, "Coach", START + timedelta(days=1), meta()), {"attending": True}),
        (lambda b: b.write_note("ok", "Coach", START + timedelta(days=1), meta()), {}),
    ],
)
def test_a_coach_event_bookings_lifecycle_maps_to_patches(act: Any, fields: dict[str, Any]) -> None:
    booking = requested()
    booking.collect_events()
    act(booking)
    [event] = cast(list[Any], booking.collect_events())

    assert coach_event_booking_change(event) == BookingPatch(booking.id, event.recorded_at, fields)


def test_the_view_handles_every_event_of_every_kind_and_each_event_belongs_to_one_kind() -> None:
    events = [event for kind in KINDS for event in kind.events]

    assert len(set(events)) == len(events)
    assert set(events) <= set(AnalyticsBookingsView.handlers)


def test_a_patch_changes_only_lifecycle_fields_and_facts_take_only_open_seed_fields_as_extra() -> None:
    with pytest.raises(ValueError, match="patch"):
        BookingPatch(uuid.uuid4(), START, {"start": "x"})
    with pytest.raises(ValueError, match="extra"):
        BookingFacts(uuid.uuid4(), "s", "k", START, START, "a", "b", "c", START, extra={"name": "x"})


@dataclass(frozen=True)
class Appointment:
    """An event of a kind of booking the view has never seen."""

    originator_id: uuid.UUID
    slot: str


def appointment_change(event: Appointment) -> BookingFacts:
    end = START + timedelta(hours=1)
    return BookingFacts(
        event.originator_id, "module-api", "appointment", START, end, "booked", "confirmed", "approved",
        START, organisation_id=uuid.uuid4(), extra={"slotId": event.slot},
    )  # fmt: skip


def test_a_new_kind_of_booking_is_only_a_mapping_written_by_the_same_statements() -> None:
    appointments = BookingKind("appointment", (Appointment,), appointment_change)
    handler = kind_handlers([appointments])[Appointment]
    booking = CourtBooking.register(
        uuid.uuid4(), "x", uuid.uuid4(), court_terms(Participant(email="g@x.io")), meta()
    )
    court = AnalyticsBookingsView.handlers[CourtBooking.Registered](booking.collect_events()[0], 7, TARGETS)

    written = handler(Appointment(uuid.uuid4(), "slot-9"), 8, TARGETS)

    assert [query for query, _ in written] == [query for query, _ in court]
    assert written[1][1]["document"].obj["slotId"] == "slot-9"
    assert [set(values) for _, values in written] == [set(values) for _, values in court]
    assert written[1][1]["organisation_id"] is not None


def test_an_event_class_of_two_kinds_is_refused() -> None:
    twice = BookingKind("twice", (Appointment,), appointment_change)

    with pytest.raises(ValueError, match="two kinds"):
        kind_handlers([twice, twice])


def test_the_document_writes_instants_as_the_seed_does() -> None:
    assert (
        document_instant(datetime(2025, 1, 15, 11, 30, 0, 123456, tzinfo=UTC)) == "2025-01-15T11:30:00.123Z"
    )
