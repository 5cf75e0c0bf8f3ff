"""Router of webhook subscriptions: a client subscribes, lists, reads, deletes and re-enables its own."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID, uuid4

from fastapi import Depends, Response

from api.changes.surface import SCOPE, SURFACE
from api.changes.webhook_schemas import CreatedWebhookOut, WebhookIn, WebhookList, WebhookOut
from api.shared.auth import require_scope
from api.shared.deps import CarriesSecret, RuntimeDep, body_openapi, context_of, json_body
from api.shared.problems import PayloadTooLargeError
from domain.context import RequestContext
from domain.webhooks import InvalidWebhookUrlError, TooManyWebhooksError, WebhookNotFoundError
from ledger.webhooks.secrets import new_secret

router = SURFACE.router(prefix="/api/v1/webhooks", tags=["webhooks"])
Subscriber = require_scope(SCOPE)
Context = Annotated[RequestContext, Depends(context_of(Subscriber))]
POSITION = "X-Ledger-Position"


def _client(ctx: RequestContext) -> UUID:
    client_id = ctx.principal.client_id
    assert client_id is not None  # API keys belong to clients
    return client_id


@router.post(
    "",
    status_code=201,
    responses=SURFACE.responses(InvalidWebhookUrlError, TooManyWebhooksError, PayloadTooLargeError),
    openapi_extra=body_openapi(WebhookIn),
    dependencies=[CarriesSecret],
)
def create_webhook(
    body: Annotated[WebhookIn, Depends(json_body(WebhookIn, Subscriber))],
    ctx: Context,
    runtime: RuntimeDep,
    response: Response,
) -> CreatedWebhookOut:
    """Subscribe a URL to the client's changes. The signing secret is shown only in this answer; the ledger
    keeps it encrypted, to sign each delivery."""
    assert runtime.webhook_keys is not None
    subscription_id, secret = uuid4(), new_secret()
    sealed = runtime.webhook_keys.seal(subscription_id, secret)
    saved = runtime.ledger.subscribe_webhook(ctx, subscription_id, body.url, body.types, sealed)
    response.headers[POSITION] = str(runtime.reported_position(saved.position))
    return CreatedWebhookOut(**WebhookOut.of(saved.value).model_dump(), secret=secret)


@router.get("", responses=SURFACE.responses())
def list_webhooks(ctx: Context, runtime: RuntimeDep) -> WebhookList:
    """The client's subscriptions in the order they were made."""
    return WebhookList(webhooks=[WebhookOut.of(each) for each in runtime.ledger.webhooks(_client(ctx))])


@router.get("/{webhookId}", responses=SURFACE.responses(WebhookNotFoundError))
def get_webhook(webhookId: UUID, ctx: Context, runtime: RuntimeDep) -> WebhookOut:
    """One subscription, with why its deliveries stopped when they did."""
    return WebhookOut.of(runtime.ledger.webhook(_client(ctx), webhookId))


@router.delete(
    "/{webhookId}",
    status_code=204,
    response_class=Response,
    responses=SURFACE.responses(WebhookNotFoundError),
)
def delete_webhook(webhookId: UUID, ctx: Context, runtime: RuntimeDep) -> Response:
    """Delete the subscription: nothing more is delivered to it."""
    position = runtime.ledger.unsubscribe_webhook(ctx, webhookId)
    return Response(status_code=204, headers={POSITION: str(runtime.reported_position(position))})


@router.post("/{webhookId}/enable", responses=SURFACE.responses(WebhookNotFoundError))
def enable_webhook(webhookId: UUID, ctx: Context, runtime: RuntimeDep, response: Response) -> WebhookOut:
    """Deliver to a disabled subscription again, from the delivery where it stopped."""
    saved = runtime.ledger.enable_webhook(ctx, webhookId)
    response.headers[POSITION] = str(runtime.reported_position(saved.position))
    return WebhookOut.of(saved.value)
