"""Races through HTTP on real PostgreSQL: overlapping slots, stale writes; exactly the right writers win."""

from __future__ import annotations

import random
import threading
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.orders_support import make_booking_tenant, orders_of, place_order, schedule_event, seats_taken
from tests.reliability.report import ScenarioResult
from tests.support import Tenant, booking_body, random_day

RACERS = 32


def race(base_url: str, requests: list[Callable[[httpx.Client], httpx.Response]]) -> list[httpx.Response]:
    """Send every request at once, each from its own connection, released together by a barrier."""
    barrier = threading.Barrier(len(requests))
    responses: list[httpx.Response | None] = [None] * len(requests)

    def send(index: int) -> None:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            barrier.wait()
            responses[index] = requests[index](client)

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return [response for response in responses if response is not None]


def put(tenant: Tenant, external_id: str, body: dict[str, Any]) -> Callable[[httpx.Client], httpx.Response]:
    return lambda client: client.put(tenant.booking_path(external_id), json=body, headers=tenant.headers)


def overlap_rounds(tenant: Tenant, rounds: int) -> ScenarioResult:
    result = ScenarioResult(f"overlap race ({RACERS} racers x {rounds} rounds)")
    for _ in range(rounds):
        start = random_day() + timedelta(hours=random.randint(0, 20))
        ids = [uuid.uuid4().hex for _ in range(RACERS)]
        bodies = [booking_body(tenant.court_id, start + timedelta(minutes=index)) for index in range(RACERS)]
        responses = race(
            str(tenant.http.base_url), [put(tenant, i, b) for i, b in zip(ids, bodies, strict=True)]
        )
        statuses = Counter(response.status_code for response in responses)
        result.runs += 1
        result.acknowledged += statuses[201]
        result.server_errors += sum(count for status, count in statuses.items() if status >= 500)
        losers = [r.json()["error"]["type"] for r in responses if r.status_code == 409]
        if statuses[201] != 1 or set(losers) - {"court_booking_overlap"} or len(responses) != RACERS:
            result.invariant_violations += 1
        stored = [tenant.http.get(tenant.booking_path(i), headers=tenant.headers).status_code for i in ids]
        result.lost += sum(
            1 for r, s in zip(responses, stored, strict=True) if r.status_code == 201 and s != 200
        )
        result.duplicated += max(0, stored.count(200) - 1)
    return result


def test_overlap_race_admits_one_winner_per_round(tenant: Tenant) -> None:
    overlap_rounds(tenant, rounds=3).assert_clean()


@pytest.mark.slow
def test_overlap_race_admits_one_winner_in_each_of_fifty_rounds(tenant: Tenant) -> None:
    overlap_rounds(tenant, rounds=50).assert_clean()


def test_concurrent_stale_writes_leave_the_newest_timestamp_stored(tenant: Tenant) -> None:
    external_id = uuid.uuid4().hex
    start = random_day()
    base = datetime(2030, 1, 1, tzinfo=UTC)
    offsets = random.sample(range(1, 100_000), RACERS)
    bodies = [
        booking_body(tenant.court_id, start, hours=1 + (offset % 3), updated=base + timedelta(seconds=offset))
        for offset in offsets
    ]

    responses = race(str(tenant.http.base_url), [put(tenant, external_id, body) for body in bodies])

    result = ScenarioResult("stale-write race (32 upserts of one booking)", runs=1)
    ok = [r for r in responses if r.status_code in (200, 201)]
    result.acknowledged = len(ok)
    result.server_errors = sum(1 for r in responses if r.status_code >= 500)
    loser_types = {r.json()["error"]["type"] for r in responses if r.status_code == 409}
    stored = tenant.http.get(tenant.booking_path(external_id), headers=tenant.headers).json()
    newest = max(bodies, key=lambda body: body["externalUpdatedAt"])
    if stored["externalUpdatedAt"] != newest["externalUpdatedAt"] or stored["endDate"] != newest["endDate"]:
        result.lost += 1
    if loser_types - {"stale_write", "version_conflict"} or len(ok) + sum(
        1 for r in responses if r.status_code == 409
    ) != len(responses):
        result.invariant_violations += 1
    history = tenant.http.get(
        f"/api/v1/audit/court-bookings/{tenant.client_id}/{external_id}/history", headers=tenant.headers
    ).json()["events"]
    timestamps = [event["data"]["external_updated_at"] for event in history]
    if timestamps != sorted(timestamps) or len(set(timestamps)) != len(timestamps):
        result.invariant_violations += 1
    if len(history) != len(ok):
        result.duplicated += abs(len(history) - len(ok))
    result.assert_clean()


def test_more_concurrent_orders_than_seats_sell_exactly_the_seats(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    shop = make_booking_tenant(http, admin_headers)
    seats, buyers = 5, 16
    event = schedule_event(shop, seats=seats)
    users = [shop.link_new_user() for _ in range(buyers)]

    def order_for(user: str) -> Callable[[httpx.Client], httpx.Response]:
        return lambda client: place_order(shop, [event], user, client=client)

    responses = race(str(http.base_url), [order_for(user) for user in users])

    result = ScenarioResult(f"seat race ({buyers} orders for {seats} seats)", runs=1)
    statuses = Counter(response.status_code for response in responses)
    result.acknowledged = statuses[201]
    result.server_errors = sum(count for status, count in statuses.items() if status >= 500)
    codes = {r.json()["errors"][0]["code"] for r in responses if r.status_code == 409}
    taken = seats_taken(shop, event)
    if statuses[201] != seats or taken != seats or codes != {"event_full"}:
        result.invariant_violations += 1
    result.lost = max(0, statuses[201] - taken)
    result.duplicated = max(0, taken - statuses[201])
    result.assert_clean()


def test_concurrent_retries_with_one_idempotency_key_place_one_order(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    shop = make_booking_tenant(http, admin_headers)
    retries = 10
    event = schedule_event(shop, seats=retries)
    key = {"Idempotency-Key": uuid.uuid4().hex}

    responses = race(
        str(http.base_url), [lambda client: place_order(shop, [event], headers=key, client=client)] * retries
    )

    result = ScenarioResult(f"idempotency race ({retries} retries, one key)", runs=1)
    result.acknowledged = 1 if any(response.status_code == 201 for response in responses) else 0
    result.server_errors = sum(1 for response in responses if response.status_code >= 500)
    if len({(response.status_code, response.content) for response in responses}) != 1:
        result.invariant_violations += 1
    orders = orders_of(shop, shop.athlete_id, at_least=1)
    result.duplicated = max(0, len(orders) - 1) + max(0, seats_taken(shop, event) - 1)
    result.lost = 1 - min(1, len(orders))
    result.assert_clean()
