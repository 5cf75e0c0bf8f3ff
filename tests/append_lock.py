"""Holding back the ledger's appends from a test: an uncommitted writer of the events table, and its queue."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from psycopg import sql

APPENDS_WAITING = (
    "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' "
    "AND query LIKE %s AND pid <> pg_backend_pid()"
)


@contextmanager
def uncommitted_writer(database_url: str, schema: str) -> Iterator[None]:
    """Hold the events table as an uncommitted INSERT does (ROW EXCLUSIVE) until the block ends.

    Reads pass; every append waits, having read what it decides on, for the table lock its function takes.
    """
    with psycopg.connect(database_url) as conn:
        conn.execute(
            sql.SQL("LOCK TABLE {} IN ROW EXCLUSIVE MODE").format(sql.Identifier(schema, "ledger_events"))
        )
        try:
            yield
        finally:
            conn.rollback()


def wait_for_waiting_appends(database_url: str, count: int, timeout: float = 30.0) -> bool:
    """Whether `count` sessions of this database are seen waiting for the append lock within `timeout`."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(database_url, autocommit=True) as probe:
        while time.monotonic() < deadline:
            row = probe.execute(APPENDS_WAITING, ("%ledger_insert_events_locked%",)).fetchone()
            if row and row[0] >= count:
                return True
            time.sleep(0.02)
    return False
