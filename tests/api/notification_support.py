"""Helpers of the notification tests: rules through the admin API, the cron endpoint, queued notifications."""

from __future__ import annotations

from typing import Any

import httpx
from psycopg import sql

from ledger.runtime import Runtime
from projections.changes.notifications import CLAIMS
from projections.changes.outbox import OUTBOX
from tests.api.orders_support import BOOKING_SCOPES, BookingTenant, make_booking_tenant
from tests.support import Tenant, expect

SEND = "/api/v1/notifications/send"
NOTIFYING = [*BOOKING_SCOPES, "changes:read", "notifications:send"]
NOTHING = {"due": 0, "enqueued": 0, "alreadySent": 0, "skipped": 0, "pending": 0, "hasMore": False}


def shop_of(http: httpx.Client, admin_headers: dict[str, str]) -> BookingTenant:
    """A client that books, reads its changes and runs the notifications cron, with a coach and an athlete."""
    return make_booking_tenant(http, admin_headers, scopes=NOTIFYING)


def accept(shop: BookingTenant, booking_id: str) -> None:
    expect(shop.http.post(f"/api/v1/bookings/{booking_id}/accept", headers=shop.acting(shop.coach_id)), 200)


def rules_path(client_id: str) -> str:
    return f"/api/v1/admin/clients/{client_id}/notification-rules"


def add_rule(
    tenant: Tenant,
    trigger: str = "booking.accepted",
    audience: str = "both",
    channel: str = "webhook",
    **more: Any,
) -> dict[str, Any]:
    """A rule of the tenant's client, added through the admin API."""
    body = {"trigger": trigger, "audience": audience, "channel": channel, **more}
    response = tenant.http.post(rules_path(tenant.client_id), json=body, headers=tenant.admin_headers)
    created: dict[str, Any] = expect(response, 201)
    return created


def send(http: httpx.Client, headers: dict[str, str]) -> dict[str, Any]:
    """One call of the cron endpoint, which must answer 200; its counts."""
    answered: dict[str, Any] = expect(http.post(SEND, headers=headers), 200)
    return answered


def queued_notifications(runtime: Runtime, booking_id: str) -> list[dict[str, Any]]:
    """The outbox rows of notifications about the booking, in order."""
    view = runtime.changes
    query = sql.SQL(
        "SELECT destination_id, position, part, event_type, body FROM {} WHERE entity_id = %s "
        "AND event_type LIKE 'notification.%%' ORDER BY position, part, destination_id"
    ).format(view.table(OUTBOX))
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(query, (booking_id,))
        return list(curs.fetchall())


def claims_of(runtime: Runtime, rule_id: str) -> list[dict[str, Any]]:
    """The (rule, booking) pairs claimed for the rule, with the position of the run that claimed each."""
    view = runtime.changes
    query = sql.SQL("SELECT booking_id, position FROM {} WHERE rule_id = %s ORDER BY booking_id").format(
        view.table(CLAIMS)
    )
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(query, (rule_id,))
        return list(curs.fetchall())
