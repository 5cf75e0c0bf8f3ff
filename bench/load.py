"""The load generator, run as its own process: an asyncio httpx client with N concurrent connections.

`python -m bench.load SPEC.json RESULT.json`; modes: upsert, framework, mixed, timetravel, openloop.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx

from bench import open_loop
from bench.slots import instant, slot
from bench.stats import percentile

HARD_LIMIT_SECONDS = 120.0
UPDATED_AT = datetime(2036, 1, 1, tzinfo=UTC)
MIXED_SETUP_BOOKINGS = 4
CONFLICT_TYPES = {"overlap": "court_booking_overlap", "stale": "stale_write", "equal": "version_conflict"}


@dataclass
class Recorder:
    """What the measured window saw: latencies by kind, statuses, errors and the writes' positions."""

    measure_from: float
    until: float
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: Counter[str] = field(default_factory=Counter)
    conflicts: Counter[str] = field(default_factory=Counter)
    errors: int = 0
    setup_errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    writes: list[tuple[float, int]] = field(default_factory=list)

    def measured(self, ended: float) -> bool:
        return self.measure_from <= ended <= self.until

    def record(self, kind: str, began: float, ended: float, status: int, ok: bool, detail: str = "") -> None:
        if not self.measured(ended):
            if not ok:
                self.setup_errors += 1
                self._sample(kind, status, detail)
            return
        self.latencies.setdefault(kind, []).append((ended - began) * 1000)
        self.statuses[f"{kind}:{status}"] += 1
        if not ok:
            self.errors += 1
            self._sample(kind, status, detail)

    def _sample(self, kind: str, status: int, detail: str) -> None:
        if len(self.error_samples) < 10:
            self.error_samples.append(f"{kind} -> {status}: {detail[:300]}")


@dataclass
class Owned:
    """A booking that one mixed-load worker created and alone changes, with what it last wrote."""

    external_id: str
    court_id: str
    start: datetime
    updated: datetime
    revision: int = 0


