"""Commands of webhook subscriptions: a client subscribes, lists, deletes and re-enables its own; the
delivery worker disables one that keeps failing."""

from __future__ import annotations

from uuid import UUID

from domain.app_base import LedgerBase, Saved
from domain.context import RequestContext
from domain.errors import AccessDeniedError
from domain.webhooks import (
    ClientWebhooks,
    WebhookNotFoundError,
    WebhookSubscription,
    check_webhook_url,
    client_webhooks_id,
)


class WebhookCommands(LedgerBase):
    """A client's webhook subscriptions, all in its one `ClientWebhooks` aggregate."""

    webhook_loopback_allowed = False
    """Whether subscriptions may name loopback addresses: for local development only (a setting)."""

    def subscribe_webhook(
        self,
        ctx: RequestContext,
        subscription_id: UUID,
        url: str,
        types: list[str],
        secret_ciphertext: str,
    ) -> Saved[WebhookSubscription]:
        """A new subscription of the calling client; its secret comes encrypted for this subscription id."""
        client_id = self._calling_client(ctx)
        checked = check_webhook_url(url, self.webhook_loopback_allowed)

        def attempt() -> Saved[WebhookSubscription]:
            meta = ctx.meta()
            webhooks = self._webhooks_of(client_id) or ClientWebhooks(client_id=client_id, meta=meta)
            webhooks.subscribe(subscription_id, checked, types, secret_ciphertext, meta)
            position = self.save_all(webhooks)
            return Saved(webhooks.get(subscription_id), created=True, position=position)

        return self.with_retry(attempt)

    def unsubscribe_webhook(self, ctx: RequestContext, subscription_id: UUID) -> int | None:
        """Delete one of the calling client's subscriptions; returns the position of the change."""
        client_id = self._calling_client(ctx)

        def attempt() -> int | None:
            webhooks = self._existing_webhooks(client_id, subscription_id)
            webhooks.unsubscribe(subscription_id, ctx.meta())
            return self.save_all(webhooks)

        return self.with_retry(attempt)

    def enable_webhook(self, ctx: RequestContext, subscription_id: UUID) -> Saved[WebhookSubscription]:
        """Deliver to a disabled subscription again, from where its deliveries stopped."""
        client_id = self._calling_client(ctx)

        def attempt() -> Saved[WebhookSubscription]:
            webhooks = self._existing_webhooks(client_id, subscription_id)
            changed = webhooks.enable(subscription_id, ctx.meta())
            position = self.save_all(webhooks) if changed else None
            return Saved(webhooks.get(subscription_id), position=position)

        return self.with_retry(attempt)

    def disable_webhook(
        self, ctx: RequestContext, client_id: UUID, subscription_id: UUID, reason: str
    ) -> int | None:
        """Stop delivering to a subscription, saying why (the delivery worker's command); None when it is
        gone or disabled already."""

        def attempt() -> int | None:
            webhooks = self._webhooks_of(client_id)
            if webhooks is None or not webhooks.disable(subscription_id, reason, ctx.meta()):
                return None
            return self.save_all(webhooks)

        return self.with_retry(attempt)

    def request_webhook_redelivery(
        self, ctx: RequestContext, subscription_id: UUID, delivery_id: UUID
    ) -> int:
        """Queue a delivery of the calling client's subscription once more; returns the request's position."""
        client_id = self._calling_client(ctx)

        def attempt() -> int:
            webhooks = self._existing_webhooks(client_id, subscription_id)
            webhooks.request_redelivery(subscription_id, delivery_id, ctx.meta())
            position = self.save_all(webhooks)
            assert position is not None
            return position

        return self.with_retry(attempt)

    def webhooks(self, client_id: UUID) -> list[WebhookSubscription]:
        """The client's subscriptions in the order they were made."""
        webhooks = self._webhooks_of(client_id)
        return list(webhooks.subscriptions.values()) if webhooks is not None else []

    def webhook(self, client_id: UUID, subscription_id: UUID) -> WebhookSubscription:
        return self._existing_webhooks(client_id, subscription_id).get(subscription_id)

    def _webhooks_of(self, client_id: UUID) -> ClientWebhooks | None:
        return self.find(client_webhooks_id(client_id), ClientWebhooks)

    def _existing_webhooks(self, client_id: UUID, subscription_id: UUID) -> ClientWebhooks:
        webhooks = self._webhooks_of(client_id)
        if webhooks is None or subscription_id not in webhooks.subscriptions:
            raise WebhookNotFoundError(f"Webhook {subscription_id} was not found.")
        return webhooks

    @staticmethod
    def _calling_client(ctx: RequestContext) -> UUID:
        client_id = ctx.principal.client_id
        if client_id is None:
            raise AccessDeniedError("Webhooks belong to clients; call with a client's API key.")
        return client_id
