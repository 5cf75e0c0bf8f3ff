"""The webhook and feed figures: the delay from a write to its delivery at a local receiver, at a steady
rate of writes and in a flood of them, and how many changes per second the feed serves from the start."""

from __future__ import annotations

import json
import secrets
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
from psycopg import sql

from bench.database import drop_schema
from bench.receiver_handle import receiving
from bench.server import ledger_server
from bench.stats import percentile

SCHEMA = "bench_webhooks"
WRITERS = 8
PAGE = 1000
# Far past any position the bench's log reaches, so the seeded changes never meet a real one.
SEEDED_POSITIONS = 10**12
# As production runs it: the delivery worker beside the projection runners, outside the request process.
DELIVERY_ENV = {"LEDGER_WEBHOOK_ALLOW_LOOPBACK": "true", "LEDGER_PROJECTION_PROCESSES": "1"}
PACED_RPS = 10.0


def _partner(http: httpx.Client, admin: dict[str, str]) -> tuple[str, str, str]:
    """A client with `court-bookings:write` and `changes:read` over one court: (client id, key, court id)."""

    def post(path: str, body: dict[str, Any]) -> Any:
        response = http.post(path, json=body, headers=admin)
        response.raise_for_status()
        return response.json()

    org = post("/api/v1/admin/organizations", {"name": "Bench", "timezone": "UTC"})
    venue = post(f"/api/v1/admin/organizations/{org['id']}/venues", {"name": "Bench venue"})
    court = post(f"/api/v1/admin/venues/{venue['id']}/courts", {"name": "Court"})
    scopes = ["court-bookings:write", "changes:read"]
    client = post(
        "/api/v1/admin/clients", {"name": "Bench", "scopes": scopes, "organizationIds": [org["id"]]}
    )
    key = post(f"/api/v1/admin/clients/{client['id']}/api-keys", {})
    return client["id"], key["key"], court["id"]


def _write(http: httpx.Client, client_id: str, court_id: str, number: int) -> tuple[str, float, int]:
    """Register one booking; (its external id, when its answer arrived, its status)."""
    external_id = f"hook-{number}"
    start = datetime(2031, 1, 1, tzinfo=UTC) + timedelta(days=number)
    body = {
        "courtId": court_id,
        "startDate": start.isoformat(),
        "endDate": (start + timedelta(hours=1)).isoformat(),
        "externalUpdatedAt": "2030-01-01T00:00:00Z",
        "participants": [{"email": "bench@example.com"}],
    }
    path = f"/api/v1/external-services/{client_id}/court-bookings/by-external-id/{external_id}"
    response = http.put(path, json=body)
    return external_id, time.monotonic(), response.status_code


def _seed_feed(url: str, client_id: str, changes: int) -> None:
    """`changes` rows of the client's feed by bulk SQL, each a court booking's registration as the view
    writes it."""
    state = json.dumps({"status": "active", "courtId": str(uuid.uuid4()), "start": "2031-01-01T10:00:00.000Z",
                        "end": "2031-01-01T11:00:00.000Z", "participantCount": 1})  # fmt: skip
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            sql.SQL(
                "INSERT INTO {} (client_id, position, type, entity, entity_id, external_id, state, "
                "recorded_at) SELECT %s, %s + n, 'court_booking.registered', 'court_booking', "
                "gen_random_uuid(), 'feed-' || n, %s::jsonb, now() FROM generate_series(1, %s) n"
            ).format(sql.Identifier(SCHEMA, "change_feed")),
            (client_id, SEEDED_POSITIONS, state, changes),
        )
        conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier(SCHEMA, "change_feed")))


def _read_feed(base_url: str, key: str) -> tuple[int, float, list[float]]:
    """Read the whole feed from the start, pages of PAGE; (changes read, seconds, page latencies in ms)."""
    read, pages, after = 0, [], None
    started = time.monotonic()
    with httpx.Client(base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=60) as client:
        while True:
            began = time.monotonic()
            response = client.get(
                "/api/v1/changes", params={"limit": PAGE, **({"after": after} if after else {})}
            )
            response.raise_for_status()
            page = response.json()
            pages.append((time.monotonic() - began) * 1000)
            read += len(page["changes"])
            after = page["next"]
            if not page["hasMore"]:
                return read, time.monotonic() - started, pages


