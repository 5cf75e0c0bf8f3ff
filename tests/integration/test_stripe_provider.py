"""The Stripe provider against a local stand-in of Stripe's API: what it sends, what it makes of answers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from decimal import Decimal

import pytest
from pydantic import SecretStr

from domain.payments import PaymentProviderUnavailableError, PaymentRefusedError
from ledger.payments.provider import InvalidWebhookError, MissingWebhookSignatureError, configured_provider
from ledger.payments.stripe_provider import StripeProvider
from ledger.settings import Settings
from tests.stripe_stand_in import StripeStandIn, intent_event, stripe_signature

WEBHOOK_SECRET = "whsec_test_signing"
ACCOUNT = "acct_1VenueAccount"


@pytest.fixture
def stand_in() -> Iterator[StripeStandIn]:
    with StripeStandIn() as running:
        yield running


@pytest.fixture
def provider(stand_in: StripeStandIn) -> StripeProvider:
    return StripeProvider("sk_test_secret", "pk_test_public", WEBHOOK_SECRET, stand_in.url)


def create(
    provider: StripeProvider, amount: str = "37.50", currency: str = "EUR", key: str = "k-1"
) -> object:
    return provider.create_payment_intent(
        Decimal(amount), currency, "BK-250115-A7F3", {"booking_id": "b-1"}, ACCOUNT, key
    )


def test_an_intent_is_requested_in_minor_units_on_the_connected_account(
    provider: StripeProvider, stand_in: StripeStandIn
) -> None:
    create(provider)

    [request] = stand_in.intents_created()
    assert request.form == {
        "amount": "3750",
        "currency": "eur",
        "description": "Booking BK-250115-A7F3",
        "metadata[booking_id]": "b-1",
    }
    assert request.headers["stripe-account"] == ACCOUNT
    assert request.headers["idempotency-key"] == "k-1"
    assert request.headers["authorization"] == "Bearer sk_test_secret"


def test_the_answered_intent_carries_its_client_secret_the_amount_and_the_publishable_key(
    provider: StripeProvider,
) -> None:
    intent = provider.create_payment_intent(Decimal("37.50"), "EUR", "BK-1", {}, ACCOUNT, "k-2")

    assert intent.payment_intent_id.startswith("pi_")
    assert intent.client_secret.startswith(f"{intent.payment_intent_id}_secret_")
    assert (intent.amount, intent.currency) == (Decimal("37.50"), "EUR")
    assert (intent.publishable_key, intent.stripe_account_id) == ("pk_test_public", ACCOUNT)


def test_a_repeated_idempotency_key_answers_the_same_intent(provider: StripeProvider) -> None:
    assert create(provider, key="same") == create(provider, key="same")
    assert create(provider, key="same") != create(provider, key="other")


def test_a_zero_decimal_currency_is_sent_in_whole_units(
    provider: StripeProvider, stand_in: StripeStandIn
) -> None:
    create(provider, amount="2500.00", currency="JPY")

    assert stand_in.intents_created()[0].form["amount"] == "2500"
    assert stand_in.intents_created()[0].form["currency"] == "jpy"


def test_an_intent_stripe_refuses_is_a_refused_payment_naming_stripes_code(
    provider: StripeProvider, stand_in: StripeStandIn
) -> None:
    stand_in.refuse(400, "invalid_request_error", "amount_too_small")

    with pytest.raises(PaymentRefusedError, match="amount_too_small"):
        create(provider, amount="0.10")


def test_stripe_failing_is_an_unavailable_provider(provider: StripeProvider, stand_in: StripeStandIn) -> None:
    stand_in.refuse(401, "invalid_request_error")

    with pytest.raises(PaymentProviderUnavailableError):
        create(provider)


def test_an_unreachable_stripe_is_an_unavailable_provider() -> None:
    with StripeStandIn() as gone:
        url = gone.url
    provider = StripeProvider("sk_test_secret", "pk_test_public", WEBHOOK_SECRET, url)

    with pytest.raises(PaymentProviderUnavailableError):
        create(provider)


def test_a_payload_signed_as_stripe_signs_it_is_read_as_a_notice(provider: StripeProvider) -> None:
    payload = intent_event("payment_intent.succeeded", "pi_1", 3750)

    notice = provider.verify_notification(payload, stripe_signature(payload, WEBHOOK_SECRET))

    assert (notice.payment_intent_id, notice.succeeded, notice.amount) == ("pi_1", True, Decimal("37.50"))


@pytest.mark.parametrize(
    "signature",
    [
        lambda payload: stripe_signature(payload, "whsec_someone_else"),
        lambda payload: stripe_signature(payload + b" ", WEBHOOK_SECRET),
        lambda payload: stripe_signature(payload, WEBHOOK_SECRET, int(time.time()) - 3600),
        lambda payload: "t=abc,v1=00",
        lambda payload: "garbage",
    ],
    ids=["other-secret", "other-payload", "too-old", "bad-timestamp", "no-fields"],
)
def test_a_payload_whose_signature_does_not_verify_is_refused(
    provider: StripeProvider, signature: object
) -> None:
    payload = intent_event("payment_intent.succeeded", "pi_1", 3750)

    with pytest.raises(InvalidWebhookError, match="does not verify"):
        provider.verify_notification(payload, signature(payload))  # type: ignore[operator]


def test_a_payload_without_a_signature_is_refused_as_unsigned(provider: StripeProvider) -> None:
    with pytest.raises(MissingWebhookSignatureError):
        provider.verify_notification(intent_event("payment_intent.succeeded", "pi_1", 1), None)


@pytest.mark.parametrize(
    "payload",
    [b"not json", b"\xff\xfe", b"[1, 2]", b"7", b"null"],
    ids=["text", "not-utf8", "list", "number", "null"],
)
def test_a_signed_payload_that_is_no_event_is_refused(provider: StripeProvider, payload: bytes) -> None:
    with pytest.raises(InvalidWebhookError):
        provider.verify_notification(payload, stripe_signature(payload, WEBHOOK_SECRET))


def test_settings_without_stripe_keys_configure_no_provider(settings: Settings) -> None:
    assert configured_provider(settings) is None


def test_settings_with_stripe_keys_configure_stripe_without_showing_the_keys(settings: Settings) -> None:
    configured = settings.model_copy(
        update={
            "stripe_secret_key": SecretStr("sk_test_hidden"),
            "stripe_publishable_key": "pk_test_public",
            "stripe_webhook_secret": SecretStr("whsec_hidden"),
        }
    )

    provider = configured_provider(configured)

    assert isinstance(provider, StripeProvider)
    assert "hidden" not in repr(provider)
    assert "hidden" not in repr(configured)


def test_stripe_keys_are_set_together_or_not_at_all() -> None:
    with pytest.raises(ValueError, match="set together"):
        Settings(stripe_secret_key=SecretStr("sk_test_x"))
