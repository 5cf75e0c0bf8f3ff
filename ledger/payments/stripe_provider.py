"""The payment provider on Stripe: payment intents on a venue's connected account, signed webhooks."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import stripe

from domain.payments import PaymentIntent, PaymentProviderUnavailableError, PaymentRefusedError
from ledger.payments.amounts import from_minor_units, to_minor_units
from ledger.payments.provider import (
    FAILED,
    SUCCEEDED,
    InvalidWebhookError,
    MissingWebhookSignatureError,
    PaymentNotice,
)
from ledger.settings import Settings

log = logging.getLogger("ledger.payments")
TIMEOUT_SECONDS = 10.0
NETWORK_RETRIES = 2
MAX_REASON_LENGTH = 255


class StripeProvider:
    """Payments through Stripe Connect: each intent is created on the venue's connected account."""

    def __init__(
        self, secret_key: str, publishable_key: str, webhook_secret: str, api_base: str | None = None
    ) -> None:
        self._client = stripe.StripeClient(
            secret_key,
            base_addresses={"api": api_base} if api_base else {},
            max_network_retries=NETWORK_RETRIES,
            http_client=stripe.RequestsClient(timeout=TIMEOUT_SECONDS),
        )
        self._publishable_key = publishable_key
        self._webhook_secret = webhook_secret
        self.api_base = api_base

    @classmethod
    def of(cls, settings: Settings) -> StripeProvider:
        secret, publishable = settings.stripe_secret_key, settings.stripe_publishable_key
        webhook_secret = settings.stripe_webhook_secret
        if secret is None or publishable is None or webhook_secret is None:
            raise ValueError("Stripe needs its secret key, publishable key and webhook secret.")
        return cls(
            secret.get_secret_value(),
            publishable,
            webhook_secret.get_secret_value(),
            settings.stripe_api_base,
        )

    def __repr__(self) -> str:
        # Never the keys: a provider may end up in a log line or a traceback.
        return f"StripeProvider(api_base={self.api_base!r})"

    def create_payment_intent(
        self,
        amount: Decimal,
        currency: str,
        reference: str,
        metadata: Mapping[str, str],
        connected_account: str | None,
        idempotency_key: str,
    ) -> PaymentIntent:
        """A PaymentIntent for the amount in the currency's minor units, on the connected account if any."""
        options: stripe.RequestOptions = {"idempotency_key": idempotency_key}
        if connected_account is not None:
            options["stripe_account"] = connected_account
        try:
            created = self._client.v1.payment_intents.create(
                params={
                    "amount": to_minor_units(amount, currency),
                    "currency": currency.lower(),
                    "description": f"Booking {reference}",
                    "metadata": dict(metadata),
                },
                options=options,
            )
        except (stripe.InvalidRequestError, stripe.CardError, stripe.IdempotencyError) as error:
            log.warning(
                "Stripe refused a payment intent for %s: %s", reference, error.code or type(error).__name__
            )
            detail = f" ({error.code})" if error.code else ""
            raise PaymentRefusedError(f"The payment provider refused the payment{detail}.") from None
        except stripe.StripeError as error:
            log.warning("Stripe failed a payment intent for %s: %s", reference, type(error).__name__)
            raise PaymentProviderUnavailableError(
                "The payment provider is unavailable; retry later."
            ) from None
        if not created.id or not created.client_secret:
            raise PaymentProviderUnavailableError(
                "The payment provider answered an incomplete payment intent."
            )
        return PaymentIntent(
            payment_intent_id=created.id,
            client_secret=created.client_secret,
            amount=from_minor_units(created.amount, currency),
            currency=currency,
            publishable_key=self._publishable_key,
            stripe_account_id=connected_account,
        )

    def verify_notification(self, payload: bytes, signature: str | None) -> PaymentNotice:
        """The event in `payload`, verified against the `Stripe-Signature` header by the Stripe library."""
        if not signature:
            raise MissingWebhookSignatureError("The Stripe-Signature header is missing.")
        try:
            event = self._client.construct_event(payload, signature, self._webhook_secret)
        except stripe.SignatureVerificationError:
            raise InvalidWebhookError("The Stripe-Signature header does not verify this payload.") from None
        except (ValueError, TypeError, AttributeError):
            # The library reads any JSON it was given as an event; a list or a number fails inside it.
            raise InvalidWebhookError("The payload is not a Stripe event.") from None
        return notice_of(event.to_dict())


def notice_of(event: Mapping[str, Any]) -> PaymentNotice:
    """What a Stripe event (as JSON) tells about a payment intent; raises on a shape Stripe never sends."""
    event_id, event_type = event.get("id"), event.get("type")
    if not isinstance(event_id, str) or not isinstance(event_type, str):
        raise InvalidWebhookError("A Stripe event has a string id and type.")
    if event_type not in (SUCCEEDED, FAILED):
        return PaymentNotice(event_id, event_type)
    data = event.get("data")
    intent = data.get("object") if isinstance(data, Mapping) else None
    if not isinstance(intent, Mapping):
        raise InvalidWebhookError("A payment intent event carries the payment intent.")
    intent_id, currency = intent.get("id"), intent.get("currency")
    received = intent.get("amount_received") if event_type == SUCCEEDED else intent.get("amount")
    if not isinstance(intent_id, str) or not intent_id or not isinstance(currency, str):
        raise InvalidWebhookError("A payment intent has a string id and currency.")
    amount = from_minor_units(received, currency) if type(received) is int else None
    error = intent.get("last_payment_error")
    reason = ""
    if isinstance(error, Mapping):
        found = error.get("message") or error.get("code") or ""
        reason = found[:MAX_REASON_LENGTH] if isinstance(found, str) else ""
    return PaymentNotice(event_id, event_type, intent_id, event_type == SUCCEEDED, amount, reason)
