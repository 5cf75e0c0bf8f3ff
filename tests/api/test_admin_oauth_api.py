"""The admin API's OAuth side: a client's secret, shown once and stored as a hash, and revoking a client."""

from __future__ import annotations

import uuid
from uuid import UUID

import httpx
import pytest

from domain.oauth_commands import hash_oauth_secret
from ledger.runtime import Runtime
from tests.api.oauth_support import make_module_client
from tests.support import Tenant, expect


def secret_path(client_id: str) -> str:
    return f"/api/v1/admin/clients/{client_id}/oauth-secret"


def stored_events(runtime: Runtime, aggregate_id: str) -> bytes:
    return b"".join(event.state for event in runtime.ledger.recorder.select_events(UUID(aggregate_id)))


def test_a_secret_is_shown_once_never_cached_and_stored_only_as_a_hash(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    client = make_module_client(http, admin_headers)

    response = http.post(secret_path(client.client_id), json={}, headers=admin_headers)

    issued = expect(response, 201)
    assert set(issued) == {"clientSecret"}
    assert issued["clientSecret"].startswith("los_")
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    listed = expect(http.get(f"/api/v1/admin/clients/{client.client_id}", headers=admin_headers), 200)
    assert listed["oauthSecretIssuedAt"] is not None
    assert issued["clientSecret"] not in str(listed)
    events = stored_events(runtime, client.client_id)
    assert issued["clientSecret"].encode() not in events
    assert hash_oauth_secret(issued["clientSecret"]).encode() in events


def test_a_client_starts_public_and_each_new_secret_replaces_the_last(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    client = make_module_client(http, admin_headers)
    path = f"/api/v1/admin/clients/{client.client_id}"
    before = expect(http.get(path, headers=admin_headers), 200)

    first, second = client.issue_secret(), client.issue_secret()

    assert before["oauthSecretIssuedAt"] is None
    assert first != second


def test_a_secret_for_an_unknown_client_is_client_not_found(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    unknown = str(uuid.uuid4())

    secret = http.post(secret_path(unknown), json={}, headers=admin_headers)
    revoke = http.post(f"/api/v1/admin/clients/{unknown}/revoke", headers=admin_headers)

    assert expect(secret, 404)["error"]["type"] == "client_not_found"
    assert expect(revoke, 404)["error"]["type"] == "client_not_found"


def test_issuing_a_secret_or_revoking_needs_the_admin_token(http: httpx.Client, tenant: Tenant) -> None:
    assert http.post(secret_path(tenant.client_id), json={}, headers=tenant.headers).status_code == 401
    assert (
        http.post(f"/api/v1/admin/clients/{tenant.client_id}/revoke", headers=tenant.headers).status_code
        == 401
    )


def test_revoking_a_client_revokes_its_api_keys_and_refuses_it_new_credentials(
    http: httpx.Client, admin_headers: dict[str, str], tenant: Tenant
) -> None:
    path = f"/api/v1/admin/clients/{tenant.client_id}"
    assert http.get(tenant.list_path, headers=tenant.headers).status_code == 200

    revoked = expect(http.post(f"{path}/revoke", headers=admin_headers), 200)
    again = expect(http.post(f"{path}/revoke", headers=admin_headers), 200)

    assert revoked["revokedAt"] is not None
    assert again["revokedAt"] == revoked["revokedAt"]
    assert all(key["revokedAt"] is not None for key in revoked["apiKeys"])
    assert http.get(tenant.list_path, headers=tenant.headers).status_code == 401
    for refused in (f"{path}/api-keys", f"{path}/oauth-secret"):
        assert (
            expect(http.post(refused, json={}, headers=admin_headers), 409)["error"]["type"]
            == "client_revoked"
        )


@pytest.mark.parametrize("scope", ["client-api", "module-api", "changes:read", "notifications:send"])
def test_the_second_parts_scopes_are_known(
    http: httpx.Client, admin_headers: dict[str, str], scope: str
) -> None:
    client = make_module_client(http, admin_headers, scopes=[scope])

    listed = expect(http.get(f"/api/v1/admin/clients/{client.client_id}", headers=admin_headers), 200)

    assert listed["scopes"] == [scope]
