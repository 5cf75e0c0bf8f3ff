"""The availability figures: 31 days of a resource with 1,000 reservations, over HTTP and in-process."""

from __future__ import annotations

import secrets
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import psycopg
from eventsourcing.domain import Aggregate
from psycopg import sql

from bench.database import drop_schema
from bench.seed import runtime_settings
from bench.server import ledger_server
from bench.stats import percentile
from domain.booking_rules import BookingRules
from domain.context import ADMIN, Principal, RequestContext
from domain.court_booking import CourtBooking
from domain.court_booking_terms import CourtBookingTerms, checked_participants
from domain.opening_hours import OpeningHours, OpeningRange
from domain.resource_day import ResourceDay
from ledger.runtime import Runtime, open_runtime
from projections.registry import VIEWS

SCHEMA = "bench_availability"
DAYS = 31
RESERVATIONS = 1_000
TIMEZONE = "Europe/Berlin"
EXTERNAL_ID = "bench-pitch"
WARMUP = 10
BATCH = 100
# Reservations of 20 minutes every 32 minutes from 06:00, 32 or 33 a day: the free time between them is cut
# into hundreds of short ranges, the most fragmented answer the engine builds.
FIRST_MINUTE, STEP_MINUTES, LENGTH_MINUTES = 6 * 60, 32, 20
RULES = BookingRules(
    capacity=4,
    base_price=Decimal("25.00"),
    currency="EUR",
    price_unit="hour",
    booking_interval_minutes=5,
    min_booking_duration_minutes=10,
    max_booking_duration_minutes=180,
    min_advance_booking_minutes=0,
    max_advance_booking_days=60,
    prevent_unbookable_gaps=False,
    is_bookable=True,
)
HOURS = OpeningHours(
    tuple(
        OpeningRange(weekday, start, end, Decimal(price), label)
        for weekday in range(7)
        for start, end, price, label in (
            (clock_time(6), clock_time(17), "25.00", ""),
            (clock_time(17), clock_time(0), "30.00", "Peak Hours"),
        )
    )
)


@dataclass(frozen=True)
class AvailabilitySeed:
    """The seeded resource: the client's key, the first of the 31 dates, and the answer's size."""

    key: str
    first: date
    reservations: int
    ranges: int

    @property
    def query(self) -> dict[str, str]:
        last = self.first + timedelta(days=DAYS - 1)
        return {"resource_external_id": EXTERNAL_ID, "start_date": f"{self.first}", "end_date": f"{last}"}


def _admin(runtime: Runtime) -> RequestContext:
    return RequestContext(ADMIN, runtime.clock(), f"bench-availability-{uuid.uuid4().hex}")


