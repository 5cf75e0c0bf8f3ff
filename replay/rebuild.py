"""Rebuild a view from the event log in large batches into a fresh table, then swap it in atomically."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from domain.application import Ledger
from projections.court_bookings import (
    COLUMNS,
    INDEXES,
    TABLE,
    CourtBookingsView,
    create_table_ddl,
    index_ddl,
    row_statements,
)
from projections.tables import execute_in_order

REBUILD_SUFFIX = "__rebuild"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild read and where it ended."""

    events: int
    position: int
    table: str


def _apply_batch(
    ledger: Ledger, curs: Cursor[DictRow], start: int, stop: int | None, table: str, limit: int
) -> tuple[int, int]:
    """Apply the events after `start` (up to `stop`) to `table`; return (events read, last position)."""
    notifications = ledger.recorder.select_notifications(
        start=start, limit=limit, stop=stop, inclusive_of_start=False
    )
    execute_in_order(
        curs,
        (
            statement
            for notification in notifications
            for statement in row_statements(
                ledger.mapper.to_domain_event(notification), notification.id, table
            )
        ),
    )
    return len(notifications), notifications[-1].id if notifications else start


def rebuild_court_bookings(
    ledger: Ledger,
    view: CourtBookingsView,
    *,
    swap: bool = True,
    batch_size: int = 5000,
    progress: Progress | None = None,
) -> RebuildReport:
    """Replay the whole log into a fresh table; with `swap`, replace the live table and its position."""
    recorder = ledger.recorder
    assert isinstance(recorder, PostgresApplicationRecorder)
    name = TABLE + REBUILD_SUFFIX
    fresh = view.table(name)
    with view.datastore.transaction(commit=True) as curs:
        curs.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(fresh))
        # Secondary indexes are built once at the end, which is cheaper than maintaining them row by row.
        for statement in create_table_ddl(fresh):
            curs.execute(statement)
    head = recorder.max_notification_id() or 0
    position, total = 0, 0
    while position < head:
        with view.datastore.transaction(commit=True) as curs:
            count, position = _apply_batch(ledger, curs, position, head, fresh.as_string(), batch_size)
        if count == 0:
            break
        total += count
        if progress:
            progress(position, head)
    with view.datastore.transaction(commit=True) as curs:
        for statement in index_ddl(fresh, name):
            curs.execute(statement)
    if not swap:
        return RebuildReport(total, position, name)
    with view.datastore.transaction(commit=True) as curs:
        # Holding the tracking row makes the live runner wait, then skip what the fresh table already has.
        view.lock_position(curs)
        while True:
            count, position = _apply_batch(ledger, curs, position, None, fresh.as_string(), batch_size)
            total += count
            if count < batch_size:
                break
        curs.execute(sql.SQL("DROP TABLE {}").format(view.rows_table))
        curs.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(fresh, sql.Identifier(TABLE)))
        for suffix in INDEXES:
            curs.execute(
                sql.SQL("ALTER INDEX {} RENAME TO {}").format(
                    view.table(f"{name}_{suffix}"), sql.Identifier(f"{TABLE}_{suffix}")
                )
            )
        view.set_position(curs, position)
    return RebuildReport(total, position, TABLE)


def differing_rows(view: CourtBookingsView, other_table: str) -> int:
    """How many rows differ between the live view and `other_table` (both directions)."""
    columns = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
    query = sql.SQL(
        "SELECT (SELECT count(*) FROM (SELECT {c} FROM {a} EXCEPT ALL SELECT {c} FROM {b}) x) + "
        "(SELECT count(*) FROM (SELECT {c} FROM {b} EXCEPT ALL SELECT {c} FROM {a}) y) AS n"
    ).format(c=columns, a=view.rows_table, b=view.table(other_table))
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(query)
        row = curs.fetchone()
    return int(row["n"]) if row else 0
