"""Helpers for the query API tests: analysts' keys, bookings of each kind, reads that wait for the view."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from domain.context import ADMIN, RequestContext
from ledger.runtime import Runtime
from tests.api.orders_support import BookingTenant, make_booking_tenant, schedule_coach_event
from tests.support import ALL_PARTNER_SCOPES, booking_body, expect, random_day

BOOKINGS = "/api/v1/bookings"
QUERY_SCOPES = [*ALL_PARTNER_SCOPES, "bookings:read", "bookings:write", "orders:write"]


def analyst_key(
    http: httpx.Client,
    admin_headers: dict[str, str],
    organisation_ids: list[str],
    scopes: list[str] | None = None,
) -> dict[str, str]:
    """The `x-api-key` header of a new client with `scopes` (analytics:read) granted the organisations."""
    client = expect(
        http.post(
            "/api/v1/admin/clients",
            json={
                "name": "Dashboard",
                "scopes": ["analytics:read"] if scopes is None else scopes,
                "organizationIds": organisation_ids,
            },
            headers=admin_headers,
        ),
        201,
    )
    key = expect(
        http.post(f"/api/v1/admin/clients/{client['id']}/api-keys", json={}, headers=admin_headers), 201
    )
    return {"x-api-key": str(key["key"])}


@dataclass(frozen=True)
class Shop:
    """An organisation with a court and a partner client that syncs court bookings and orders coach events;
    `analyst` reads the organisation's bookings."""

    partner: BookingTenant
    analyst: dict[str, str]
    runtime: Runtime

    @property
    def http(self) -> httpx.Client:
        return self.partner.http

    @property
    def organisation_id(self) -> str:
        return self.partner.tenant.organization_id

    def court_booking(
        self, start: datetime, hours: float = 1, participants: list[dict[str, str]] | None = None
    ) -> str:
        """Upsert a court booking with a fresh external id; returns the external id."""
        external_id = f"cb-{uuid.uuid4().hex[:12]}"
        body = booking_body(self.partner.tenant.court_id, start, hours, participants=participants)
        expect(self.partner.tenant.put(external_id, body), 201)
        return external_id

    def coach_event(self, start: datetime | None = None, organisation: bool = True, seats: int = 3) -> str:
        tenant = self.partner.tenant
        event = schedule_coach_event(
            self.http,
            tenant.admin_headers,
            self.partner.coach_id,
            start,
            organization_id=tenant.organization_id if organisation else None,
            numberOfParticipants=seats,
        )
        return str(event["eventId"])

    def set_profile(self, user_id: str, values: dict[str, str | None]) -> None:
        ctx = RequestContext(ADMIN, datetime.now(UTC), uuid.uuid4().hex)
        self.runtime.ledger.set_member_profile(
            ctx, uuid.UUID(self.organisation_id), uuid.UUID(user_id), values
        )

    def query(self, headers: dict[str, str] | None = None, **params: Any) -> httpx.Response:
        """GET /api/v1/bookings for the organisation (unless given), once the view has every event so far."""
        head = self.runtime.ledger.recorder.max_notification_id() or 0
        query = {"organisationId": self.organisation_id, "consistentWith": str(head), **params}
        return self.http.get(BOOKINGS, params=query, headers=self.analyst if headers is None else headers)

    def bookings(self, **params: Any) -> list[dict[str, Any]]:
        body = expect(self.query(**params), 200)
        rows: list[dict[str, Any]] = body["bookings"]
        return rows

    def by_external_id(self, external_id: str) -> dict[str, Any]:
        [row] = self.bookings(externalId=external_id)
        return row


def make_shop(http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime) -> Shop:
    partner = make_booking_tenant(http, admin_headers, scopes=QUERY_SCOPES)
    return Shop(partner, analyst_key(http, admin_headers, [partner.tenant.organization_id]), runtime)


def local_evening() -> datetime:
    """23:30 UTC on a random far-future winter or summer day: already the next day in Berlin."""
    return random_day() + timedelta(hours=23, minutes=30)


def error_of(response: httpx.Response, status: int) -> str:
    """The message of a query error, checked against the `{"error": "<message>"}` format."""
    body = expect(response, status)
    assert set(body) == {"error"}, body
    message = body["error"]
    assert isinstance(message, str)
    assert message
    return message
