"""A venue's payment account in the admin API and `ledger admin`: the connected account its payments go to."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from domain.application import Ledger
from domain.context import RequestContext
from domain.payment_setup import VenuePayment


class PaymentAccountIn(BaseModel):
    """The venue's connected account at the payment provider; null (or blank) takes online payment away."""

    model_config = ConfigDict(extra="forbid")

    stripeAccountId: str | None = Field(max_length=255, examples=["acct_1Nv0FGQ9RKHgCVdK"])


class VenuePaymentOut(BaseModel):
    """A venue's payment account as it now is."""

    venueId: UUID
    venueNumber: int | None
    stripeAccountId: str | None
    onlinePayment: bool = Field(
        description="Whether the venue takes payment online: a provider is configured and the venue has "
        "an account. Its unpaid bookings then expire after the payment hold; otherwise an operator confirms "
        "them."
    )

    @classmethod
    def of(cls, payment: VenuePayment) -> VenuePaymentOut:
        return cls(
            venueId=payment.venue.id,
            venueNumber=payment.venue.number,
            stripeAccountId=payment.stripe_account_id,
            onlinePayment=payment.online,
        )


def set_payment_account(
    ledger: Ledger, ctx: RequestContext, venue_ref: str, body: PaymentAccountIn
) -> VenuePaymentOut:
    """Set or clear the venue's (number or UUID) connected account; answers it as it now is."""
    return VenuePaymentOut.of(ledger.set_venue_payment_account(ctx, venue_ref, body.stripeAccountId).value)


def get_payment_account(ledger: Ledger, venue_ref: str) -> VenuePaymentOut:
    return VenuePaymentOut.of(ledger.venue_payment(venue_ref))
