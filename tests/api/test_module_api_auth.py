"""Who may call the module API: access tokens of its organization only; refusals in the seed's envelope."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest

from tests.api.module_support import ModuleOrg, code_of, local_day, make_module_org, messages
from tests.api.oauth_support import make_module_client, oauth_error, post_token
from tests.support import MovableClock, expect

LIST = "bookingTemplate/list"


@pytest.fixture
def org(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleOrg:
    return make_module_org(http, admin_headers)


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "missing_access_token"),
        ({"Authorization": "Basic abc"}, "missing_access_token"),
        ({"Authorization": "Bearer garbage"}, "invalid_access_token"),
        ({"Authorization": "Bearer a.b.c"}, "invalid_access_token"),
    ],
)
def test_a_request_without_a_valid_access_token_is_refused_with_401(
    org: ModuleOrg, headers: dict[str, str], code: str
) -> None:
    response = org.get(LIST, headers=headers)

    assert code_of(response, 401) == code
    assert response.headers["www-authenticate"] == "Bearer"


def test_an_api_key_or_a_refresh_token_is_no_access_token(org: ModuleOrg) -> None:
    refresh = {"Authorization": f"Bearer {org.client.refresh_token()}"}

    assert code_of(org.get(LIST, headers=org.tenant.headers), 401) == "invalid_access_token"
    assert code_of(org.get(LIST, headers=refresh), 401) == "invalid_access_token"


def test_a_token_of_one_organization_on_anothers_path_is_refused_with_403(
    org: ModuleOrg, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    other = make_module_org(http, admin_headers)
    path = other.path(LIST)

    [entry] = messages(http.get(path, headers=org.headers), 403)
    add = other.path("appointment/add")
    slot = other.slot_at(local_day(2, 10))
    refused_add = http.post(add, json={"bookingSlotId": slot["id"], "customer": {}}, headers=org.headers)

    assert entry["code"] == "organization_not_permitted"
    assert code_of(refused_add, 403) == "organization_not_permitted"
    unknown = http.get(org.path(LIST, organization=str(uuid.uuid4())), headers=org.headers)
    assert code_of(unknown, 403) == "organization_not_permitted"


def test_a_client_granted_two_organizations_reaches_each_only_with_its_own_token(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    client = make_module_client(http, admin_headers, organizations=2)
    first, second = client.organization_ids
    token = {"Authorization": f"Bearer {client.access_token(first)}"}

    own = http.get(f"/module/v3/de/organization/{first}/{LIST}", headers=token)
    other = http.get(f"/module/v3/de/organization/{second}/{LIST}", headers=token)

    assert expect(own, 200)["content"]["recordTotal"] == 0
    assert code_of(other, 403) == "organization_not_permitted"


def test_a_client_not_granted_an_organization_gets_no_token_for_it(
    org: ModuleOrg, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    stranger = make_module_client(http, admin_headers)
    body = {
        "grant_type": "refresh_token",
        "client_id": stranger.client_id,
        "refresh_token": stranger.refresh_token(),
        "organization_id": org.organization_id,
    }

    assert oauth_error(post_token(http, body), 400) == "invalid_scope"


def test_a_client_without_the_module_api_scope_gets_no_token(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    partner = make_module_client(http, admin_headers, scopes=["court-bookings:read"])
    body = {"grant_type": "client_credentials", "client_id": partner.client_id}

    assert oauth_error(post_token(http, body), 400) == "unauthorized_client"


def test_an_access_token_expires_after_300_seconds_on_the_servers_clock(
    org: ModuleOrg, clock: MovableClock
) -> None:
    clock.advance(timedelta(seconds=290))
    expect(org.get(LIST), 200)

    clock.advance(timedelta(seconds=11))
    response = org.get(LIST)

    assert code_of(response, 401) == "invalid_access_token"
    assert "expired" in response.json()["messageList"][0]["message"]


def test_a_revoked_clients_access_token_stops_working_at_once(org: ModuleOrg) -> None:
    expect(org.get(LIST), 200)
    org.client.revoke()

    assert code_of(org.get(LIST), 401) == "invalid_access_token"


def test_the_token_is_checked_before_the_locale_the_ids_and_the_body(org: ModuleOrg) -> None:
    bad = org.http.post(
        "/module/v3/!!/organization/nope/appointment/add", content=b"{not json", headers={"x": "y"}
    )

    assert code_of(bad, 401) == "missing_access_token"
