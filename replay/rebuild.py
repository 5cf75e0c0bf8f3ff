"""Rebuild a view from the event log in large batches into a fresh table, then swap it in atomically.

No transaction stays open while other work runs: each page of events is read and decoded into row changes
first, then written in a short transaction of its own, and the swap reads the few events that arrived since
the last page on its own connection while it holds the view's position.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from eventsourcing.persistence import Notification
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
from projections.tables import Statement, execute_in_order

REBUILD_SUFFIX = "__rebuild"
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild read and where it ended."""

    events: int
    position: int
    table: str


@dataclass(frozen=True)
class Page:
    """Events read from the log, already turned into the row changes they make."""

    events: int
    last: int
    statements: list[Statement]


def _decoded(ledger: Ledger, notifications: Sequence[Notification], start: int, table: str) -> Page:
    statements = [
        statement
        for notification in notifications
        for statement in row_statements(ledger.mapper.to_domain_event(notification), notification.id, table)
    ]
    return Page(len(notifications), notifications[-1].id if notifications else start, statements)


def _read_page(ledger: Ledger, start: int, stop: int | None, table: str, limit: int) -> Page:
    """The events after `start` (up to `stop`), read and decoded outside any transaction."""
    notifications = ledger.recorder.select_notifications(
        start=start, limit=limit, stop=stop, inclusive_of_start=False
    )
    return _decoded(ledger, notifications, start, table)


def _write(view: CourtBookingsView, page: Page) -> None:
    if page.statements:
        with view.datastore.transaction(commit=True) as curs:
            execute_in_order(curs, page.statements)


def _notifications_after(
    curs: Cursor[DictRow], recorder: PostgresApplicationRecorder, start: int
) -> list[Notification]:
    """Every event after `start`, read on the cursor's own connection (inside its transaction)."""
    curs.execute(
        sql.SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
            "WHERE notification_id > %s ORDER BY notification_id"
        ).format(sql.Identifier(recorder.datastore.schema, recorder.events_table_name)),
        (start,),
    )
    return [
        Notification(
            id=row["notification_id"],
            originator_id=row["originator_id"],
            originator_version=row["originator_version"],
            topic=row["topic"],
            state=bytes(row["state"]),
        )
        for row in curs.fetchall()
    ]


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
    if not isinstance(recorder, PostgresApplicationRecorder):
        raise TypeError("A rebuild reads the log from PostgreSQL.")
    name = TABLE + REBUILD_SUFFIX
    fresh = view.table(name)
    table = fresh.as_string()
    with view.datastore.transaction(commit=True) as curs:
        curs.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(fresh))
        # Secondary indexes are built once at the end, which is cheaper than maintaining them row by row.
        for statement in create_table_ddl(fresh):
            curs.execute(statement)
    head = recorder.max_notification_id() or 0
    position, total = 0, 0

    def apply_pages(stop: int | None) -> None:
        nonlocal position, total
        while stop is None or position < stop:
            page = _read_page(ledger, position, stop, table, batch_size)
            _write(view, page)
            position, total = page.last, total + page.events
            if progress and page.events:
                progress(position, max(head, position))
            if page.events < batch_size:
                return

    apply_pages(head)
    with view.datastore.transaction(commit=True) as curs:
        for statement in index_ddl(fresh, name):
            curs.execute(statement)
    if not swap:
        return RebuildReport(total, position, name)
    # What arrived during the index build is applied before the lock, so that little is left under it.
    apply_pages(None)
    with view.datastore.transaction(commit=True) as curs:
        # Holding the tracking row makes the live runner wait, then skip what the fresh table already has.
        view.lock_position(curs)
        tail = _decoded(ledger, _notifications_after(curs, recorder, position), position, table)
        execute_in_order(curs, tail.statements)
        position, total = tail.last, total + tail.events
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
