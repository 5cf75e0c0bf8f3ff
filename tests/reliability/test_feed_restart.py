"""The change feed read across a stop and a `kill -9` of `ledger serve`: no change missed, none read twice."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx

from tests.api.feed_support import (
    cancel_court_booking,
    feed_page,
    make_feed_tenant,
    read_changes,
    upsert_court_booking,
)
from tests.reliability.processes import ledger_served
from tests.reliability.report import ScenarioResult

BATCH = 12


def test_the_feed_read_across_restarts_of_ledger_serve_has_no_gaps_or_duplicates(
    database_url: str, tmp_path: Path
) -> None:
    result = ScenarioResult("change feed across a stop and a kill -9 of ledger serve")
    with ledger_served(database_url, "feed", tmp_path / "data") as served:
        server = served.server
        with httpx.Client(base_url=server.url, timeout=30) as http:
            tenant = make_feed_tenant(http, served.admin_headers)
            for number in range(BATCH):
                upsert_court_booking(tenant, f"a-{number}", hour=number)
            seen, cursor = read_changes(http, tenant.headers, BATCH // 2, limit=BATCH // 2)

            server.stop()
            server.start()
            result.runs += 1
            for number in range(BATCH // 2):
                cancel_court_booking(tenant, f"a-{number}")
            server.kill()
            server.start()
            result.runs += 1
            for number in range(BATCH):
                upsert_court_booking(tenant, f"b-{number}", hour=number + 12)

            expected = BATCH + BATCH // 2 + BATCH
            rest, cursor = read_changes(http, tenant.headers, expected - len(seen), after=cursor, timeout=60)
            after_all = feed_page(http, tenant.headers, cursor)

    changes: list[dict[str, Any]] = seen + rest
    written = {
        *((f"a-{n}", "court_booking.registered") for n in range(BATCH)),
        *((f"a-{n}", "court_booking.canceled") for n in range(BATCH // 2)),
        *((f"b-{n}", "court_booking.registered") for n in range(BATCH)),
    }
    read = [(change["externalId"], change["type"]) for change in changes]
    positions = [change["position"] for change in changes]
    result.acknowledged = len(written)
    result.lost = len(written - set(read))
    result.duplicated = len(read) - len(set(read))
    result.invariant_violations = int(positions != sorted(set(positions))) + len(after_all["changes"])
    result.assert_clean()
