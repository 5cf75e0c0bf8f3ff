"""Helpers of the change feed tests: a partner that may read its changes, and reading the feed on."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from tests.api.module_support import ModuleOrg
from tests.api.oauth_support import ModuleClient
from tests.support import ALL_PARTNER_SCOPES, Tenant, booking_body, expect, make_tenant, random_day

FEED = "/api/v1/changes"
FEED_SCOPES = [*ALL_PARTNER_SCOPES, "changes:read"]
BASE_DAY = random_day()


def make_feed_tenant(http: httpx.Client, admin_headers: dict[str, str], *scopes: str) -> Tenant:
    """A partner tenant (see `make_tenant`) whose key also reads its change feed."""
    return make_tenant(http, admin_headers, scopes=[*FEED_SCOPES, *scopes])


def feed_page(http: httpx.Client, headers: dict[str, str], after: str | None = None, **params: Any) -> Any:
    query = {**params, **({"after": after} if after is not None else {})}
    return expect(http.get(FEED, params=query, headers=headers), 200)


def read_changes(
    http: httpx.Client,
    headers: dict[str, str],
    count: int,
    after: str | None = None,
    timeout: float = 20,
    **params: Any,
) -> tuple[list[dict[str, Any]], str | None]:
    """Read the feed on from `after` until `count` changes arrived (long-polling while it waits); returns
    them with the cursor after the last page. Fails when they did not all arrive in `timeout` seconds."""
    changes: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while len(changes) < count:
        assert time.monotonic() < deadline, f"{len(changes)} of {count} changes arrived: {changes}"
        page = feed_page(http, headers, after, wait=1, **params)
        changes.extend(page["changes"])
        after = page["next"]
    return changes, after


def of_entity(changes: list[dict[str, Any]], entity_id: str) -> list[str]:
    """The types of the changes of one entity, in feed order."""
    return [change["type"] for change in changes if change["id"] == entity_id]


def upsert_court_booking(tenant: Tenant, external_id: str, hour: int, revision: int = 0) -> None:
    """Register (or, with a higher `revision`, revise) the booking at `hour` on the tenant's court."""
    start = BASE_DAY + timedelta(hours=hour)
    updated = datetime(2030, 1, 1, tzinfo=UTC) + timedelta(minutes=revision)
    response = tenant.put(external_id, booking_body(tenant.court_id, start, updated=updated))
    assert response.status_code in (200, 201), response.text


def cancel_court_booking(tenant: Tenant, external_id: str) -> None:
    params = {"externalUpdatedAt": "2031-01-01T00:00:00Z"}
    expect(tenant.http.delete(tenant.booking_path(external_id), params=params, headers=tenant.headers), 200)


def make_feed_module_org(
    http: httpx.Client, admin_headers: dict[str, str]
) -> tuple[ModuleOrg, dict[str, str]]:
    """A module org (see `make_module_org`) whose module client also holds `changes:read`, and the headers
    of an API key of that client."""
    tenant = make_tenant(http, admin_headers)
    body = {
        "name": "Widget",
        "scopes": ["module-api", "changes:read"],
        "organizationIds": [tenant.organization_id],
    }
    created = expect(http.post("/api/v1/admin/clients", json=body, headers=admin_headers), 201)
    key = expect(
        http.post(f"/api/v1/admin/clients/{created['id']}/api-keys", json={}, headers=admin_headers), 201
    )
    org = ModuleOrg(tenant, ModuleClient(http, admin_headers, created["id"], [tenant.organization_id]), "")
    org.template_id = org.add_template()
    org.renew_token()
    return org, {"Authorization": f"Bearer {key['key']}"}
