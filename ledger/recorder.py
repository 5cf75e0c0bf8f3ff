"""The events table's writer: one database function locks the table, notifies, and inserts, in one call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg.sql import SQL, Identifier


class LockedFunctionRecorder(PostgresApplicationRecorder):
    """Appends through a PL/pgSQL function that takes the table lock itself.

    eventsourcing's own database function skips the EXCLUSIVE table lock, so concurrent appends could commit
    out of notification-id order and a tailing reader could pass over a gap that is filled later. Its default
    path keeps the lock but holds it across several client round trips. This function does both: the lock is
    taken, NOTIFY queued and the rows inserted in a single statement, so ids are still issued in commit order
    while the lock is held for one round trip instead of five.
    """

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        self.pg_function_name_insert_events = (
            f"ledger_insert_events_locked_{self.datastore.originator_id_type}"
        )
        schema, table = Identifier(self.datastore.schema), Identifier(self.events_table_name)
        function = Identifier(self.pg_function_name_insert_events)
        self.sql_invoke_pg_function_insert_events = SQL("SELECT * FROM {schema}.{function}((%s))").format(
            schema=schema, function=function
        )
        self.sql_create_pg_function_insert_events = SQL(
            "CREATE OR REPLACE FUNCTION {schema}.{function}(events {schema}.{event}[]) "
            "RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$ "
            "BEGIN "
            "SET LOCAL lock_timeout = '{lock_timeout}s'; "
            "LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE; "
            "NOTIFY {channel}; "
            "RETURN QUERY INSERT INTO {schema}.{table} AS t "
            "(originator_id, originator_version, topic, state) "
            "SELECT originator_id, originator_version, topic, state FROM unnest(events) "
            "RETURNING notification_id; "
            "END; $BODY$"
        ).format(
            schema=schema,
            function=function,
            event=Identifier(self.stored_event_type_name),
            lock_timeout=self.datastore.lock_timeout,
            table=table,
            channel=Identifier(self.channel_name),
        )
        self.sql_create_statements[self.create_insert_function_statement_index] = (
            self.sql_create_pg_function_insert_events
        )

    def existing_ids(self, aggregate_ids: Iterable[UUID]) -> set[UUID]:
        """Which of these aggregates have events: one query on the primary key, however many ids are asked."""
        ids = list(dict.fromkeys(aggregate_ids))
        if not ids:
            return set()
        statement = SQL(
            "SELECT DISTINCT originator_id FROM {schema}.{table} WHERE originator_id = ANY(%s)"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(statement, (ids,))
            return {UUID(str(row["originator_id"])) for row in cursor.fetchall()}

    def select_events_of(
        self, aggregate_ids: Iterable[UUID], after: Mapping[UUID, int] | None = None
    ) -> list[StoredEvent]:
        """The events of these aggregates, each one's in version order, after the version `after` gives it
        (all of those it names not): one query on the primary key, however many aggregates are asked."""
        ids = list(dict.fromkeys(aggregate_ids))
        if not ids:
            return []
        versions = [(after or {}).get(each, 0) for each in ids]
        statement = SQL(
            "SELECT e.originator_id, e.originator_version, e.topic, e.state "
            "FROM unnest(%s::uuid[], %s::bigint[]) AS k(id, after) "
            "JOIN {schema}.{table} e ON e.originator_id = k.id AND e.originator_version > k.after "
            "ORDER BY e.originator_id, e.originator_version"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(statement, (ids, versions), prepare=True)
            return [
                StoredEvent(
                    originator_id=row["originator_id"],
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=bytes(row["state"]),
                )
                for row in cursor.fetchall()
            ]