def _reserve(
    runtime: Runtime, client_id: uuid.UUID, organization_id: uuid.UUID, court_id: uuid.UUID, first: date
) -> None:
    """The reservations as partner court bookings, each saved with its calendar day, many per save."""
    tz = ZoneInfo(TIMEZONE)
    participants = checked_participants([(None, "bench@example.com")])
    days: dict[date, ResourceDay] = {}
    pending: list[Aggregate] = []
    meta = _admin(runtime).meta()
    for n in range(RESERVATIONS):
        local_day = first + timedelta(days=n % DAYS)
        minute = FIRST_MINUTE + (n // DAYS) * STEP_MINUTES
        start = datetime.combine(local_day, clock_time(), tz) + timedelta(minutes=minute)
        start, end = start.astimezone(UTC), (start + timedelta(minutes=LENGTH_MINUTES)).astimezone(UTC)
        terms = CourtBookingTerms(court_id, start, end, participants, datetime(2030, 1, 1, tzinfo=UTC))
        booking = CourtBooking.register(client_id, f"availability-{n}", organization_id, terms, meta)
        day = days.get(start.date())
        if day is None:
            day = days[start.date()] = ResourceDay(resource_id=court_id, day=start.date(), meta=meta)
        day.reserve(booking.id, start, end, meta)
        pending.append(booking)
        if len(pending) >= BATCH or n == RESERVATIONS - 1:
            # A day saved before saves only its new events; the bookings are all new.
            runtime.ledger.save(*pending, *days.values())
            pending.clear()


def seed_and_time_in_process(url: str, requests: int) -> tuple[AvailabilitySeed, list[float]]:
    """Seed the resource in its own schema, then time `ledger.resource_availability` in this process: the
    first read (cold: every event of the 31 days decoded) and then `requests` more, after the warm-up."""
    drop_schema(url, SCHEMA)
    with open_runtime(
        runtime_settings(url, SCHEMA), run_projections=False, announce=lambda _: None
    ) as runtime:
        ledger, ctx = runtime.ledger, _admin(runtime)
        organization = ledger.create_organization(ctx, "Availability Club", TIMEZONE).value
        venue = ledger.create_venue(ctx, organization.id, "Availability Centre", "Berlin", None).value
        court = ledger.create_court(ctx, venue.id, "Court 1").value
        ledger.set_booking_rules(ctx, court.id, RULES, HOURS)
        client = ledger.create_client(ctx, "Availability partner", ["client-api"], [organization.id]).value
        key = ledger.issue_api_key(ctx, client.id).value.key
        principal = Principal(
            str(client.id), "client", frozenset(client.scopes), frozenset([organization.id])
        )
        ledger.register_client_resource(
            RequestContext(principal, runtime.clock(), "bench"), EXTERNAL_ID, court.id
        )
        first = datetime.now(ZoneInfo(TIMEZONE)).date() + timedelta(days=2)
        _reserve(runtime, client.id, organization.id, court.id, first)
        last = first + timedelta(days=DAYS - 1)
        timings: list[float] = []
        for _ in range(WARMUP + requests):
            started = time.monotonic()
            found = ledger.resource_availability(court.id, first, last, runtime.clock())
            timings.append((time.monotonic() - started) * 1000)
        utc_days = [first + timedelta(days=offset) for offset in range(-1, DAYS + 1)]
        held = len(ledger.calendar.reservations_on(court.id, utc_days))
    ranges = sum(len(day) for day in found.ranges.values())
    return AvailabilitySeed(key, first, held, ranges), timings


def views_caught_up(url: str, timeout: float = 60) -> bool:
    """Wait until every view of the server has reached the log's head, so that its runners, catching up on
    the seed, take no CPU from the requests measured."""
    heads = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT max(notification_id) FROM {}").format(sql.Identifier(SCHEMA, f"{view.name}_tracking"))
        for view in VIEWS
    )
    head = sql.SQL("SELECT max(notification_id) FROM {}").format(sql.Identifier(SCHEMA, "ledger_events"))
    deadline = time.monotonic() + timeout
    with psycopg.connect(url, autocommit=True) as conn:
        wanted = (conn.execute(head).fetchone() or (0,))[0] or 0
        while time.monotonic() < deadline:
            if all((row[0] or 0) >= wanted for row in conn.execute(heads).fetchall()):
                return True
            time.sleep(0.1)
    return False


def time_over_http(base_url: str, seed: AvailabilitySeed, requests: int) -> tuple[list[float], list[str]]:
    """Sequential GETs of the client API's availability, the warm-up first; (latencies, error samples)."""
    timings: list[float] = []
    errors: list[str] = []
    headers = {"Authorization": f"Token {seed.key}"}
    with httpx.Client(base_url=base_url, headers=headers, timeout=30) as client:
        for _ in range(WARMUP + requests):
            started = time.monotonic()
            response = client.get("/matchengine/api/v1/resources/availability/", params=seed.query)
            elapsed = (time.monotonic() - started) * 1000
            ranges = len(response.json().get("available_ranges", [])) if response.status_code == 200 else -1
            if ranges != seed.ranges and len(errors) < 5:
                errors.append(f"{response.status_code} with {ranges} ranges: {response.text[:200]}")
            timings.append(elapsed)
    return timings, errors


def measure(url: str, requests: int, add: Callable[..., None], problems: list[str]) -> None:
    """The availability figures; a wrong answer is a problem of the run."""
    seed, in_process = seed_and_time_in_process(url, requests)
    if seed.reservations != RESERVATIONS:
        problems.append(f"availability: {seed.reservations} reservations seeded, not {RESERVATIONS}")
    with ledger_server("ledger-availability", url, SCHEMA, secrets.token_urlsafe(24)) as server:
        if not views_caught_up(url):
            problems.append("availability: the server's views did not reach the log's head in time")
        over_http, errors = time_over_http(server.url, seed, requests)
    problems.extend(f"availability: {error}" for error in errors)
    conditions: dict[str, Any] = {
        "days": DAYS,
        "reservations": seed.reservations,
        "ranges_answered": seed.ranges,
        "requests": requests,
        "sequential": True,
        "first_request_ms": round(over_http[0], 1),
        "how": "GET /matchengine/api/v1/resources/availability/ against `ledger serve`, after "
        f"{WARMUP} warm-up requests",
    }
    add("availability_31d_p50_ms", percentile(over_http[WARMUP:], 50), "ms", **conditions)
    add("availability_31d_p99_ms", percentile(over_http[WARMUP:], 99), "ms", target=("<=", 30), **conditions)
    add(
        "availability_31d_in_process_p50_ms",
        percentile(in_process[WARMUP:], 50),
        "ms",
        how="ledger.resource_availability in the bench process: calendar read and engine, no HTTP",
        reservations=seed.reservations,
        cold_first_read_ms=round(in_process[0], 1),
    )
