"""Helpers for the bookings-and-orders API tests: tenants and users, coach events, orders, bookings, errors.

The helpers that act through a partner client take a plain `Tenant` or a `BookingTenant` alike, and act for
the tenant's own user (its athlete) unless told another user.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, TypeVar

import httpx

from tests.support import ACTING_USER, Tenant, expect, instant, make_tenant, random_day

BOOKING_SCOPES = ["bookings:read", "bookings:write", "orders:write"]
BOOKING_FIELDS = {
    "bookingId",
    "orderId",
    "userId",
    "coachId",
    "eventId",
    "startAt",
    "endAt",
    "bookingStatus",
    "eventStatus",
    "completed",
    "note",
    "canceledAt",
    "canceledByRole",
    "cancellationReasonCode",
    "cancellationReasonText",
    "sportId",
    "serviceCardinality",
    "timeslot",
}
TIMESLOT_FIELDS = {
    "timeSlotId",
    "startTime",
    "endTime",
    "numberOfParticipants",
    "slotType",
    "ageFrom",
    "ageTo",
    "duration",
    "price",
    "priceCurrency",
    "paymentMethod",
    "addressId",
    "public",
    "level",
    "eligibility",
}

Rows = list[dict[str, Any]]
T = TypeVar("T")


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
        return acting(self.tenant, user_id)

    def link_new_user(self) -> str:
        """Create another user linked to this client; returns its id."""
        return link_new_user(self.tenant)


AnyTenant = Tenant | BookingTenant


def tenant_of(any_tenant: AnyTenant) -> Tenant:
    """The plain tenant, of a `BookingTenant` or of itself."""
    return any_tenant.tenant if isinstance(any_tenant, BookingTenant) else any_tenant


def acting(tenant: Tenant, user_id: str | None = None) -> dict[str, str]:
    """The tenant's client key, acting for `user_id` (the tenant's user unless given)."""
    return {**tenant.headers, ACTING_USER: user_id or tenant.user_id}


# Users


def link_user(http: httpx.Client, admin_headers: dict[str, str], client_id: str, user_id: str) -> None:
    """Link an existing user to a client through the admin API."""
    path = f"/api/v1/admin/clients/{client_id}/users"
    expect(http.post(path, json={"userId": user_id}, headers=admin_headers), 201)


def new_user(http: httpx.Client, admin_headers: dict[str, str], *client_ids: str) -> str:
    """Create a user through the admin API and link it to each of `client_ids` (or none); returns its id."""
    email = f"user-{uuid.uuid4().hex[:10]}@example.com"
    user = expect(http.post("/api/v1/admin/users", json={"email": email}, headers=admin_headers), 201)
    for client_id in client_ids:
        link_user(http, admin_headers, client_id, user["id"])
    return str(user["id"])


def link_new_user(tenant: Tenant) -> str:
    """Create a user through the admin API and link it to the tenant's client; returns its id."""
    return new_user(tenant.http, tenant.admin_headers, tenant.client_id)


def make_booking_tenant(
    http: httpx.Client, admin_headers: dict[str, str], scopes: list[str] | None = None
) -> BookingTenant:
    """A fresh tenant (see `make_tenant`) with the bookings scopes, plus a coach linked to its client."""
    tenant = make_tenant(http, admin_headers, scopes=scopes or BOOKING_SCOPES)
    return BookingTenant(tenant, link_new_user(tenant))


# Coach events


def coach_event_body(
    coach_id: str,
    start: datetime,
    hours: float = 1,
    address_id: str | None = None,
    organization_id: str | None = None,
    **timeslot: Any,
) -> dict[str, Any]:
    """The body of a coach event `hours` long with a fresh sportId, in `organization_id` when given.

    Its timeslot: three seats, Offline, ages 18 to 99, a price of 1500, unless `timeslot` says otherwise.
    """
    body: dict[str, Any] = {
        "coachId": coach_id,
        "sportId": str(uuid.uuid4()),
        "startAt": instant(start),
        "endAt": instant(start + timedelta(hours=hours)),
        "timeslot": {
            "numberOfParticipants": 3,
            "slotType": "Offline",
            "ageFrom": 18,
            "ageTo": 99,
            "price": 1500,
            **timeslot,
        },
    }
    if address_id is not None:
        body["addressId"] = address_id
    if organization_id is not None:
        body["organizationId"] = organization_id
    return body


def schedule_coach_event(
    http: httpx.Client,
    admin_headers: dict[str, str],
    coach_id: str,
    start: datetime | None = None,
    hours: float = 1,
    address_id: str | None = None,
    organization_id: str | None = None,
    **timeslot: Any,
) -> dict[str, Any]:
    """Schedule a coach event (see `coach_event_body`) through the admin API; returns the created event.

    It starts at `start`, or at 09:00 on a random far-future day.
    """
    start_at = start or random_day() + timedelta(hours=9)
    body = coach_event_body(coach_id, start_at, hours, address_id, organization_id, **timeslot)
    event: dict[str, Any] = expect(
        http.post("/api/v1/admin/coach-events", json=body, headers=admin_headers), 201
    )
    return event


def schedule_event(
    booking_tenant: BookingTenant, start: datetime | None = None, seats: int = 2, price: int = 1500
) -> str:
    """Schedule a one-hour event of the tenant's coach through the admin API; returns its eventId.

    It starts at `start`, or at 09:00 on a random far-future day.
    """
    tenant = booking_tenant.tenant
    event = schedule_coach_event(
        tenant.http,
        tenant.admin_headers,
        booking_tenant.coach_id,
        start,
        numberOfParticipants=seats,
        price=price,
    )
    return str(event["eventId"])