def measure(
    url: str, paced: int, flood: int, feed_changes: int, add: Callable[..., None], problems: list[str]
) -> None:
    """The delivery delay (p50, p99) of `paced` upserts offered at PACED_RPS, then of `flood` upserts sent
    as fast as WRITERS threads can, the lane's rate in that flood, and the feed's rate."""
    drop_schema(url, SCHEMA)
    token = secrets.token_urlsafe(24)
    admin = {"Authorization": f"Bearer {token}"}
    with (
        receiving() as receipts,
        ledger_server("ledger-webhooks", url, SCHEMA, token, DELIVERY_ENV) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        client_id, key, court_id = _partner(http, admin)
        subscribed = http.post(
            "/api/v1/webhooks", json={"url": receipts.url}, headers={"Authorization": f"Bearer {key}"}
        )
        subscribed.raise_for_status()
        auth = {"Authorization": f"Bearer {key}"}

        def write_share(numbers: range, rate: float | None) -> list[tuple[str, float, int]]:
            """Every WRITERS-th booking of `numbers`, one at a time on a connection of its own; at `rate`
            a second across the writers (each write at its own time on the clock), or as fast as answered."""
            written = []
            with httpx.Client(base_url=server.url, headers=auth, timeout=30) as own:
                for n in numbers:
                    if rate is not None:
                        time.sleep(max(0.0, began + (n - numbers.start) / rate - time.monotonic()))
                    written.append(_write(own, client_id, court_id, n))
            return written

        def run(first: int, count: int, rate: float | None) -> tuple[list[tuple[str, float, int]], float]:
            shares = [range(first + w, first + count, WRITERS) for w in range(WRITERS)]
            with ThreadPoolExecutor(WRITERS) as pool:
                done = [each for share in pool.map(write_share, shares, [rate] * WRITERS) for each in share]
            if not receipts.wait_for(first + count, timeout=120):
                problems.append(f"webhooks: {len(receipts.at)} of {first + count} changes delivered in 120 s")
            failed = [status for _, _, status in done if status != 201]
            if failed:
                problems.append(f"webhooks: {len(failed)} writes were not answered 201, e.g. {failed[:3]}")
            return done, time.monotonic() - began

        began = time.monotonic()
        paced_writes, _ = run(0, paced, PACED_RPS)
        began = time.monotonic()
        flood_writes, flood_seconds = run(paced, flood, None)
        last_answer = max(at for _, at, _ in flood_writes)
        delays = {
            kind: [(receipts.at[name] - at) * 1000 for name, at, _ in writes if name in receipts.at]
            for kind, writes in (("paced", paced_writes), ("flood", flood_writes))
        }
        arrivals = [receipts.at[name] for name, _, _ in flood_writes if name in receipts.at]
        _seed_feed(url, client_id, feed_changes)
        read, seconds, pages = _read_feed(server.url, key)
    how = (
        "court-booking upserts answered 201 -> their change received by a local receiver (a process of its "
        "own), one subscription, `ledger serve` with its projection runners and delivery worker in a "
        "`ledger projections run` process (LEDGER_PROJECTION_PROCESSES=1)"
    )
    conditions: dict[str, Any] = {
        "writes": paced,
        "offered_rps": PACED_RPS,
        "writers": WRITERS,
        "deliveries_received": receipts.requests,
        "how": how + "; writes offered at a fixed rate, each at its time on the clock",
    }
    paced_p99 = percentile(delays["paced"], 99)
    add("webhook_delivery_delay_p50_ms", percentile(delays["paced"], 50), "ms", **conditions)
    add("webhook_delivery_delay_p99_ms", paced_p99, "ms", target=("<=", 500), **conditions)
    flood_conditions: dict[str, Any] = {
        "writes": flood,
        "writers": WRITERS,
        "write_rps": round(flood / (last_answer - began), 1),
        "how": how + "; writes sent as fast as answered, so a backlog builds while they outrun delivery",
    }
    add("webhook_flood_delay_p50_ms", percentile(delays["flood"], 50), "ms", **flood_conditions)
    add("webhook_flood_delay_p99_ms", percentile(delays["flood"], 99), "ms", **flood_conditions)
    add("webhook_flood_deliveries_per_s", len(arrivals) / (max(arrivals) - began), "deliveries/s",
        seconds=round(flood_seconds, 1), **flood_conditions)  # fmt: skip
    if read != feed_changes + paced + flood:
        problems.append(f"feed: read {read} changes, expected {feed_changes + paced + flood}")
    add(
        "feed_changes_per_s",
        read / seconds,
        "changes/s",
        changes=read,
        page=PAGE,
        page_p50_ms=round(percentile(pages, 50), 1),
        page_p99_ms=round(percentile(pages, 99), 1),
        how="GET /api/v1/changes from the start, pages of 1,000, sequential, one connection",
    )
