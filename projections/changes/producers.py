"""Producers of webhook deliveries: each maps events of the log to destinations and queued deliveries.

Adding a producer (notification rules, say) is one module of handlers that call `projections.changes.outbox`
(`destination`, `destination_active`, `drop_destination`, `enqueue`) and one line in PRODUCERS; the delivery
worker delivers whatever is queued, whoever queued it.
"""

from __future__ import annotations

from collections.abc import Mapping

from projections.changes.notifications import NOTIFICATION_HANDLERS
from projections.changes.subscriptions import SUBSCRIPTION_HANDLERS
from projections.tables import Handler

PRODUCERS: tuple[Mapping[type, Handler], ...] = (SUBSCRIPTION_HANDLERS, NOTIFICATION_HANDLERS)
"""Clients' webhook subscriptions, as destinations of their changes; notification rules, as notifications of
bookings queued to those subscriptions or sent by email."""
