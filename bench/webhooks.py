"""The webhook and feed figures: the delay from a write to its delivery at a local receiver, and how many
changes per second the feed serves to a client reading it from the start."""

from __future__ import annotations

import json
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import psycopg
from psycopg import sql

from bench.config import HOST
from bench.database import drop_schema
from bench.server import ledger_server
from bench.stats import percentile

SCHEMA = "bench_webhooks"
WRITERS = 8
PAGE = 1000
# Far past any position the bench's log reaches, so the seeded changes never meet a real one.
SEEDED_POSITIONS = 10**12
DELIVERY_ENV = {"LEDGER_WEBHOOK_ALLOW_LOOPBACK": "true"}


class Receipts:
    """A webhook receiver on a loopback port: when each booking's change arrived (monotonic time)."""

    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.requests = 0
        self.arrived = threading.Condition()
        receipts = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"  # keeps the connection, as a receiver in production would

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                now = time.monotonic()
                with receipts.arrived:
                    receipts.requests += 1
                    receipts.at.setdefault(json.loads(body)["externalId"], now)
                    receipts.arrived.notify_all()
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer((HOST, 0), Handler)
        self.server.daemon_threads = True

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server.server_address[1]}/hooks"

    def wait_for(self, count: int, timeout: float) -> bool:
        with self.arrived:
            return self.arrived.wait_for(lambda: len(self.at) >= count, timeout)


@contextmanager
def receiving() -> Iterator[Receipts]:
    receipts = Receipts()
    thread = threading.Thread(target=receipts.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield receipts
    finally:
        receipts.server.shutdown()
        receipts.server.server_close()


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


def measure(url: str, writes: int, feed_changes: int, add: Callable[..., None], problems: list[str]) -> None:
    """The delivery delay (p50, p99) of `writes` upserts by WRITERS threads, and the feed's rate."""
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

        def write_share(first: int) -> list[tuple[str, float, int]]:
            """Every WRITERS-th booking from `first`, one at a time on a connection of its own."""
            auth = {"Authorization": f"Bearer {key}"}
            with httpx.Client(base_url=server.url, headers=auth, timeout=30) as own:
                return [_write(own, client_id, court_id, n) for n in range(first, writes, WRITERS)]

        started = time.monotonic()
        with ThreadPoolExecutor(WRITERS) as pool:
            acknowledged = [each for share in pool.map(write_share, range(WRITERS)) for each in share]
        rate = writes / (time.monotonic() - started)
        if not receipts.wait_for(writes, timeout=120):
            problems.append(f"webhooks: {len(receipts.at)} of {writes} changes were delivered within 120 s")
        failed = [status for _, _, status in acknowledged if status != 201]
        if failed:
            problems.append(f"webhooks: {len(failed)} writes were not answered 201, e.g. {failed[:3]}")
        delays = [(receipts.at[name] - at) * 1000 for name, at, _ in acknowledged if name in receipts.at]
        _seed_feed(url, client_id, feed_changes)
        read, seconds, pages = _read_feed(server.url, key)
    conditions: dict[str, Any] = {
        "writes": writes,
        "writers": WRITERS,
        "write_rps": round(rate, 1),
        "deliveries_received": receipts.requests,
        "how": "court-booking upserts answered 201 -> their change received by a local receiver (bench "
        "process), one subscription, `ledger serve` with its projection runners and delivery worker",
    }
    add("webhook_delivery_delay_p50_ms", percentile(delays, 50), "ms", **conditions)
    add("webhook_delivery_delay_p99_ms", percentile(delays, 99), "ms", target=("<=", 500), **conditions)
    if read != feed_changes + writes:
        problems.append(f"feed: read {read} changes, expected {feed_changes + writes}")
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
