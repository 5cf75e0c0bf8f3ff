"""Router of the client API's payments: a Stripe payment intent for your user's pending booking."""

from __future__ import annotations

from decimal import Decimal

from fastapi import Request, Response
from pydantic import BaseModel

from api.client_api.booking_reads import UserExternalIdHeader, UserIdHeader, users_booking
from api.client_api.bookings import BookingRef
from api.client_api.deps import IDEMPOTENT, ClientContext, run_idempotent, written
from api.client_api.surface import SURFACE
from api.shared.deps import RuntimeDep
from domain.payments import (
    OnlinePaymentNotConfiguredError,
    PaymentIntent,
    PaymentProviderUnavailableError,
    PaymentRefusedError,
)
from domain.resource_booking_errors import BookingNotPayableError, ResourceBookingNotFoundError

router = SURFACE.router(prefix="/api/v1/bookings", tags=["client-api payments"])
CENT = Decimal("0.01")


class PaymentIntentOut(BaseModel):
    """The seed's answer: what Stripe.js needs to complete the payment on the venue's account."""

    client_secret: str
    payment_intent_id: str
    amount: str
    currency: str
    publishable_key: str
    stripe_account_id: str | None

    @classmethod
    def of(cls, intent: PaymentIntent) -> PaymentIntentOut:
        return cls(
            client_secret=intent.client_secret,
            payment_intent_id=intent.payment_intent_id,
            amount=f"{intent.amount.quantize(CENT):f}",
            currency=intent.currency,
            publishable_key=intent.publishable_key,
            stripe_account_id=intent.stripe_account_id,
        )


@router.post(
    "/{booking_id}/create-payment-intent/",
    response_model=PaymentIntentOut,
    responses=SURFACE.responses(
        ResourceBookingNotFoundError,
        BookingNotPayableError,
        OnlinePaymentNotConfiguredError,
        PaymentRefusedError,
        PaymentProviderUnavailableError,
        *IDEMPOTENT,
    ),
)
def create_payment_intent(
    request: Request,
    booking_id: BookingRef,
    ctx: ClientContext,
    runtime: RuntimeDep,
    user_external_id: UserExternalIdHeader = None,
    user_id: UserIdHeader = None,
) -> Response:
    """A payment intent for your pending booking (with a user header, only that user's); asked again, the same
    intent. Where the venue takes no payment online, 400. Honours Idempotency-Key."""
    ledger = runtime.ledger

    def handle() -> Response:
        booking = users_booking(ledger, ctx, booking_id, user_external_id, user_id)
        saved = ledger.create_payment_intent(ctx, booking.id)
        return written(runtime, PaymentIntentOut.of(saved.value), 200, saved.position)

    return run_idempotent(request, ctx, handle, user_external_id or "", user_id or "")
