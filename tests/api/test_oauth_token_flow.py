"""The token endpoint's happy paths: an OAuth library, raw forms and JSON, Basic, the seed's requests."""

from __future__ import annotations

import base64
import warnings
from collections.abc import Iterator
from typing import Any

import httpx
import jwt
import pytest

from tests.api.oauth_support import TOKEN_PATH, ModuleClient, make_module_client, post_token
from tests.support import ServerThread, expect

with warnings.catch_warnings():
    # authlib announces a future move to another httpx package when its httpx integration loads; its
    # warnings module installs an "always" filter on import, so it is loaded before the silencing one.
    import authlib.deprecate  # noqa: F401

    warnings.simplefilter("ignore")
    from authlib.integrations.httpx_client import OAuth2Client


@pytest.fixture
def module(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleClient:
    return make_module_client(http, admin_headers)


@pytest.fixture
def confidential(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleClient:
    return make_module_client(http, admin_headers, confidential=True)


@pytest.fixture
def library_client(server: ServerThread) -> Iterator[Any]:
    def open_client(client: ModuleClient, method: str) -> Any:
        opened = OAuth2Client(
            client_id=client.client_id,
            client_secret=client.secret,
            token_endpoint_auth_method=method,
            base_url=server.url,
            timeout=30,
        )
        clients.append(opened)
        return opened

    clients: list[Any] = []
    yield open_client
    for opened in clients:
        opened.close()


def claims_of(token: str) -> dict[str, Any]:
    """A token's claims, read without checking its signature (the server checks it)."""
    return dict(jwt.decode(token, options={"verify_signature": False}))


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
def test_a_confidential_client_gets_a_refresh_then_an_access_token_with_an_oauth_library(
    confidential: ModuleClient, library_client: Any, server: ServerThread, method: str
) -> None:
    client = library_client(confidential, method)

    refresh = client.fetch_token(f"{server.url}{TOKEN_PATH}", grant_type="client_credentials")
    access = client.refresh_token(
        f"{server.url}{TOKEN_PATH}",
        refresh_token=refresh["refresh_token"],
        organization_id=confidential.organization_id,
    )

    assert refresh["token_type"] == "Bearer"
    assert refresh["expires_in"] == 1800
    assert access["token_type"] == "Bearer"
    assert access["expires_in"] == 300
    assert claims_of(access["access_token"])["organization_id"] == confidential.organization_id


def test_a_public_client_gets_tokens_with_an_oauth_library_sending_no_secret(
    module: ModuleClient, library_client: Any, server: ServerThread
) -> None:
    client = library_client(module, "none")

    refresh = client.fetch_token(f"{server.url}{TOKEN_PATH}", grant_type="client_credentials")
    access = client.refresh_token(
        f"{server.url}{TOKEN_PATH}",
        refresh_token=refresh["refresh_token"],
        organization_id=module.organization_id,
    )

    assert claims_of(access["access_token"])["sub"] == module.client_id


@pytest.mark.parametrize("as_json", [False, True], ids=["form", "json"])
def test_the_seeds_two_steps_answer_the_seeds_shapes_for_form_and_json_bodies(
    http: httpx.Client, module: ModuleClient, as_json: bool
) -> None:
    first = post_token(
        http, {"grant_type": "client_credentials", "client_id": module.client_id}, as_json=as_json
    )
    refresh = expect(first, 200)
    second = post_token(
        http,
        {
            "grant_type": "refresh_token",
            "client_id": module.client_id,
            "refresh_token": refresh["refresh_token"],
            "organization_id": module.organization_id,
        },
        as_json=as_json,
    )

    assert set(refresh) == {"refresh_token", "token_type", "expires_in"}
    assert (refresh["token_type"], refresh["expires_in"]) == ("Bearer", 1800)
    assert set(access := expect(second, 200)) == {"access_token", "token_type", "expires_in"}
    assert (access["token_type"], access["expires_in"]) == ("Bearer", 300)


def test_token_responses_are_kept_out_of_every_cache(http: httpx.Client, module: ModuleClient) -> None:
    response = post_token(http, {"grant_type": "client_credentials", "client_id": module.client_id})

    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"


def test_the_seeds_curl_with_a_json_content_type_a_form_body_and_a_stray_bearer_header_works(
    http: httpx.Client, module: ModuleClient
) -> None:
    headers = {
        "Content-Type": "application/json",
        "Authorization": "Bearer eyJhbGc... https://api.bookingtime.com/app/v3/",
    }
    first = http.post(
        TOKEN_PATH, content=f"grant_type=client_credentials&client_id={module.client_id}", headers=headers
    )
    refresh = expect(first, 200)["refresh_token"]
    body = (
        f"grant_type=refresh_token&client_id={module.client_id}&refresh_token={refresh}"
        f"&organization_id={module.organization_id.replace('-', '')}"
    )

    access = expect(http.post(TOKEN_PATH, content=body, headers=headers), 200)

    assert claims_of(access["access_token"])["organization_id"] == module.organization_id


def test_an_empty_client_secret_counts_as_none_for_a_public_client(
    http: httpx.Client, module: ModuleClient
) -> None:
    body = {"grant_type": "client_credentials", "client_id": module.client_id, "client_secret": ""}

    assert expect(post_token(http, body), 200)["expires_in"] == 1800


def test_basic_credentials_are_form_encoded_before_they_are_joined(
    http: httpx.Client, confidential: ModuleClient
) -> None:
    assert confidential.secret is not None
    basic = base64.b64encode(f"{confidential.client_id}:{confidential.secret}".encode()).decode()

    response = post_token(
        http, {"grant_type": "client_credentials"}, headers={"Authorization": f"Basic {basic}"}
    )

    assert expect(response, 200)["token_type"] == "Bearer"


def test_tokens_carry_issuer_subject_audience_times_id_type_and_the_organization(
    http: httpx.Client, module: ModuleClient
) -> None:
    refresh = module.refresh_token()
    access = module.access_token(refresh_token=refresh)
    refresh_claims, access_claims = claims_of(refresh), claims_of(access)

    for claims in (refresh_claims, access_claims):
        assert {"iss", "sub", "aud", "iat", "exp", "jti", "token_use"} <= set(claims)
        assert claims["sub"] == module.client_id
    assert refresh_claims["exp"] - refresh_claims["iat"] == 1800
    assert access_claims["exp"] - access_claims["iat"] == 300
    assert (refresh_claims["token_use"], access_claims["token_use"]) == ("refresh", "access")
    assert refresh_claims["aud"] != access_claims["aud"]
    assert "organization_id" not in refresh_claims
    assert jwt.get_unverified_header(access)["kid"]


def test_each_token_has_its_own_id(http: httpx.Client, module: ModuleClient) -> None:
    tokens = [module.refresh_token() for _ in range(3)]

    assert len({claims_of(token)["jti"] for token in tokens}) == 3


def test_one_refresh_token_yields_access_tokens_for_each_granted_organization(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    client = make_module_client(http, admin_headers, organizations=2)
    refresh = client.refresh_token()

    organizations = [
        claims_of(client.access_token(organization, refresh))["organization_id"]
        for organization in client.organization_ids
    ]

    assert organizations == client.organization_ids


def test_the_token_endpoint_is_documented_with_form_and_json_bodies_and_rfc_errors(
    http: httpx.Client,
) -> None:
    document = expect(http.get("/openapi/oauth.json"), 200)

    operation = document["paths"]["/oauth/token"]["post"]
    assert set(operation["requestBody"]["content"]) == {
        "application/x-www-form-urlencoded",
        "application/json",
    }
    assert {"400", "401", "503"} <= set(operation["responses"])
    described = operation["responses"]["400"]["description"]
    for code in (
        "invalid_request",
        "invalid_grant",
        "unauthorized_client",
        "unsupported_grant_type",
        "invalid_scope",
    ):
        assert code in described
    assert operation["responses"]["401"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/OAuthErrorBody"
    }
