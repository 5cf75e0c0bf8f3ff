"""The court-bookings view's row changes, event by event, without a database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.court_booking import CourtBooking
from domain.court_booking_terms import CourtBookingTerms, Participant
from projections.court_bookings import row_statements
from tests.unit.events import meta

START = datetime(2040, 1, 1, 10, tzinfo=UTC)


def terms(updated_minutes: int, start: datetime = START) -> CourtBookingTerms:
    return CourtBookingTerms(
        uuid.uuid4(),
        start,
        start + timedelta(hours=1),
        (Participant(email="a@example.com"),),
        START + timedelta(minutes=updated_minutes),
    )


def test_reactivation_sets_the_row_active_with_the_new_terms() -> None:
    booking = CourtBooking.register(uuid.uuid4(), "x", uuid.uuid4(), terms(0), meta())
    booking.cancel(START + timedelta(minutes=1), meta())
    later = START + timedelta(days=1)
    booking.revise(uuid.uuid4(), terms(2, later), meta())
    reactivated = booking.collect_events()[-1]

    statements = row_statements(reactivated, 3, '"court_bookings"')

    assert type(reactivated).__name__ == "Reactivated"
    assert len(statements) == 1
    query, params = statements[0]
    assert query.startswith('UPDATE "court_bookings"')
    assert params["status"] == "active"
    assert params["start_date"] == later
    assert params["version"] == 3


def test_cancellation_sets_the_row_canceled_and_keeps_its_times() -> None:
    booking = CourtBooking.register(uuid.uuid4(), "x", uuid.uuid4(), terms(0), meta())
    booking.cancel(START + timedelta(minutes=1), meta())
    canceled = booking.collect_events()[-1]

    (_query, params), *rest = row_statements(canceled, 2, '"court_bookings"')

    assert rest == []
    assert params["status"] == "canceled"
    assert "start_date" not in params
