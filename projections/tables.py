"""Shared plumbing of the views: qualified table names and exactly-once tracking in the same transaction."""

from __future__ import annotations

import functools
import itertools
import time
from collections.abc import Iterable, Sequence
from typing import Any

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.postgres import PostgresTrackingRecorder
from psycopg import Cursor, sql
from psycopg.rows import DictRow

Statement = tuple[str, dict[str, Any]]
"""A query's text (built once per table and columns, so the driver caches its parsing) and its parameters."""


@functools.cache
def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    return (
        sql.SQL("INSERT INTO {} ({}) VALUES ({})")
        .format(
            sql.SQL(table),
            sql.SQL(", ").join(map(sql.Identifier, columns)),
            sql.SQL(", ").join(map(sql.Placeholder, columns)),
        )
        .as_string()
    )


@functools.cache
def _update_sql(table: str, key: str, columns: tuple[str, ...]) -> str:
    assignments = sql.SQL(", ").join(
        sql.SQL("{} = {}").format(sql.Identifier(c), sql.Placeholder(c)) for c in columns
    )
    return (
        sql.SQL("UPDATE {} SET {} WHERE {} = %(__key)s")
        .format(sql.SQL(table), assignments, sql.Identifier(key))
        .as_string()
    )


def execute_in_order(curs: Cursor[DictRow], statements: Iterable[Statement]) -> None:
    """Run the statements in order, sending each run of the same query as one executemany() in a pipeline."""
    with curs.connection.pipeline():
        for query, group in itertools.groupby(statements, key=lambda statement: statement[0]):
            curs.executemany(query, [params for _, params in group])


def insert_row(table: str, values: dict[str, Any]) -> Statement:
    return _insert_sql(table, tuple(values)), values


def update_rows(table: str, key: str, key_value: Any, values: dict[str, Any]) -> Statement:
    return _update_sql(table, key, tuple(values)), {**values, "__key": key_value}


class TrackedView(PostgresTrackingRecorder):
    """A view whose rows and tracking position change in one transaction, for every event it receives."""

    application_name = "Ledger"

    def table(self, name: str) -> sql.Identifier:
        if self.datastore.schema:
            return sql.Identifier(self.datastore.schema, name)
        return sql.Identifier(name)

    def table_sql(self, name: str) -> str:
        """The quoted, schema-qualified name of a table, as query text."""
        return self.table(name).as_string()

    @property
    def tracking_table(self) -> sql.Identifier:
        return self.table(self.tracking_table_name)

    def create_table(self) -> None:
        super().create_table()
        # A tracking row from the start, so that writers can lock it before changing rows.
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "INSERT INTO {} (application_name, notification_id) VALUES (%s, 0) "
                    "ON CONFLICT (application_name) DO NOTHING"
                ).format(self.tracking_table),
                (self.application_name,),
            )

    def lock_position(self, curs: Cursor[DictRow]) -> int:
        """Lock the tracking row for this transaction and return the position it holds."""
        curs.execute(
            sql.SQL("SELECT notification_id FROM {} WHERE application_name = %s FOR UPDATE").format(
                self.tracking_table
            ),
            (self.application_name,),
            prepare=True,
        )
        row = curs.fetchone()
        return int(row["notification_id"]) if row and row["notification_id"] is not None else 0

    def set_position(self, curs: Cursor[DictRow], position: int) -> None:
        curs.execute(
            sql.SQL("UPDATE {} SET notification_id = %s WHERE application_name = %s").format(
                self.tracking_table
            ),
            (position, self.application_name),
            prepare=True,
        )

    def statements(self, event: DomainEventProtocol[Any], position: int) -> list[Statement]:
        """The row changes that one event makes to this view (none for events it ignores)."""
        raise NotImplementedError

    def apply_batch(self, batch: Sequence[tuple[DomainEventProtocol[Any], int]]) -> int:
        """Apply the row changes of (event, position) pairs and advance the position, in one transaction.

        Events at or before the stored position were applied already and are skipped, so a runner that
        resumes after a crash, or races a rebuild's swap, applies each event exactly once. Returns the count.
        The row changes are worked out before the transaction opens, so that it only writes.
        """
        changes = [(position, self.statements(event, position)) for event, position in batch]
        with self.datastore.transaction(commit=True) as curs:
            current = self.lock_position(curs)
            fresh = [(position, statements) for position, statements in changes if position > current]
            if not fresh:
                return 0
            execute_in_order(curs, (s for _, statements in fresh for s in statements))
            self.set_position(curs, fresh[-1][0])
        return len(fresh)

    def position(self) -> int:
        return self.max_tracking_id(self.application_name) or 0

    def wait_for(self, position: int, timeout: float) -> bool:
        """Block until the view has reached `position` or `timeout` seconds passed; True if reached."""
        deadline = time.monotonic() + timeout
        pause = 0.002
        while self.position() < position:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            time.sleep(min(pause, remaining))
            pause = min(pause * 2, 0.05)
        return True
