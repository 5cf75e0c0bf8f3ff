"""The client API as a surface: base path, auth and scope, error shapes, slashes, idempotency, OpenAPI."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from tests.api.client_api_support import (
    CLIENT,
    NOT_AUTHENTICATED,
    PERMISSION_DENIED,
    Partner,
    make_partner,
    unique,
)
from tests.support import expect

REGISTER = f"{CLIENT}/users/register/"
GETS = [f"{CLIENT}/{kind}/mappings/" for kind in ("users", "resources", "venues")]
POSTS = [f"{CLIENT}/{kind}/register/" for kind in ("users", "resources", "venues")]


@pytest.fixture
def partner(http: httpx.Client, admin_headers: dict[str, str]) -> Partner:
    return make_partner(http, admin_headers)


def user_body(external_id: str | None = None) -> dict[str, str]:
    return {"external_id": external_id or unique("user"), "email": f"{unique('p')}@example.com"}


@pytest.mark.parametrize("path", GETS + POSTS)
def test_a_request_without_credentials_is_401_with_the_seeds_detail(http: httpx.Client, path: str) -> None:
    response = http.request("POST" if path in POSTS else "GET", path, json={})

    assert expect(response, 401) == NOT_AUTHENTICATED


def test_an_unknown_key_is_401_with_a_detail(http: httpx.Client) -> None:
    response = http.get(GETS[0], headers={"Authorization": "Token lk_not-a-key"})

    assert expect(response, 401) == {"detail": "Invalid token."}


@pytest.mark.parametrize("path", GETS + POSTS)
def test_a_key_without_the_client_api_scope_is_403_with_the_seeds_detail(
    http: httpx.Client, admin_headers: dict[str, str], path: str
) -> None:
    partner = make_partner(http, admin_headers, scopes=["court-bookings:read", "bookings:write"])

    response = partner.post(path, user_body()) if path in POSTS else partner.get(path)

    assert expect(response, 403) == PERMISSION_DENIED


@pytest.mark.parametrize(
    "headers",
    [
        lambda key: {"Authorization": f"Token {key}"},
        lambda key: {"Authorization": f"Bearer {key}"},
        lambda key: {"x-api-key": key},
    ],
    ids=["token", "bearer", "x-api-key"],
)
def test_the_key_is_accepted_as_token_bearer_or_x_api_key(
    partner: Partner, headers: Callable[[str], dict[str, str]]
) -> None:
    response = partner.http.get(GETS[0], headers=headers(partner.key))

    assert expect(response, 200) == []


def test_a_revoked_key_is_refused_on_the_next_request(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    partner = make_partner(http, admin_headers)
    keys = expect(http.get(f"/api/v1/admin/clients/{partner.client_id}", headers=admin_headers), 200)[
        "apiKeys"
    ]
    expect(http.get(GETS[0], headers=partner.headers), 200)

    revoked = http.delete(
        f"/api/v1/admin/clients/{partner.client_id}/api-keys/{keys[0]['id']}", headers=admin_headers
    )

    assert revoked.status_code == 204
    assert expect(http.get(GETS[0], headers=partner.headers), 401) == {"detail": "Invalid token."}


def test_unknown_paths_and_methods_below_the_base_path_answer_in_the_error_shape(partner: Partner) -> None:
    assert expect(partner.get("/matchengine/api/v1/client/nothing/"), 404) == {"error": "Not Found"}
    assert expect(partner.http.delete(GETS[0], headers=partner.headers), 405) == {
        "error": "Method Not Allowed"
    }
    assert partner.get("/api/v1/client/users/mappings/").status_code == 404


def test_a_body_over_one_mebibyte_is_413_in_the_error_shape(partner: Partner) -> None:
    body = {"external_id": "big", "email": "big@example.com", "first_name": "x" * (1024 * 1024 + 1)}

    response = partner.post(REGISTER, body)

    assert set(expect(response, 413)) == {"error"}


@pytest.mark.parametrize("path", GETS)
def test_a_path_without_its_trailing_slash_answers_the_same(partner: Partner, path: str) -> None:
    partner.register_user("slash-user")

    slashed = partner.get(path)
    bare = partner.get(path.rstrip("/"))

    assert bare.status_code == slashed.status_code == 200
    assert bare.json() == slashed.json()


def test_a_post_without_the_trailing_slash_is_served_not_redirected(partner: Partner) -> None:
    body = user_body("bare-post")

    bare = partner.post(REGISTER.rstrip("/"), body)
    slashed = partner.post(REGISTER, body)

    assert expect(bare, 201)["user_id"] == expect(slashed, 200)["user_id"]


def test_a_retried_post_with_the_same_idempotency_key_replays_the_first_answer(partner: Partner) -> None:
    body, key = user_body(), unique("key")

    first = partner.post(REGISTER, body, **{"Idempotency-Key": key})
    retry = partner.post(REGISTER.rstrip("/"), body, **{"Idempotency-Key": key})
    unkeyed = partner.post(REGISTER, body)

    assert expect(first, 201) == expect(retry, 201)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first.headers
    assert expect(unkeyed, 200)["mapping_created"] is False


def test_an_idempotency_key_reused_for_another_body_is_a_422(partner: Partner) -> None:
    key = unique("key")
    expect(partner.post(REGISTER, user_body(), **{"Idempotency-Key": key}), 201)

    reused = partner.post(REGISTER, user_body(), **{"Idempotency-Key": key})

    assert expect(reused, 422) == {"error": "This Idempotency-Key was used with a different request."}


def test_an_error_answer_is_replayed_to_a_retry_too(partner: Partner) -> None:
    body, key = {"external_id": "pitch", "resource_id": 999_999_999}, unique("key")
    path = f"{CLIENT}/resources/register/"

    first = partner.post(path, body, **{"Idempotency-Key": key})
    retry = partner.post(path, body, **{"Idempotency-Key": key})

    assert expect(first, 404) == expect(retry, 404) == {"error": "Resource 999999999 was not found."}
    assert retry.headers["Idempotent-Replayed"] == "true"


def test_an_idempotency_key_over_255_characters_is_refused(partner: Partner) -> None:
    response = partner.post(REGISTER, user_body(), **{"Idempotency-Key": "k" * 256})

    assert expect(response, 400) == {"error": "Idempotency-Key has 1 to 255 characters."}


def test_the_surface_serves_its_own_openapi_document_below_its_base_path(http: httpx.Client) -> None:
    document = expect(http.get("/matchengine/openapi.json"), 200)

    assert document["servers"] == [{"url": "/matchengine"}]
    assert set(document["paths"]) == {
        f"/api/v1/client/{kind}/{action}/"
        for kind in ("users", "resources", "venues")
        for action in ("register", "lookup", "mappings")
    } | {
        "/api/v1/client/venues/resources/",
        "/api/v1/resources/availability/",
        "/api/v1/bookings/",
        "/api/v1/bookings/{booking_id}/",
        "/api/v1/bookings/{booking_id}/cancel/",
        "/api/v1/bookings/{booking_id}/create-payment-intent/",
    }
    responses = document["paths"]["/api/v1/client/users/lookup/"]["get"]["responses"]
    for status in ("400", "401", "403", "404"):
        assert responses[status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ClientApiErrorBody"
        }
    shapes = document["components"]["schemas"]["ClientApiErrorBody"]["anyOf"]
    assert shapes == [
        {"$ref": "#/components/schemas/ClientApiError"},
        {"$ref": "#/components/schemas/ClientApiDetail"},
    ]
    assert "422" not in responses
    register = document["paths"]["/api/v1/client/users/register/"]["post"]["responses"]
    assert {"200", "201", "400", "401", "403", "409", "413", "422"} <= set(register)


def test_the_main_document_lists_the_client_api_below_its_base_path(http: httpx.Client) -> None:
    paths = set(expect(http.get("/openapi.json"), 200)["paths"])

    assert "/matchengine/api/v1/client/venues/resources/" in paths
    assert "/matchengine/api/v1/client/venues/resources" not in paths
    assert "/api/v1/admin/venue-mappings/{mappingId}/approve" in paths
