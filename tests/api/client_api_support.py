"""Helpers of the client API tests: a partner with the client-api scope, calls below `/matchengine`."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support import expect

BASE = "/matchengine/api/v1"
CLIENT = f"{BASE}/client"
NOT_AUTHENTICATED = {"detail": "Authentication credentials were not provided."}
PERMISSION_DENIED = {"detail": "You do not have permission to perform this action."}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class Partner:
    """A client with its own organization (one venue, one court) and an API key."""

    http: httpx.Client
    admin_headers: dict[str, str]
    organization_id: str
    venue_id: str
    court_id: str
    client_id: str
    key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.key}"}

    def get(self, path: str, **params: Any) -> httpx.Response:
        return self.http.get(path, params=params, headers=self.headers)

    def post(self, path: str, body: Any, **headers: str) -> httpx.Response:
        return self.http.post(path, json=body, headers={**self.headers, **headers})

    def register_user(self, external_id: str, email: str | None = None) -> Any:
        body = {"external_id": external_id, "email": email or f"{unique('player')}@example.com"}
        return expect(self.post(f"{CLIENT}/users/register/", body), 201)

    def register_resource(self, external_id: str, resource_id: Any = None, **extra: Any) -> Any:
        body = {"external_id": external_id, "resource_id": resource_id or self.court_id, **extra}
        return expect(self.post(f"{CLIENT}/resources/register/", body), 201)

    def register_venue(self, external_id: str, venue_id: Any = None, **extra: Any) -> Any:
        body = {"external_id": external_id, "venue_id": venue_id or self.venue_id, **extra}
        return expect(self.post(f"{CLIENT}/venues/register/", body), 201)

    def lookup_venue(self, external_id: str) -> Any:
        return expect(self.get(f"{CLIENT}/venues/lookup/", external_id=external_id), 200)

    def add_court(self, name: str = "Court 2") -> str:
        court = admin_post(
            self.http, self.admin_headers, f"/api/v1/admin/venues/{self.venue_id}/courts", name=name
        )
        return str(court["id"])

    def decide(self, mapping_id: str, decision: str) -> httpx.Response:
        return self.http.post(
            f"/api/v1/admin/venue-mappings/{mapping_id}/{decision}", headers=self.admin_headers
        )


def admin_post(http: httpx.Client, admin_headers: dict[str, str], path: str, **body: Any) -> Any:
    return expect(http.post(path, json=body, headers=admin_headers), 201)


def make_partner(
    http: httpx.Client, admin_headers: dict[str, str], scopes: list[str] | None = None
) -> Partner:
    organization = admin_post(
        http, admin_headers, "/api/v1/admin/organizations", name="Sports Club", timezone="Europe/Berlin"
    )
    venue = admin_post(
        http,
        admin_headers,
        f"/api/v1/admin/organizations/{organization['id']}/venues",
        name="Sports Center Munich",
        city="Munich",
    )
    court = admin_post(http, admin_headers, f"/api/v1/admin/venues/{venue['id']}/courts", name="Court 1")
    return partner_in(http, admin_headers, organization["id"], venue["id"], court["id"], scopes)


def partner_in(
    http: httpx.Client,
    admin_headers: dict[str, str],
    organization_id: str,
    venue_id: str,
    court_id: str,
    scopes: list[str] | None = None,
) -> Partner:
    """A new client-API client granted an organization that exists, with the court it books, and its key."""
    client = admin_post(
        http,
        admin_headers,
        "/api/v1/admin/clients",
        name="Partner app",
        scopes=["client-api"] if scopes is None else scopes,
        organizationIds=[organization_id],
    )
    key = admin_post(http, admin_headers, f"/api/v1/admin/clients/{client['id']}/api-keys")
    return Partner(http, admin_headers, organization_id, venue_id, court_id, client["id"], key["key"])
