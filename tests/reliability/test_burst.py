"""A burst of idempotent orders against `ledger serve`: no 5xx, and another client's reads still answer."""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from tests.api.orders_support import (
    BookingTenant,
    make_booking_tenant,
    order_body,
    place_order,
    schedule_event,
    seats_taken,
)
from tests.reliability.processes import LedgerServer, ledger_served
from tests.reliability.report import ScenarioResult
from tests.support import expect

BURST = 64
UNKNOWN_EVENTS = 50
# Another client's read during the burst took 30 s while the pool was deadlocked, and up to about two seconds
# while the burst's requests held every worker thread. The bound: a second.
READ_STALL_SECONDS = 1.0
REPLAYED = "Idempotent-Replayed"


@dataclass
class Shops:
    """`ledger serve` with its default pool and worker threads, and two clients of the bookings surface."""

    server: LedgerServer
    burster: BookingTenant
    reader: BookingTenant


@pytest.fixture
def shops(database_url: str, tmp_path: Path) -> Iterator[Shops]:
    with (
        ledger_served(database_url, "burst", tmp_path / "data") as served,
        httpx.Client(base_url=served.server.url, timeout=60) as http,
    ):
        admin = served.admin_headers
        yield Shops(served.server, make_booking_tenant(http, admin), make_booking_tenant(http, admin))


@dataclass
class Reads:
    """Another client's reads, one after the other, for as long as the burst lasts."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    stop: threading.Event = field(default_factory=threading.Event)

    def run(self, base_url: str, path: str, headers: dict[str, str]) -> None:
        with httpx.Client(base_url=base_url, timeout=60) as client:
            while not self.stop.is_set():
                began = time.monotonic()
                response = client.get(path, headers=headers)
                self.latencies.append(time.monotonic() - began)
                self.statuses[response.status_code] += 1


def burst(base_url: str, requests: list[tuple[dict[str, str], dict[str, object]]]) -> list[httpx.Response]:
    """POST every order at once, each on its own connection; every racer answers or the burst fails."""
    barrier = threading.Barrier(len(requests))
    responses: list[httpx.Response | None] = [None] * len(requests)

    def send(index: int) -> None:
        headers, body = requests[index]
        with httpx.Client(base_url=base_url, timeout=120) as client:
            barrier.wait()
            responses[index] = client.post("/api/v1/orders", json=body, headers=headers)

    threads = [threading.Thread(target=send, args=(index,)) for index in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answered = [response for response in responses if response is not None]
    assert len(answered) == len(requests), "a racer got no answer"
    return answered


def test_a_burst_of_idempotent_orders_answers_every_order_and_another_clients_reads(shops: Shops) -> None:
    shop, other = shops.burster, shops.reader
    result = ScenarioResult(f"idempotent order burst ({BURST} orders, one client)", runs=1)
    buyers = [shop.link_new_user() for _ in range(BURST // 2)]
    events = [schedule_event(shop, seats=1) for _ in buyers]
    unknown = [str(uuid.uuid4()) for _ in range(UNKNOWN_EVENTS)]
    # Half book an event each, for a user each; half name 50 events that do not exist (404).
    requests = [
        ({**shop.acting(user), "Idempotency-Key": uuid.uuid4().hex}, order_body(user, [event]))
        for user, event in zip(buyers, events, strict=True)
    ] + [
        ({**shop.acting(), "Idempotency-Key": uuid.uuid4().hex}, order_body(shop.athlete_id, unknown))
        for _ in range(BURST - len(buyers))
    ]
    theirs = expect(place_order(other, [schedule_event(other)]), 201)
    reads = Reads()
    reader = threading.Thread(
        target=reads.run, args=(shops.server.url, f"/api/v1/orders/{theirs['orderId']}", other.acting())
    )

    reader.start()
    try:
        responses = burst(shops.server.url, requests)
    finally:
        reads.stop.set()
        reader.join()

    statuses = Counter(response.status_code for response in responses)
    result.acknowledged = statuses[201]
    result.server_errors = sum(
        count for status, count in (statuses + reads.statuses).items() if status >= 500
    )
    booked, unknown_ones = responses[: len(buyers)], responses[len(buyers) :]
    for response, event in zip(booked, events, strict=True):
        outcome = booking_outcome(shop, response, event)
        result.lost += outcome == "lost"
        result.duplicated += outcome == "duplicated"
        result.invariant_violations += outcome == "unexpected"
    result.invariant_violations += sum(
        response.status_code != 404 and not refused_cleanly(response) for response in unknown_ones
    )
    if not result.acknowledged:
        result.invariant_violations += 1  # nothing was let through at all
    for index, ((headers, body), first) in enumerate(zip(requests, responses, strict=True)):
        decided = 201 if index < len(buyers) else 404
        result.invariant_violations += not retried_as_promised(shop, headers, body, first, decided)
    for event in events:
        result.duplicated += max(0, seats_taken(shop, event) - 1)  # after the retries too
    slowest = max(reads.latencies)
    print(
        f"{result.scenario}: {dict(statuses)}; another client's {len(reads.latencies)} reads meanwhile: "
        f"{dict(reads.statuses)}, the slowest in {slowest:.3f} s"
    )
    if set(reads.statuses) != {200} or slowest >= READ_STALL_SECONDS:
        result.invariant_violations += 1
    result.assert_clean()


def refused_cleanly(response: httpx.Response) -> bool:
    """A 429 for the client's share of requests in flight, in the surface's format, with Retry-After."""
    if response.status_code != 429 or int(response.headers.get("Retry-After", "0")) < 1:
        return False
    return [entry["code"] for entry in response.json()["errors"]] == ["rate_limited"]


def booking_outcome(shop: BookingTenant, response: httpx.Response, event: str) -> str:
    """`committed` (201, the order readable, its one seat taken), `refused` (a clean 429, no seat taken),
    `lost` (acknowledged but not there), `duplicated` (more than one seat) or `unexpected`."""
    taken = seats_taken(shop, event)
    if response.status_code == 201:
        order = shop.http.get(f"/api/v1/orders/{response.json()['orderId']}", headers=shop.acting())
        if taken == 0 or order.status_code != 200:
            return "lost"
        return "duplicated" if taken > 1 else "committed"
    if refused_cleanly(response):
        return "refused" if taken == 0 else "unexpected"
    return "unexpected"


def retried_as_promised(
    shop: BookingTenant,
    headers: dict[str, str],
    body: dict[str, object],
    first: httpx.Response,
    decided: int,
) -> bool:
    """A retry with the same key gets the stored first answer back; after a 429, which stored nothing, it is
    a first attempt, and answers `decided` as the order's first attempt would have."""
    retry = shop.http.post("/api/v1/orders", json=body, headers=headers)
    replayed = retry.headers.get(REPLAYED) == "true"
    if first.status_code == 429:
        return not replayed and retry.status_code == decided
    return replayed and (retry.status_code, retry.content) == (first.status_code, first.content)
