"""Payment records: a venue's connected account at the provider, and which booking a payment intent pays."""

from __future__ import annotations

import re
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.ids import payment_intent_index_id, venue_payment_account_id
from domain.payments import InvalidPaymentAccountError

_ACCOUNT = re.compile(r"acct_[A-Za-z0-9]{1,250}")


def checked_account(account: str | None) -> str | None:
    """A connected account id (`acct_...`), or None (blank too) for none."""
    if account is None or not account.strip():
        return None
    if not _ACCOUNT.fullmatch(account.strip()):
        raise InvalidPaymentAccountError(
            "stripeAccountId must be a connected account id such as acct_1A2b3C.", field="stripeAccountId"
        )
    return account.strip()


class VenuePaymentAccount(LedgerAggregate):
    """Where a venue's online payments go; a venue with no account takes no payment online."""

    class Registered(LedgerAggregate.Created):
        venue_id: UUID
        stripe_account_id: str | None

    class AccountChanged(LedgerAggregate.Event):
        stripe_account_id: str | None

    @classmethod
    def register(cls, venue_id: UUID, account: str | None, meta: dict[str, str]) -> VenuePaymentAccount:
        return cls(venue_id=venue_id, stripe_account_id=checked_account(account), meta=meta)

    @staticmethod
    def create_id(venue_id: UUID, **_: object) -> UUID:
        return venue_payment_account_id(venue_id)

    @event(Registered)
    def __init__(self, venue_id: UUID, stripe_account_id: str | None, meta: dict[str, str]) -> None:
        self.venue_id = venue_id
        self.stripe_account_id = stripe_account_id

    def change(self, account: str | None, meta: dict[str, str]) -> bool:
        """Set or clear (None) the connected account; records only a change, and whether it did."""
        checked = checked_account(account)
        if checked == self.stripe_account_id:
            return False
        self._change(stripe_account_id=checked, meta=meta)
        return True

    @event(AccountChanged)
    def _change(self, stripe_account_id: str | None, meta: dict[str, str]) -> None:
        self.stripe_account_id = stripe_account_id


class PaymentIntentIndex(LedgerAggregate):
    """One payment intent of the provider and the booking it pays for, so a notification finds the booking."""

    class Claimed(LedgerAggregate.Created):
        payment_intent_id: str
        booking_id: UUID
        amount: str
        currency: str

    @classmethod
    def claim(
        cls, payment_intent_id: str, booking_id: UUID, amount: str, currency: str, meta: dict[str, str]
    ) -> PaymentIntentIndex:
        return cls(
            payment_intent_id=payment_intent_id,
            booking_id=booking_id,
            amount=amount,
            currency=currency,
            meta=meta,
        )

    @staticmethod
    def create_id(payment_intent_id: str, **_: object) -> UUID:
        return payment_intent_index_id(payment_intent_id)

    @event(Claimed)
    def __init__(
        self, payment_intent_id: str, booking_id: UUID, amount: str, currency: str, meta: dict[str, str]
    ) -> None:
        self.payment_intent_id = payment_intent_id
        self.booking_id = booking_id
        self.amount = amount
        self.currency = currency
