"""The access-token resolver, on a test-only surface: who the caller is, and which tokens it refuses."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from ledger.runtime import Runtime
from tests.api.oauth_probe import WHOAMI, bearer, probed_app
from tests.api.oauth_support import ModuleClient, make_module_client
from tests.support import Tenant, expect


@pytest.fixture(scope="module")
def probe(runtime: Runtime) -> Iterator[httpx.Client]:
    with probed_app(runtime) as client:
        yield client


@pytest.fixture
def module(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleClient:
    return make_module_client(http, admin_headers, scopes=["module-api", "client-api"], organizations=2)


def error_type(response: httpx.Response, status: int) -> str:
    return str(expect(response, status)["error"]["type"])


def test_an_access_token_resolves_to_its_client_with_its_scopes_and_only_the_tokens_organization(
    probe: httpx.Client, module: ModuleClient
) -> None:
    token = module.access_token(module.organization_ids[1])

    caller = expect(probe.get(WHOAMI, headers=bearer(token)), 200)

    assert caller == {
        "id": module.client_id,
        "kind": "client",
        "scopes": ["client-api", "module-api"],
        "organization_ids": [module.organization_ids[1]],
    }


def test_a_request_without_a_bearer_token_is_unauthenticated(
    probe: httpx.Client, module: ModuleClient
) -> None:
    token = module.access_token()

    assert error_type(probe.get(WHOAMI), 401) == "missing_api_token"
    assert (
        error_type(probe.get(WHOAMI, headers={"Authorization": f"Token {token}"}), 401) == "missing_api_token"
    )
    assert error_type(probe.get(WHOAMI, headers={"x-api-key": token}), 401) == "missing_api_token"


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.", "x" * 5000])
def test_a_token_that_is_not_ours_is_refused(probe: httpx.Client, token: str) -> None:
    response = probe.get(WHOAMI, headers=bearer(token))

    assert error_type(response, 401) == "invalid_api_token"
    assert response.headers["www-authenticate"] == "Bearer"


def test_a_refresh_token_is_not_an_access_token(probe: httpx.Client, module: ModuleClient) -> None:
    assert error_type(probe.get(WHOAMI, headers=bearer(module.refresh_token())), 401) == "invalid_api_token"


def test_an_api_key_is_not_an_access_token(probe: httpx.Client, tenant: Tenant) -> None:
    assert error_type(probe.get(WHOAMI, headers=tenant.headers), 401) == "invalid_api_token"


def test_an_edited_access_token_is_refused(probe: httpx.Client, module: ModuleClient) -> None:
    header, payload, signature = module.access_token().split(".")
    edited = f"{header}.{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{signature}"

    assert error_type(probe.get(WHOAMI, headers=bearer(edited)), 401) == "invalid_api_token"
