"""Races through HTTP on real PostgreSQL: overlapping slots, stale writes; exactly the right writers win."""

from __future__ import annotations

import random
import uuid
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.orders_support import make_booking_tenant, orders_of, place_order, schedule_event, seats_taken
from tests.racing import Raced, race
from tests.reliability.report import ScenarioResult
from tests.support import Tenant, booking_body, random_day

RACERS = 32


def tally(result: ScenarioResult, outcomes: list[Raced]) -> Counter[int | None]:
    """Count every racer's answer by status (None: no answer) into `result`.

    A racer whose request raised (a timeout, a reset connection) got no answer at all, which counts as a
    server error like a 5xx: a client cannot tell what happened to its write.
    """
    statuses = Counter(outcome.status for outcome in outcomes)
    result.server_errors += sum(
        count for status, count in statuses.items() if status is None or status >= 500
    )
    return statuses


def put(tenant: Tenant, external_id: str, body: dict[str, Any]) -> Callable[[httpx.Client], httpx.Response]:
    return lambda client: client.put(tenant.booking_path(external_id), json=body, headers=tenant.headers)


def responded(outcomes: list[Raced], status: int) -> list[httpx.Response]:
    return [
        outcome.response for outcome in outcomes if outcome.response is not None and outcome.status == status
    ]


def overlap_rounds(tenant: Tenant, rounds: int) -> ScenarioResult:
    result = ScenarioResult(f"overlap race ({RACERS} racers x {rounds} rounds)")
    for _ in range(rounds):
        start = random_day() + timedelta(hours=random.randint(0, 20))
        ids = [uuid.uuid4().hex for _ in range(RACERS)]
        bodies = [booking_body(tenant.court_id, start + timedelta(minutes=index)) for index in range(RACERS)]
        outcomes = race(
            str(tenant.http.base_url), [put(tenant, i, b) for i, b in zip(ids, bodies, strict=True)]
        )
        statuses = tally(result, outcomes)
        result.runs += 1
        result.acknowledged += statuses[201]
        losers = [r.json()["error"]["type"] for r in responded(outcomes, 409)]
        if statuses[201] != 1 or set(losers) - {"court_booking_overlap"} or 1 + len(losers) != RACERS:
            result.invariant_violations += 1
        stored = [tenant.http.get(tenant.booking_path(i), headers=tenant.headers).status_code for i in ids]
        pairs = list(zip(outcomes, stored, strict=True))
        result.lost += sum(1 for outcome, found in pairs if outcome.status == 201 and found != 200)
        result.duplicated += max(0, stored.count(200) - 1)
        # A refused racer's booking must not exist: nothing half-written.
        result.invariant_violations += sum(
            1 for outcome, found in pairs if outcome.status == 409 and found != 404
        )
    return result


def test_overlap_race_admits_one_winner_per_round(tenant: Tenant) -> None:
    overlap_rounds(tenant, rounds=3).assert_clean()


@pytest.mark.slow
def test_overlap_race_admits_one_winner_in_each_of_fifty_rounds(tenant: Tenant) -> None:
    overlap_rounds(tenant, rounds=50).assert_clean()


def test_a_racer_whose_request_timed_out_counts_as_a_server_error(tenant: Tenant) -> None:
    def timed_out(client: httpx.Client) -> httpx.Response:
        return client.get("/health", timeout=1e-6)

    outcomes = race(str(tenant.http.base_url), [timed_out, lambda client: client.get("/health")])

    result = ScenarioResult("race tally")
    statuses = tally(result, outcomes)
    assert isinstance(outcomes[0].error, httpx.TimeoutException)
    assert statuses == {None: 1, 200: 1}
    assert result.server_errors == 1


def instants(values: list[str]) -> Counter[datetime]:
    return Counter(datetime.fromisoformat(value) for value in values)


def test_concurrent_stale_writes_leave_the_newest_timestamp_stored(tenant: Tenant) -> None:
    external_id = uuid.uuid4().hex
    start = random_day()
    base = datetime(2030, 1, 1, tzinfo=UTC)
    offsets = random.sample(range(1, 100_000), RACERS)
    bodies = [
        booking_body(tenant.court_id, start, hours=1 + (offset % 3), updated=base + timedelta(seconds=offset))
        for offset in offsets
    ]

    outcomes = race(str(tenant.http.base_url), [put(tenant, external_id, body) for body in bodies])

    result = ScenarioResult("stale-write race (32 upserts of one booking)", runs=1)
    statuses = tally(result, outcomes)
    accepted = [
        (body, outcome.response)
        for body, outcome in zip(bodies, outcomes, strict=True)
        if outcome.response is not None and outcome.status in (200, 201)
    ]
    result.acknowledged = len(accepted)
    loser_types = {r.json()["error"]["type"] for r in responded(outcomes, 409)}
    # Every timestamp differs, so each racer is either applied or refused as stale; nothing else.
    if loser_types - {"stale_write"} or len(accepted) + statuses[409] != RACERS:
        result.invariant_violations += 1
    for body, response in accepted:
        if instants([response.json()["externalUpdatedAt"]]) != instants([body["externalUpdatedAt"]]):
            result.invariant_violations += 1
    stored = tenant.http.get(tenant.booking_path(external_id), headers=tenant.headers).json()
    newest = max(bodies, key=lambda body: body["externalUpdatedAt"])
    if stored["externalUpdatedAt"] != newest["externalUpdatedAt"] or stored["endDate"] != newest["endDate"]:
        result.lost += 1
    history = tenant.http.get(
        f"/api/v1/audit/court-bookings/{tenant.client_id}/{external_id}/history", headers=tenant.headers
    ).json()["events"]
    timestamps = [event["data"]["external_updated_at"] for event in history]
    if timestamps != sorted(timestamps) or len(set(timestamps)) != len(timestamps):
        result.invariant_violations += 1
    # Each acknowledged timestamp is in the history once, and the history holds no other.
    acknowledged = instants([body["externalUpdatedAt"] for body, _ in accepted])
    written = instants(timestamps)
    result.lost += sum((acknowledged - written).values())
    unacknowledged = written - acknowledged
    result.duplicated += sum(count for stamp, count in unacknowledged.items() if stamp in acknowledged)
    result.invariant_violations += sum(
        count for stamp, count in unacknowledged.items() if stamp not in acknowledged
    )
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

    outcomes = race(str(http.base_url), [order_for(user) for user in users])

    result = ScenarioResult(f"seat race ({buyers} orders for {seats} seats)", runs=1)
    statuses = tally(result, outcomes)
    result.acknowledged = statuses[201]
    codes = {r.json()["errors"][0]["code"] for r in responded(outcomes, 409)}
    taken = seats_taken(shop, event)
    if statuses[201] != seats or taken != seats or codes != {"event_full"} or statuses[409] != buyers - seats:
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

    outcomes = race(
        str(http.base_url), [lambda client: place_order(shop, [event], headers=key, client=client)] * retries
    )

    result = ScenarioResult(f"idempotency race ({retries} retries, one key)", runs=1)
    statuses = tally(result, outcomes)
    result.acknowledged = 1 if statuses[201] else 0
    answers = {(o.status, o.response.content if o.response is not None else None) for o in outcomes}
    if len(answers) != 1:
        result.invariant_violations += 1
    orders = orders_of(shop, shop.athlete_id, at_least=1)
    result.duplicated = max(0, len(orders) - 1) + max(0, seats_taken(shop, event) - 1)
    result.lost = 1 - min(1, len(orders))
    result.assert_clean()
