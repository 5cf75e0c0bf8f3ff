"""A booking read by id carries an ETag, like the other single resources, that changes with its response."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx

from tests.api.orders_support import (
    BookingTenant,
    acting,
    book,
    cancel_booking,
    make_booking_tenant,
    poll,
    schedule_event,
)
from tests.support import expect, random_day

STRONG_ETAG = re.compile(r'^"[!#-~]+"$')


def read(booking_tenant: BookingTenant, booking_id: str) -> httpx.Response:
    response = booking_tenant.http.get(f"/api/v1/bookings/{booking_id}", headers=booking_tenant.acting())
    expect(response, 200)
    return response


def read_when(booking_tenant: BookingTenant, booking_id: str, cardinality: int) -> httpx.Response:
    """The booking read once the view shows its service cardinality as `cardinality`."""
    response = poll(
        lambda: read(booking_tenant, booking_id),
        lambda response: response.json()["serviceCardinality"] == cardinality,
    )
    assert response.json()["serviceCardinality"] == cardinality
    return response


def test_a_booking_read_by_id_carries_a_strong_etag_that_holds_while_nothing_changes(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    booking_tenant = make_booking_tenant(http, admin_headers)
    [booking_id] = book(booking_tenant, [schedule_event(booking_tenant)])

    first = read_when(booking_tenant, booking_id, 1)
    second = read(booking_tenant, booking_id)

    assert STRONG_ETAG.match(first.headers["ETag"])
    assert second.headers["ETag"] == first.headers["ETag"]


def test_the_etag_of_a_booking_changes_when_the_booking_changes(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    booking_tenant = make_booking_tenant(http, admin_headers)
    [booking_id] = book(booking_tenant, [schedule_event(booking_tenant)])
    pending = read_when(booking_tenant, booking_id, 1)
    coach = acting(booking_tenant.tenant, booking_tenant.coach_id)
    expect(http.post(f"/api/v1/bookings/{booking_id}/accept", headers=coach), 200)

    accepted = read(booking_tenant, booking_id)

    assert accepted.json()["bookingStatus"] == "Accepted"
    assert STRONG_ETAG.match(accepted.headers["ETag"])
    assert accepted.headers["ETag"] != pending.headers["ETag"]


def test_the_etag_of_a_booking_changes_when_its_response_changes_through_another_booking(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    booking_tenant = make_booking_tenant(http, admin_headers)
    day = random_day()
    earlier = schedule_event(booking_tenant, day + timedelta(hours=9))
    later = schedule_event(booking_tenant, day + timedelta(hours=12))
    [first, second] = book(booking_tenant, [earlier, later])
    before = read_when(booking_tenant, second, 2)
    expect(cancel_booking(booking_tenant, first), 200)

    after = read_when(booking_tenant, second, 1)

    assert after.json()["bookingStatus"] == before.json()["bookingStatus"] == "Pending"
    assert after.headers["ETag"] != before.headers["ETag"]
