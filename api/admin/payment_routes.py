"""Router of the admin API's venue payment accounts: where a venue's online payments go."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path

from api.admin.deps import AdminContext, admin_context
from api.admin.surface import SURFACE
from api.shared.deps import RuntimeDep, body_openapi, json_body
from api.shared.problems import PayloadTooLargeError
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
    responses=SURFACE.responses(VenueNotFoundError, InvalidPaymentAccountError, PayloadTooLargeError),
    openapi_extra=body_openapi(PaymentAccountIn),
)
def put_payment_account(
    venueId: VenueRef,
    body: Annotated[PaymentAccountIn, Depends(json_body(PaymentAccountIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> VenuePaymentOut:
    """Set (or clear, with null) the Stripe connected account that receives the venue's online payments.

    With a payment provider configured, a venue with an account takes payment online: its unpaid bookings
    expire after the payment hold. Without one, its bookings stay pending until an operator confirms them.
    """
    return set_payment_account(runtime.ledger, ctx, venueId, body)


@router.get("/venues/{venueId}/payment-account", responses=SURFACE.responses(VenueNotFoundError))
def read_payment_account(venueId: VenueRef, ctx: AdminContext, runtime: RuntimeDep) -> VenuePaymentOut:
    """The venue's connected account, and whether it takes payment online."""
    return get_payment_account(runtime.ledger, venueId)
