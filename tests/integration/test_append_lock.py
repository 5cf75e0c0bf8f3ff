"""Appends take the events table's EXCLUSIVE lock, so notification ids are issued in commit order."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import psycopg
from psycopg import sql

from domain.context import ADMIN, RequestContext
from domain.organization import Organization
from ledger.runtime import Runtime


def test_an_append_waits_for_a_concurrent_writer_of_the_events_table(runtime: Runtime) -> None:
    table = sql.Identifier(runtime.settings.db_schema, "ledger_events")
    organization = Organization.register(
        "Locked", "UTC", RequestContext(ADMIN, datetime.now(UTC), "r").meta()
    )
    saved = threading.Event()

    with psycopg.connect(runtime.database_url) as other_writer:
        # An uncommitted writer holds ROW EXCLUSIVE; a plain INSERT would pass it, the table lock may not.
        other_writer.execute(sql.SQL("LOCK TABLE {} IN ROW EXCLUSIVE MODE").format(table))

        def append() -> None:
            runtime.ledger.save(organization)
            saved.set()

        appender = threading.Thread(target=append)
        appender.start()
        waiting = wait_for_lock_waiter(runtime.database_url, deadline=time.monotonic() + 30)
        assert not saved.is_set()
        other_writer.rollback()
    appender.join(timeout=30)

    assert waiting
    assert saved.is_set()
    assert runtime.ledger.find(organization.id, Organization) is not None


def wait_for_lock_waiter(database_url: str, deadline: float) -> bool:
    """Whether a session in the ledger's insert function is seen waiting on a lock before the deadline."""
    query = (
        "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
        "AND query LIKE '%ledger_insert_events_locked%' AND query NOT LIKE '%pg_stat_activity%'"
    )
    with psycopg.connect(database_url, autocommit=True) as probe:
        while time.monotonic() < deadline:
            row = probe.execute(query).fetchone()
            if row and row[0] > 0:
                return True
            time.sleep(0.02)
    return False