class Load:
    """One load phase described by a spec (see bench.run)."""

    def __init__(self, spec: dict[str, Any], clients: list[httpx.AsyncClient]) -> None:
        self.spec = spec
        self.clients = clients
        self.courts: list[str] = spec["court_ids"]
        self.tag: str = spec["tag"]
        self.counter = itertools.count()
        self.headers = {"Authorization": f"Bearer {spec['key']}"} if spec.get("key") else {}
        self.base_path = f"/api/v1/external-services/{spec['service_id']}/court-bookings/by-external-id/"
        self.extra: dict[str, Any] = {}
        start = time.monotonic()
        self.rec = Recorder(start + spec["warmup_seconds"], start + spec["warmup_seconds"] + spec["seconds"])

    def body(self, court_id: str, start: datetime, updated: datetime, email: str) -> dict[str, Any]:
        # A spec's `participant` (a linked user by id: no personal data) replaces the email participant.
        participant = self.spec.get("participant") or {"email": email}
        return {
            "courtId": court_id,
            "startDate": instant(start),
            "endDate": instant(start + timedelta(hours=1)),
            "externalUpdatedAt": instant(updated),
            "participants": [participant],
        }

    def new_slot(self) -> tuple[int, str, datetime]:
        n = next(self.counter)
        court, start = slot(n, len(self.courts), self.spec["day_base"])
        return n, self.courts[court], start

    async def request(
        self,
        client: httpx.AsyncClient,
        kind: str,
        method: str,
        path: str,
        expected: int,
        body: dict[str, Any] | None = None,
    ) -> tuple[httpx.Response | None, float]:
        """Send one request; record its latency and whether it answered `expected`. (response, end time)"""
        began = time.monotonic()
        try:
            response = await client.request(method, path, json=body, headers=self.headers)
        except httpx.HTTPError as error:
            ended = time.monotonic()
            self.rec.record(kind, began, ended, 0, False, repr(error))
            return None, ended
        ended = time.monotonic()
        ok = response.status_code == expected
        self.rec.record(kind, began, ended, response.status_code, ok, "" if ok else response.text)
        return response, ended

    def next_upsert(self, letter: str) -> tuple[str, dict[str, Any]]:
        """The path and body of an upsert of a booking on a slot of its own."""
        n, court_id, start = self.new_slot()
        body = self.body(court_id, start, UPDATED_AT, f"player-{n % 1000}@example.com")
        return f"{self.base_path}{self.tag}-{letter}-{n}", body

    async def upsert_worker(self, client: httpx.AsyncClient, expected: int) -> None:
        while time.monotonic() < self.rec.until:
            path, body = self.next_upsert("u")
            response, ended = await self.request(client, "upsert", "PUT", path, expected, body)
            position = response.headers.get("x-ledger-position") if response is not None else None
            if (
                response is not None
                and response.status_code == expected
                and position
                and self.rec.measured(ended)
            ):
                self.rec.writes.append((ended, int(position)))

    async def create(self, client: httpx.AsyncClient, owned: list[Owned]) -> None:
        n, court_id, start = self.new_slot()
        booking = Owned(f"{self.tag}-m-{n}", court_id, start, UPDATED_AT)
        body = self.body(court_id, start, booking.updated, f"{booking.external_id}-0@example.com")
        response, _ = await self.request(
            client, "create", "PUT", self.base_path + booking.external_id, 201, body
        )
        if response is not None and response.status_code == 201:
            owned.append(booking)

    async def update(self, client: httpx.AsyncClient, booking: Owned, owned: list[Owned]) -> None:
        booking.revision += 1
        booking.updated += timedelta(seconds=1)
        email = f"{booking.external_id}-{booking.revision}@example.com"
        body = self.body(booking.court_id, booking.start, booking.updated, email)
        response, _ = await self.request(
            client, "update", "PUT", self.base_path + booking.external_id, 200, body
        )
        if response is None or response.status_code != 200:
            owned.remove(booking)  # its stored state is no longer known

    async def conflict(self, client: httpx.AsyncClient, kind: str, booking: Owned) -> None:
        email = f"{booking.external_id}-{booking.revision}@example.com"
        if kind == "overlap":
            path = f"{self.base_path}{booking.external_id}-overlap-{next(self.counter)}"
            body = self.body(booking.court_id, booking.start, booking.updated, "intruder@example.com")
        elif kind == "stale":
            path = self.base_path + booking.external_id
            body = self.body(booking.court_id, booking.start, booking.updated - timedelta(seconds=1), email)
        else:
            path = self.base_path + booking.external_id
            body = self.body(booking.court_id, booking.start, booking.updated, f"changed-{email}")
        began = time.monotonic()
        try:
            response = await client.put(path, json=body, headers=self.headers)
        except httpx.HTTPError as error:
            self.rec.record(f"conflict_{kind}", began, time.monotonic(), 0, False, repr(error))
            return
        ended = time.monotonic()
        error_type = ""
        if response.status_code == 409:
            error_type = str(response.json().get("error", {}).get("type", ""))
        ok = error_type == CONFLICT_TYPES[kind]
        self.rec.record(f"conflict_{kind}", began, ended, response.status_code, ok, response.text)
        if ok and self.rec.measured(ended):
            self.rec.conflicts[error_type] += 1

    async def mixed_worker(self, index: int) -> None:
        client = self.clients[index]
        rng = random.Random(index)
        owned: list[Owned] = []
        for _ in range(MIXED_SETUP_BOOKINGS):
            await self.create(client, owned)
        kinds = itertools.cycle(CONFLICT_TYPES)
        while time.monotonic() < self.rec.until:
            draw = rng.random()
            if draw < 0.20 or not owned:
                await self.create(client, owned)
            elif draw < 0.80:
                await self.update(client, rng.choice(owned), owned)
            elif draw < 0.95:
                await self.request(client, "get", "GET", self.base_path + rng.choice(owned).external_id, 200)
            else:
                await self.conflict(client, next(kinds), rng.choice(owned))

    async def time_travel(self) -> None:
        """Read each of the spec's versions in turn, after reading the first ten once to warm up."""
        versions = [int(version) for version in self.spec["versions"]]
        for index, version in enumerate(versions[:10] + versions):
            path = f"{self.base_path}{self.spec['history_external_id']}?version={version}"
            # Version 1 registered history-0; each later version names the one before it.
            expected_email = f"history-{version - 1}@example.com"
            began = time.monotonic()
            response = await self.clients[0].get(path, headers=self.headers)
            ended = time.monotonic()
            ok = response.status_code == 200 and response.json()["participants"] == [
                {"email": expected_email}
            ]
            kind = "timetravel" if index >= 10 else "warmup"
            if kind == "timetravel":
                self.rec.latencies.setdefault(kind, []).append((ended - began) * 1000)
                self.rec.statuses[f"{kind}:{response.status_code}"] += 1
            if not ok:
                self.rec.errors += 1
                self.rec._sample(kind, response.status_code, response.text)

    async def run(self) -> float:
        """Run the phase; return the measured window in seconds."""
        mode = self.spec["mode"]
        if mode == "openloop":
            started = time.monotonic()
            self.extra = await open_loop.drive(self, self.clients[0])
            return time.monotonic() - started
        if mode == "timetravel":
            started = time.monotonic()
            await self.time_travel()
            return time.monotonic() - started
        concurrency = int(self.spec["concurrency"])
        if mode == "mixed":
            workers = [self.mixed_worker(i) for i in range(concurrency)]
        else:
            expected = 200 if mode == "framework" else 201
            workers = [self.upsert_worker(self.clients[i], expected) for i in range(concurrency)]
        await asyncio.gather(*workers)
        return float(self.spec["seconds"])


