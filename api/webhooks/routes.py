"""Router of the payment webhooks: Stripe's notifications of payment intents, verified and recorded."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from api.shared.auth import authenticated
from api.shared.deps import RuntimeDep, context_of
from api.shared.problems import PayloadTooLargeError
from api.webhooks.surface import SIGNATURE_HEADER, SURFACE
from domain.context import RequestContext
from ledger.payments.provider import InvalidWebhookError, PaymentProvider, PaymentsNotConfiguredError
from ledger.runtime import Runtime

router = SURFACE.router(tags=["payment webhooks"])
ProviderContext = Annotated[RequestContext, Depends(context_of(authenticated))]
EVENT_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "A Stripe event as Stripe sent it; the signature covers its bytes.",
                }
            }
        },
    }
}


class WebhookReceipt(BaseModel):
    """The notification was verified; `recorded` tells whether it changed a booking."""

    received: bool
    recorded: bool = Field(
        description="False for a repeated notification, another kind of event, or an intent of no booking."
    )


def record(
    runtime: Runtime, provider: PaymentProvider, ctx: RequestContext, payload: bytes, signature: str | None
) -> tuple[WebhookReceipt, int]:
    """The receipt of a verified notification, and the ledger position to report."""
    notice = provider.verify_notification(payload, signature)
    position = None
    if notice.succeeded is not None and notice.payment_intent_id is not None:
        ctx = replace(ctx, extra={**ctx.extra, "providerEventId": notice.event_id})
        saved = runtime.ledger.record_intent_payment(
            ctx, notice.payment_intent_id, notice.succeeded, notice.amount, notice.reason
        )
        position = saved.position if saved is not None else None
    return WebhookReceipt(received=True, recorded=position is not None), runtime.reported_position(position)


@router.post(
    "/webhooks/stripe",
    responses=SURFACE.responses(InvalidWebhookError, PaymentsNotConfiguredError, PayloadTooLargeError),
    openapi_extra=EVENT_BODY,
)
async def stripe_webhook(
    request: Request, response: Response, ctx: ProviderContext, runtime: RuntimeDep
) -> WebhookReceipt:
    """Record a payment intent's success (the booking is confirmed) or failure, once the `Stripe-Signature`
    header verifies the payload. Stripe's retries of a notification record nothing more; other kinds of event
    are acknowledged and ignored.
    """
    provider = runtime.payments
    if provider is None:
        raise PaymentsNotConfiguredError("Online payment is not configured; no notification is expected.")
    payload = await request.body()
    signature = request.headers.get(SIGNATURE_HEADER)
    receipt, position = await run_in_threadpool(record, runtime, provider, ctx, payload, signature)
    response.headers["X-Ledger-Position"] = str(position)
    return receipt
