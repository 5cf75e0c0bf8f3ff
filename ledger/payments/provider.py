"""The payment provider interface: payment intents (the domain's port) and verified notifications."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from domain.errors import InvalidInputError, LedgerError
from domain.payments import PaymentGateway
from domain.payments import PaymentIntent as PaymentIntent
from ledger.settings import Settings

SUCCEEDED, FAILED = "payment_intent.succeeded", "payment_intent.payment_failed"


@dataclass(frozen=True)
class PaymentNotice:
    """A verified notification of the provider. `succeeded` is None for kinds of event the ledger ignores."""

    event_id: str
    event_type: str
    payment_intent_id: str | None = None
    succeeded: bool | None = None
    amount: Decimal | None = None
    reason: str = ""


class MissingWebhookSignatureError(LedgerError):
    """Raised when a notification arrives without the provider's signature header."""


class InvalidWebhookError(InvalidInputError):
    """Raised when a notification's signature does not verify, or its payload is not an event."""


class PaymentsNotConfiguredError(LedgerError):
    """Raised when a notification arrives while no payment provider is configured."""


class PaymentProvider(PaymentGateway, Protocol):
    """A payment provider: it creates payment intents and signs the notifications it sends about them."""

    def verify_notification(self, payload: bytes, signature: str | None) -> PaymentNotice:
        """The notification in `payload`, once `signature` (the provider's header) proves it is the
        provider's. Raises `MissingWebhookSignatureError` or `InvalidWebhookError`."""
        ...


def configured_provider(settings: Settings) -> PaymentProvider | None:
    """The provider the settings configure: Stripe when its keys are set, otherwise none."""
    if settings.stripe_secret_key is None:
        return None
    # Imported here, so that a ledger without online payment never loads the Stripe library.
    from ledger.payments.stripe_provider import StripeProvider

    return StripeProvider.of(settings)
