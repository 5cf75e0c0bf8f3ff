"""The change feed: a client's changes in ledger order, cancellations included, paged, filtered, isolated."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from api.app import create_app
from domain.ids import court_booking_id
from ledger.runtime import Runtime
from ledger.settings import Settings
from tests.api.client_booking_support import BOOKINGS, local, make_bookable, soon
from tests.api.feed_support import (
    FEED,
    cancel_court_booking,
    feed_page,
    make_feed_module_org,
    make_feed_tenant,
    of_entity,
    read_changes,
    upsert_court_booking,
)
from tests.api.module_support import local_day
from tests.api.orders_support import BOOKING_SCOPES, book, make_booking_tenant, schedule_event
from tests.support import ServerThread, Tenant, expect, make_tenant, runtime_of_its_own


def booking_id_of(tenant: Tenant, external_id: str) -> str:
    return str(court_booking_id(UUID(tenant.client_id), external_id))


def test_feed_lists_a_court_booking_from_registration_to_cancellation(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_feed_tenant(http, admin_headers)
    upsert_court_booking(tenant, "b-1", hour=9)
    upsert_court_booking(tenant, "b-1", hour=10, revision=1)
    cancel_court_booking(tenant, "b-1")

    changes, _ = read_changes(http, tenant.headers, 3)

    assert of_entity(changes, booking_id_of(tenant, "b-1")) == [
        "court_booking.registered",
        "court_booking.revised",
        "court_booking.canceled",
    ]
    canceled = changes[-1]
    assert canceled["entity"] == "court_booking"
    assert canceled["externalId"] == "b-1"
    assert canceled["state"]["status"] == "canceled"
    assert canceled["state"]["courtId"] == tenant.court_id
    assert canceled["state"]["participantCount"] == 1
    assert canceled["recordedAt"].endswith("Z")
    positions = [change["position"] for change in changes]
    assert positions == sorted(set(positions))


def test_feed_lists_an_order_its_booking_and_the_bookings_cancellation(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_booking_tenant(http, admin_headers, scopes=[*BOOKING_SCOPES, "changes:read"])
    [booking_id] = book(tenant, [schedule_event(tenant)])
    path = f"/api/v1/bookings/{booking_id}/cancel"
    expect(http.post(path, json={"cancellationReasonCode": "NoTime"}, headers=tenant.acting()), 200)

    changes, _ = read_changes(http, tenant.tenant.headers, 3)

    assert of_entity(changes, booking_id) == ["booking.requested", "booking.canceled"]
    assert changes[-1]["state"]["status"] == "Canceled"
    assert changes[-1]["state"]["canceledByRole"] == "Athlete"
    [order] = [change for change in changes if change["entity"] == "order"]
    assert order["type"] == "order.placed"
    assert order["state"]["bookingIds"] == [booking_id]


def test_feed_lists_a_client_api_booking_and_its_cancellation(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    bookable = make_bookable(http, admin_headers, scopes=["client-api", "changes:read"])
    day = soon()
    created = bookable.booked(local(day, 10), local(day, 11))
    path = f"{BOOKINGS}{created['id']}/cancel/"
    user = {"X-User-External-ID": bookable.user}
    expect(bookable.partner.post(path, {"reason": "user_request"}, **user), 200)

    changes, _ = read_changes(http, bookable.partner.headers, 2)

    assert [change["type"] for change in changes] == [
        "resource_booking.requested",
        "resource_booking.cancelled",
    ]
    assert changes[0]["state"]["number"] == created["id"]
    assert changes[1]["state"]["status"] == "cancelled"


def test_feed_lists_an_appointment_and_its_cancellation(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    org, key_headers = make_feed_module_org(http, admin_headers)
    added = expect(org.add(org.slot_at(local_day(3, 10))["id"]), 201)
    expect(org.post(f"appointment/{added['id']}/cancel"), 200)

    changes, _ = read_changes(http, key_headers, 2)

    assert of_entity(changes, added["id"]) == ["appointment.booked", "appointment.cancelled"]
    assert changes[1]["state"]["status"] == "CANCELLED"
    assert "customer" not in changes[0]["state"]


def test_pages_follow_the_cursor_without_gaps_or_repeats(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_feed_tenant(http, admin_headers)
    for number in range(5):
        upsert_court_booking(tenant, f"p-{number}", hour=number)
    everything, _ = read_changes(http, tenant.headers, 5)

    first = feed_page(http, tenant.headers, limit=2)
    second = feed_page(http, tenant.headers, first["next"], limit=2)
    third = feed_page(http, tenant.headers, second["next"], limit=2)
    after_all = feed_page(http, tenant.headers, third["next"], limit=2)

    assert [first["hasMore"], second["hasMore"], third["hasMore"]] == [True, True, False]
    assert first["changes"] + second["changes"] + third["changes"] == everything
    assert after_all["changes"] == []
    assert after_all["next"] == third["next"]


def test_types_keep_only_the_changes_named(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    tenant = make_feed_tenant(http, admin_headers)
    upsert_court_booking(tenant, "t-1", hour=8)
    upsert_court_booking(tenant, "t-2", hour=9)
    cancel_court_booking(tenant, "t-2")
    read_changes(http, tenant.headers, 3)

    canceled = feed_page(http, tenant.headers, types="court_booking.canceled")
    whole_entity = feed_page(http, tenant.headers, types="court_booking")
    other = feed_page(http, tenant.headers, types="booking,order")

    assert [change["externalId"] for change in canceled["changes"]] == ["t-2"]
    assert len(whole_entity["changes"]) == 3
    assert other["changes"] == []


def test_a_long_poll_answers_with_a_change_made_while_it_waits(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_feed_tenant(http, admin_headers)
    cursor = feed_page(http, tenant.headers)["next"]
    with ThreadPoolExecutor(1) as pool:
        waiting = pool.submit(feed_page, http, tenant.headers, cursor, wait=25)
        upsert_court_booking(tenant, "w-1", hour=7)
        page = waiting.result()

    assert [change["externalId"] for change in page["changes"]] == ["w-1"]


def test_a_long_poll_without_changes_answers_empty_with_a_cursor_that_reads_on(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_feed_tenant(http, admin_headers)

    empty = feed_page(http, tenant.headers, wait=0.3)
    upsert_court_booking(tenant, "e-1", hour=7)
    changes, _ = read_changes(http, tenant.headers, 1, after=empty["next"])

    assert empty["changes"] == []
    assert empty["hasMore"] is False
    assert [change["externalId"] for change in changes] == ["e-1"]


def test_long_polls_give_their_clients_places_back_while_they_wait(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_feed_tenant(http, admin_headers)
    cursor = feed_page(http, tenant.headers)["next"]
    # More long polls than the client's places in flight (4): each gives its place back while it waits.
    with ThreadPoolExecutor(6) as pool, httpx.Client(base_url=str(http.base_url), timeout=40) as other:
        waits = [pool.submit(feed_page, other, tenant.headers, cursor, wait=25) for _ in range(6)]
        upsert_court_booking(tenant, "f-1", hour=6)
        pages = [waiting.result() for waiting in waits]

    assert all([change["externalId"] for change in page["changes"]] == ["f-1"] for page in pages)


def test_a_client_never_sees_another_clients_changes_while_both_write(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    first, second = make_feed_tenant(http, admin_headers), make_feed_tenant(http, admin_headers)

    def write(tenant: Tenant, prefix: str) -> None:
        for number in range(12):
            upsert_court_booking(tenant, f"{prefix}-{number}", hour=number)

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(write, (first, second), ("first", "second")))
    first_changes, _ = read_changes(http, first.headers, 12)
    second_changes, _ = read_changes(http, second.headers, 12)

    assert {change["externalId"] for change in first_changes} == {f"first-{n}" for n in range(12)}
    assert {change["externalId"] for change in second_changes} == {f"second-{n}" for n in range(12)}
    assert feed_page(http, first.headers, limit=1000)["changes"] == first_changes


def test_the_feed_needs_a_key_with_the_changes_scope(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    without_scope = make_tenant(http, admin_headers)

    missing = http.get(FEED)
    refused = http.get(FEED, headers=without_scope.headers)

    assert missing.status_code == 401
    assert missing.json()["error"]["type"] == "missing_api_token"
    assert refused.status_code == 403
    assert refused.json()["error"]["type"] == "scope_permission_denied"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"after": "not-a-cursor"}, "after"),
        ({"after": "eyJ2IjoxLCJwIjotMX0"}, "after"),
        ({"limit": 1001}, "limit"),
        ({"limit": 0}, "limit"),
        ({"wait": 31}, "wait"),
        ({"types": "court_booking.exploded"}, "types"),
    ],
)
def test_malformed_parameters_are_refused_naming_them(
    http: httpx.Client, admin_headers: dict[str, str], params: dict[str, Any], named: str
) -> None:
    tenant = make_feed_tenant(http, admin_headers)

    response = http.get(FEED, params=params, headers=tenant.headers)

    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["type"] == "invalid_schema"
    assert any(named in issue["path"] for issue in error["issues"])


@pytest.fixture
def own_ledger(settings: Settings) -> Iterator[tuple[Runtime, httpx.Client]]:
    """A ledger on a schema of its own, so pruning its feed leaves the session's views as they are."""
    with (
        runtime_of_its_own(settings, "feed") as runtime,
        ServerThread(create_app(runtime=runtime)) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        yield runtime, http


def test_a_cursor_from_before_the_retention_answers_410(
    own_ledger: tuple[Runtime, httpx.Client], admin_headers: dict[str, str]
) -> None:
    runtime, http = own_ledger
    tenant = make_feed_tenant(http, admin_headers)
    upsert_court_booking(tenant, "r-1", hour=5)
    old_cursor = feed_page(http, tenant.headers)["next"]
    upsert_court_booking(tenant, "r-2", hour=6)
    read_changes(http, tenant.headers, 2)

    runtime.changes.prune(runtime.clock() + timedelta(seconds=1))
    expired = http.get(FEED, params={"after": old_cursor}, headers=tenant.headers)
    fresh = feed_page(http, tenant.headers)

    assert expired.status_code == 410
    assert expired.json()["error"]["type"] == "cursor_expired"
    assert "retention" in expired.json()["error"]["message"]
    assert fresh["changes"] == []
