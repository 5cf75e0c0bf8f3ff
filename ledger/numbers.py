"""Numbers allocated by PostgreSQL: a sequence per kind, so concurrent creations never wait on each other."""

from __future__ import annotations

import psycopg
from eventsourcing.persistence import ApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql

from domain.numbers import NUMBER_KINDS


def sequence_name(kind: str) -> str:
    return f"ledger_{kind}_number"


def create_number_sequences(conn: psycopg.Connection[tuple[object, ...]], schema: str) -> None:
    """Create the sequence of every kind of number in `schema`, where it does not exist yet."""
    for kind in NUMBER_KINDS:
        statement = sql.SQL("CREATE SEQUENCE IF NOT EXISTS {} AS bigint START WITH 1").format(
            sql.Identifier(schema or "public", sequence_name(kind))
        )
        # The caller holds the schema-setup lock, so no other process races this check.
        conn.execute(statement)


class PostgresNumbers:
    """Numbers from `nextval`, which never hands out a value twice, even to transactions that roll back.

    A number taken by a command that then fails is never used: numbers have gaps, never duplicates.
    """

    def __init__(self, recorder: ApplicationRecorder) -> None:
        if not isinstance(recorder, PostgresApplicationRecorder):
            raise TypeError("Numbers are allocated by PostgreSQL sequences only.")
        self._datastore = recorder.datastore
        self._statements = {
            kind: sql.SQL("SELECT nextval({}::regclass) AS number").format(
                sql.Literal(sql.Identifier(self._datastore.schema, sequence_name(kind)).as_string())
            )
            for kind in NUMBER_KINDS
        }

    def next_number(self, kind: str) -> int:
        statement = self._statements.get(kind)
        if statement is None:
            raise ValueError(f"No numbers are kept for {kind!r}.")
        with self._datastore.transaction(commit=True) as cursor:
            cursor.execute(statement)
            row = cursor.fetchone()
        assert row is not None
        return int(row["number"])
