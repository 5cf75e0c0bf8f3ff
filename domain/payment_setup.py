"""How the ledger takes payment online: its payment provider, the hold on unpaid bookings, venue accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from domain.app_base import Saved
from domain.context import RequestContext
from domain.ids import venue_payment_account_id
from domain.lookups import Lookups
from domain.organization import Venue
from domain.payment_records import VenuePaymentAccount
from domain.payments import PaymentGateway

DEFAULT_PAYMENT_HOLD = timedelta(minutes=15)


@dataclass(frozen=True)
class VenuePayment:
    """A venue's connected account, and whether it takes payment online (a provider and an account)."""

    venue: Venue
    stripe_account_id: str | None
    online: bool


class PaymentSetup(Lookups):
    """The payment provider (none: no venue takes payment online) and the connected account of each venue.

    Where a venue takes payment online, a booking that costs something must be paid within `payment_hold`,
    or it may be expired; elsewhere a booking stays pending until an operator confirms it.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Set by whoever opens the ledger: the domain knows the provider only through this port.
        self.payments: PaymentGateway | None = None
        self.payment_hold = DEFAULT_PAYMENT_HOLD

    def payment_account_of(self, venue_id: UUID) -> str | None:
        """The venue's connected account, or None when it has none."""
        account = self.find(venue_payment_account_id(venue_id), VenuePaymentAccount)
        return account.stripe_account_id if account is not None else None

    def venue_payment(self, venue_ref: str | int | UUID) -> VenuePayment:
        """The venue (number or UUID) with its connected account and whether it takes payment online."""
        venue = self.resolve_venue(venue_ref)
        account = self.payment_account_of(venue.id)
        return VenuePayment(venue, account, self.payments is not None and account is not None)

    def set_venue_payment_account(
        self, ctx: RequestContext, venue_ref: str | int | UUID, stripe_account_id: str | None
    ) -> Saved[VenuePayment]:
        """Set (or clear, with None) the connected account that receives the venue's online payments."""

        def attempt() -> Saved[VenuePayment]:
            venue = self.resolve_venue(venue_ref)
            account = self.find(venue_payment_account_id(venue.id), VenuePaymentAccount)
            if account is None:
                account = VenuePaymentAccount.register(venue.id, stripe_account_id, ctx.meta())
                position = self.save_all(account)
            else:
                position = self.save_all(account) if account.change(stripe_account_id, ctx.meta()) else None
            online = self.payments is not None and account.stripe_account_id is not None
            return Saved(VenuePayment(venue, account.stripe_account_id, online), position=position)

        return self.with_retry(attempt)

    def payment_due_by(self, venue_id: UUID, now: datetime, price: Decimal) -> datetime | None:
        """When an unpaid booking of the venue made `now` for `price` may be expired; None if never."""
        if price == 0 or self.payments is None or self.payment_account_of(venue_id) is None:
            return None
        return now + self.payment_hold