def seats_taken(any_tenant: AnyTenant, event_id: str) -> int:
    """The event's taken seats, read from the aggregate through the admin API (never lags)."""
    tenant = tenant_of(any_tenant)
    path = f"/api/v1/admin/coach-events/{event_id}"
    return int(expect(tenant.http.get(path, headers=tenant.admin_headers), 200)["seatsTaken"])


# Orders and bookings


def order_body(
    user_id: str, event_ids: list[str], payment: str = "Cash", method_id: str | None = None
) -> dict[str, Any]:
    method: dict[str, Any] = {"type": payment}
    if method_id is not None:
        method["methodId"] = method_id
    return {"userId": user_id, "eventIds": event_ids, "paymentMethod": method}


def place_order(
    any_tenant: AnyTenant,
    event_ids: list[str],
    user_id: str | None = None,
    payment: str = "Cash",
    headers: dict[str, str] | None = None,
    client: httpx.Client | None = None,
) -> httpx.Response:
    """POST /api/v1/orders for `user_id` (the athlete unless given), acting as that user; not checked."""
    tenant = tenant_of(any_tenant)
    user = user_id or tenant.user_id
    method_id = str(uuid.uuid4()) if payment == "Card" else None
    return (client or tenant.http).post(
        "/api/v1/orders",
        json=order_body(user, event_ids, payment, method_id),
        headers={**acting(tenant, user), **(headers or {})},
    )


def book(any_tenant: AnyTenant, event_ids: list[str], user_id: str | None = None) -> list[str]:
    """Place a Cash order of the events for `user_id` (the athlete unless given); returns its booking ids."""
    order = expect(place_order(any_tenant, event_ids, user_id=user_id), 201)
    return [str(booking["bookingId"]) for booking in order["bookings"]]


def read_booking(any_tenant: AnyTenant, booking_id: str, user_id: str | None = None) -> dict[str, Any]:
    """GET /api/v1/bookings/{booking_id} acting for `user_id` (the athlete unless given), expecting 200."""
    tenant = tenant_of(any_tenant)
    booking: dict[str, Any] = expect(
        tenant.http.get(f"/api/v1/bookings/{booking_id}", headers=acting(tenant, user_id)), 200
    )
    return booking


def cancel_booking(
    any_tenant: AnyTenant,
    booking_id: str,
    user_id: str | None = None,
    code: str = "NoTime",
    headers: dict[str, str] | None = None,
    client: httpx.Client | None = None,
) -> httpx.Response:
    """POST /api/v1/bookings/{booking_id}/cancel for `user_id` (the athlete unless given); not checked."""
    tenant = tenant_of(any_tenant)
    return (client or tenant.http).post(
        f"/api/v1/bookings/{booking_id}/cancel",
        json={"cancellationReasonCode": code},
        headers={**acting(tenant, user_id), **(headers or {})},
    )


def booking_ids(rows: Rows) -> list[str]:
    """The bookingIds of the rows, in their order."""
    return [row["bookingId"] for row in rows]


# The lagging views


def poll(
    fetch: Callable[[], T],
    done: Callable[[T], bool] | None = None,
    timeout: float = 5,
    interval: float = 0.05,
) -> T:
    """Fetch until `done` holds of the answer or `timeout` seconds pass; returns the last answer.

    For reads of an asynchronous view. Without `done`, the first answer.
    """
    deadline = time.monotonic() + timeout
    answer = fetch()
    while done is not None and not done(answer) and time.monotonic() < deadline:
        time.sleep(interval)
        answer = fetch()
    return answer


def bookings_of(
    any_tenant: AnyTenant,
    user_id: str,
    params: dict[str, str] | None = None,
    done: Callable[[Rows], bool] | None = None,
) -> Rows:
    """GET /api/v1/bookings/by-user/{user_id} acting as that user, polled (see `poll`) until `done` holds."""
    tenant = tenant_of(any_tenant)

    def fetch() -> Rows:
        path = f"/api/v1/bookings/by-user/{user_id}"
        rows: Rows = expect(tenant.http.get(path, params=params or {}, headers=acting(tenant, user_id)), 200)
        return rows

    return poll(fetch, done)


def orders_of(
    any_tenant: AnyTenant, user_id: str, at_least: int = 0, params: dict[str, str] | None = None
) -> Rows:
    """GET /api/v1/orders for the user, polled briefly until the lagging view lists `at_least` orders."""
    tenant = tenant_of(any_tenant)

    def fetch() -> Rows:
        orders: Rows = expect(
            tenant.http.get(
                "/api/v1/orders",
                params={"userId": user_id, **(params or {})},
                headers=acting(tenant, user_id),
            ),
            200,
        )
        return orders

    return poll(fetch, lambda orders: len(orders) >= at_least, interval=0.02)


# Errors


def errors_of(response: httpx.Response, status: int, endpoint: str) -> list[dict[str, str]]:
    """The entries of an error response, checked against the surface's `{"errors": [...]}` format."""
    entries: list[dict[str, str]] = expect(response, status)["errors"]
    assert entries, response.text
    for entry in entries:
        assert set(entry) == {"code", "message", "endpoint", "requestId"}, entry
        assert entry["endpoint"] == endpoint
        assert entry["requestId"] == response.headers["X-Request-ID"]
    return entries


def error_code(response: httpx.Response, status: int) -> str:
    """The code of the one entry of a `{"errors": [...]}` response, which quotes the request's id."""
    [entry] = expect(response, status)["errors"]
    assert entry["requestId"] == response.headers["X-Request-ID"]
    code: str = entry["code"]
    return code


def admin_error_type(response: httpx.Response, status: int) -> str:
    """The type of an admin API error, checked against the `{"error": {"type", "message"}}` format."""
    body = expect(response, status)
    assert set(body) == {"error"}
    assert body["error"]["message"]
    error_type: str = body["error"]["type"]
    return error_type
