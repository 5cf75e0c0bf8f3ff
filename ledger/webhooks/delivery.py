"""Wiring of webhook delivery into the runtime: the worker, and how it disables a failing subscription."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from uuid import UUID, uuid4

from domain.application import Ledger
from domain.context import Principal, RequestContext
from domain.user import User
from ledger.settings import Settings
from ledger.webhooks.email import EmailTransport, SmtpServer, no_smtp_server
from ledger.webhooks.lanes import Disabler, Transport
from ledger.webhooks.policy import DeliveryPolicy
from ledger.webhooks.secrets import WebhookSecretKeys
from ledger.webhooks.store import Destination, Tables
from ledger.webhooks.worker import DeliveryWorker
from projections.changes.notifications import EMAIL_DESTINATION
from projections.changes.outbox import SUBSCRIPTION
from projections.changes.view import ChangesView

DELIVERY = Principal(id="webhook-delivery", kind="system")


def subscription_disabler(ledger: Ledger, clock: Callable[[], datetime]) -> Disabler:
    """Disable a client's subscription by a command, so the reason is in the log and shown to the client."""

    def disable(destination: Destination, reason: str) -> None:
        if destination.client_id is None:
            return
        ctx = RequestContext(DELIVERY, clock(), f"webhook-delivery-{uuid4().hex}")
        ledger.disable_webhook(ctx, destination.client_id, destination.destination_id, reason)

    return disable


def delivery_worker(
    settings: Settings,
    database_url: str,
    ledger: Ledger,
    view: ChangesView,
    keys: WebhookSecretKeys,
    clock: Callable[[], datetime],
) -> DeliveryWorker:
    """The worker of this runtime; another producer's kind of destination adds its disabler here."""
    return DeliveryWorker(
        database_url,
        settings.db_schema,
        Tables.of(view),
        keys,
        DeliveryPolicy.of(settings),
        clock,
        {SUBSCRIPTION: subscription_disabler(ledger, clock)},
        settings.connect_timeout,
        email_transports(settings, ledger),
        settings.webhook_poll_seconds,
    )


def email_transports(settings: Settings, ledger: Ledger) -> dict[str, Transport]:
    """Email rules' deliveries go by SMTP, to the addresses the ledger holds now; without a server they wait,
    retried, for a process that has one (the rules were made where one was configured)."""
    server = SmtpServer.of(settings)
    if server is None:
        return {EMAIL_DESTINATION: no_smtp_server}

    def address(user_id: UUID) -> str | None:
        user = ledger.find(user_id, User)
        return user.email if user is not None else None

    return {EMAIL_DESTINATION: EmailTransport(server, address)}
