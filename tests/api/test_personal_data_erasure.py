"""Erasure by crypto-shredding over HTTP: personal values stored sealed, and erased on every read and view."""

from __future__ import annotations

import uuid
from uuid import UUID

import httpx

from domain.ids import court_booking_id
from ledger.runtime import Runtime
from tests.api.erasure_support import (
    ERASED,
    email_of,
    erase,
    make_erasing_tenant,
    position_of,
    stored_states,
)
from tests.support import booking_body, expect, instant, random_day

ENDPOINT = "DELETE /api/v1/users/data"


def test_personal_values_are_stored_sealed_and_read_back_in_clear(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    scene = make_erasing_tenant(http, admin_headers)
    tenant = scene.tenant
    body = booking_body(tenant.court_id, random_day(), participants=[{"email": "Sealed.Person@Example.com"}])
    path = tenant.booking_path(f"sealed-{uuid.uuid4().hex[:8]}")
    expect(http.put(path, json=body, headers=tenant.headers), 201)

    read = expect(http.get(path, headers=tenant.headers), 200)

    assert read["participants"] == [{"email": "sealed.person@example.com"}]
    booking_id = court_booking_id(UUID(tenant.client_id), path.rsplit("/", 1)[1])
    [stored] = stored_states(runtime, booking_id)
    assert b"sealed.person" not in stored.lower()
    assert b'"personalData"' in stored


def test_a_user_erases_their_own_data_and_every_court_booking_read_shows_it_erased(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    scene = make_erasing_tenant(http, admin_headers)
    tenant = scene.tenant
    athlete_email = email_of(runtime, tenant.user_id)
    start = random_day()
    external_id = f"erase-{uuid.uuid4().hex[:8]}"
    path = tenant.booking_path(external_id)
    participants = [{"userId": tenant.user_id}, {"email": athlete_email}, {"email": "stays@example.com"}]
    expect(
        http.put(
            path, json=booking_body(tenant.court_id, start, participants=participants), headers=tenant.headers
        ),
        201,
    )

    erased = erase(scene)

    body = expect(erased, 200)
    assert body["userId"] == tenant.user_id
    assert body["keysDestroyed"] == 2
    assert "CourtBooking.participants" in body["kinds"]
    assert "User.email" in body["kinds"]
    read = expect(http.get(path, headers=tenant.headers), 200)
    # A participant named by user id alone is a reference, kept as a booking's user id is.
    assert read["participants"] == [
        {"userId": tenant.user_id},
        {"email": ERASED},
        {"email": "stays@example.com"},
    ]
    assert (read["courtId"], read["status"], read["startDate"]) == (tenant.court_id, "active", instant(start))
    listed = expect(
        http.get(
            tenant.list_path,
            params={"courtId": tenant.court_id, "consistentWith": position_of(erased)},
            headers=tenant.headers,
        ),
        200,
    )
    [row] = [each for each in listed["data"] if each["externalCourtBookingId"] == external_id]
    assert row["participants"] == [
        {"userId": tenant.user_id},
        {"email": ERASED},
        {"email": "stays@example.com"},
    ]
    history = expect(
        http.get(
            f"/api/v1/audit/court-bookings/{tenant.client_id}/{external_id}/history", headers=tenant.headers
        ),
        200,
    )
    assert history["events"][0]["data"]["participants"] == [
        {"userId": tenant.user_id},
        {"email": ERASED},
        {"email": "stays@example.com"},
    ]
    versioned = expect(http.get(path, params={"version": 1}, headers=tenant.headers), 200)
    as_of = expect(http.get(path, params={"asOf": read["updatedAt"]}, headers=tenant.headers), 200)
    for past in (versioned, as_of):
        assert past["participants"] == [
            {"userId": tenant.user_id},
            {"email": ERASED},
            {"email": "stays@example.com"},
        ]
    assert runtime.ledger.user(UUID(tenant.user_id)).email == ERASED
