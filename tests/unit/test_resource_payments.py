"""Payments of resource bookings without a database: intents, the payment deadline, results, expiry."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from uuid import uuid4

import pytest

from domain.ids import payment_intent_index_id
from domain.payment_records import PaymentIntentIndex
from domain.payments import InvalidPaymentAccountError, OnlinePaymentNotConfiguredError
from domain.resource_booking import ResourceBooking
from domain.resource_booking_errors import BookingNotPayableError, ResourceBookingNotFoundError
from tests.unit.availability_support import SEED_DAY, SEED_RULES, berlin, every_day
from tests.unit.events import stored_types
from tests.unit.payment_support import ACCOUNT, paying_club
from tests.unit.resource_booking_support import NOW, Club, admin_context

HOLD = timedelta(minutes=15)


def test_a_booking_where_the_venue_takes_payment_online_must_be_paid_within_the_hold() -> None:
    club, _ = paying_club()

    booking = club.book()

    assert booking.status == "pending"
    assert booking.payment_due_by == NOW + HOLD
    assert stored_types(club.ledger, booking.id) == [ResourceBooking.Requested, ResourceBooking.PaymentDue]


def test_the_hold_is_the_ledgers_configured_payment_hold() -> None:
    club, _ = paying_club()
    club.ledger.payment_hold = timedelta(minutes=40)

    assert club.book().payment_due_by == NOW + timedelta(minutes=40)


@pytest.mark.parametrize("account", [None, ""], ids=["no-account", "cleared-account"])
def test_a_booking_at_a_venue_without_a_connected_account_has_no_payment_deadline(
    account: str | None,
) -> None:
    club, _ = paying_club(account=ACCOUNT)
    club.ledger.set_venue_payment_account(admin_context(), club.venue.id, account)

    booking = club.book()

    assert (booking.status, booking.payment_due_by) == ("pending", None)
    assert club.ledger.venue_payment(club.venue.id).online is False


def test_without_a_payment_provider_a_booking_has_no_payment_deadline() -> None:
    club = Club()
    club.ledger.set_venue_payment_account(admin_context(), club.venue.id, ACCOUNT)

    booking = club.book()

    assert booking.payment_due_by is None
    assert stored_types(club.ledger, booking.id) == [ResourceBooking.Requested]


def test_a_free_booking_is_confirmed_at_once_and_has_no_payment_deadline() -> None:
    club, _ = paying_club()
    free = every_day(("08:00", "22:00", "0", ""))
    club.ledger.set_booking_rules(admin_context(), club.court.id, SEED_RULES, free)

    booking = club.book()

    assert (booking.status, booking.payment_due_by) == ("confirmed", None)


def test_a_payment_intent_is_for_the_total_price_paid_to_the_venues_account() -> None:
    club, gateway = paying_club()
    booking = club.book()

    intent = club.ledger.create_payment_intent(club.context(), booking.reference_code).value

    assert (intent.amount, intent.currency, intent.stripe_account_id) == (Decimal("37.50"), "EUR", ACCOUNT)
    assert gateway.calls == [
        {
            "amount": Decimal("37.50"),
            "currency": "EUR",
            "reference": booking.reference_code,
            "metadata": {"booking_id": str(booking.id), "reference_code": booking.reference_code},
            "connected_account": ACCOUNT,
            "idempotency_key": f"resource-booking-{booking.id}",
        }
    ]


def test_a_payment_intent_is_recorded_with_the_booking_it_pays_for() -> None:
    club, _ = paying_club()
    booking = club.book()

    saved = club.ledger.create_payment_intent(club.context(), booking.number)

    index = club.ledger.find(payment_intent_index_id(saved.value.payment_intent_id), PaymentIntentIndex)
    assert index is not None
    assert (index.booking_id, index.amount, index.currency) == (booking.id, "37.50", "EUR")
    assert saved.created


def test_asking_again_answers_the_same_intent_and_records_nothing_more() -> None:
    club, _ = paying_club()
    booking = club.book()
    first = club.ledger.create_payment_intent(club.context(), booking.id)

    again = club.ledger.create_payment_intent(club.context(), booking.id)

    assert again.value == first.value
    assert (again.created, again.position) == (False, None)


def test_another_client_cannot_create_an_intent_for_the_booking() -> None:
    club, gateway = paying_club()
    booking = club.book()

    with pytest.raises(ResourceBookingNotFoundError):
        club.ledger.create_payment_intent(club.context(club.other_client.id), booking.id)
    assert gateway.calls == []


def test_an_intent_where_the_venue_has_no_account_is_refused_as_not_configured() -> None:
    club, gateway = paying_club(account=None)
    booking = club.book()

    with pytest.raises(
        OnlinePaymentNotConfiguredError, match="Online payment is not configured for this venue"
    ):
        club.ledger.create_payment_intent(club.context(), booking.id)
    assert gateway.calls == []


def test_an_intent_without_a_payment_provider_is_refused_as_not_configured() -> None:
    club = Club()
    club.ledger.set_venue_payment_account(admin_context(), club.venue.id, ACCOUNT)
    booking = club.book()

    with pytest.raises(OnlinePaymentNotConfiguredError):
        club.ledger.create_payment_intent(club.context(), booking.id)


@pytest.mark.parametrize(
    ("change", "status"),
    [("confirm", "confirmed"), ("cancel", "cancelled"), ("expire", "expired")],
)
def test_an_intent_for_a_booking_that_is_not_pending_is_refused_naming_its_status(
    change: str, status: str
) -> None:
    club, gateway = paying_club()
    booking = club.book()
    if change == "confirm":
        club.ledger.confirm_resource_booking(admin_context(), booking.id)
    elif change == "cancel":
        club.ledger.cancel_resource_booking(club.context(), booking.id)
    else:
        club.ledger.expire_unpaid_booking(admin_context(NOW + HOLD), booking.id)

    with pytest.raises(BookingNotPayableError, match=status) as raised:
        club.ledger.create_payment_intent(club.context(), booking.id)
    assert raised.value.details == {"status": status}
    assert gateway.calls == []


def test_a_successful_payment_of_an_intent_confirms_its_booking_once() -> None:
    club, _ = paying_club()
    booking = club.book()
    intent = club.ledger.create_payment_intent(club.context(), booking.id).value

    first = club.ledger.record_intent_payment(
        admin_context(), intent.payment_intent_id, True, Decimal("37.50")
    )
    again = club.ledger.record_intent_payment(
        admin_context(), intent.payment_intent_id, True, Decimal("37.50")
    )

    assert first is not None
    assert again is not None
    assert first.value.status == "confirmed"
    assert again.position is None
    assert stored_types(club.ledger, booking.id)[-2:] == [
        ResourceBooking.PaymentSucceeded,
        ResourceBooking.Confirmed,
    ]


def test_a_failed_payment_is_recorded_and_the_booking_stays_pending() -> None:
    club, _ = paying_club()
    booking = club.book()
    intent = club.ledger.create_payment_intent(club.context(), booking.id).value

    saved = club.ledger.record_intent_payment(
        admin_context(), intent.payment_intent_id, False, reason="declined"
    )

    assert saved is not None
    assert saved.value.status == "pending"
    assert stored_types(club.ledger, booking.id)[-1] == ResourceBooking.PaymentFailed


def test_a_result_for_an_intent_the_ledger_never_made_records_nothing() -> None:
    club, _ = paying_club()

    assert club.ledger.record_intent_payment(admin_context(), "pi_unknown", True) is None


def test_an_unpaid_booking_expires_once_its_deadline_passed_and_frees_its_slot() -> None:
    club, _ = paying_club()
    booking = club.book()

    early = club.ledger.expire_unpaid_booking(admin_context(NOW + HOLD - timedelta(seconds=1)), booking.id)
    due = club.ledger.expire_unpaid_booking(admin_context(NOW + HOLD), booking.id)

    assert early is None
    assert due is not None
    assert due.value.status == "expired"
    assert club.book().status == "pending"


def test_expiring_a_paid_or_cancelled_booking_changes_nothing() -> None:
    club, _ = paying_club()
    paid, cancelled = club.book(), club.book(start=berlin(SEED_DAY, 15, 30), end=berlin(SEED_DAY, 16, 30))
    intent = club.ledger.create_payment_intent(club.context(), paid.id).value
    club.ledger.record_intent_payment(admin_context(), intent.payment_intent_id, True)
    club.ledger.cancel_resource_booking(club.context(), cancelled.id)
    later = admin_context(NOW + timedelta(days=1))

    assert club.ledger.expire_unpaid_booking(later, paid.id) is None
    assert club.ledger.expire_unpaid_booking(later, cancelled.id) is None
    assert club.ledger.expire_unpaid_booking(later, uuid4()) is None


def test_a_booking_without_a_deadline_never_expires_on_its_own() -> None:
    club = Club()
    booking = club.book()

    assert club.ledger.expire_unpaid_booking(admin_context(NOW + timedelta(days=30)), booking.id) is None
    assert club.ledger.get_resource_booking(admin_context(), booking.id).status == "pending"


def test_a_venues_account_is_set_changed_and_cleared_each_as_one_event() -> None:
    club, _ = paying_club()

    changed = club.ledger.set_venue_payment_account(admin_context(), str(club.venue.number), "acct_Other2")
    same = club.ledger.set_venue_payment_account(admin_context(), club.venue.id, " acct_Other2 ")
    cleared = club.ledger.set_venue_payment_account(admin_context(), club.venue.id, None)

    assert (changed.value.stripe_account_id, changed.value.online) == ("acct_Other2", True)
    assert same.position is None
    assert (cleared.value.stripe_account_id, cleared.value.online) == (None, False)


@pytest.mark.parametrize("account", ["acct_", "acct_with space", "ba_123", "acct_" + "x" * 251])
def test_an_account_id_that_is_not_acct_and_letters_or_digits_is_refused(account: str) -> None:
    club, _ = paying_club()

    with pytest.raises(InvalidPaymentAccountError):
        club.ledger.set_venue_payment_account(admin_context(), club.venue.id, account)
