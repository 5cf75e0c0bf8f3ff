"""Rebuild a view from the event log in large batches into fresh tables, then swap them in atomically.

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
from projections.rows import Statement, execute_in_order
from projections.tables import Targets, TrackedView

REBUILD_SUFFIX = "__rebuild"
LAST_POSITION = 2**63 - 1
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class RebuildReport:
    """What a rebuild read and where it ended; `tables`: the fresh tables, or the live ones once swapped."""

    events: int
    position: int
    tables: tuple[str, ...]

    @property
    def table(self) -> str:
        """The first of `tables` (the only one of a single-table view)."""
        return self.tables[0]


@dataclass(frozen=True)
class Page:
    """Events read from the log, already turned into the row changes they make."""

    events: int
    last: int
    statements: list[Statement]


def _decoded(
    ledger: Ledger, view: TrackedView, notifications: Sequence[Notification], start: int, targets: Targets
) -> Page:
    prefetch = getattr(ledger.mapper, "prefetch", None)
    if callable(prefetch):
        prefetch(notifications)
    statements = [
        statement
        for notification in notifications
        for statement in view.statements(
            ledger.mapper.to_domain_event(notification), notification.id, targets
        )
    ]
    return Page(len(notifications), notifications[-1].id if notifications else start, statements)


def _read_page(
    ledger: Ledger, view: TrackedView, start: int, stop: int | None, targets: Targets, limit: int
) -> Page:
    """The events after `start` (up to `stop`), read and decoded outside any transaction."""
    notifications = ledger.recorder.select_notifications(
        start=start, limit=limit, stop=stop, inclusive_of_start=False
    )
    return _decoded(ledger, view, notifications, start, targets)


def _write(view: TrackedView, page: Page) -> None:
    if page.statements:
        with view.datastore.transaction(commit=True) as curs:
            execute_in_order(curs, page.statements)


def _notifications_after(
    curs: Cursor[DictRow], recorder: PostgresApplicationRecorder, start: int, upto: int | None
) -> list[Notification]:
    """Every event after `start` (up to `upto`), read on the cursor's own connection (inside its
    transaction)."""
    curs.execute(
        sql.SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {} "
            "WHERE notification_id > %s AND notification_id <= %s ORDER BY notification_id"
        ).format(sql.Identifier(recorder.datastore.schema, recorder.events_table_name)),
        (start, LAST_POSITION if upto is None else upto),
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


def rebuild_view(
    ledger: Ledger,
    view: TrackedView,
    *,
    swap: bool = True,
    batch_size: int = 5000,
    progress: Progress | None = None,
    upto: int | None = None,
) -> RebuildReport:
    """Replay the whole log (up to position `upto`) into fresh tables; with `swap`, replace the live tables
    and the position."""
    recorder = ledger.recorder
    if not isinstance(recorder, PostgresApplicationRecorder):
        raise TypeError("A rebuild reads the log from PostgreSQL.")
    fresh = {table.name: table.name + REBUILD_SUFFIX for table in view.tables}
    targets = {name: view.table_sql(fresh_name) for name, fresh_name in fresh.items()}
    with view.datastore.transaction(commit=True) as curs:
        for table in view.tables:
            curs.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(view.table(fresh[table.name])))
            # Secondary indexes are built once at the end, which is cheaper than maintaining them row by row.
            curs.execute(table.create_ddl(view.table(fresh[table.name])))
    head = recorder.max_notification_id() or 0
    if upto is not None:
        head = min(head, upto)
    position, total = 0, 0

    def apply_pages(stop: int | None) -> None:
        nonlocal position, total
        while stop is None or position < stop:
            page = _read_page(ledger, view, position, stop, targets, batch_size)
            _write(view, page)
            position, total = page.last, total + page.events
            if progress and page.events:
                progress(position, max(head, position))
            if page.events < batch_size:
                return

    apply_pages(head)
    with view.datastore.transaction(commit=True) as curs:
        for table in view.tables:
            for statement in table.index_ddl(view.table(fresh[table.name]), fresh[table.name]):
                curs.execute(statement)
    if not swap:
        return RebuildReport(total, position, tuple(fresh.values()))
    # What arrived during the index build is applied before the lock, so that little is left under it.
    apply_pages(upto)
    with view.datastore.transaction(commit=True) as curs:
        # Holding the tracking row makes the live runner wait, then skip what the fresh tables already have.
        view.lock_position(curs)
        arrived = _notifications_after(curs, recorder, position, upto)
        tail = _decoded(ledger, view, arrived, position, targets)
        execute_in_order(curs, tail.statements)
        position, total = tail.last, total + tail.events
        for table in view.tables:
            _replace(curs, view, table.name, fresh[table.name], list(table.indexes))
        view.set_position(curs, position)
    return RebuildReport(total, position, tuple(fresh))


def _replace(
    curs: Cursor[DictRow], view: TrackedView, live: str, fresh: str, index_suffixes: list[str]
) -> None:
    """Drop the live table and give the fresh one its name, and its indexes theirs."""
    curs.execute(sql.SQL("DROP TABLE {}").format(view.table(live)))
    curs.execute(sql.SQL("ALTER TABLE {} RENAME TO {}").format(view.table(fresh), sql.Identifier(live)))
    for suffix in index_suffixes:
        curs.execute(
            sql.SQL("ALTER INDEX {} RENAME TO {}").format(
                view.table(f"{fresh}_{suffix}"), sql.Identifier(f"{live}_{suffix}")
            )
        )


def differing_rows(view: TrackedView, other_table: str, table: str | None = None) -> int:
    """How many rows differ between the view's `table` (its first by default) and `other_table`, both ways."""
    declared = next(t for t in view.tables if table is None or t.name == table)
    columns = sql.SQL(", ").join(map(sql.Identifier, declared.columns))
    query = sql.SQL(
        "SELECT (SELECT count(*) FROM (SELECT {c} FROM {a} EXCEPT ALL SELECT {c} FROM {b}) x) + "
        "(SELECT count(*) FROM (SELECT {c} FROM {b} EXCEPT ALL SELECT {c} FROM {a}) y) AS n"
    ).format(c=columns, a=view.table(declared.name), b=view.table(other_table))
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(query)
        row = curs.fetchone()
    return int(row["n"]) if row else 0
