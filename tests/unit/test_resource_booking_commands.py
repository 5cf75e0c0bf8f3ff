"""Resource-booking commands: book under the rules, look up, cancel, confirm, expire, record payments."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import UUID, uuid4

import pytest

from domain.booking_checks import (
    BookingTooShortError,
    MisalignedBookingError,
    OutsideOpeningHoursError,
    ParticipantCountError,
    SlotNotAvailableError,
)
from domain.errors import ConcurrencyExhaustedError
from domain.ids import resource_day_id
from domain.opening_hours import OpeningHours
from domain.organization import ResourceNotFoundError
from domain.resource_booking import ResourceBooking
from domain.resource_booking_commands import BookingIdTakenError
from domain.resource_booking_errors import (
    BookingAlreadyCancelledError,
    BookingExpiredError,
    BookingNotPendingError,
    InvalidBookingTextError,
    ResourceBookingNotFoundError,
)
from domain.resource_day import ResourceDay
from domain.resource_terms import NoBookingRulesError
from domain.user import UserNotFoundError
from tests.unit.availability_support import SEED_DAY, SEED_HOURS, berlin, every_day, rules
from tests.unit.events import stored_types
from tests.unit.resource_booking_support import END, NOW, START, Club, admin_context, suffixes


def test_booking_the_seeds_slot_records_a_pending_booking_priced_by_its_opening_ranges() -> None:
    club = Club()

    booking = club.book()

    assert (booking.status, booking.total_price, booking.currency) == ("pending", Decimal("37.50"), "EUR")
    assert (booking.start, booking.end, booking.participant_count) == (START, END, 2)
    assert (booking.client_id, booking.user_id, booking.resource_id) == (
        club.client.id,
        club.user.id,
        club.court.id,
    )
    assert (booking.venue_id, booking.organization_id, booking.created_at) == (
        club.venue.id,
        club.organization.id,
        NOW,
    )
    assert stored_types(club.ledger, booking.id) == [ResourceBooking.Requested]


def test_a_booking_gets_a_number_and_a_reference_code_of_its_local_start_date() -> None:
    club = Club()
    club.ledger.reference_suffix = suffixes("A7F3", "B8G4").__next__

    first = club.book()
    next_day = SEED_DAY + timedelta(days=1)
    second = club.book(start=berlin(next_day, 8), end=berlin(next_day, 9))

    assert (first.number, first.reference_code) == (1, "BK-250115-A7F3")
    assert (second.number, second.reference_code) == (2, "BK-250116-B8G4")
    [requested] = club.ledger.events.get(first.id)
    assert isinstance(requested, ResourceBooking.Requested)
    assert (requested.number, requested.reference_code) == (1, "BK-250115-A7F3")


def test_the_reference_code_takes_the_date_of_the_venues_clock() -> None:
    club = Club()
    club.ledger.set_booking_rules(
        admin_context(), club.court.id, rules(), every_day(("00:00", "24:00", "25.00", ""))
    )
    club.ledger.reference_suffix = suffixes("A7F3").__next__

    # Midnight in Berlin on the 16th is still the 15th in UTC.
    next_day = SEED_DAY + timedelta(days=1)
    booking = club.book(start=berlin(next_day, 0), end=berlin(next_day, 1))

    assert booking.start.date() == SEED_DAY
    assert booking.reference_code == "BK-250116-A7F3"


def test_a_reference_code_already_held_is_drawn_again() -> None:
    club = Club()
    club.ledger.reference_suffix = suffixes("A7F3", "A7F3", "C9H5").__next__
    club.book()

    second = club.book(start=END, end=berlin(SEED_DAY, 12, 30))

    assert second.reference_code == "BK-250115-C9H5"


def test_booking_gives_up_when_every_drawn_code_is_held() -> None:
    club = Club()
    club.ledger.reference_suffix = lambda: "A7F3"
    club.book()

    with pytest.raises(ConcurrencyExhaustedError):
        club.book(start=END, end=berlin(SEED_DAY, 12, 30))


def test_a_free_booking_is_confirmed_at_once() -> None:
    club = Club()
    club.ledger.set_booking_rules(
        admin_context(), club.court.id, rules(), every_day(("08:00", "22:00", "0.00", "Free"))
    )

    booking = club.book()

    assert (booking.status, booking.total_price) == ("confirmed", Decimal("0.00"))


def test_a_booking_reserves_its_time_on_the_calendar_of_the_resource() -> None:
    club = Club()

    booking = club.book()

    [reservation] = club.ledger.reservations(club.court.id, SEED_DAY, SEED_DAY)
    assert (reservation.booking_id, reservation.hold.start, reservation.hold.end) == (booking.id, START, END)


def test_an_overlapping_booking_is_refused_with_the_slot_message() -> None:
    club = Club()
    club.book()

    with pytest.raises(SlotNotAvailableError, match="The requested time slot is not available"):
        club.book(start=berlin(SEED_DAY, 11), end=berlin(SEED_DAY, 12))


def test_a_partner_court_booking_makes_the_slot_unavailable() -> None:
    club = Club()
    club.ledger.upsert_court_booking(
        club.context(),
        club.client.id,
        "partner-1",
        club.court.id,
        berlin(SEED_DAY, 11),
        berlin(SEED_DAY, 12),
        [(None, "bo@example.com")],
        NOW,
    )

    with pytest.raises(SlotNotAvailableError):
        club.book()


def test_a_slot_taken_after_the_checks_read_the_calendar_answers_that_it_is_not_available(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    club = Club()
    club.book()
    # The checks see the calendar as it was before the other booking; the calendar day itself refuses.
    monkeypatch.setattr(club.ledger, "reservations_near", lambda *_: iter(()))

    with pytest.raises(SlotNotAvailableError, match=r"^The requested time slot is not available$"):
        club.book()


@pytest.mark.parametrize(
    ("start", "end", "participants", "error"),
    [
        (berlin(SEED_DAY, 10, 15), END, 2, MisalignedBookingError),
        (START, berlin(SEED_DAY, 10, 30), 2, BookingTooShortError),
        (START, END, 5, ParticipantCountError),
    ],
    ids=["misaligned", "too-short", "too-many-participants"],
)
def test_a_booking_that_breaks_a_rule_is_refused_and_writes_nothing(
    start: object, end: object, participants: int, error: type[Exception]
) -> None:
    club = Club()

    with pytest.raises(error):
        club.book(start=start, end=end, participants=participants)  # type: ignore[arg-type]

    assert club.ledger.reservations(club.court.id, SEED_DAY, SEED_DAY) == []


def test_a_resource_without_booking_rules_cannot_be_booked() -> None:
    club = Club()

    with pytest.raises(NoBookingRulesError):
        club.book(resource=club.unruled_court().id)


def test_a_resource_of_an_organization_not_granted_to_the_client_is_not_found() -> None:
    club = Club()
    stranger = club.ledger.create_client(admin_context(), "Stranger", ["court-bookings:write"], []).value

    with pytest.raises(ResourceNotFoundError):
        club.book(client_id=stranger.id)


def test_a_client_not_granted_the_organization_learns_nothing_of_a_resource_without_rules() -> None:
    club = Club()
    stranger = club.ledger.create_client(admin_context(), "Stranger", ["court-bookings:write"], []).value

    with pytest.raises(ResourceNotFoundError):
        club.book(resource=club.unruled_court().id, client_id=stranger.id)


def test_an_unknown_user_cannot_book() -> None:
    club = Club()

    with pytest.raises(UserNotFoundError):
        club.ledger.book_resource(club.context(), club.client.id, uuid4(), club.court.id, START, END, 2)


@pytest.mark.parametrize("notes", ["x" * 2001, "nul\x00"], ids=["too-long", "nul"])
def test_notes_that_are_too_long_or_hold_nul_are_refused_and_nothing_is_written(notes: str) -> None:
    club = Club()

    with pytest.raises(InvalidBookingTextError):
        club.ledger.book_resource(
            club.context(), club.client.id, club.user.id, club.court.id, START, END, 2, notes
        )

    assert club.ledger.reservations(club.court.id, SEED_DAY, SEED_DAY) == []


def test_an_expired_booking_cannot_be_cancelled() -> None:
    club = Club()
    booking = club.book()
    club.ledger.expire_resource_booking(admin_context(), booking.id)

    with pytest.raises(BookingExpiredError):
        club.ledger.cancel_resource_booking(club.context(), booking.id)


def test_a_resource_is_booked_by_its_number() -> None:
    club = Club()

    assert club.book(resource=str(club.court.number)).resource_id == club.court.id


def test_a_booking_id_of_an_existing_booking_of_the_client_answers_that_booking() -> None:
    club = Club()
    booking_id = uuid4()
    first = club.book(booking_id=booking_id)

    again = club.ledger.book_resource(
        club.context(), club.client.id, club.user.id, club.court.id, START, END, 2, booking_id=booking_id
    )

    assert (again.value.id, again.created, first.id) == (booking_id, False, booking_id)


def test_a_booking_id_of_another_clients_booking_is_refused() -> None:
    club = Club()
    booking_id = uuid4()
    club.book(booking_id=booking_id)

    with pytest.raises(BookingIdTakenError):
        club.book(client_id=club.other_client.id, booking_id=booking_id)


@pytest.mark.parametrize("ref", ["number", "uuid", "uuid-text", "code", "lower-case-code"])
def test_a_booking_is_found_by_number_uuid_or_reference_code(ref: str) -> None:
    club = Club()
    booking = club.book()
    refs: dict[str, str | UUID] = {
        "number": str(booking.number),
        "uuid": booking.id,
        "uuid-text": str(booking.id),
        "code": booking.reference_code,
        "lower-case-code": booking.reference_code.lower(),
    }

    assert club.ledger.get_resource_booking(club.context(), refs[ref]).id == booking.id


@pytest.mark.parametrize("ref", ["999", "BK-250115-ZZZZ", "nonsense"])
def test_an_unknown_reference_is_not_found(ref: str) -> None:
    club = Club()
    club.book()

    with pytest.raises(ResourceBookingNotFoundError):
        club.ledger.get_resource_booking(club.context(), ref)


def test_another_clients_booking_is_not_found_but_the_admin_sees_it() -> None:
    club = Club()
    booking = club.book()

    with pytest.raises(ResourceBookingNotFoundError):
        club.ledger.get_resource_booking(club.context(club.other_client.id), booking.number)
    assert club.ledger.get_resource_booking(admin_context(), booking.number).id == booking.id


def test_cancelling_frees_the_slot_for_another_booking() -> None:
    club = Club()
    booking = club.book()

    cancelled = club.ledger.cancel_resource_booking(club.context(), booking.number, "user_request", "Plans")

    assert cancelled.value.status == "cancelled"
    assert club.ledger.reservations(club.court.id, SEED_DAY, SEED_DAY) == []
    assert club.book().status == "pending"


def test_cancelling_twice_is_refused_clearly() -> None:
    club = Club()
    booking = club.book()
    club.ledger.cancel_resource_booking(club.context(), booking.number)

    with pytest.raises(BookingAlreadyCancelledError, match="already cancelled"):
        club.ledger.cancel_resource_booking(club.context(), booking.number)


def test_another_client_cannot_cancel_the_booking() -> None:
    club = Club()
    booking = club.book()

    with pytest.raises(ResourceBookingNotFoundError):
        club.ledger.cancel_resource_booking(club.context(club.other_client.id), booking.number)


def test_an_operator_confirms_a_pending_booking_and_again_changes_nothing() -> None:
    club = Club()
    booking = club.book()

    first = club.ledger.confirm_resource_booking(admin_context(), booking.reference_code)
    again = club.ledger.confirm_resource_booking(admin_context(), booking.reference_code)

    assert (first.value.status, first.value.confirmed_via) == ("confirmed", "operator")
    assert first.position is None or first.position > 0
    assert again.position is None
    assert stored_types(club.ledger, booking.id) == [ResourceBooking.Requested, ResourceBooking.Confirmed]


def test_expiring_a_pending_booking_frees_its_slot() -> None:
    club = Club()
    booking = club.book()

    expired = club.ledger.expire_resource_booking(admin_context(), booking.id)

    assert expired.value.status == "expired"
    assert club.ledger.reservations(club.court.id, SEED_DAY, SEED_DAY) == []


def test_a_confirmed_booking_does_not_expire() -> None:
    club = Club()
    booking = club.book()
    club.ledger.confirm_resource_booking(admin_context(), booking.id)

    with pytest.raises(BookingNotPendingError):
        club.ledger.expire_resource_booking(admin_context(), booking.id)


def test_a_successful_payment_confirms_the_booking_once() -> None:
    club = Club()
    booking = club.book()

    paid = club.ledger.record_payment(admin_context(), booking.id, "pi_1", True, Decimal("37.50"))
    again = club.ledger.record_payment(admin_context(), booking.id, "pi_1", True, Decimal("37.50"))

    assert (paid.value.status, again.position) == ("confirmed", None)
    assert stored_types(club.ledger, booking.id) == [
        ResourceBooking.Requested,
        ResourceBooking.PaymentSucceeded,
        ResourceBooking.Confirmed,
    ]


def test_a_failed_payment_keeps_the_booking_pending() -> None:
    club = Club()
    booking = club.book()

    failed = club.ledger.record_payment(admin_context(), booking.id, "pi_1", False, reason="card_declined")

    assert failed.value.status == "pending"


def test_the_calendar_day_of_a_booking_is_saved_with_it() -> None:
    club = Club()
    booking = club.book()

    club.ledger.cancel_resource_booking(club.context(), booking.id)

    day_id = resource_day_id(club.court.id, SEED_DAY)
    assert stored_types(club.ledger, day_id) == [
        ResourceDay.Opened,
        ResourceDay.Reserved,
        ResourceDay.Released,
    ]


def test_changed_opening_hours_apply_to_the_next_booking() -> None:
    club = Club()
    club.ledger.set_booking_rules(admin_context(), club.court.id, rules(), OpeningHours(()))

    with pytest.raises(OutsideOpeningHoursError):
        club.book()
    club.ledger.set_booking_rules(admin_context(), club.court.id, rules(), SEED_HOURS)
    assert club.book().status == "pending"
