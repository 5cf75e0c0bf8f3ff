"""Helpers of the erasure tests: a tenant that may erase its users, the erasure call, and stored bytes."""

from __future__ import annotations

from typing import Any
from uuid import UUID

import httpx
import psycopg
from psycopg import sql

from ledger.runtime import Runtime
from tests.api.orders_support import BookingTenant, acting, link_new_user
from tests.support import ALL_PARTNER_SCOPES, make_tenant

ERASURE_SCOPES = [*ALL_PARTNER_SCOPES, "bookings:read", "bookings:write", "orders:write", "users:write"]
ERASED = "[erased]"


def make_erasing_tenant(http: httpx.Client, admin_headers: dict[str, str], *extra: str) -> BookingTenant:
    """A partner client with the court-booking, booking and `users:write` scopes, a coach and an athlete."""
    tenant = make_tenant(http, admin_headers, scopes=[*ERASURE_SCOPES, *extra])
    return BookingTenant(tenant, link_new_user(tenant))


def erase(
    booking_tenant: BookingTenant, user_id: str | None = None, acting_as: str | None = None
) -> httpx.Response:
    """DELETE /api/v1/users/data, acting for `acting_as` (the athlete unless given); not checked."""
    params = {"userId": user_id} if user_id is not None else {}
    headers = acting(booking_tenant.tenant, acting_as)
    return booking_tenant.http.delete("/api/v1/users/data", params=params, headers=headers)


def email_of(runtime: Runtime, user_id: str) -> str:
    """The user's email as the ledger reads it now (its own aggregate)."""
    return runtime.ledger.user(UUID(user_id)).email


def stored_states(runtime: Runtime, stream: str | UUID) -> list[bytes]:
    """The stored bytes of a stream's events, as the events table holds them."""
    recorder: Any = runtime.ledger.recorder
    table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
    query = sql.SQL("SELECT state FROM {} WHERE originator_id = %s ORDER BY originator_version").format(table)
    with psycopg.connect(runtime.database_url) as conn:
        return [bytes(row[0]) for row in conn.execute(query, (UUID(str(stream)),)).fetchall()]


def position_of(response: httpx.Response) -> str:
    return response.headers["X-Ledger-Position"]


def participants_of(body: dict[str, Any]) -> list[dict[str, Any]]:
    return list(body["participants"])
