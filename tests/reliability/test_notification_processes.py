"""The notifications cron called at once on two `ledger serve` processes of one database, round after round:
each due (rule, booking) is queued once and delivered once, and the calls' counts add up."""

from __future__ import annotations

import json
import threading
from collections import Counter
from pathlib import Path
from typing import Any

import httpx

from tests.api.notification_support import SEND, add_rule, shop_of
from tests.api.orders_support import book, schedule_event
from tests.api.webhook_support import subscribe
from tests.reliability.processes import LedgerServer, ledger_served
from tests.reliability.report import ScenarioResult
from tests.reliability.test_webhook_kill import DELIVERY_SETTINGS
from tests.webhook_receiver import receiving

ROUNDS = 6


def at_once(urls: list[str], headers: dict[str, str]) -> list[httpx.Response]:
    """One cron call to each server, released together; every call must get an answer."""
    barrier = threading.Barrier(len(urls))
    responses: list[httpx.Response | None] = [None] * len(urls)

    def call(index: int, url: str) -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            barrier.wait()
            responses[index] = client.post(SEND, headers=headers)

    threads = [threading.Thread(target=call, args=pair) for pair in enumerate(urls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(response is not None for response in responses), "a cron call got no answer"
    return [response for response in responses if response is not None]


def test_cron_calls_at_once_on_two_processes_send_each_due_notification_once(
    database_url: str, tmp_path: Path
) -> None:
    result = ScenarioResult("notifications cron raced on two ledger serve processes")
    counts: list[dict[str, Any]] = []
    with (
        receiving() as receiver,
        ledger_served(database_url, "cron", tmp_path / "data", DELIVERY_SETTINGS) as served,
        LedgerServer(
            database_url=database_url,
            schema=served.schema,
            admin_token=served.admin_token,
            data_dir=tmp_path / "second",
            env={**DELIVERY_SETTINGS, "LEDGER_RUN_PROJECTIONS": "false"},
        ) as second,
        httpx.Client(base_url=served.server.url, timeout=30) as http,
    ):
        second.start()
        shop = shop_of(http, served.admin_headers)
        rules = [add_rule(shop.tenant, "booking.requested", audience) for audience in ("athlete", "coach")]
        subscribe(shop.tenant, receiver.url, types=["notification"])
        event = schedule_event(shop, seats=ROUNDS)

        for _ in range(ROUNDS):
            book(shop, [event], user_id=shop.link_new_user())
            responses = at_once([served.server.url, second.url], shop.tenant.headers)
            result.runs += 1
            result.server_errors += sum(response.status_code >= 500 for response in responses)
            counts.extend(response.json() for response in responses if response.status_code == 200)
        expected = len(rules) * ROUNDS
        received = receiver.wait_for(expected, timeout=60)

    delivered = Counter((n["ruleId"], n["bookingId"]) for n in (json.loads(r.body) for r in received))
    result.acknowledged = sum(count["enqueued"] for count in counts)
    result.lost = expected - len(delivered)
    result.duplicated = sum(times - 1 for times in delivered.values()) + max(
        0, result.acknowledged - expected
    )
    result.invariant_violations = sum(
        count["due"] != count["enqueued"] + count["alreadySent"] + count["skipped"] + count["pending"]
        for count in counts
    )
    result.assert_clean()
    assert result.acknowledged == expected
