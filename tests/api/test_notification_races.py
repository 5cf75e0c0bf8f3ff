"""Cron calls at once, and runs naming the same pairs at once: each (rule, booking) is queued, sent once."""

from __future__ import annotations

import json
import threading
import uuid
from uuid import UUID

import httpx

from domain.context import ADMIN, RequestContext
from ledger.runtime import Runtime
from projections.changes.notification_queries import claimed
from tests.api.notification_support import SEND, add_rule, claims_of, queued_notifications, shop_of
from tests.api.orders_support import book, schedule_event
from tests.api.webhook_support import subscribe
from tests.racing import answered, race
from tests.support import ServerThread, expect
from tests.webhook_receiver import receiving

VIEW_WAIT_SECONDS = 30


def test_two_cron_calls_at_once_queue_and_deliver_each_due_pair_once(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime, server: ServerThread
) -> None:
    shop = shop_of(http, admin_headers)
    rules = [add_rule(shop.tenant, "booking.requested", audience) for audience in ("athlete", "coach")]
    with receiving() as receiver:
        subscribe(shop.tenant, receiver.url, types=["notification.booking_requested"])
        event = schedule_event(shop, seats=4)
        bookings = [book(shop, [event], user_id=shop.link_new_user())[0] for _ in range(4)]

        def cron(client: httpx.Client) -> httpx.Response:
            return client.post(SEND, headers=shop.tenant.headers)

        counts = [expect(response, 200) for response in answered(race(server.url, [cron, cron]))]
        received = receiver.wait_for(len(rules) * len(bookings))

    pairs = {(rule["id"], booking) for rule in rules for booking in bookings}
    assert sum(count["enqueued"] for count in counts) == len(pairs)
    for count in counts:
        assert count["due"] == count["enqueued"] + count["alreadySent"]
        assert (count["skipped"], count["pending"]) == (0, 0)
    for rule in rules:
        assert len(claims_of(runtime, rule["id"])) == len(bookings)
    assert sum(len(queued_notifications(runtime, booking)) for booking in bookings) == len(pairs)
    delivered = [json.loads(request.body) for request in received]
    assert sorted((notice["ruleId"], notice["bookingId"]) for notice in delivered) == sorted(pairs)


def test_runs_naming_the_same_pairs_at_once_claim_each_pair_once(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    shop = shop_of(http, admin_headers)
    rule = add_rule(shop.tenant, "booking.requested", "both")
    event = schedule_event(shop, seats=3)
    bookings = [book(shop, [event], user_id=shop.link_new_user())[0] for _ in range(3)]
    pairs = [(UUID(rule["id"]), UUID(booking)) for booking in bookings]
    positions: list[int] = []
    barrier = threading.Barrier(4)

    def run() -> None:
        barrier.wait()
        for _ in range(3):
            ctx = RequestContext(ADMIN, runtime.clock(), f"race-{uuid.uuid4().hex}")
            positions.append(runtime.ledger.record_due_notifications(ctx, pairs))

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    view = runtime.changes
    assert view.wait_for(max(positions), VIEW_WAIT_SECONDS)
    outcomes = {position: claimed(view, pairs, position) for position in positions}
    assert len(positions) == 12
    assert sum(outcome.now for outcome in outcomes.values()) == len(pairs)
    assert outcomes[min(positions)].now == len(pairs)
    assert all(outcome.now + outcome.before == len(pairs) for outcome in outcomes.values())
    assert {row["position"] for row in claims_of(runtime, rule["id"])} == {min(positions)}
