"""Time travel by timestamp over HTTP: `?asOf=` on a court booking, a booking and an order."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.orders_support import (
    BookingTenant,
    acting,
    book,
    cancel_booking,
    error_code,
    make_booking_tenant,
    schedule_event,
)
from tests.support import MovableClock, Tenant, booking_body, expect, instant, random_day

UPDATED = [datetime.fromisoformat(f"203{n}-01-01T00:00:00+00:00") for n in range(1, 3)]
INVALID = ["yesterday", "2030-01-01T00:00:00", "1700000000", "2030-01-01", "2030-02-30T00:00:00Z", ""]


def as_of(tenant: Tenant, external_id: str, moment: datetime | str) -> httpx.Response:
    value = moment if isinstance(moment, str) else instant(moment)
    return tenant.http.get(tenant.booking_path(external_id), params={"asOf": value}, headers=tenant.headers)


def moved_court_booking(tenant: Tenant, clock: MovableClock) -> tuple[str, datetime, datetime, datetime]:
    """A booking written, then an hour later moved by two hours: its id, its day, and the ledger's clock
    after the first write and after the second."""
    external_id, day = uuid.uuid4().hex, random_day()
    assert tenant.put(external_id, booking_body(tenant.court_id, day, updated=UPDATED[0])).status_code == 201
    first = clock()
    clock.advance(timedelta(hours=1))
    moved = booking_body(tenant.court_id, day + timedelta(hours=2), updated=UPDATED[1])
    assert tenant.put(external_id, moved).status_code == 200
    return external_id, day, first, clock()


def test_a_court_booking_as_of_an_instant_is_as_the_events_recorded_by_then_made_it(
    tenant: Tenant, clock: MovableClock
) -> None:
    external_id, day, first, second = moved_court_booking(tenant, clock)

    then = as_of(tenant, external_id, first + timedelta(minutes=30))
    now = as_of(tenant, external_id, second)

    assert datetime.fromisoformat(expect(then, 200)["startDate"]) == day
    assert then.headers["ETag"] == '"1"'
    assert datetime.fromisoformat(expect(now, 200)["startDate"]) == day + timedelta(hours=2)
    assert now.headers["ETag"] == '"2"'


def test_as_of_the_instant_an_event_was_recorded_includes_it(tenant: Tenant, clock: MovableClock) -> None:
    external_id, *_ = moved_court_booking(tenant, clock)
    path = f"/api/v1/audit/court-bookings/{tenant.client_id}/{external_id}/history"
    recorded = [e["recordedAt"] for e in expect(tenant.http.get(path, headers=tenant.headers), 200)["events"]]

    etags = [as_of(tenant, external_id, moment).headers["ETag"] for moment in recorded]

    assert etags == ['"1"', '"2"']


def test_a_court_booking_as_of_before_it_existed_is_not_found(tenant: Tenant, clock: MovableClock) -> None:
    external_id, _, first, _ = moved_court_booking(tenant, clock)

    response = as_of(tenant, external_id, first - timedelta(days=1))

    assert expect(response, 404)["error"]["type"] == "court_booking_not_found"


@pytest.mark.parametrize("value", INVALID)
def test_an_invalid_as_of_is_rejected_as_invalid_schema(tenant: Tenant, value: str) -> None:
    external_id = uuid.uuid4().hex
    tenant.put(external_id, booking_body(tenant.court_id, random_day()))

    response = as_of(tenant, external_id, value)

    body = expect(response, 400)
    assert body["error"]["type"] == "invalid_schema"
    assert "asOf" in response.text


def test_as_of_together_with_a_version_is_rejected(tenant: Tenant) -> None:
    external_id = uuid.uuid4().hex
    tenant.put(external_id, booking_body(tenant.court_id, random_day()))

    response = tenant.http.get(
        tenant.booking_path(external_id),
        params={"asOf": instant(datetime.now().astimezone()), "version": 1},
        headers=tenant.headers,
    )

    assert expect(response, 400)["error"]["type"] == "invalid_schema"


def test_another_services_court_booking_stays_out_of_reach_as_of_any_instant(
    tenant: Tenant, other_tenant: Tenant, clock: MovableClock
) -> None:
    external_id, _, first, _ = moved_court_booking(other_tenant, clock)

    response = tenant.http.get(
        tenant.booking_path(external_id, other_tenant.client_id),
        params={"asOf": instant(first)},
        headers=tenant.headers,
    )

    assert expect(response, 403)["error"]["type"] == "external_service_access_denied"


def cancelled_booking(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> tuple[BookingTenant, str, datetime, datetime]:
    """A booking placed, then an hour later cancelled: its tenant, id, and the clock after each write."""
    scene = make_booking_tenant(http, admin_headers)
    [booking_id] = book(scene, [schedule_event(scene)])
    placed = clock()
    clock.advance(timedelta(hours=1))
    expect(cancel_booking(scene, booking_id), 200)
    return scene, booking_id, placed, clock()


def order_path(scene: BookingTenant, booking_id: str) -> str:
    booking = expect(scene.http.get(f"/api/v1/bookings/{booking_id}", headers=scene.acting()), 200)
    return f"/api/v1/orders/{booking['orderId']}"


def leko_get(scene: BookingTenant, path: str, moment: datetime | str) -> httpx.Response:
    value = moment if isinstance(moment, str) else instant(moment)
    return scene.http.get(path, params={"asOf": value}, headers=scene.acting())


def test_a_booking_and_its_order_as_of_an_instant_are_as_recorded_by_then(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    scene, booking_id, placed, cancelled = cancelled_booking(http, admin_headers, clock)
    booking_path, order = f"/api/v1/bookings/{booking_id}", order_path(scene, booking_id)
    between = placed + timedelta(minutes=30)

    then: dict[str, Any] = expect(leko_get(scene, booking_path, between), 200)
    now: dict[str, Any] = expect(leko_get(scene, booking_path, cancelled), 200)
    order_then = expect(leko_get(scene, order, between), 200)
    order_now = expect(leko_get(scene, order, cancelled), 200)

    assert (then["bookingStatus"], then["canceledAt"]) == ("Pending", None)
    assert now["bookingStatus"] == "Canceled"
    assert now["canceledAt"] is not None
    assert [b["bookingStatus"] for b in order_then["bookings"]] == ["Pending"]
    assert [b["bookingStatus"] for b in order_now["bookings"]] == ["Canceled"]


def test_a_booking_or_order_as_of_before_it_existed_is_not_found(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    scene, booking_id, placed, _ = cancelled_booking(http, admin_headers, clock)
    order, before = order_path(scene, booking_id), placed - timedelta(days=1)

    assert error_code(leko_get(scene, f"/api/v1/bookings/{booking_id}", before), 404) == "not_found"
    assert error_code(leko_get(scene, order, before), 404) == "not_found"


@pytest.mark.parametrize("value", INVALID)
def test_an_invalid_as_of_on_a_booking_or_order_is_a_validation_error(
    http: httpx.Client, admin_headers: dict[str, str], value: str
) -> None:
    scene = make_booking_tenant(http, admin_headers)
    [booking_id] = book(scene, [schedule_event(scene)])

    for path in (f"/api/v1/bookings/{booking_id}", f"/api/v1/orders/{uuid.uuid4()}"):
        assert error_code(leko_get(scene, path, value), 400) == "validation"


def test_another_clients_booking_stays_out_of_reach_as_of_any_instant(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    _, booking_id, placed, _ = cancelled_booking(http, admin_headers, clock)
    stranger = make_booking_tenant(http, admin_headers)

    response = stranger.http.get(
        f"/api/v1/bookings/{booking_id}", params={"asOf": instant(placed)}, headers=acting(stranger.tenant)
    )

    assert error_code(response, 404) == "not_found"
