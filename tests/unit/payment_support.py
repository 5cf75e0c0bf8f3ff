"""Givens for payment tests without a database: a recording payment gateway and a club that takes payment."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from domain.payments import PaymentIntent
from tests.unit.resource_booking_support import Club, admin_context

ACCOUNT = "acct_1VenueAccount"


@dataclass
class RecordingGateway:
    """A payment gateway double: answers one intent per idempotency key and records each call's arguments."""

    calls: list[dict[str, Any]] = field(default_factory=list)
    intents: dict[str, PaymentIntent] = field(default_factory=dict)

    def create_payment_intent(
        self,
        amount: Decimal,
        currency: str,
        reference: str,
        metadata: Mapping[str, str],
        connected_account: str | None,
        idempotency_key: str,
    ) -> PaymentIntent:
        self.calls.append(
            {
                "amount": amount,
                "currency": currency,
                "reference": reference,
                "metadata": dict(metadata),
                "connected_account": connected_account,
                "idempotency_key": idempotency_key,
            }
        )
        number = len(self.intents) + 1
        return self.intents.setdefault(
            idempotency_key,
            PaymentIntent(
                f"pi_{number}", f"pi_{number}_secret", amount, currency, "pk_test", connected_account
            ),
        )


def paying_club(account: str | None = ACCOUNT) -> tuple[Club, RecordingGateway]:
    """Given: a club whose ledger has a payment provider, and whose venue has `account` (None: no account)."""
    club, gateway = Club(), RecordingGateway()
    club.ledger.payments = gateway
    if account is not None:
        club.ledger.set_venue_payment_account(admin_context(), club.venue.id, account)
    return club, gateway
