"""Webhook subscriptions: a client's own, with a secret shown once and kept only encrypted."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql

from domain.context import Principal, RequestContext
from domain.webhooks import MAX_SUBSCRIPTIONS, client_webhooks_id
from ledger.runtime import Runtime
from ledger.settings import Settings
from tests.api.feed_support import make_feed_tenant
from tests.support import Tenant, expect, make_tenant

WEBHOOKS = "/api/v1/webhooks"
URL = "https://partner.example.com/ledger-hooks"


def create(tenant: Tenant, url: str = URL, **body: Any) -> httpx.Response:
    return tenant.http.post(WEBHOOKS, json={"url": url, **body}, headers=tenant.headers)


def error_type(response: httpx.Response, status: int) -> str:
    assert response.status_code == status, response.text
    return str(response.json()["error"]["type"])


@pytest.fixture
def tenant(http: httpx.Client, admin_headers: dict[str, str]) -> Tenant:
    return make_feed_tenant(http, admin_headers)


def test_a_subscription_is_created_with_its_secret_shown_once(tenant: Tenant) -> None:
    response = create(tenant, types=["court_booking", "booking.canceled"])

    created = expect(response, 201)
    listed = expect(tenant.http.get(WEBHOOKS, headers=tenant.headers), 200)
    read = expect(tenant.http.get(f"{WEBHOOKS}/{created['id']}", headers=tenant.headers), 200)
    assert created["secret"].startswith("whsec_")
    assert response.headers["Cache-Control"] == "no-store"
    assert int(response.headers["X-Ledger-Position"]) > 0
    assert {key: value for key, value in created.items() if key != "secret"} == read
    assert read["url"] == URL
    assert read["types"] == ["court_booking", "booking.canceled"]
    assert read["status"] == "active"
    assert read["disabledReason"] is None
    assert listed == {"webhooks": [read]}


def test_the_secret_is_stored_only_encrypted_and_opens_for_signing(
    tenant: Tenant, runtime: Runtime, settings: Settings
) -> None:
    created = expect(create(tenant), 201)

    assert settings.database_url is not None
    with psycopg.connect(settings.database_url) as conn:
        rows = conn.execute(
            sql.SQL("SELECT state FROM {} WHERE originator_id = %s").format(
                sql.Identifier(settings.db_schema, "ledger_events")
            ),
            (client_webhooks_id(uuid.UUID(tenant.client_id)),),
        ).fetchall()
    stored = b"".join(bytes(row[0]) for row in rows)
    sealed = runtime.ledger.webhook(uuid.UUID(tenant.client_id), uuid.UUID(created["id"])).secret_ciphertext
    assert rows
    assert created["secret"].encode() not in stored
    assert sealed.encode() in stored
    assert runtime.webhook_keys is not None
    assert runtime.webhook_keys.open(uuid.UUID(created["id"]), sealed) == created["secret"]


@pytest.mark.parametrize(
    "url",
    [
        "http://partner.example.com/hooks",
        "https://10.1.2.3/hooks",
        "https://user:secret@partner.example.com/hooks",
        "not a url",
    ],
)
def test_urls_that_are_not_public_https_are_refused(tenant: Tenant, url: str) -> None:
    assert error_type(create(tenant, url), 400) == "invalid_webhook_url"


def test_loopback_urls_are_refused_unless_the_setting_allows_them(
    tenant: Tenant, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(runtime.ledger, "webhook_loopback_allowed", False)
    refused = create(tenant, "http://127.0.0.1:9/hooks")
    monkeypatch.setattr(runtime.ledger, "webhook_loopback_allowed", True)
    allowed = create(tenant, "http://127.0.0.1:9/hooks")

    assert error_type(refused, 400) == "invalid_webhook_url"
    assert "loopback" in refused.json()["error"]["message"]
    assert expect(allowed, 201)["url"] == "http://127.0.0.1:9/hooks"


@pytest.mark.parametrize(
    "body",
    [
        {"url": URL, "types": ["court_booking.exploded"]},
        {"url": URL, "events": ["court_booking"]},
        {"types": ["court_booking"]},
        {"url": 42},
    ],
)
def test_malformed_bodies_are_refused(tenant: Tenant, body: dict[str, Any]) -> None:
    response = tenant.http.post(WEBHOOKS, json=body, headers=tenant.headers)

    assert error_type(response, 400) == "invalid_schema"


def test_a_deleted_subscription_is_gone(tenant: Tenant) -> None:
    created = expect(create(tenant), 201)
    path = f"{WEBHOOKS}/{created['id']}"

    deleted = tenant.http.delete(path, headers=tenant.headers)

    assert deleted.status_code == 204
    assert error_type(tenant.http.get(path, headers=tenant.headers), 404) == "webhook_not_found"
    assert error_type(tenant.http.delete(path, headers=tenant.headers), 404) == "webhook_not_found"
    assert expect(tenant.http.get(WEBHOOKS, headers=tenant.headers), 200) == {"webhooks": []}


def test_a_client_cannot_see_or_change_another_clients_subscription(
    tenant: Tenant, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    other = make_feed_tenant(http, admin_headers)
    created = expect(create(tenant), 201)
    path = f"{WEBHOOKS}/{created['id']}"

    assert error_type(http.get(path, headers=other.headers), 404) == "webhook_not_found"
    assert error_type(http.delete(path, headers=other.headers), 404) == "webhook_not_found"
    assert error_type(http.post(f"{path}/enable", headers=other.headers), 404) == "webhook_not_found"
    assert expect(http.get(WEBHOOKS, headers=other.headers), 200) == {"webhooks": []}
    assert expect(http.get(path, headers=tenant.headers), 200)["status"] == "active"


def test_subscriptions_need_a_key_with_the_changes_scope(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    without_scope = make_tenant(http, admin_headers)

    assert error_type(http.get(WEBHOOKS), 401) == "missing_api_token"
    assert error_type(create(without_scope), 403) == "scope_permission_denied"
    assert error_type(http.get(WEBHOOKS, headers=without_scope.headers), 403) == "scope_permission_denied"


def test_a_client_has_at_most_the_allowed_number_of_subscriptions(tenant: Tenant) -> None:
    for _ in range(MAX_SUBSCRIPTIONS):
        expect(create(tenant), 201)

    assert error_type(create(tenant), 409) == "too_many_webhooks"


def test_a_disabled_subscription_shows_why_and_is_enabled_again(tenant: Tenant, runtime: Runtime) -> None:
    created = expect(create(tenant), 201)
    path = f"{WEBHOOKS}/{created['id']}"
    worker = RequestContext(Principal(id="webhook-delivery", kind="system"), runtime.clock(), "disable-test")
    runtime.ledger.disable_webhook(
        worker, uuid.UUID(tenant.client_id), uuid.UUID(created["id"]), "Failing for 3 days: HTTP 500."
    )

    disabled = expect(tenant.http.get(path, headers=tenant.headers), 200)
    enabled = expect(tenant.http.post(f"{path}/enable", headers=tenant.headers), 200)
    again = expect(tenant.http.post(f"{path}/enable", headers=tenant.headers), 200)

    assert disabled["status"] == "disabled"
    assert disabled["disabledReason"] == "Failing for 3 days: HTTP 500."
    assert disabled["disabledAt"] is not None
    assert enabled["status"] == again["status"] == "active"
    assert enabled["disabledReason"] is None
