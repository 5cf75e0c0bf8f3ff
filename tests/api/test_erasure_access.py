"""Who may erase whom: a user themselves, another user only with the admin scope; errors in LE-KO's format."""

from __future__ import annotations

import uuid
from uuid import UUID

import httpx

from ledger.runtime import Runtime
from replay.history import aggregate_history
from tests.api.erasure_support import ERASED, email_of, erase, make_erasing_tenant
from tests.api.orders_support import BookingTenant, errors_of, link_new_user, make_booking_tenant
from tests.support import ACTING_USER, expect

ENDPOINT = "DELETE /api/v1/users/data"


def admin_client(http: httpx.Client, admin_headers: dict[str, str]) -> BookingTenant:
    return make_erasing_tenant(http, admin_headers, "admin")


def test_a_client_without_the_admin_scope_cannot_erase_another_of_its_users(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    scene = make_erasing_tenant(http, admin_headers)
    other = link_new_user(scene.tenant)
    email = email_of(runtime, other)

    response = erase(scene, user_id=other)

    [entry] = errors_of(response, 403, ENDPOINT)
    assert entry["code"] == "forbidden"
    assert email_of(runtime, other) == email


def test_a_client_cannot_act_for_another_clients_user(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    scene = make_erasing_tenant(http, admin_headers)
    other_client = make_erasing_tenant(http, admin_headers)
    email = email_of(runtime, other_client.athlete_id)

    response = erase(scene, acting_as=other_client.athlete_id)

    [entry] = errors_of(response, 403, ENDPOINT)
    assert entry["code"] == "forbidden"
    assert email_of(runtime, other_client.athlete_id) == email


def test_a_client_without_the_users_write_scope_cannot_erase(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    scene = make_booking_tenant(http, admin_headers)
    email = email_of(runtime, scene.athlete_id)

    response = erase(scene)

    [entry] = errors_of(response, 403, ENDPOINT)
    assert entry["code"] == "forbidden"
    assert email_of(runtime, scene.athlete_id) == email


def test_a_client_with_the_admin_scope_erases_another_user_and_the_erasure_is_audited(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    scene = admin_client(http, admin_headers)
    target = link_new_user(make_erasing_tenant(http, admin_headers).tenant)

    response = http.delete("/api/v1/users/data", params={"userId": target}, headers=scene.tenant.headers)

    body = expect(response, 200)
    assert body["userId"] == target
    assert email_of(runtime, target) == ERASED
    erasure = aggregate_history(runtime.ledger, UUID(target))[-1]
    assert erasure.type == "User.PersonalDataErased"
    assert erasure.data["requested_by"] is None
    assert erasure.meta["actor"] == scene.tenant.client_id
    assert erasure.data["kinds"] == body["kinds"]
    assert len(erasure.data["key_ids"]) == body["keysDestroyed"]
    assert erasure.recorded_at == body["erasedAt"].replace("+00:00", "Z")


def test_a_user_erasing_themselves_is_recorded_as_the_one_who_asked(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    scene = make_erasing_tenant(http, admin_headers)

    expect(erase(scene), 200)

    erasure = aggregate_history(runtime.ledger, UUID(scene.athlete_id))[-1]
    assert erasure.data["requested_by"] == scene.athlete_id


def test_erasing_an_unknown_user_answers_404_not_found(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = admin_client(http, admin_headers)

    response = http.delete(
        "/api/v1/users/data", params={"userId": str(uuid.uuid4())}, headers=scene.tenant.headers
    )

    [entry] = errors_of(response, 404, ENDPOINT)
    assert entry["code"] == "not_found"


def test_naming_no_user_answers_400_validation(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    scene = admin_client(http, admin_headers)

    response = http.delete("/api/v1/users/data", headers=scene.tenant.headers)

    [entry] = errors_of(response, 400, ENDPOINT)
    assert entry["code"] == "validation"


def test_a_malformed_user_id_answers_400_validation(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = make_erasing_tenant(http, admin_headers)

    response = http.delete(
        "/api/v1/users/data",
        params={"userId": "not-a-uuid"},
        headers={**scene.tenant.headers, ACTING_USER: scene.athlete_id},
    )

    assert errors_of(response, 400, ENDPOINT)[0]["code"] == "validation"


def test_erasing_twice_destroys_nothing_more_the_second_time(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = make_erasing_tenant(http, admin_headers)
    expect(erase(scene), 200)

    again = expect(erase(scene), 200)

    assert again["keysDestroyed"] == 0
