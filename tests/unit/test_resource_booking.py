"""ResourceBooking: requested pending (or confirmed when free), confirmed, cancelled, expired, paid."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal
from uuid import UUID

import pytest

from domain.reference_codes import ReferenceCodeIndex, is_reference_code, reference_code
from domain.resource_booking import BookingRequest, ResourceBooking
from domain.resource_booking_errors import (
    BookingAlreadyCancelledError,
    BookingExpiredError,
    BookingNotPendingError,
    InvalidBookingTextError,
)
from tests.unit.events import given, meta, no_events, only_event

REQUEST = BookingRequest(
    booking_id=UUID(int=1),
    number=7,
    reference_code="BK-250115-A7F3",
    client_id=UUID(int=2),
    user_id=UUID(int=3),
    resource_id=UUID(int=4),
    venue_id=UUID(int=5),
    organization_id=UUID(int=6),
    start=datetime(2025, 1, 15, 9, tzinfo=UTC),
    end=datetime(2025, 1, 15, 10, 30, tzinfo=UTC),
    participant_count=2,
    notes="Optional booking notes",
    total_price=Decimal("37.50"),
    currency="EUR",
)


def requested(**changes: object) -> ResourceBooking:
    """Given: a booking requested with the seed's request (with `changes`), its events saved."""
    return given(ResourceBooking.request(replace(REQUEST, **changes), meta()))  # type: ignore[arg-type]


def in_status(status: str) -> ResourceBooking:
    booking = requested()
    if status == "confirmed":
        booking.confirm("operator", meta())
    elif status == "cancelled":
        booking.cancel("user_request", "", meta())
    elif status == "expired":
        booking.expire(meta())
    return given(booking)


def test_a_requested_booking_is_pending_and_holds_its_time() -> None:
    booking = ResourceBooking.request(REQUEST, meta())

    event = only_event(booking, ResourceBooking.Requested)
    assert (event.number, event.reference_code, event.total_price) == (7, "BK-250115-A7F3", "37.50")
    assert booking.id == REQUEST.booking_id
    assert (booking.status, booking.total_price, booking.created_at) == (
        "pending",
        Decimal("37.50"),
        datetime(2030, 1, 1, tzinfo=UTC),
    )
    assert booking.hold is not None
    assert (booking.hold.start, booking.hold.end) == (REQUEST.start, REQUEST.end)


def test_a_booking_that_costs_nothing_is_confirmed_at_once() -> None:
    booking = ResourceBooking.request(replace(REQUEST, total_price=Decimal("0.00")), meta())

    events = booking.collect_events()
    assert [type(event) for event in events] == [ResourceBooking.Requested, ResourceBooking.Confirmed]
    assert booking.status == "confirmed"
    assert booking.confirmed_via == "no_charge"


@pytest.mark.parametrize("notes", ["x" * 2001, "nul\x00"], ids=["too-long", "nul"])
def test_notes_that_are_too_long_or_hold_nul_are_refused(notes: str) -> None:
    with pytest.raises(InvalidBookingTextError):
        ResourceBooking.request(replace(REQUEST, notes=notes), meta())


def test_confirming_a_pending_booking_records_who_confirmed_it() -> None:
    booking = requested()

    assert booking.confirm("operator", meta())

    assert only_event(booking, ResourceBooking.Confirmed).via == "operator"
    assert booking.status == "confirmed"


def test_confirming_a_confirmed_booking_records_nothing() -> None:
    booking = in_status("confirmed")

    assert not booking.confirm("operator", meta())

    no_events(booking)


@pytest.mark.parametrize("status", ["cancelled", "expired"])
def test_a_cancelled_or_expired_booking_cannot_be_confirmed(status: str) -> None:
    booking = in_status(status)

    with pytest.raises(BookingNotPendingError):
        booking.confirm("operator", meta())


@pytest.mark.parametrize("status", ["pending", "confirmed"])
def test_cancelling_records_the_reason_and_frees_the_hold(status: str) -> None:
    booking = in_status(status)

    booking.cancel("user_request", "User changed plans", meta())

    event = only_event(booking, ResourceBooking.Cancelled)
    assert (event.reason, event.notes) == ("user_request", "User changed plans")
    assert (booking.status, booking.hold) == ("cancelled", None)


def test_cancelling_twice_is_refused() -> None:
    booking = in_status("cancelled")

    with pytest.raises(BookingAlreadyCancelledError, match="already cancelled"):
        booking.cancel("user_request", "", meta())


def test_an_expired_booking_cannot_be_cancelled() -> None:
    with pytest.raises(BookingExpiredError):
        in_status("expired").cancel("user_request", "", meta())


def test_expiring_a_pending_booking_frees_its_hold() -> None:
    booking = requested()

    booking.expire(meta())

    only_event(booking, ResourceBooking.Expired)
    assert (booking.status, booking.hold) == ("expired", None)


@pytest.mark.parametrize("status", ["confirmed", "cancelled", "expired"])
def test_only_a_pending_booking_expires(status: str) -> None:
    with pytest.raises(BookingNotPendingError):
        in_status(status).expire(meta())


def test_a_successful_payment_confirms_a_pending_booking() -> None:
    booking = requested()

    assert booking.record_payment("pi_1", True, Decimal("37.50"), "", meta())

    events = booking.collect_events()
    assert [type(event) for event in events] == [ResourceBooking.PaymentSucceeded, ResourceBooking.Confirmed]
    assert (booking.status, booking.confirmed_via) == ("confirmed", "payment")


def test_a_repeated_payment_result_records_nothing() -> None:
    booking = requested()
    booking.record_payment("pi_1", True, Decimal("37.50"), "", meta())
    given(booking)

    assert not booking.record_payment("pi_1", True, Decimal("37.50"), "", meta())
    assert not booking.record_payment("pi_1", False, None, "card_declined", meta())

    no_events(booking)


def test_a_failed_payment_leaves_the_booking_pending() -> None:
    booking = requested()

    booking.record_payment("pi_1", False, None, "card_declined", meta())

    assert only_event(booking, ResourceBooking.PaymentFailed).reason == "card_declined"
    assert booking.status == "pending"


def test_a_payment_of_a_cancelled_booking_is_recorded_without_confirming_it() -> None:
    booking = in_status("cancelled")

    booking.record_payment("pi_1", True, None, "", meta())

    only_event(booking, ResourceBooking.PaymentSucceeded)
    assert booking.status == "cancelled"


def test_a_payment_needs_a_payment_id() -> None:
    with pytest.raises(InvalidBookingTextError):
        requested().record_payment(" ", True, None, "", meta())


def test_a_reference_code_is_bk_the_local_date_and_four_capitals_or_digits() -> None:
    code = reference_code(datetime(2025, 1, 15).date(), "A7F3")

    assert code == "BK-250115-A7F3"
    assert is_reference_code(code)
    assert not is_reference_code("BK-250115-a7f3")


def test_a_claimed_reference_code_has_its_id_from_the_code() -> None:
    first = ReferenceCodeIndex.claim("BK-250115-A7F3", UUID(int=1), meta())
    second = ReferenceCodeIndex.claim("BK-250115-A7F3", UUID(int=2), meta())

    assert first.id == second.id
