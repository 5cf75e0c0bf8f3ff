"""The client API's create-payment-intent: the seed's answer through the Stripe stand-in, and its refusals."""

from __future__ import annotations

from uuid import UUID

import httpx

from domain.resource_booking import ResourceBooking
from ledger.runtime import Runtime
from tests.payments_support import ACCOUNT, PaidCourt, admin
from tests.stripe_stand_in import StripeStandIn
from tests.support import expect

BOOKINGS = "/matchengine/api/v1/bookings"


def client_api_key(runtime: Runtime, court: PaidCourt) -> tuple[UUID, dict[str, str]]:
    """A new client-API client granted the court's organisation, and its key's header."""
    ledger, ctx = runtime.ledger, admin(runtime)
    organizations = list(ledger.get_client(court.client_id).organization_ids)
    client = ledger.create_client(ctx, "Partner app", ["client-api"], organizations).value
    key = ledger.issue_api_key(ctx, client.id).value.key
    return client.id, {"Authorization": f"Token {key}"}


def booked_by(runtime: Runtime, court: PaidCourt, client_id: UUID) -> ResourceBooking:
    start, end = court.slot(runtime)
    return runtime.ledger.book_resource(
        court.context(runtime, client_id), client_id, court.user_id, court.court_id, start, end, 2
    ).value


def test_a_payment_intent_answers_the_seeds_shape_on_the_venues_account(
    paid: Runtime, paid_http: httpx.Client, stand_in: StripeStandIn
) -> None:
    court = PaidCourt.made_in(paid)
    client_id, headers = client_api_key(paid, court)
    booking = booked_by(paid, court, client_id)

    body = expect(paid_http.post(f"{BOOKINGS}/{booking.number}/create-payment-intent/", headers=headers), 200)

    assert body["amount"] == "25.00"
    assert (body["currency"], body["stripe_account_id"], body["publishable_key"]) == (
        "EUR",
        ACCOUNT,
        "pk_test_ledger",
    )
    assert body["client_secret"].startswith(body["payment_intent_id"])
    [sent] = [r for r in stand_in.intents_created() if r.form["metadata[booking_id]"] == str(booking.id)]
    assert (sent.form["amount"], sent.headers["stripe-account"]) == ("2500", ACCOUNT)


def test_another_clients_booking_is_not_found_for_a_payment_intent(
    paid: Runtime, paid_http: httpx.Client
) -> None:
    court = PaidCourt.made_in(paid)
    owner_id, _ = client_api_key(paid, court)
    _, other_headers = client_api_key(paid, court)
    booking = booked_by(paid, court, owner_id)

    response = paid_http.post(f"{BOOKINGS}/{booking.number}/create-payment-intent/", headers=other_headers)

    assert expect(response, 404) == {"error": f"Booking {booking.number} was not found."}


def test_a_venue_without_online_payment_answers_400_for_a_payment_intent(
    runtime: Runtime, http: httpx.Client
) -> None:
    court = PaidCourt.made_in(runtime, account=None)
    client_id, headers = client_api_key(runtime, court)
    booking = booked_by(runtime, court, client_id)

    response = http.post(f"{BOOKINGS}/{booking.number}/create-payment-intent/", headers=headers)

    assert expect(response, 400) == {"error": "Online payment is not configured for this venue."}
