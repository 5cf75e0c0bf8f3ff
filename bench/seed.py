"""Seeds real events with the ledger's own application service in-process, and caches the seeded schema."""

from __future__ import annotations

import argparse
import json
import secrets
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql
from pydantic import SecretStr

from bench.config import DATA_DIR
from bench.database import drop_schema, schema_exists
from bench.slots import SEED_DAY_BASE, slot
from domain.app_base import Saved
from domain.application import Ledger
from domain.context import ADMIN, Principal, RequestContext
from domain.court_booking import CourtBooking
from domain.court_booking_terms import CourtBookingTerms, checked_participants
from domain.court_booking_upserts import MAX_BATCH, UpsertItem
from domain.resource_day import ResourceDay
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from projections.court_bookings import TABLE as VIEW_TABLE
from projections.registry import VIEWS
from replay import checkpoint_store
from replay.rebuild import REBUILD_SUFFIX, rebuild_view

SEED_FORMAT = 1
META_TABLE = "bench_seed"
EVENTS_TABLE = "ledger_events"
CHECKPOINTS_TABLE = checkpoint_store.TABLE
SCOPES = ["court-bookings:read", "court-bookings:write", "audit:read"]
HISTORY_ID = "history-booking"
HISTORY_BATCH = 250
UPDATED_AT = datetime(2034, 6, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Seed:
    """A seeded schema: its tenant (client, key, courts), its size and where its log ended."""

    schema: str
    format: int
    target_events: int
    client_id: str
    key: str
    court_ids: list[str]
    history_external_id: str | None
    history_events: int
    events: int
    head: int
    seed_seconds: float
    view_seconds: float
    bulk_bookings: int = 0
    bulk_seconds: float = 0.0

    @property
    def seed_events_per_second(self) -> float:
        return self.events / self.seed_seconds if self.seed_seconds else 0.0

    @property
    def seed_bookings_per_second(self) -> float:
        """The bulk bookings' rate through the batch upsert command, in-process."""
        return self.bulk_bookings / self.bulk_seconds if self.bulk_seconds else 0.0


def runtime_settings(url: str, schema: str) -> Settings:
    """Settings of an in-process runtime on `schema`, with no projection runners and no token file."""
    return Settings(
        database_url=url,
        db_schema=schema,
        data_dir=DATA_DIR / "ledger",
        admin_token=SecretStr(secrets.token_urlsafe(24)),
        run_projections=False,
    )


def worker_settings(description: str | None) -> Settings:
    """The runtime settings of a worker process, from its `--url` and `--schema` arguments."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--url", required=True)
    parser.add_argument("--schema", required=True)
    args = parser.parse_args()
    return runtime_settings(args.url, args.schema)


def _context(runtime: Runtime) -> RequestContext:
    return RequestContext(ADMIN, runtime.clock(), f"bench-seed-{uuid.uuid4().hex}")


def _terms(court_id: UUID, start: datetime, email: str, updated: datetime) -> CourtBookingTerms:
    participants = checked_participants([(None, email)])
    return CourtBookingTerms(court_id, start, start + timedelta(hours=1), participants, updated)


def _seed_history(
    runtime: Runtime, client_id: UUID, organization_id: UUID, court_id: UUID, events: int
) -> int:
    """One booking revised until it has `events` events (the participant changes each time)."""
    meta = _context(runtime).meta()
    _, start = slot(0, 1, SEED_DAY_BASE - 10)
    booking = CourtBooking.register(
        client_id,
        HISTORY_ID,
        organization_id,
        _terms(court_id, start, "history-0@example.com", UPDATED_AT),
        meta,
    )
    day = ResourceDay(resource_id=court_id, day=start.date(), meta=meta)
    day.reserve(booking.id, start, start + timedelta(hours=1), meta)
    saved = len(runtime.ledger.save(booking, day))
    for version in range(1, events):
        updated = UPDATED_AT + timedelta(seconds=version)
        booking.revise(
            organization_id, _terms(court_id, start, f"history-{version}@example.com", updated), meta
        )
        if version % HISTORY_BATCH == 0 or version == events - 1:
            saved += len(runtime.ledger.save(booking))
    return saved


def _seed_bulk(
    runtime: Runtime, client_id: UUID, organization_id: UUID, court_ids: list[UUID], events: int
) -> tuple[int, int]:
    """Distinct one-hour bookings over the courts, upserted by the batch command the batch endpoint calls,
    `MAX_BATCH` per call; (events written, bookings)."""
    ledger = runtime.ledger
    principal = Principal(
        id=str(client_id),
        kind="client",
        scopes=frozenset(SCOPES),
        organization_ids=frozenset({organization_id}),
    )
    first = ledger.recorder.max_notification_id() or 0
    head, n, started = first, 0, time.monotonic()
    while head - first < events:
        ctx = RequestContext(principal, runtime.clock(), f"bench-seed-{uuid.uuid4().hex}")
        items = []
        for _ in range(MAX_BATCH):
            court, start = slot(n, len(court_ids), SEED_DAY_BASE)
            items.append(
                UpsertItem(
                    f"seed-{n}",
                    court_ids[court],
                    start,
                    start + timedelta(hours=1),
                    [(None, f"player-{n % 5000}@example.com")],
                    UPDATED_AT,
                )
            )
            n += 1
        refused = [o for o in ledger.upsert_court_bookings(ctx, client_id, items) if not isinstance(o, Saved)]
        if refused:
            raise RuntimeError(f"the seed's batch refused {len(refused)} bookings, e.g. {refused[0]!r}")
        head = ledger.recorder.max_notification_id() or 0
        rate = n / max(time.monotonic() - started, 1e-9)
        sys.stderr.write(f"\r  seeded {head - first:,}/{events:,} events ({rate:,.0f} bookings/s)")
    sys.stderr.write("\n")
    return head - first, n


def _catch_up_views(runtime: Runtime) -> float:
    """Bring the views to the log head: court bookings by the ledger's rebuild, the others by position."""
    started = time.monotonic()
    rebuild_view(runtime.ledger, runtime.court_bookings, swap=True)
    _rowless_views_to_head(runtime)
    return time.monotonic() - started


def _rowless_views_to_head(runtime: Runtime) -> None:
    """The views other than court bookings at the log head.

    The seed has no booking, order, coach-event or resource-booking events, so those views have no row to
    derive; their runners would only record each position one transaction at a time, which this does at once.
    A view added after a seed was cached gets its tables here too (opening the runtime creates them).
    """
    head = runtime.ledger.recorder.max_notification_id() or 0
    for view in runtime.views.values():
        if view is runtime.court_bookings:
            continue
        with view.datastore.transaction(commit=True) as curs:
            if view.lock_position(curs) < head:
                view.set_position(curs, head)


def _write_meta(url: str, seed: Seed) -> None:
    table = sql.Identifier(seed.schema, META_TABLE)
    with psycopg.connect(url) as conn:
        conn.execute(sql.SQL("CREATE TABLE {} (data jsonb NOT NULL)").format(table))
        conn.execute(sql.SQL("INSERT INTO {} (data) VALUES (%s)").format(table), (json.dumps(asdict(seed)),))


def read_seed(url: str, schema: str) -> Seed | None:
    """The seed recorded in `schema`, or None when there is none (or it is of another format)."""
    if not schema_exists(url, schema):
        return None
    with psycopg.connect(url, autocommit=True) as conn:
        found = conn.execute("SELECT to_regclass(%s)", (f"{schema}.{META_TABLE}",)).fetchone()
        if not found or found[0] is None:
            return None
        row = conn.execute(
            sql.SQL("SELECT data FROM {}").format(sql.Identifier(schema, META_TABLE))
        ).fetchone()
    data: dict[str, Any] = row[0] if row else {}
    if data.get("format") != SEED_FORMAT:
        return None
    return Seed(**data)


def seed_schema(
    url: str, schema: str, events: int, history_events: int, courts: int, log: Callable[[str], None]
) -> Seed:
    """Drop `schema`, then seed it with about `events` events (a history booking included) and record it."""
    drop_schema(url, schema)
    log(f"Seeding {events:,} events into schema {schema} ...")
    started = time.monotonic()
    with open_runtime(
        runtime_settings(url, schema), run_projections=False, announce=lambda _: None
    ) as runtime:
        ledger: Ledger = runtime.ledger
        ctx = _context(runtime)
        organization = ledger.create_organization(ctx, "Bench Club", "Europe/Berlin").value
        venue = ledger.create_venue(ctx, organization.id, "Bench Centre", "Berlin", None).value
        court_ids = [ledger.create_court(ctx, venue.id, f"Court {i + 1}").value.id for i in range(courts)]
        client = ledger.create_client(ctx, "Bench partner", SCOPES, [organization.id]).value
        key = ledger.issue_api_key(ctx, client.id).value.key
        total = ledger.recorder.max_notification_id() or 0
        if history_events:
            total += _seed_history(runtime, client.id, organization.id, court_ids[0], history_events)
        bulk_started = time.monotonic()
        bulk_events, bookings = _seed_bulk(runtime, client.id, organization.id, court_ids, events - total)
        bulk_seconds = time.monotonic() - bulk_started
        total += bulk_events
        seed_seconds = time.monotonic() - started
        view_seconds = _catch_up_views(runtime)
        head = ledger.recorder.max_notification_id() or 0
    seed = Seed(
        schema=schema,
        format=SEED_FORMAT,
        target_events=events,
        client_id=str(client.id),
        key=key,
        court_ids=[str(court) for court in court_ids],
        history_external_id=HISTORY_ID if history_events else None,
        history_events=history_events,
        events=total,
        head=head,
        seed_seconds=seed_seconds,
        view_seconds=view_seconds,
        bulk_bookings=bookings,
        bulk_seconds=bulk_seconds,
    )
    _write_meta(url, seed)
    log(f"Seeded {total:,} events in {seed_seconds:.1f} s; views caught up in {view_seconds:.1f} s.")
    return seed


def restore_seed(url: str, seed: Seed) -> int:
    """Remove what a run added after the seed (events, view rows, positions); return the events removed."""
    schema = seed.schema

    def table(name: str) -> sql.Identifier:
        return sql.Identifier(schema, name)

    with psycopg.connect(url) as conn:
        removed = conn.execute(
            sql.SQL("DELETE FROM {} WHERE notification_id > %s").format(table(EVENTS_TABLE)), (seed.head,)
        ).rowcount
        conn.execute(sql.SQL("DELETE FROM {} WHERE position > %s").format(table(VIEW_TABLE)), (seed.head,))
        for view in VIEWS:
            tracking = f"{view.name}_tracking"
            found = conn.execute("SELECT to_regclass(%s)", (f"{schema}.{tracking}",)).fetchone()
            if found is None or found[0] is None:
                continue  # a view added after the seed was cached: set up when the seed is reused
            statement = sql.SQL("UPDATE {} SET notification_id = %s WHERE notification_id > %s")
            conn.execute(statement.format(table(tracking)), (seed.head, seed.head))
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table(VIEW_TABLE + REBUILD_SUFFIX)))
        # Checkpoints signed over the removed events would no longer verify; the next ones cover the rest.
        found = conn.execute("SELECT to_regclass(%s)", (f"{schema}.{CHECKPOINTS_TABLE}",)).fetchone()
        if found is not None and found[0] is not None:
            conn.execute(
                sql.SQL("DELETE FROM {} WHERE last_position > %s").format(table(CHECKPOINTS_TABLE)),
                (seed.head,),
            )
    return removed


def cached_seed(
    url: str, schema: str, events: int, history_events: int, courts: int, log: Callable[[str], None]
) -> tuple[Seed, bool]:
    """The seed cached in `schema` when it matches, restored to its head; else a fresh one. (seed, reused)"""
    seed = read_seed(url, schema)
    if (
        seed is not None
        and seed.target_events == events
        and seed.history_events == history_events
        and len(seed.court_ids) == courts
    ):
        removed = restore_seed(url, seed)
        with open_runtime(
            runtime_settings(url, schema), run_projections=False, announce=lambda _: None
        ) as runtime:
            _rowless_views_to_head(runtime)
        log(
            f"Reusing the seeded schema {schema} ({seed.events:,} events; removed {removed:,} left by a run)."
        )
        return seed, True
    return seed_schema(url, schema, events, history_events, courts, log), False
