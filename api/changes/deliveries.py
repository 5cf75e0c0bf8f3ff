"""Router of a subscription's delivery log and of manual redelivery."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated
from uuid import UUID

from fastapi import Depends, Query, Response
from pydantic import BaseModel, Field

from api.changes.params import decode_cursor, encode_cursor
from api.changes.surface import SCOPE, SURFACE, DeliveryNotFoundError
from api.shared.auth import require_scope
from api.shared.deps import RuntimeDep, context_of
from domain.context import RequestContext, format_instant
from domain.webhooks import WebhookNotFoundError
from ledger.runtime import Runtime
from ledger.webhooks.log import DeliveryLog, LoggedDelivery

router = SURFACE.router(prefix="/api/v1/webhooks", tags=["webhooks"])
Context = Annotated[RequestContext, Depends(context_of(require_scope(SCOPE)))]


class DeliveryOut(BaseModel):
    deliveryId: UUID = Field(description="Sent as X-Ledger-Delivery; a redelivery keeps it.")
    position: int = Field(description="The ledger position that queued it: deliveries go in this order.")
    type: str = Field(examples=["court_booking.canceled"])
    redelivery: bool
    status: str = Field(description="`pending`, `sending`, `delivered` or `retrying`.")
    attempts: int
    lastResponseCode: int | None
    lastError: str | None
    lastAttemptAt: str | None
    nextAttemptAt: str | None
    deliveredAt: str | None
    queuedAt: str

    @classmethod
    def of(cls, logged: LoggedDelivery) -> DeliveryOut:
        def instant(moment: datetime | None) -> str | None:
            return format_instant(moment) if moment is not None else None

        return cls(
            deliveryId=logged.delivery_id, position=logged.position, type=logged.event_type,
            redelivery=logged.redelivery, status=logged.status, attempts=logged.attempts,
            lastResponseCode=logged.last_response_code, lastError=logged.last_error,
            lastAttemptAt=instant(logged.last_attempt_at), nextAttemptAt=instant(logged.next_attempt_at),
            deliveredAt=instant(logged.delivered_at), queuedAt=format_instant(logged.created_at),
        )  # fmt: skip


class DeliveryPage(BaseModel):
    deliveries: list[DeliveryOut] = Field(description="Newest first.")
    next: str | None = Field(description="Pass as `before` for older deliveries; null at the oldest.")


class RedeliveryOut(BaseModel):
    deliveryId: UUID
    queued: bool = Field(description="Queued after what the subscription has waiting now.")


def _log(runtime: Runtime) -> DeliveryLog:
    assert runtime.delivery_log is not None
    return runtime.delivery_log


def _subscription(runtime: Runtime, ctx: RequestContext, webhook_id: UUID) -> None:
    """The calling client's subscription, or a 404 exactly as for one that does not exist."""
    assert ctx.principal.client_id is not None
    runtime.ledger.webhook(ctx.principal.client_id, webhook_id)


@router.get("/{webhookId}/deliveries", responses=SURFACE.responses(WebhookNotFoundError))
def list_deliveries(
    webhookId: UUID,
    ctx: Context,
    runtime: RuntimeDep,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    before: Annotated[str | None, Query(description="The `next` of the previous page.")] = None,
) -> DeliveryPage:
    """The subscription's delivery log, newest first: each delivery's status, attempts and last answer."""
    _subscription(runtime, ctx, webhookId)
    cursor = decode_cursor(before, "before") if before is not None else None
    logged = _log(runtime).deliveries(webhookId, cursor, limit)
    more = len(logged) == limit
    return DeliveryPage(
        deliveries=[DeliveryOut.of(each) for each in logged],
        next=encode_cursor(*logged[-1].cursor) if more else None,
    )


@router.post(
    "/{webhookId}/deliveries/{deliveryId}/redeliver",
    status_code=202,
    responses=SURFACE.responses(WebhookNotFoundError, DeliveryNotFoundError),
)
def redeliver(
    webhookId: UUID, deliveryId: UUID, ctx: Context, runtime: RuntimeDep, response: Response
) -> RedeliveryOut:
    """Deliver one delivery again, with its id and body, after what the subscription has queued now."""
    _subscription(runtime, ctx, webhookId)
    if not _log(runtime).has_delivery(webhookId, deliveryId):
        raise DeliveryNotFoundError(f"Delivery {deliveryId} of webhook {webhookId} was not found.")
    position = runtime.ledger.request_webhook_redelivery(ctx, webhookId, deliveryId)
    response.headers["X-Ledger-Position"] = str(position)
    return RedeliveryOut(deliveryId=deliveryId, queued=True)
