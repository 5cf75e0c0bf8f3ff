"""HTTP hardening: no slash redirects to the Host header, nosniff, no-store on secrets, no keys in queries."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi.responses import JSONResponse

from api.app import create_app
from api.shared.deps import CarriesSecret
from ledger.runtime import Runtime
from tests.support import ServerThread, Tenant, expect

EVIL_HOST = "evil.example"


@pytest.mark.parametrize(
    ("path", "credentials", "surface"),
    [
        ("/api/v1/external-services/{client}/court-bookings/", "client", "partner"),
        ("/api/v1/admin/clients/{client}/", "admin", "partner"),
        ("/health/", "none", "partner"),
        ("/api/v1/orders/", "client", "bookings"),
    ],
)
def test_a_path_with_a_trailing_slash_is_not_redirected_to_the_callers_host(
    tenant: Tenant, path: str, credentials: str, surface: str
) -> None:
    auth = {"client": tenant.headers, "admin": tenant.admin_headers, "none": {}}[credentials]

    response = tenant.http.get(path.format(client=tenant.client_id), headers={**auth, "Host": EVIL_HOST})

    assert response.status_code == 404, response.text
    assert "location" not in response.headers
    assert EVIL_HOST not in response.text
    body = response.json()
    error_type = body["error"]["type"] if surface == "partner" else body["errors"][0]["code"]
    assert error_type == "not_found"


@pytest.mark.parametrize(
    ("path", "credentials", "header_bytes"),
    [
        pytest.param("/health", False, 0, id="health"),
        pytest.param("{list}", True, 0, id="list"),
        pytest.param("{list}", False, 0, id="401"),
        pytest.param("/nowhere", False, 0, id="404"),
        pytest.param("/api/v1/orders/not-a-uuid", True, 0, id="orders-400"),
        pytest.param("/health", False, 20_000, id="431-before-the-app"),
    ],
)
def test_every_response_forbids_content_sniffing(
    tenant: Tenant, path: str, credentials: bool, header_bytes: int
) -> None:
    headers = {**(tenant.headers if credentials else {}), "x-padding": "x" * header_bytes}

    response = tenant.http.get(path.format(list=tenant.list_path), headers=headers)

    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_an_issued_api_key_is_sent_with_no_store(tenant: Tenant) -> None:
    path = f"/api/v1/admin/clients/{tenant.client_id}/api-keys"

    issued = tenant.http.post(path, json={}, headers=tenant.admin_headers)
    listed = tenant.http.get(f"/api/v1/admin/clients/{tenant.client_id}", headers=tenant.admin_headers)

    assert expect(issued, 201)["key"]
    assert issued.headers["Cache-Control"] == "no-store"
    assert issued.headers["Pragma"] == "no-cache"
    assert "no-store" not in listed.headers.get("Cache-Control", "")


def test_any_route_marked_as_carrying_a_secret_is_sent_with_no_store_whatever_it_returns(
    runtime: Runtime,
) -> None:
    app = create_app(runtime=runtime)

    @app.get("/marked", dependencies=[CarriesSecret])
    def marked() -> JSONResponse:
        return JSONResponse({"secret": "s3cret"}, headers={"Cache-Control": "max-age=600"})

    with ServerThread(app) as server:
        response = httpx.get(f"{server.url}/marked")

    assert response.headers.get_list("Cache-Control") == ["no-store"]


@pytest.mark.parametrize(
    "name",
    ["api_key", "apikey", "apiKey", "API-KEY", "x-api-key", "key", "token", "access_token", "client_secret"],
)
def test_a_credential_in_the_query_string_is_refused(tenant: Tenant, name: str) -> None:
    response = tenant.http.get(
        tenant.list_path, params={name: tenant.key, "limit": "1"}, headers=tenant.headers
    )

    error = expect(response, 400)["error"]
    assert error["type"] == "credential_in_query"
    assert error["issues"] == [
        {"path": ["query", name], "code": "credential_in_query", "message": "Send credentials in a header."}
    ]
    assert tenant.key not in response.text


def test_a_credential_in_the_query_string_is_refused_even_without_any_other_credentials(
    tenant: Tenant,
) -> None:
    order = f"/api/v1/orders/{uuid.uuid4()}"

    listed = tenant.http.get(tenant.list_path, params={"api_key": tenant.key})
    ordered = tenant.http.get(order, params={"token": tenant.key})

    assert expect(listed, 400)["error"]["type"] == "credential_in_query"
    assert expect(ordered, 400)["errors"][0]["code"] == "validation"
    assert "header" in ordered.json()["errors"][0]["message"]


def test_query_parameters_that_only_contain_a_credential_word_are_accepted(tenant: Tenant) -> None:
    response = tenant.http.get(tenant.list_path, params={"monkey": "1", "keys": "2"}, headers=tenant.headers)

    assert expect(response, 200) == {"data": [], "nextCursor": None}
