"""When each view was last rebuilt and swapped in by `ledger replay rebuild`, for the console to show."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from psycopg import Cursor, sql
from psycopg.rows import DictRow

TABLE = "view_rebuilds"


@dataclass(frozen=True)
class Rebuild:
    """A view's last rebuild: when it was swapped in, at which position, after how many events."""

    view: str
    finished_at: datetime
    position: int
    events: int


def _table(schema: str) -> sql.Identifier:
    return sql.Identifier(schema, TABLE) if schema else sql.Identifier(TABLE)


def table_ddl(schema: str) -> list[sql.Composed]:
    return [
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (view text PRIMARY KEY, finished_at timestamptz NOT NULL, "
            "position bigint NOT NULL, events bigint NOT NULL)"
        ).format(_table(schema))
    ]


def record_rebuild(curs: Cursor[DictRow], schema: str, view: str, position: int, events: int) -> None:
    curs.execute(
        sql.SQL(
            "INSERT INTO {} (view, finished_at, position, events) VALUES (%s, now(), %s, %s) "
            "ON CONFLICT (view) DO UPDATE SET finished_at = excluded.finished_at, "
            "position = excluded.position, events = excluded.events"
        ).format(_table(schema)),
        (view, position, events),
    )


def last_rebuilds(curs: Cursor[DictRow], schema: str) -> dict[str, Rebuild]:
    curs.execute(sql.SQL("SELECT view, finished_at, position, events FROM {}").format(_table(schema)))
    return {
        row["view"]: Rebuild(row["view"], row["finished_at"], row["position"], row["events"])
        for row in curs.fetchall()
    }
