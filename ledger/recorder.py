"""The events table's writer: one database function locks the table, notifies, and inserts, in one call."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from psycopg.sql import SQL, Identifier, Literal

# The events' hashes are computed after the lock is taken: a stream's previous hash is then final.
_INSERT_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.{function}(events {schema}.{event}[])
RETURNS SETOF bigint LANGUAGE plpgsql AS $BODY$
DECLARE
    genesis CONSTANT bytea := decode(repeat('00', 32), 'hex');
    hashes bytea[] := array_fill(NULL::bytea, ARRAY[cardinality(events)]);
    e record;
    chained bytea;
    topic_bytes bytea;
    state_bytes bytea;
    last_id uuid;
    last_version bigint;
BEGIN
    SET LOCAL lock_timeout = '{lock_timeout}s';
    LOCK TABLE {schema}.{table} IN EXCLUSIVE MODE;
    NOTIFY {channel};
    FOR e IN
        SELECT u.originator_id, u.originator_version, u.topic, u.state, u.n, p.event_hash AS previous_hash
        FROM unnest(events) WITH ORDINALITY AS u(originator_id, originator_version, topic, state, n)
        LEFT JOIN {schema}.{table} p
            ON p.originator_id = u.originator_id AND p.originator_version = u.originator_version - 1
        ORDER BY u.originator_id, u.originator_version
    LOOP
        IF last_id IS DISTINCT FROM e.originator_id OR e.originator_version <> last_version + 1 THEN
            chained := CASE WHEN e.originator_version = 1 THEN genesis ELSE e.previous_hash END;
        END IF;
        IF chained IS NOT NULL THEN
            topic_bytes := convert_to(coalesce(e.topic, ''), 'UTF8');
            state_bytes := coalesce(e.state, ''::bytea);
            chained := sha256(
                chained || uuid_send(e.originator_id) || int8send(e.originator_version)
                || int4send(octet_length(topic_bytes)) || topic_bytes
                || int4send(octet_length(state_bytes)) || state_bytes
            );
        END IF;
        hashes[e.n::int] := chained;
        last_id := e.originator_id;
        last_version := e.originator_version;
    END LOOP;
    RETURN QUERY INSERT INTO {schema}.{table} AS t
        (originator_id, originator_version, topic, state, event_hash)
        SELECT u.originator_id, u.originator_version, u.topic, u.state, hashes[u.n::int]
        FROM unnest(events) WITH ORDINALITY AS u(originator_id, originator_version, topic, state, n)
        ORDER BY u.n
        RETURNING notification_id;
END; $BODY$
"""
# A table from before the hash chain gets the column (a catalog change only) and an index of the events
# still to hash, which the backfill walks; checking the catalog first keeps later starts lock-free.
_ADD_HASH_COLUMN = """
DO $BODY$ BEGIN
    IF NOT EXISTS (
        SELECT FROM pg_attribute
        WHERE attrelid = {relation}::regclass AND attname = 'event_hash' AND NOT attisdropped
    ) THEN
        ALTER TABLE {schema}.{table} ADD COLUMN event_hash bytea;
        CREATE INDEX {unhashed} ON {schema}.{table} (originator_id, originator_version)
            WHERE event_hash IS NULL;
    END IF;
END $BODY$
"""


class LockedFunctionRecorder(PostgresApplicationRecorder):
    """Appends through a PL/pgSQL function that takes the table lock itself and hash-chains each stream.

    eventsourcing's own database function skips the EXCLUSIVE table lock, so concurrent appends could commit
    out of notification-id order and a tailing reader could pass over a gap that is filled later. Its default
    path keeps the lock but holds it across several client round trips. This function does both: the lock is
    taken, NOTIFY queued and the rows inserted in a single statement, so ids are still issued in commit order
    while the lock is held for one round trip instead of five.

    The same statement writes each event's hash (replay/chain.py), chained to the previous version of its
    stream. The previous hash is read under the lock, so it is never one that a backfill is about to fill.
    An event whose previous version is missing or not yet hashed (a database from before the chain) is
    written without a hash; `ledger audit backfill` (or the checkpointer) fills those in stream order.
    """

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        if self.datastore.originator_id_type != "uuid":
            raise TypeError("The hash chain encodes originator ids as UUIDs.")
        self.pg_function_name_insert_events = (
            f"ledger_insert_events_locked_{self.datastore.originator_id_type}"
        )
        schema, table = Identifier(self.datastore.schema), Identifier(self.events_table_name)
        function = Identifier(self.pg_function_name_insert_events)
        self.sql_invoke_pg_function_insert_events = SQL("SELECT * FROM {schema}.{function}((%s))").format(
            schema=schema, function=function
        )
        self.sql_create_pg_function_insert_events = SQL(_INSERT_FUNCTION).format(
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
        qualified = ".".join(
            '"' + name.replace('"', '""') + '"' for name in (datastore.schema, self.events_table_name)
        )
        self.sql_create_statements.append(
            SQL(_ADD_HASH_COLUMN).format(
                relation=Literal(qualified),
                schema=schema,
                table=table,
                unhashed=Identifier(f"{self.events_table_name}_unhashed_idx"),
            )
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
            return [_stored_event(row) for row in cursor.fetchall()]

    def select_hashed_events(self, aggregate_id: UUID) -> list[tuple[StoredEvent, bytes | None]]:
        """The aggregate's events in version order, each with its hash (None: not hashed yet)."""
        statement = SQL(
            "SELECT originator_id, originator_version, topic, state, event_hash FROM {schema}.{table} "
            "WHERE originator_id = %s ORDER BY originator_version"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(statement, (aggregate_id,), prepare=True)
            return [
                (_stored_event(row), bytes(row["event_hash"]) if row["event_hash"] is not None else None)
                for row in cursor.fetchall()
            ]


def _stored_event(row: Mapping[str, Any]) -> StoredEvent:
    return StoredEvent(
        originator_id=row["originator_id"],
        originator_version=row["originator_version"],
        topic=row["topic"],
        state=bytes(row["state"]),
    )
