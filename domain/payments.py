"""The payment provider as the domain sees it: a port that creates payment intents, and its errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Protocol

from domain.errors import ConflictError, InvalidInputError, LedgerError


@dataclass(frozen=True)
class PaymentIntent:
    """A payment the provider is ready to take: the client completes it with `client_secret`.

    `amount` is in the currency's major units (`37.50`); `stripe_account_id` is the venue's connected
    account that receives the money.
    """

    payment_intent_id: str
    client_secret: str
    amount: Decimal
    currency: str
    publishable_key: str
    stripe_account_id: str | None


class PaymentGateway(Protocol):
    """What the domain needs of a payment provider: a payment intent for an amount owed to a venue."""

    def create_payment_intent(
        self,
        amount: Decimal,
        currency: str,
        reference: str,
        metadata: Mapping[str, str],
        connected_account: str | None,
        idempotency_key: str,
    ) -> PaymentIntent:
        """A payment intent for `amount` (major units) of `currency`, described by `reference`.

        The same `idempotency_key` answers the same intent again, so a retried request never makes a
        second one. Raises `PaymentRefusedError` or `PaymentProviderUnavailableError`.
        """
        ...


class OnlinePaymentNotConfiguredError(InvalidInputError):
    """Raised when a payment is asked for at a venue that takes no payment online (no provider or account)."""


class PaymentRefusedError(InvalidInputError):
    """Raised when the payment provider refuses to create a payment, e.g. for an amount below its minimum."""


class PaymentProviderUnavailableError(LedgerError):
    """Raised when the payment provider cannot be reached or fails; the same request may be sent again."""


class InvalidPaymentAccountError(InvalidInputError):
    """Raised when a connected account id is not `acct_` followed by letters and digits."""


class PaymentIntentTakenError(ConflictError):
    """Raised when the provider answers a payment intent that is already recorded for another booking."""
