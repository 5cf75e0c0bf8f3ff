"""Helpers for the bookings-and-orders API tests: a tenant with a coach and an athlete, events, orders."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx

from tests.support import Tenant, expect, instant, make_tenant, random_day

BOOKING_SCOPES = ["bookings:read", "bookings:write", "orders:write"]
ACTING_USER = "x-current-user-id"


@dataclass(frozen=True)
class BookingTenant:
    """A client with the bookings scopes, one coach and one athlete (`tenant.user_id`), both linked to it."""

    tenant: Tenant
    coach_id: str

    @property
    def http(self) -> httpx.Client:
        return self.tenant.http

    @property
    def athlete_id(self) -> str:
        return self.tenant.user_id

    def acting(self, user_id: str | None = None) -> dict[str, str]:
        """The client's key, acting for `user_id` (the athlete unless given)."""
        return {**self.tenant.headers, ACTING_USER: user_id or self.athlete_id}

    def link_new_user(self) -> str:
        """Create another user linked to this client; returns its id."""
        return link_new_user(self.tenant)


def link_new_user(tenant: Tenant) -> str:
    """Create a user through the admin API and link it to the tenant's client; returns its id."""
    email = f"user-{uuid.uuid4().hex[:10]}@example.com"
    user = expect(
        tenant.http.post("/api/v1/admin/users", json={"email": email}, headers=tenant.admin_headers), 201
    )
    link = {"userId": user["id"]}
    path = f"/api/v1/admin/clients/{tenant.client_id}/users"
    expect(tenant.http.post(path, json=link, headers=tenant.admin_headers), 201)
    return str(user["id"])


def make_booking_tenant(
    http: httpx.Client, admin_headers: dict[str, str], scopes: list[str] | None = None
) -> BookingTenant:
    """A fresh tenant (see `make_tenant`) with the bookings scopes, plus a coach linked to its client."""
    tenant = make_tenant(http, admin_headers, scopes=scopes or BOOKING_SCOPES)
    return BookingTenant(tenant, link_new_user(tenant))


def schedule_event(
    booking_tenant: BookingTenant, start: datetime | None = None, seats: int = 2, price: int = 1500
) -> str:
    """Schedule a one-hour event of the tenant's coach through the admin API; returns its eventId.

    It starts at `start`, or at 09:00 on a random far-future day.
    """
    start_at = start or random_day() + timedelta(hours=9)
    body = {
        "coachId": booking_tenant.coach_id,
        "sportId": str(uuid.uuid4()),
        "startAt": instant(start_at),
        "endAt": instant(start_at + timedelta(hours=1)),
        "timeslot": {
            "numberOfParticipants": seats,
            "slotType": "Offline",
            "ageFrom": 18,
            "ageTo": 99,
            "price": price,
        },
    }
    admin = booking_tenant.tenant.admin_headers
    event = expect(booking_tenant.http.post("/api/v1/admin/coach-events", json=body, headers=admin), 201)
    return str(event["eventId"])


def order_body(
    user_id: str, event_ids: list[str], payment: str = "Cash", method_id: str | None = None
) -> dict[str, Any]:
    method: dict[str, Any] = {"type": payment}
    if method_id is not None:
        method["methodId"] = method_id
    return {"userId": user_id, "eventIds": event_ids, "paymentMethod": method}


def place_order(
    booking_tenant: BookingTenant,
    event_ids: list[str],
    user_id: str | None = None,
    payment: str = "Cash",
    headers: dict[str, str] | None = None,
    client: httpx.Client | None = None,
) -> httpx.Response:
    """POST /api/v1/orders for `user_id` (the athlete unless given), acting as that user; not checked."""
    user = user_id or booking_tenant.athlete_id
    method_id = str(uuid.uuid4()) if payment == "Card" else None
    return (client or booking_tenant.http).post(
        "/api/v1/orders",
        json=order_body(user, event_ids, payment, method_id),
        headers={**booking_tenant.acting(user), **(headers or {})},
    )


def orders_of(
    booking_tenant: BookingTenant, user_id: str, at_least: int = 0, params: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """GET /api/v1/orders for the user, polled briefly until the lagging view lists `at_least` orders."""
    deadline = time.monotonic() + 5
    while True:
        orders: list[dict[str, Any]] = expect(
            booking_tenant.http.get(
                "/api/v1/orders",
                params={"userId": user_id, **(params or {})},
                headers=booking_tenant.acting(user_id),
            ),
            200,
        )
        if len(orders) >= at_least or time.monotonic() > deadline:
            return orders
        time.sleep(0.02)


def seats_taken(booking_tenant: BookingTenant, event_id: str) -> int:
    """The event's taken seats, read from the aggregate through the admin API (never lags)."""
    event = expect(
        booking_tenant.http.get(
            f"/api/v1/admin/coach-events/{event_id}", headers=booking_tenant.tenant.admin_headers
        ),
        200,
    )
    return int(event["seatsTaken"])


def errors_of(response: httpx.Response, status: int, endpoint: str) -> list[dict[str, str]]:
    """The entries of an error response, checked against the surface's `{"errors": [...]}` format."""
    entries: list[dict[str, str]] = expect(response, status)["errors"]
    assert entries, response.text
    for entry in entries:
        assert set(entry) == {"code", "message", "endpoint", "requestId"}, entry
        assert entry["endpoint"] == endpoint
        assert entry["requestId"] == response.headers["X-Request-ID"]
    return entries