def summary(load: Load, window: float, cpu_seconds: float, wall_seconds: float) -> dict[str, Any]:
    rec = load.rec
    everything = [value for values in rec.latencies.values() for value in values]
    kinds = {
        kind: {"count": len(v), "p50_ms": percentile(v, 50), "p99_ms": percentile(v, 99)}
        for kind, v in rec.latencies.items()
    }
    return {
        "mode": load.spec["mode"],
        "window_seconds": window,
        "requests": len(everything),
        "requests_per_second": len(everything) / window if window else 0.0,
        "p50_ms": percentile(everything, 50),
        "p95_ms": percentile(everything, 95),
        "p99_ms": percentile(everything, 99),
        "kinds": kinds,
        "statuses": dict(rec.statuses),
        "conflicts": dict(rec.conflicts),
        "errors": rec.errors,
        "setup_errors": rec.setup_errors,
        "error_samples": rec.error_samples,
        "writes": rec.writes,
        "client_cpu_cores": cpu_seconds / wall_seconds if wall_seconds else 0.0,
        **load.extra,
    }


async def main_async(spec: dict[str, Any]) -> dict[str, Any]:
    # One client with one connection per worker: a single httpx pool shared by 32 connections costs the
    # load generator about three times the CPU per request.
    concurrency = int(spec.get("concurrency", 1))
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    if spec["mode"] == "openloop":
        # No worker owns a connection: each scheduled send takes any free one of the pool, or waits for it.
        limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
        concurrency = 1
    async with contextlib.AsyncExitStack() as stack:
        clients = [
            await stack.enter_async_context(
                httpx.AsyncClient(base_url=spec["base_url"], limits=limits, timeout=30.0)
            )
            for _ in range(concurrency)
        ]
        load = Load(spec, clients)
        cpu, wall = time.process_time(), time.monotonic()
        window = await asyncio.wait_for(
            load.run(), timeout=HARD_LIMIT_SECONDS + float(spec.get("seconds", 0))
        )
        return summary(load, window, time.process_time() - cpu, time.monotonic() - wall)


def main() -> None:
    spec_path, result_path = sys.argv[1], sys.argv[2]
    with open(spec_path) as handle:
        spec = json.load(handle)
    result = asyncio.run(main_async(spec))
    with open(result_path, "w") as handle:
        json.dump(result, handle)


if __name__ == "__main__":
    main()
