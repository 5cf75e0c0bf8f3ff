"""Helpers of the module API tests: an organization with a court, a booking template and a module client."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from tests.api.oauth_support import ModuleClient
from tests.support import Tenant, expect, make_tenant

BERLIN = ZoneInfo("Europe/Berlin")
JOHN = {"firstName": "John", "lastName": "Doe", "email": "jd@scrubs.doc"}


def template_body(court_ids: list[str], **changes: Any) -> dict[str, Any]:
    """The seed's first template on the courts, as the admin API takes it."""
    return {
        "name": "Test AppointmentTemplate",
        "duration": 60,
        "priceGross": "99.99",
        "taxRate": 19,
        "currency": "EUR",
        "description": "Zeile1\nZeile2",
        "bookingDayEarliest": 0,
        "bookingDayLatest": 14,
        "bookingLeadTime": 120,
        "customerEmailRequired": True,
        "resourceIds": court_ids,
        **changes,
    }


@dataclass
class ModuleOrg:
    """A tenant (organization, venue, court, partner client) with a booking template and a module client."""

    tenant: Tenant
    client: ModuleClient
    template_id: str
    token: str = ""
    templates: list[str] = field(default_factory=list)

    @property
    def http(self) -> httpx.Client:
        return self.tenant.http

    @property
    def organization_id(self) -> str:
        return self.tenant.organization_id

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def renew_token(self) -> str:
        """A new access token (and refresh token), as after the server's clock moved."""
        self.token = self.client.access_token()
        return self.token

    def path(self, rest: str, locale: str = "en", organization: str | None = None) -> str:
        return f"/module/v3/{locale}/organization/{organization or self.organization_id}/{rest}"

    def get(self, rest: str, **kwargs: Any) -> httpx.Response:
        locale = kwargs.pop("locale", "en")
        return self.http.get(self.path(rest, locale), headers=kwargs.pop("headers", self.headers), **kwargs)

    def post(self, rest: str, body: Any = None, **kwargs: Any) -> httpx.Response:
        locale = kwargs.pop("locale", "en")
        headers = kwargs.pop("headers", self.headers)
        return self.http.post(self.path(rest, locale), json=body, headers=headers, **kwargs)

    def add_template(self, **changes: Any) -> str:
        path = f"/api/v1/admin/organizations/{self.organization_id}/booking-templates"
        body = template_body([self.tenant.court_id], **changes)
        created = expect(self.http.post(path, json=body, headers=self.tenant.admin_headers), 201)
        self.templates.append(created["id"])
        return str(created["id"])

    def slots(self, start: datetime, days: int = 1, template_id: str | None = None) -> list[dict[str, Any]]:
        """The template's slots from `start` for `days` days."""
        rest = f"bookingTemplate/{template_id or self.template_id}/bookingSlot/list"
        params = {"rangeStart": start.isoformat(), "rangeEnd": (start + timedelta(days=days)).isoformat()}
        slots: list[dict[str, Any]] = expect(self.get(rest, params=params), 200)["bookingSlotList"]
        return slots

    def slot_at(self, start: datetime, template_id: str | None = None) -> dict[str, Any]:
        """The slot starting at `start` (an aware local time)."""
        found = self.slots(start, template_id=template_id)
        assert found, f"no slot from {start}"
        assert datetime.fromisoformat(found[0]["timestamp"]) == start, found[0]
        return found[0]

    def add(self, slot_id: str, customer: dict[str, Any] | None = None, **kwargs: Any) -> httpx.Response:
        body = {"bookingSlotId": slot_id, "customer": JOHN if customer is None else customer}
        return self.post("appointment/add", body, **kwargs)


def make_module_org(http: httpx.Client, admin_headers: dict[str, str], **template: Any) -> ModuleOrg:
    """A new tenant with the seed's template on its court and a module client granted its organization."""
    tenant = make_tenant(http, admin_headers)
    body = {
        "name": f"Widget {uuid.uuid4().hex[:6]}",
        "scopes": ["module-api"],
        "organizationIds": [tenant.organization_id],
    }
    created = expect(http.post("/api/v1/admin/clients", json=body, headers=admin_headers), 201)
    client = ModuleClient(http, admin_headers, created["id"], [tenant.organization_id])
    org = ModuleOrg(tenant, client, template_id="")
    org.template_id = org.add_template(**template)
    org.renew_token()
    return org


def local_day(days_ahead: int, hour: int = 0, minute: int = 0) -> datetime:
    """A Berlin wall time `days_ahead` days after today's date there."""
    today = datetime.now(BERLIN).date() + timedelta(days=days_ahead)
    return datetime(today.year, today.month, today.day, hour, minute, tzinfo=BERLIN)


def messages(response: httpx.Response, status: int) -> list[dict[str, str]]:
    """The `messageList` of a refusal, after checking its status and that every entry is an ERROR."""
    body = expect(response, status)
    assert set(body) == {"messageList"}, body
    entries: list[dict[str, str]] = body["messageList"]
    assert entries, body
    for entry in entries:
        assert set(entry) == {"type", "code", "message"}, entry
        assert entry["type"] == "ERROR", entry
        assert entry["message"], entry
    return entries


def code_of(response: httpx.Response, status: int) -> str:
    return messages(response, status)[0]["code"]
