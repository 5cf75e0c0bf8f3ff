"""Webhook deliveries across `kill -9` of the worker (inside `ledger serve`): at least once, none lost, each
entity's changes still in ledger order."""

from __future__ import annotations

import json
from pathlib import Path

import httpx

from tests.api.feed_support import cancel_court_booking, make_feed_tenant, read_changes, upsert_court_booking
from tests.api.webhook_support import subscribe
from tests.reliability.processes import ledger_served
from tests.reliability.report import ScenarioResult
from tests.webhook_receiver import receiving

BOOKINGS = 30
DELIVERY_SETTINGS = {
    "LEDGER_WEBHOOK_ALLOW_LOOPBACK": "true",
    "LEDGER_WEBHOOK_RETRY_BASE_SECONDS": "0.05",
    "LEDGER_WEBHOOK_RETRY_MAX_SECONDS": "1",
}


def test_deliveries_survive_kill_9_of_the_worker_at_least_once_and_in_order(
    database_url: str, tmp_path: Path
) -> None:
    result = ScenarioResult("webhook deliveries across kill -9 of the worker")
    expected = 2 * BOOKINGS
    # A receiver that takes a moment to answer, so that kills land with deliveries in flight.
    with (
        receiving(delay=0.02) as receiver,
        ledger_served(database_url, "hooks", tmp_path / "data", DELIVERY_SETTINGS) as served,
        httpx.Client(base_url=served.server.url, timeout=30) as http,
    ):
        tenant = make_feed_tenant(http, served.admin_headers)
        subscribe(tenant, receiver.url)
        for number in range(BOOKINGS):
            upsert_court_booking(tenant, f"k-{number}", hour=number % 24)
            cancel_court_booking(tenant, f"k-{number}")
        for arrived in (expected // 4, expected // 2):
            receiver.wait_for(arrived, timeout=60)
            served.server.kill()
            served.server.start()
            result.runs += 1
        receiver.wait_for(expected, timeout=120)
        changes, _ = read_changes(http, tenant.headers, expected, timeout=60)

    written = {change["position"] for change in changes}
    received = [json.loads(request.body) for request in receiver.received]
    positions = [change["position"] for change in received]
    first_seen = list(dict.fromkeys(positions))
    by_entity: dict[str, list[int]] = {}
    for position, change in zip(positions, received, strict=True):
        entity = by_entity.setdefault(change["id"], [])
        if position not in entity:
            entity.append(position)
    result.acknowledged = len(written)
    result.lost = len(written - set(positions))
    # At least once: a delivery cut short by the kill is sent again, which is allowed and counted here.
    resent = len(positions) - len(first_seen)
    # In order per entity: a lane sends several entities' changes at once, each entity's one after another.
    result.invariant_violations = sum(entity != sorted(entity) for entity in by_entity.values())
    print(f"{result.scenario}: {len(written)} changes, {len(positions)} deliveries, {resent} sent again")
    result.assert_clean()
