"""Holding back the ledger's appends from a test: a transaction that keeps inserts out, and their queue."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

import httpx
import psycopg
from psycopg import sql

from ledger.recorder import LedgerRecorder, insert_params
from ledger.runtime import Runtime
from tests.support import Tenant, booking_body, expect, random_day

UPDATED = [datetime.fromisoformat(f"203{n}-01-01T00:00:00+00:00") for n in range(1, 4)]
APPENDS_WAITING = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
    "AND query LIKE %s AND pid <> pg_backend_pid()"
)


@contextmanager
def uncommitted_writer(database_url: str, schema: str) -> Iterator[None]:
    """Hold the events table in SHARE mode, which no INSERT passes, until the block ends.

    Appends take no table lock of their own; reads pass this one, and every append waits, having read what
    it decides on, for the ROW EXCLUSIVE lock of its INSERT.
    """
    with psycopg.connect(database_url) as conn:
        conn.execute(sql.SQL("LOCK TABLE {} IN SHARE MODE").format(sql.Identifier(schema, "ledger_events")))
        try:
            yield
        finally:
            conn.rollback()


def wait_for_waiting_appends(database_url: str, count: int, timeout: float = 30.0) -> bool:
    """Whether `count` sessions of this database are seen waiting to append within `timeout`."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(database_url, autocommit=True) as probe:
        while time.monotonic() < deadline:
            row = probe.execute(APPENDS_WAITING, ("%ledger_insert_events_%",)).fetchone()
            if row and row[0] >= count:
                return True
            time.sleep(0.02)
    return False


def collide(runtime: Runtime, writes: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
    """Send the writes so that each reads the same versions before any appends, then let them append."""
    with ThreadPoolExecutor(len(writes)) as pool:
        with uncommitted_writer(runtime.database_url, runtime.settings.db_schema):
            sent = [pool.submit(write) for write in writes]
            assert wait_for_waiting_appends(runtime.database_url, count=len(writes))
        return [future.result(timeout=60) for future in sent]


def colliding_revisions(
    runtime: Runtime, tenant: Tenant, external_id: str
) -> tuple[list[dict[str, Any]], list[httpx.Response]]:
    """A partner's booking, then two revisions of it that both read its version before either appends."""
    day = random_day()
    expect(tenant.put(external_id, booking_body(tenant.court_id, day, updated=UPDATED[0])), 201)
    revisions = [
        booking_body(tenant.court_id, day + timedelta(hours=2 * n), updated=UPDATED[n]) for n in (1, 2)
    ]

    def revise(body: dict[str, Any]) -> Callable[[], httpx.Response]:
        return lambda: tenant.put(external_id, body)

    return revisions, collide(runtime, [revise(body) for body in revisions])


@contextmanager
def open_append(runtime: Runtime, *aggregates: Any) -> Iterator[list[int]]:
    """Append the aggregates' pending events in a transaction that stays open (uncommitted) until the block
    ends, then commits; yields the positions it took."""
    recorder = runtime.ledger.recorder
    assert isinstance(recorder, LedgerRecorder)
    stored = [runtime.ledger.mapper.to_stored_event(e) for a in aggregates for e in a.collect_events()]
    params = insert_params(stored, [None] * len(stored))
    with recorder.datastore.get_connection() as conn, conn.transaction():
        rows = conn.execute(recorder.sql_invoke_pg_function_insert_events, params)
        yield [row["event_position"] for row in rows.fetchall()]
