"""The events table's writer and reader: appends without a table lock, reads up to the safe position."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import InterfaceError, OperationalError, StoredEvent
from eventsourcing.postgres import PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Identifier, Literal

from ledger import recorder_sql
from ledger.notifier import Notifier
from ledger.personal_data.keys import SealedEvent, with_new_keys
from ledger.safe_reads import SafeReads
from ledger.stream_hashes import StreamHashes


class LedgerRecorder(SafeReads):
    """Appends through a PL/pgSQL function that hash-chains each stream, and reads the log only as far as
    its safe position.

    Appends take no table lock, so writers of different streams commit together and a later position can
    commit before an earlier one. Each event records its transaction's id, and each append the last position
    issued before its transaction had an id (ledger/recorder_sql.py); from these the safe position is the
    highest one below which no transaction is still in flight. Every read of the log in position order
    (subscriptions, `safe_notifications`, `safe_position()` for the head) stops there, so a tailing reader
    never passes a position that could still appear (README "How it works"). Listeners are woken after the
    commit (ledger/notifier.py), since a NOTIFY inside it would serialise the commits again.

    The same statement writes each event's hash (replay/chain.py), chained to the previous version of its
    stream: computed here where this process has seen that previous hash (ledger/stream_hashes.py: every
    read and write of the events table tells it), else by the function. An event whose previous version is
    missing or not yet hashed (a database from before the chain) is written without a hash; `ledger audit
    backfill` (or the checkpointer) fills those in stream order.
    """

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        if self.datastore.originator_id_type != "uuid":
            raise TypeError("The hash chain encodes originator ids as UUIDs.")
        self.pg_function_name_insert_events = f"ledger_insert_events_{self.datastore.originator_id_type}"
        schema, table = Identifier(self.datastore.schema), Identifier(self.events_table_name)
        function = Identifier(self.pg_function_name_insert_events)
        # The events go as four columns in binary, made rows of the event type by the database: an array
        # of the composite type is dumped as text in Python, quoting every field, about ten times slower.
        self.sql_insert_call = SQL(
            "{schema}.{function}(ARRAY("
            "SELECT ROW(i, v, t, s)::{schema}.{event} FROM unnest(%b::uuid[], %b::int8[], %b::text[], "
            "%b::bytea[]) WITH ORDINALITY AS u(i, v, t, s, n) ORDER BY n), %b::bytea[])"
        ).format(schema=schema, function=function, event=Identifier(self.stored_event_type_name))
        self.sql_invoke_pg_function_insert_events = SQL(
            "SELECT event_position, stored_hash FROM {insert}"
        ).format(insert=self.sql_insert_call)
        names = {
            "schema": schema,
            "function": function,
            "event": Identifier(self.stored_event_type_name),
            "table": table,
        }
        self.sql_create_pg_function_insert_events = SQL(recorder_sql.INSERT_FUNCTION).format(
            **names,
            sequence=self.sequence_literal,
        )
        relation = Literal(self._qualified(self.events_table_name))
        id_type = self.datastore.originator_id_type
        # The columns first (a table from before them), then the functions that use them.
        upgrades = [
            SQL(recorder_sql.ADD_HASH_COLUMN).format(
                **names, relation=relation, unhashed=Identifier(f"{self.events_table_name}_unhashed_idx")
            ),
            SQL(recorder_sql.ADD_TRANSACTION_COLUMNS).format(
                **names, relation=relation, index=Identifier(f"{self.events_table_name}_transaction_idx")
            ),
            *(
                SQL(drop).format(**names, locked=Identifier(f"ledger_insert_events_locked_{id_type}"))
                for drop in recorder_sql.DROP_OLD_FUNCTIONS
            ),
            self.sql_create_pg_function_insert_events,
            *self.safe_reads_ddl(names),
        ]
        index = self.create_insert_function_statement_index
        self.sql_create_statements[index : index + 1] = []
        self.sql_create_statements.extend(upgrades)
        self.stream_hashes = StreamHashes()
        self.notifier = Notifier(self.datastore, self.channel_name)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def insert_events(self, stored_events: Sequence[StoredEvent], **kwargs: Any) -> Sequence[int] | None:
        """Insert the events with their hashes in one call of the function; their positions."""
        if not stored_events:
            return []
        hashes = self.stream_hashes.chain(stored_events)
        # The data keys of people new to the ledger go in with the events that are sealed under them.
        sealed = [e for e in stored_events if isinstance(e, SealedEvent)]
        new_keys = list(dict.fromkeys(key for e in sealed for key in e.new_keys))
        statement = self.sql_invoke_pg_function_insert_events
        params: list[Any] = insert_params(stored_events, hashes)
        if new_keys:
            statement, key_params = with_new_keys(self.datastore.schema, self.sql_insert_call, new_keys)
            params = [*key_params, *params]
        try:
            with self.datastore.get_connection() as conn, conn.cursor() as curs:
                curs.execute(statement, params, prepare=True)
                rows = curs.fetchall()
        except BaseException:
            for key in new_keys:
                key.settle(key, False)
            raise
        stored_keys = set(rows[0]["stored_keys"]) if new_keys and rows else set()
        for key in new_keys:
            key.settle(key, key.key_id in stored_keys)
        for event, row in zip(stored_events, rows, strict=True):
            digest = row["stored_hash"]
            assert isinstance(event.originator_id, UUID)
            self.stream_hashes.seen(event.originator_id, event.originator_version, digest and bytes(digest))
        self.notifier.poke()
        return [row["event_position"] for row in rows]

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def select_events(
        self,
        originator_id: UUID | str,
        *,
        gt: int | None = None,
        lte: int | None = None,
        desc: bool = False,
        limit: int | None = None,
    ) -> Sequence[StoredEvent]:
        """The library's read of one aggregate's events, remembering the hashes it reads."""
        statement, params = self.select_events_statement, list[object]([originator_id])
        for bound, condition in (
            (gt, " AND originator_version > %s"),
            (lte, " AND originator_version <= %s"),
        ):
            if bound is not None:
                statement, params = statement + SQL(condition), [*params, bound]
        statement += SQL(" ORDER BY originator_version DESC" if desc else " ORDER BY originator_version ASC")
        if limit is not None:
            statement, params = statement + SQL(" LIMIT %s"), [*params, limit]
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(statement, params, prepare=True)
            rows = cursor.fetchall()
        self.stream_hashes.seen_rows(rows)
        return [_stored_event(row) for row in rows]

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
            "SELECT e.originator_id, e.originator_version, e.topic, e.state, e.event_hash "
            "FROM unnest(%s::uuid[], %s::bigint[]) AS k(id, after) "
            "JOIN {schema}.{table} e ON e.originator_id = k.id AND e.originator_version > k.after "
            "ORDER BY e.originator_id, e.originator_version"
        ).format(schema=Identifier(self.datastore.schema), table=Identifier(self.events_table_name))
        with self.datastore.get_connection() as conn, conn.cursor() as cursor:
            cursor.execute(statement, (ids, versions), prepare=True)
            rows = cursor.fetchall()
        self.stream_hashes.seen_rows(rows)
        return [_stored_event(row) for row in rows]

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


def insert_params(stored_events: Sequence[StoredEvent], hashes: Sequence[bytes | None]) -> list[list[Any]]:
    """The parameters of the insert function's call: the events' columns, then their hashes."""
    return [
        [e.originator_id for e in stored_events],
        [e.originator_version for e in stored_events],
        [e.topic for e in stored_events],
        [e.state for e in stored_events],
        list(hashes),
    ]
