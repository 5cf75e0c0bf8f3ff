"""Router of the admin API's venue payment accounts: where a venue's online payments go."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path

from api.admin.deps import Admin, admin_body
from api.admin.surface import SURFACE, with_body
from domain.organization import VenueNotFoundError
from domain.payments import InvalidPaymentAccountError
from ledger.admin.payment_accounts import (
    PaymentAccountIn,
    VenuePaymentOut,
    get_payment_account,
    set_payment_account,
)

router = SURFACE.router(prefix="/api/v1/admin", tags=["admin"])
VenueRef = Annotated[str, Path(max_length=64, description="The venue's UUID or its integer number.")]


@router.put(
    "/venues/{venueId}/payment-account",
    **with_body(PaymentAccountIn, VenueNotFoundError, InvalidPaymentAccountError),
)
def put_payment_account(
    venueId: VenueRef, body: Annotated[PaymentAccountIn, admin_body(PaymentAccountIn)], admin: Admin
) -> VenuePaymentOut:
    """Set (or clear, with null) the Stripe connected account that receives the venue's online payments.

    With a payment provider configured, a venue with an account takes payment online: its unpaid bookings
    expire after the payment hold. Without one, its bookings stay pending until an operator confirms them.
    """
    return set_payment_account(admin.ledger, admin.ctx, venueId, body)


@router.get("/venues/{venueId}/payment-account", responses=SURFACE.responses(VenueNotFoundError))
def read_payment_account(venueId: VenueRef, admin: Admin) -> VenuePaymentOut:
    """The venue's connected account, and whether it takes payment online."""
    return get_payment_account(admin.ledger, venueId)
