"""How OAuth tokens end: expiry on the server's clock, key rotation, a revoked client, a replaced secret."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from datetime import timedelta

import httpx
import jwt
import pytest

from ledger.runtime import Runtime
from tests.api.oauth_probe import WHOAMI, bearer, probed_app
from tests.api.oauth_support import ModuleClient, make_module_client, oauth_error, post_token
from tests.support import MovableClock, expect

OLD = f"old:{secrets.token_urlsafe(40)}"
NEW = f"new:{secrets.token_urlsafe(40)}"


@pytest.fixture(scope="module")
def probe(runtime: Runtime) -> Iterator[httpx.Client]:
    with probed_app(runtime) as client:
        yield client


@pytest.fixture(scope="module")
def key_apps(runtime: Runtime) -> Iterator[dict[str, httpx.Client]]:
    """Servers of one ledger: old key signing; rotated (new signs, old verifies); old key retired."""
    with (
        probed_app(runtime, OLD) as old,
        probed_app(runtime, f"{NEW},{OLD}") as rotated,
        probed_app(runtime, NEW) as retired,
    ):
        yield {"old": old, "rotated": rotated, "retired": retired}


@pytest.fixture
def module(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleClient:
    return make_module_client(http, admin_headers)


def refresh_body(client: ModuleClient, refresh_token: str) -> dict[str, str]:
    return {
        "grant_type": "refresh_token",
        "refresh_token": refresh_token,
        "organization_id": client.organization_id,
        **client.credentials(),
    }


def whoami_status(probe: httpx.Client, token: str) -> int:
    return probe.get(WHOAMI, headers=bearer(token)).status_code


def test_a_refresh_token_works_until_1800_seconds_on_the_servers_clock_then_is_an_invalid_grant(
    http: httpx.Client, module: ModuleClient, clock: MovableClock
) -> None:
    refresh = module.refresh_token()
    clock.advance(timedelta(seconds=1790))
    before = post_token(http, refresh_body(module, refresh))
    clock.advance(timedelta(seconds=15))
    after = post_token(http, refresh_body(module, refresh))

    assert before.status_code == 200
    assert oauth_error(after, 400) == "invalid_grant"
    assert "expired" in after.json()["error_description"]


def test_an_access_token_works_until_300_seconds_on_the_servers_clock(
    probe: httpx.Client, module: ModuleClient, clock: MovableClock
) -> None:
    access = module.access_token()
    clock.advance(timedelta(seconds=290))
    before = whoami_status(probe, access)
    clock.advance(timedelta(seconds=15))
    after = probe.get(WHOAMI, headers=bearer(access))

    assert before == 200
    assert expect(after, 401)["error"]["message"] == "The token has expired."


def test_a_token_issued_while_the_clock_runs_ahead_expires_on_that_clock(
    probe: httpx.Client, module: ModuleClient, clock: MovableClock
) -> None:
    clock.advance(timedelta(days=3))
    access = module.access_token()

    assert whoami_status(probe, access) == 200
    clock.advance(timedelta(seconds=301))
    assert whoami_status(probe, access) == 401


def test_after_a_rotation_tokens_of_the_old_key_still_verify_and_new_ones_use_the_new_key(
    key_apps: dict[str, httpx.Client], module: ModuleClient
) -> None:
    old_refresh = expect(
        post_token(key_apps["old"], {"grant_type": "client_credentials", "client_id": module.client_id}), 200
    )["refresh_token"]
    old_access = expect(post_token(key_apps["old"], refresh_body(module, old_refresh)), 200)["access_token"]

    new_access = expect(post_token(key_apps["rotated"], refresh_body(module, old_refresh)), 200)[
        "access_token"
    ]

    assert jwt.get_unverified_header(old_access)["kid"] == "old"
    assert jwt.get_unverified_header(new_access)["kid"] == "new"
    assert whoami_status(key_apps["rotated"], old_access) == 200
    assert whoami_status(key_apps["old"], new_access) == 401


def test_once_the_old_key_is_retired_its_tokens_are_refused(
    key_apps: dict[str, httpx.Client], module: ModuleClient
) -> None:
    old_refresh = expect(
        post_token(key_apps["old"], {"grant_type": "client_credentials", "client_id": module.client_id}), 200
    )["refresh_token"]
    old_access = expect(post_token(key_apps["old"], refresh_body(module, old_refresh)), 200)["access_token"]

    refused = post_token(key_apps["retired"], refresh_body(module, old_refresh))

    assert oauth_error(refused, 400) == "invalid_grant"
    assert "key" in refused.json()["error_description"]
    assert whoami_status(key_apps["retired"], old_access) == 401


def test_a_token_under_a_known_kid_signed_with_another_secret_is_refused(
    key_apps: dict[str, httpx.Client], module: ModuleClient
) -> None:
    genuine = expect(
        post_token(key_apps["old"], {"grant_type": "client_credentials", "client_id": module.client_id}), 200
    )["refresh_token"]
    claims = jwt.decode(genuine, options={"verify_signature": False})
    forged = jwt.encode(claims, secrets.token_urlsafe(40), algorithm="HS256", headers={"kid": "old"})

    assert oauth_error(post_token(key_apps["old"], refresh_body(module, forged)), 400) == "invalid_grant"


def test_a_revoked_clients_tokens_stop_working_and_it_gets_no_new_ones(
    http: httpx.Client, probe: httpx.Client, admin_headers: dict[str, str]
) -> None:
    client = make_module_client(http, admin_headers, confidential=True)
    refresh = client.refresh_token()
    access = client.access_token(refresh_token=refresh)

    revoked = client.revoke()

    assert revoked["revokedAt"] is not None
    assert oauth_error(post_token(http, refresh_body(client, refresh)), 401) == "invalid_client"
    assert oauth_error(
        post_token(http, {"grant_type": "client_credentials", **client.credentials()}), 401
    ) == ("invalid_client")
    assert whoami_status(probe, access) == 401


def test_a_new_secret_ends_the_tokens_issued_before_it_and_the_old_secret(
    http: httpx.Client, probe: httpx.Client, admin_headers: dict[str, str]
) -> None:
    client = make_module_client(http, admin_headers, confidential=True)
    old_secret, refresh = client.secret, client.refresh_token()
    access = client.access_token(refresh_token=refresh)

    client.issue_secret()

    assert oauth_error(post_token(http, refresh_body(client, refresh)), 400) == "invalid_grant"
    assert whoami_status(probe, access) == 401
    old = {
        "grant_type": "client_credentials",
        "client_id": client.client_id,
        "client_secret": str(old_secret),
    }
    assert oauth_error(post_token(http, old), 401) == "invalid_client"
    assert whoami_status(probe, client.access_token()) == 200


def test_a_public_client_given_a_secret_becomes_confidential(
    http: httpx.Client, probe: httpx.Client, module: ModuleClient
) -> None:
    refresh = module.refresh_token()

    module.issue_secret()

    public = {"grant_type": "client_credentials", "client_id": module.client_id}
    assert oauth_error(post_token(http, public), 401) == "invalid_client"
    assert oauth_error(post_token(http, refresh_body(module, refresh)), 400) == "invalid_grant"
    assert whoami_status(probe, module.access_token()) == 200
