"""The batch upsert over HTTP: bookings per second in batches of 500 against a running `ledger serve`."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench.seed import Seed
from bench.server import Server
from bench.slots import BATCH_DAY_BASE, instant, slot
from domain.court_booking_upserts import MAX_BATCH

SENDERS = 2  # two batches in flight, so one is parsed while the other waits on its commit
UPDATED_AT = datetime(2036, 1, 1, tzinfo=UTC)


def _batch(seed: Seed, first: int) -> dict[str, Any]:
    bookings = []
    for n in range(first, first + MAX_BATCH):
        court, start = slot(n, len(seed.court_ids), BATCH_DAY_BASE)
        bookings.append(
            {
                "externalCourtBookingId": f"batch-{n}",
                "courtId": seed.court_ids[court],
                "startDate": instant(start),
                "endDate": instant(start + timedelta(hours=1)),
                "externalUpdatedAt": instant(UPDATED_AT),
                "participants": [{"email": f"player-{n % 5000}@example.com"}],
            }
        )
    return {"bookings": bookings}


def measure(server: Server, seed: Seed, batches: int, add: Callable[..., None], problems: list[str]) -> None:
    """Send `batches` batches of distinct new bookings, `SENDERS` at a time; every booking must answer 201."""
    bodies = [_batch(seed, index * MAX_BATCH) for index in range(batches)]
    statuses: Counter[int] = Counter()
    latencies: list[float] = []
    headers = {"Authorization": f"Bearer {seed.key}"}
    path = f"/api/v1/external-services/{seed.client_id}/court-bookings/batch"

    def send(client: httpx.Client, body: dict[str, Any]) -> None:
        began = time.monotonic()
        response = client.post(path, json=body, headers=headers)
        latencies.append((time.monotonic() - began) * 1000)
        if response.status_code != 200:
            statuses[response.status_code] += MAX_BATCH
            return
        statuses.update(result["status"] for result in response.json()["results"])

    with httpx.Client(base_url=server.url, timeout=120) as client:
        send(client, _batch(seed, batches * MAX_BATCH))  # warm-up: its bookings are not counted
        statuses.clear()
        latencies.clear()
        started = time.monotonic()
        with ThreadPoolExecutor(SENDERS) as pool:
            list(pool.map(lambda body: send(client, body), bodies))
        seconds = time.monotonic() - started
    if set(statuses) != {201}:
        problems.append(f"batch upsert: statuses {dict(statuses)}, every booking should answer 201")
    add(
        "batch_upsert_bookings_per_s",
        batches * MAX_BATCH / seconds,
        "bookings/s",
        target=(">=", 10_000),
        batch=MAX_BATCH,
        batches=batches,
        in_flight=SENDERS,
        batch_p50_ms=round(sorted(latencies)[len(latencies) // 2], 1),
        how="POST .../court-bookings/batch of distinct new bookings over 200 courts, each answered 201",
    )
