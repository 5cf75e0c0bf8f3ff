"""Payment intents through the Stripe stand-in and Stripe's signed webhooks, against a live server."""

from __future__ import annotations

from decimal import Decimal

import httpx
import pytest

from domain.payments import OnlinePaymentNotConfiguredError
from domain.resource_booking import ResourceBooking
from domain.resource_booking_errors import ResourceBookingNotFoundError
from ledger.runtime import Runtime
from tests.payments_support import ACCOUNT, WEBHOOK_SECRET, PaidCourt
from tests.stripe_stand_in import StripeStandIn, intent_event, stripe_signature
from tests.support import expect
from tests.unit.events import stored_types

WEBHOOK = "/webhooks/stripe"
SUCCEEDED, FAILED = "payment_intent.succeeded", "payment_intent.payment_failed"


def post_event(http: httpx.Client, payload: bytes, secret: str = WEBHOOK_SECRET) -> httpx.Response:
    headers = {"Stripe-Signature": stripe_signature(payload, secret), "Content-Type": "application/json"}
    return http.post(WEBHOOK, content=payload, headers=headers)


def intent_for(paid: Runtime, court: PaidCourt, booking: ResourceBooking) -> str:
    return paid.ledger.create_payment_intent(
        court.context(paid), booking.reference_code
    ).value.payment_intent_id


def test_an_intent_asks_stripe_for_the_price_in_cents_on_the_venues_connected_account(
    paid: Runtime, stand_in: StripeStandIn
) -> None:
    court = PaidCourt.made_in(paid)
    booking = court.book(paid)

    intent = paid.ledger.create_payment_intent(court.context(paid), booking.number).value

    [request] = [r for r in stand_in.intents_created() if r.form["metadata[booking_id]"] == str(booking.id)]
    assert (request.form["amount"], request.form["currency"]) == ("2500", "eur")
    assert request.headers["stripe-account"] == ACCOUNT
    assert (intent.amount, intent.currency, intent.stripe_account_id) == (Decimal("25.00"), "EUR", ACCOUNT)
    assert (intent.publishable_key, intent.client_secret.startswith(intent.payment_intent_id)) == (
        "pk_test_ledger",
        True,
    )


def test_a_signed_success_confirms_the_booking(paid: Runtime, paid_http: httpx.Client) -> None:
    court = PaidCourt.made_in(paid)
    booking = court.book(paid)

    response = post_event(paid_http, intent_event(SUCCEEDED, intent_for(paid, court, booking), 2500))

    assert expect(response, 200) == {"received": True, "recorded": True}
    assert int(response.headers["X-Ledger-Position"]) > 0
    assert court.status(paid, booking) == "confirmed"


def test_a_replayed_notification_records_the_payment_once(paid: Runtime, paid_http: httpx.Client) -> None:
    court = PaidCourt.made_in(paid)
    booking = court.book(paid)
    payload = intent_event(SUCCEEDED, intent_for(paid, court, booking), 2500)
    expect(post_event(paid_http, payload), 200)

    again = post_event(paid_http, payload)

    assert expect(again, 200) == {"received": True, "recorded": False}
    assert stored_types(paid.ledger, booking.id).count(ResourceBooking.PaymentSucceeded) == 1
    assert stored_types(paid.ledger, booking.id).count(ResourceBooking.Confirmed) == 1


def test_a_signed_failure_is_recorded_and_the_booking_stays_pending(
    paid: Runtime, paid_http: httpx.Client
) -> None:
    court = PaidCourt.made_in(paid)
    booking = court.book(paid)

    payload = intent_event(FAILED, intent_for(paid, court, booking), 2500, failure="Your card was declined.")

    assert expect(post_event(paid_http, payload), 200) == {"received": True, "recorded": True}
    assert court.status(paid, booking) == "pending"
    assert stored_types(paid.ledger, booking.id)[-1] is ResourceBooking.PaymentFailed


def test_a_notification_with_a_bad_signature_answers_400_and_records_nothing(
    paid: Runtime, paid_http: httpx.Client
) -> None:
    court = PaidCourt.made_in(paid)
    booking = court.book(paid)
    payload = intent_event(SUCCEEDED, intent_for(paid, court, booking), 2500)

    response = post_event(paid_http, payload, secret="whsec_forged")

    assert expect(response, 400)["error"]["type"] == "invalid_webhook"
    assert court.status(paid, booking) == "pending"


def test_a_notification_without_a_signature_answers_401(paid_http: httpx.Client) -> None:
    response = paid_http.post(WEBHOOK, content=intent_event(SUCCEEDED, "pi_1", 100))

    assert expect(response, 401)["error"] == {
        "type": "missing_api_token",
        "message": "The Stripe-Signature header is missing.",
    }


@pytest.mark.parametrize("payload", [b"{", b"[]", b""], ids=["broken-json", "a-list", "empty"])
def test_a_signed_payload_that_is_no_event_answers_400(paid_http: httpx.Client, payload: bytes) -> None:
    assert expect(post_event(paid_http, payload), 400)["error"]["type"] == "invalid_webhook"


def test_another_kind_of_event_is_acknowledged_and_ignored(paid_http: httpx.Client) -> None:
    payload = b'{"id": "evt_1", "object": "event", "type": "customer.created", "data": {"object": {}}}'

    assert expect(post_event(paid_http, payload), 200) == {"received": True, "recorded": False}


def test_an_intent_the_ledger_never_made_is_acknowledged_and_ignored(paid_http: httpx.Client) -> None:
    payload = intent_event(SUCCEEDED, "pi_not_from_this_ledger", 2500)

    assert expect(post_event(paid_http, payload), 200) == {"received": True, "recorded": False}


def test_without_a_payment_provider_a_notification_answers_400(http: httpx.Client) -> None:
    response = post_event(http, intent_event(SUCCEEDED, "pi_1", 100))

    assert expect(response, 400)["error"]["type"] == "payments_not_configured"


def test_another_client_cannot_create_an_intent_for_the_booking(
    paid: Runtime, stand_in: StripeStandIn
) -> None:
    court, other = PaidCourt.made_in(paid), PaidCourt.made_in(paid)
    booking = court.book(paid)
    sent = len(stand_in.received)

    with pytest.raises(ResourceBookingNotFoundError):
        paid.ledger.create_payment_intent(court.context(paid, other.client_id), booking.id)
    assert len(stand_in.received) == sent


def test_an_intent_at_a_venue_without_an_account_is_not_configured(paid: Runtime) -> None:
    court = PaidCourt.made_in(paid, account=None)
    booking = court.book(paid)

    with pytest.raises(OnlinePaymentNotConfiguredError):
        paid.ledger.create_payment_intent(court.context(paid), booking.id)
