"""The admin API over HTTP: the bootstrap contract, admin-token auth, validation and API-key lifecycle."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.support import Tenant, booking_body, expect, random_day

ADMIN = "/api/v1/admin"


def post(http: httpx.Client, admin_headers: dict[str, str], path: str, body: dict[str, Any]) -> Any:
    return expect(http.post(f"{ADMIN}{path}", json=body, headers=admin_headers), 201)


def new_organization(http: httpx.Client, admin_headers: dict[str, str]) -> dict[str, Any]:
    created: dict[str, Any] = post(http, admin_headers, "/organizations", {"name": "Club", "timezone": "UTC"})
    return created


def new_client(http: httpx.Client, admin_headers: dict[str, str], scopes: list[str]) -> dict[str, Any]:
    organization = new_organization(http, admin_headers)
    created: dict[str, Any] = post(
        http,
        admin_headers,
        "/clients",
        {"name": "Partner", "scopes": scopes, "organizationIds": [organization["id"]]},
    )
    return created


def error_type(response: httpx.Response, status: int) -> str:
    body = expect(response, status)
    assert set(body) == {"error"}
    assert body["error"]["message"]
    result: str = body["error"]["type"]
    return result


ADMIN_OPERATIONS = [
    "create-organization",
    "create-venue",
    "create-court",
    "create-client",
    "get-client",
    "issue-api-key",
    "revoke-api-key",
    "create-user",
    "link-user",
]


def admin_request(tenant: Tenant, operation: str) -> tuple[str, str, dict[str, Any] | None]:
    """A well-formed request for one admin operation, so that only authentication can refuse it."""
    requests: dict[str, tuple[str, str, dict[str, Any] | None]] = {
        "create-organization": ("POST", "/organizations", {"name": "Org", "timezone": "Europe/Berlin"}),
        "create-venue": ("POST", f"/organizations/{tenant.organization_id}/venues", {"name": "Venue"}),
        "create-court": ("POST", f"/venues/{tenant.venue_id}/courts", {"name": "Court"}),
        "create-client": ("POST", "/clients", {"name": "Partner", "scopes": [], "organizationIds": []}),
        "get-client": ("GET", f"/clients/{tenant.client_id}", None),
        "issue-api-key": ("POST", f"/clients/{tenant.client_id}/api-keys", {}),
        "revoke-api-key": ("DELETE", f"/clients/{tenant.client_id}/api-keys/{tenant.key_id}", None),
        "create-user": ("POST", "/users", {"email": "someone@example.com"}),
        "link-user": ("POST", f"/clients/{tenant.client_id}/users", {"userId": tenant.user_id}),
    }
    return requests[operation]


def send(
    http: httpx.Client, method: str, path: str, body: dict[str, Any] | None, headers: dict[str, str]
) -> httpx.Response:
    return http.request(method, f"{ADMIN}{path}", json=body, headers=headers)


def test_create_organization_answers_201_with_the_created_organization(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    response = http.post(
        f"{ADMIN}/organizations",
        json={"name": "Padel Club", "timezone": "Europe/Madrid"},
        headers=admin_headers,
    )

    body = expect(response, 201)
    assert uuid.UUID(body["id"])
    assert body["name"] == "Padel Club"
    assert body["timezone"] == "Europe/Madrid"
    assert "X-Request-ID" in response.headers


def test_create_venue_answers_its_organization_and_inherits_the_organizations_timezone(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    organization = post(http, admin_headers, "/organizations", {"name": "Club", "timezone": "Asia/Tokyo"})

    venue = post(
        http, admin_headers, f"/organizations/{organization['id']}/venues", {"name": "Hall", "city": "Osaka"}
    )

    assert uuid.UUID(venue["id"])
    assert venue["organizationId"] == organization["id"]
    assert venue["name"] == "Hall"
    assert venue["city"] == "Osaka"
    assert venue["timezone"] == "Asia/Tokyo"


def test_create_venue_keeps_its_own_timezone_when_given(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    organization = new_organization(http, admin_headers)

    venue = post(
        http,
        admin_headers,
        f"/organizations/{organization['id']}/venues",
        {"name": "Annex", "timezone": "America/New_York"},
    )

    assert venue["timezone"] == "America/New_York"
    assert venue["city"] is None


def test_create_court_answers_its_organization_and_venue(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    organization = new_organization(http, admin_headers)
    venue = post(http, admin_headers, f"/organizations/{organization['id']}/venues", {"name": "Hall"})

    court = post(http, admin_headers, f"/venues/{venue['id']}/courts", {"name": "Centre Court"})

    assert uuid.UUID(court["id"])
    assert court["organizationId"] == organization["id"]
    assert court["venueId"] == venue["id"]
    assert court["name"] == "Centre Court"


def test_create_client_answers_its_scopes_and_organizations_and_no_keys(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    organization = new_organization(http, admin_headers)

    client = post(
        http,
        admin_headers,
        "/clients",
        {
            "name": "Partner",
            "scopes": ["court-bookings:read", "audit:read"],
            "organizationIds": [organization["id"]],
        },
    )

    assert uuid.UUID(client["id"])
    assert client["name"] == "Partner"
    assert sorted(client["scopes"]) == ["audit:read", "court-bookings:read"]
    assert client["organizationIds"] == [organization["id"]]
    assert client["apiKeys"] == []


def test_issued_api_key_is_shown_once_and_listed_only_by_id_prefix_and_creation_time(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    client = new_client(http, admin_headers, ["court-bookings:read"])

    issued = post(http, admin_headers, f"/clients/{client['id']}/api-keys", {})
    response = http.get(f"{ADMIN}/clients/{client['id']}", headers=admin_headers)

    assert set(issued) == {"id", "key", "prefix", "createdAt"}
    assert issued["key"].startswith(issued["prefix"])
    assert len(issued["key"]) > len(issued["prefix"])
    assert datetime.fromisoformat(issued["createdAt"]).tzinfo is not None
    listed = expect(response, 200)
    assert listed["id"] == client["id"]
    [key] = listed["apiKeys"]
    assert set(key) <= {"id", "prefix", "createdAt", "revokedAt"}
    assert key["id"] == issued["id"]
    assert key["prefix"] == issued["prefix"]
    assert datetime.fromisoformat(key["createdAt"]) == datetime.fromisoformat(issued["createdAt"])
    assert key.get("revokedAt") is None
    assert issued["key"] not in response.text


def test_issued_api_key_authenticates_its_client(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    client = new_client(http, admin_headers, ["court-bookings:read"])
    issued = post(http, admin_headers, f"/clients/{client['id']}/api-keys", {})

    response = http.get(
        f"/api/v1/external-services/{client['id']}/court-bookings",
        headers={"Authorization": f"Bearer {issued['key']}"},
    )

    assert expect(response, 200) == {"data": [], "nextCursor": None}


def test_each_issued_key_is_distinct(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    client = new_client(http, admin_headers, ["court-bookings:read"])

    first = post(http, admin_headers, f"/clients/{client['id']}/api-keys", {})
    second = post(http, admin_headers, f"/clients/{client['id']}/api-keys", {})
    listed = expect(http.get(f"{ADMIN}/clients/{client['id']}", headers=admin_headers), 200)

    assert first["id"] != second["id"]
    assert first["key"] != second["key"]
    assert {key["id"] for key in listed["apiKeys"]} == {first["id"], second["id"]}


def test_revoked_key_is_refused_on_the_next_request(tenant: Tenant) -> None:
    assert tenant.http.get(tenant.list_path, headers=tenant.headers).status_code == 200

    response = tenant.http.delete(
        f"{ADMIN}/clients/{tenant.client_id}/api-keys/{tenant.key_id}", headers=tenant.admin_headers
    )

    assert response.status_code == 204
    assert response.content == b""
    refused = tenant.http.get(tenant.list_path, headers=tenant.headers)
    assert error_type(refused, 401) == "invalid_api_token"
    write = tenant.put(uuid.uuid4().hex, booking_body(tenant.court_id, random_day()))
    assert error_type(write, 401) == "invalid_api_token"


def test_revoked_key_is_listed_with_its_revocation_time_and_other_keys_keep_working(tenant: Tenant) -> None:
    spare = post(tenant.http, tenant.admin_headers, f"/clients/{tenant.client_id}/api-keys", {})

    revoked = tenant.http.delete(
        f"{ADMIN}/clients/{tenant.client_id}/api-keys/{tenant.key_id}", headers=tenant.admin_headers
    )

    assert revoked.status_code == 204
    listed = expect(tenant.http.get(f"{ADMIN}/clients/{tenant.client_id}", headers=tenant.admin_headers), 200)
    by_id = {key["id"]: key for key in listed["apiKeys"]}
    assert datetime.fromisoformat(by_id[tenant.key_id]["revokedAt"]).tzinfo is not None
    assert by_id[spare["id"]].get("revokedAt") is None
    still_works = tenant.http.get(tenant.list_path, headers={"Authorization": f"Bearer {spare['key']}"})
    assert still_works.status_code == 200


def test_create_user_answers_the_user(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    email = f"ada-{uuid.uuid4().hex[:8]}@example.com"

    user = post(http, admin_headers, "/users", {"email": email, "firstName": "Ada", "lastName": "Lovelace"})

    assert uuid.UUID(user["id"])
    assert user["email"] == email
    assert user["firstName"] == "Ada"
    assert user["lastName"] == "Lovelace"


def test_linking_a_user_to_a_client_answers_the_link(tenant: Tenant) -> None:
    user = post(
        tenant.http, tenant.admin_headers, "/users", {"email": f"u-{uuid.uuid4().hex[:8]}@example.com"}
    )

    link = post(
        tenant.http, tenant.admin_headers, f"/clients/{tenant.client_id}/users", {"userId": user["id"]}
    )

    assert link == {"clientId": tenant.client_id, "userId": user["id"]}


def test_linking_a_user_twice_is_idempotent(tenant: Tenant) -> None:
    path = f"{ADMIN}/clients/{tenant.client_id}/users"

    again = tenant.http.post(path, json={"userId": tenant.user_id}, headers=tenant.admin_headers)
    once_more = tenant.http.post(path, json={"userId": tenant.user_id}, headers=tenant.admin_headers)

    assert again.status_code in (200, 201), again.text
    assert once_more.status_code == again.status_code
    assert again.json() == once_more.json() == {"clientId": tenant.client_id, "userId": tenant.user_id}


@pytest.mark.parametrize("operation", ADMIN_OPERATIONS)
def test_admin_operations_without_a_token_are_refused_as_missing_api_token(
    tenant: Tenant, operation: str
) -> None:
    method, path, body = admin_request(tenant, operation)

    response = send(tenant.http, method, path, body, {})

    assert error_type(response, 401) == "missing_api_token"


@pytest.mark.parametrize("operation", ADMIN_OPERATIONS)
def test_admin_operations_with_a_wrong_token_are_refused_as_invalid_api_token(
    tenant: Tenant, operation: str
) -> None:
    method, path, body = admin_request(tenant, operation)

    response = send(tenant.http, method, path, body, {"Authorization": "Bearer not-the-admin-token"})

    assert error_type(response, 401) == "invalid_api_token"


@pytest.mark.parametrize("operation", ADMIN_OPERATIONS)
def test_a_client_api_key_is_not_an_admin_token(tenant: Tenant, operation: str) -> None:
    method, path, body = admin_request(tenant, operation)

    response = send(tenant.http, method, path, body, tenant.headers)

    assert error_type(response, 401) == "invalid_api_token"


def test_a_client_with_the_admin_scope_is_still_not_an_admin_token(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    client = new_client(http, admin_headers, ["admin"])
    issued = post(http, admin_headers, f"/clients/{client['id']}/api-keys", {})

    response = http.post(
        f"{ADMIN}/organizations",
        json={"name": "Org", "timezone": "UTC"},
        headers={"Authorization": f"Bearer {issued['key']}"},
    )

    assert error_type(response, 401) == "invalid_api_token"


def test_refused_admin_writes_have_no_effect(tenant: Tenant) -> None:
    path = f"{ADMIN}/clients/{tenant.client_id}/api-keys"

    refused = tenant.http.post(path, json={}, headers={"Authorization": "Bearer wrong"})

    assert refused.status_code == 401
    listed = expect(tenant.http.get(f"{ADMIN}/clients/{tenant.client_id}", headers=tenant.admin_headers), 200)
    assert [key["id"] for key in listed["apiKeys"]] == [tenant.key_id]


@pytest.mark.parametrize(
    "timezone", ["Mars/Olympus", "", "Europe", "europe/berlin", "../etc/passwd", "/etc/UTC"]
)
def test_organization_with_an_unknown_timezone_is_rejected(
    http: httpx.Client, admin_headers: dict[str, str], timezone: str
) -> None:
    response = http.post(
        f"{ADMIN}/organizations", json={"name": "Org", "timezone": timezone}, headers=admin_headers
    )

    assert error_type(response, 400) == "invalid_schema"


def test_venue_with_an_unknown_timezone_is_rejected(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    organization = new_organization(http, admin_headers)

    response = http.post(
        f"{ADMIN}/organizations/{organization['id']}/venues",
        json={"name": "Hall", "timezone": "Atlantis/Capital"},
        headers=admin_headers,
    )

    assert error_type(response, 400) == "invalid_schema"


@pytest.mark.parametrize("scopes", [["court-bookings:delete"], ["court-bookings:read", "root"], ["ADMIN"]])
def test_client_with_an_unknown_scope_is_rejected(
    http: httpx.Client, admin_headers: dict[str, str], scopes: list[str]
) -> None:
    response = http.post(
        f"{ADMIN}/clients",
        json={"name": "Partner", "scopes": scopes, "organizationIds": []},
        headers=admin_headers,
    )

    assert error_type(response, 400) == "invalid_schema"


@pytest.mark.parametrize("email", ["not-an-email", "a@b", "@example.com", "two words@example.com", ""])
def test_user_with_an_invalid_email_is_rejected(
    http: httpx.Client, admin_headers: dict[str, str], email: str
) -> None:
    response = http.post(f"{ADMIN}/users", json={"email": email}, headers=admin_headers)

    assert error_type(response, 400) == "invalid_schema"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/organizations", {"timezone": "UTC"}),
        ("/organizations", {"name": "", "timezone": "UTC"}),
        ("/organizations", {"name": "x" * 201, "timezone": "UTC"}),
        ("/organizations", {"name": "Bad\nName", "timezone": "UTC"}),
        ("/clients", {"name": "Partner"}),
        ("/clients", {"name": "Partner", "scopes": [], "organizationIds": ["not-a-uuid"]}),
        ("/users", {}),
    ],
)
def test_malformed_admin_bodies_are_rejected_as_invalid_schema(
    http: httpx.Client, admin_headers: dict[str, str], path: str, body: dict[str, Any]
) -> None:
    response = http.post(f"{ADMIN}{path}", json=body, headers=admin_headers)

    assert error_type(response, 400) == "invalid_schema"


def test_malformed_json_is_rejected_as_invalid_schema(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    response = http.post(
        f"{ADMIN}/organizations",
        content=b'{"name": "Org", ',
        headers={**admin_headers, "Content-Type": "application/json"},
    )

    assert error_type(response, 400) == "invalid_schema"


def test_venue_for_an_unknown_organization_is_not_found(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    response = http.post(
        f"{ADMIN}/organizations/{uuid.uuid4()}/venues", json={"name": "Hall"}, headers=admin_headers
    )

    assert error_type(response, 404) == "organization_not_found"


def test_client_granted_an_unknown_organization_is_not_found(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    response = http.post(
        f"{ADMIN}/clients",
        json={"name": "Partner", "scopes": [], "organizationIds": [str(uuid.uuid4())]},
        headers=admin_headers,
    )

    assert error_type(response, 404) == "organization_not_found"


def test_court_for_an_unknown_venue_is_not_found(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    response = http.post(
        f"{ADMIN}/venues/{uuid.uuid4()}/courts", json={"name": "Court"}, headers=admin_headers
    )

    assert error_type(response, 404) == "venue_not_found"


def test_court_under_an_organization_id_instead_of_a_venue_is_not_found(tenant: Tenant) -> None:
    response = tenant.http.post(
        f"{ADMIN}/venues/{tenant.organization_id}/courts",
        json={"name": "Court"},
        headers=tenant.admin_headers,
    )

    assert error_type(response, 404) == "venue_not_found"


def test_linking_an_unknown_user_is_not_found(tenant: Tenant) -> None:
    response = tenant.http.post(
        f"{ADMIN}/clients/{tenant.client_id}/users",
        json={"userId": str(uuid.uuid4())},
        headers=tenant.admin_headers,
    )

    assert error_type(response, 404) == "user_not_found"


def test_linking_a_user_to_an_unknown_client_is_not_found(tenant: Tenant) -> None:
    response = tenant.http.post(
        f"{ADMIN}/clients/{uuid.uuid4()}/users", json={"userId": tenant.user_id}, headers=tenant.admin_headers
    )

    assert error_type(response, 404) == "client_not_found"


def test_unknown_client_is_not_found(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    response = http.get(f"{ADMIN}/clients/{uuid.uuid4()}", headers=admin_headers)

    assert error_type(response, 404) == "client_not_found"


def test_issuing_a_key_for_an_unknown_client_is_not_found(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    response = http.post(f"{ADMIN}/clients/{uuid.uuid4()}/api-keys", json={}, headers=admin_headers)

    assert error_type(response, 404) == "client_not_found"


def test_revoking_an_unknown_key_is_not_found(tenant: Tenant) -> None:
    response = tenant.http.delete(
        f"{ADMIN}/clients/{tenant.client_id}/api-keys/{uuid.uuid4()}", headers=tenant.admin_headers
    )

    assert error_type(response, 404) == "api_key_not_found"
    assert tenant.http.get(tenant.list_path, headers=tenant.headers).status_code == 200


def test_revoking_another_clients_key_is_not_found_and_leaves_it_working(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    response = tenant.http.delete(
        f"{ADMIN}/clients/{tenant.client_id}/api-keys/{other_tenant.key_id}", headers=tenant.admin_headers
    )

    assert error_type(response, 404) == "api_key_not_found"
    assert other_tenant.http.get(other_tenant.list_path, headers=other_tenant.headers).status_code == 200


def test_malformed_ids_in_admin_paths_are_rejected_as_invalid_schema(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    response = http.get(f"{ADMIN}/clients/not-a-uuid", headers=admin_headers)

    assert error_type(response, 400) == "invalid_schema"
