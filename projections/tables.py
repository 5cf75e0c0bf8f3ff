"""A view's declaration (tables, indexes, event handlers) and its exactly-once tracking in one transaction."""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.postgres import PostgresTrackingRecorder
from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections.rows import Statement, execute_in_order

Targets = Mapping[str, str]
"""The tables an event's row changes go to: a view's table name -> the quoted table to write (query text)."""

Handler = Callable[[Any, int, Targets], list[Statement]]
"""The row changes that one event (at its position in the log) makes to the target tables."""


@dataclass(frozen=True)
class Table:
    """One table of a view: its columns (name -> type) and its secondary indexes (name suffix -> columns)."""

    name: str
    columns: Mapping[str, str]
    indexes: Mapping[str, str] = field(default_factory=dict)

    def create_ddl(self, target: sql.Identifier) -> sql.Composed:
        definitions = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(column), sql.SQL(kind))
            for column, kind in self.columns.items()
        )
        return sql.SQL("CREATE TABLE IF NOT EXISTS {} ({})").format(target, definitions)

    def index_ddl(self, target: sql.Identifier, prefix: str) -> list[sql.Composed]:
        """CREATE INDEX statements, each index named `<prefix>_<suffix>` (a live table's prefix: its name)."""
        return [
            sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} " + columns).format(
                sql.Identifier(f"{prefix}_{suffix}"), target
            )
            for suffix, columns in self.indexes.items()
        ]


def changes_of(
    handlers: Mapping[type, Handler], event: DomainEventProtocol[Any], position: int, targets: Targets
) -> list[Statement]:
    """The row changes of one event, by the handler of its class; none for a class the view ignores."""
    handler = handlers.get(type(event))
    return handler(event, position, targets) if handler is not None else []


class TrackedView(PostgresTrackingRecorder):
    """A read model, declared once: its name, tables and event handlers; its query methods on subclasses.

    Its rows and tracking position change in one transaction, for every event it receives.
    """

    name: ClassVar[str]
    """The view's name: its tracking table is `<name>_tracking`; `ledger replay rebuild` calls it by
    `command_name()`."""
    tables: ClassVar[tuple[Table, ...]]
    handlers: ClassVar[Mapping[type, Handler]]
    """Event class -> the row changes an event of exactly that class makes (nested event classes are
    re-created per aggregate class, so each class is named, subclasses included)."""

    application_name = "Ledger"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.live_targets: Targets = {table.name: self.table_sql(table.name) for table in self.tables}
        for table in self.tables:
            self.sql_create_statements.append(table.create_ddl(self.table(table.name)))
            self.sql_create_statements.extend(table.index_ddl(self.table(table.name), table.name))

    @classmethod
    def command_name(cls) -> str:
        return cls.name.replace("_", "-")

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

    def statements(
        self, event: DomainEventProtocol[Any], position: int, targets: Targets | None = None
    ) -> list[Statement]:
        """The row changes that one event makes to this view's tables, or to `targets` (a rebuild's)."""
        return changes_of(self.handlers, event, position, self.live_targets if targets is None else targets)

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
            self.batch_applied(curs, current, fresh[-1][0])
        return len(fresh)

    def batch_applied(self, curs: Cursor[DictRow], after: int, upto: int) -> None:
        """Called in a batch's transaction once its rows are written: the events in (after, upto] were
        applied. A view whose readers wait on its changes tells them here, so they hear it at the commit."""

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
