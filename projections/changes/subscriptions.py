"""The first producer of deliveries: clients' webhook subscriptions, as destinations of their changes."""

from __future__ import annotations

from typing import Any

from domain.webhooks import ClientWebhooks
from projections.changes.outbox import (
    SUBSCRIPTION,
    destination,
    destination_active,
    drop_destination,
    requeue,
)
from projections.rows import Statement
from projections.tables import Handler, Targets


def _subscribed(event: ClientWebhooks.Subscribed, position: int, targets: Targets) -> list[Statement]:
    return [
        destination(
            targets,
            event.subscription_id,
            SUBSCRIPTION,
            event.url,
            event.secret_ciphertext,
            position,
            client_id=event.client_id,
            types=event.types,
        )
    ]


def _unsubscribed(event: ClientWebhooks.Unsubscribed, position: int, targets: Targets) -> list[Statement]:
    return drop_destination(targets, event.subscription_id)


def _active(active: bool) -> Handler:
    def handle(event: Any, position: int, targets: Targets) -> list[Statement]:
        return [destination_active(targets, event.subscription_id, active)]

    return handle


def _redelivery(
    event: ClientWebhooks.RedeliveryRequested, position: int, targets: Targets
) -> list[Statement]:
    return [requeue(targets, event.subscription_id, event.delivery_id, position, event.recorded_at)]


SUBSCRIPTION_HANDLERS: dict[type, Handler] = {
    ClientWebhooks.Subscribed: _subscribed,
    ClientWebhooks.Unsubscribed: _unsubscribed,
    ClientWebhooks.Disabled: _active(False),
    ClientWebhooks.Enabled: _active(True),
    ClientWebhooks.RedeliveryRequested: _redelivery,
}
