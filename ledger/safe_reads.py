"""Reading the events table in position order, never past a position that an append in flight could take."""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

from eventsourcing.persistence import InterfaceError, Notification, OperationalError
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresDatastore
from eventsourcing.utils import retry
from psycopg.sql import SQL, Composable, Composed, Identifier, Literal

from ledger import recorder_sql
from ledger.tailing import FIRST_PAUSE, LONGEST_PAUSE, Barrier, SafeSubscription, Snapshot
from projections.safe_log import read_safe


class SafeReads(PostgresApplicationRecorder):
    """The library's application recorder, with reads in position order that stop at the safe position
    (ledger/recorder_sql.py, README "How it works"): subscriptions, `safe_notifications` and
    `safe_position`. `select_notifications` stays the library's, everything committed, for one-off scans:
    a reader that remembers how far it got must use the safe reads."""

    def __init__(self, datastore: PostgresDatastore, **kwargs: Any) -> None:
        super().__init__(datastore, **kwargs)
        schema, table = Identifier(self.datastore.schema), Identifier(self.events_table_name)
        self._safe_function = safe = Identifier(f"{self.events_table_name}_safe_position")
        self._barrier_function = barrier = Identifier(f"{self.events_table_name}_barrier")
        self.sql_safe_position = SQL("SELECT {schema}.{safe}() AS safe").format(schema=schema, safe=safe)
        self.sql_safe_notifications = SQL(
            "SELECT notification_id, originator_id, originator_version, topic, state FROM {schema}.{table} "
            "WHERE notification_id > %(start)s "
            "AND notification_id <= least(%(stop)s, greatest({schema}.{safe}(), %(known)s)) "
            "AND (%(topics)s::text[] IS NULL OR topic = ANY(%(topics)s)) "
            "ORDER BY notification_id LIMIT %(limit)s"
        ).format(schema=schema, table=table, safe=safe)
        self.sql_snapshot = SQL(
            "SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS xmin, "
            "coalesce(pg_sequence_last_value({sequence}::regclass), 0) AS issued, {schema}.{safe}() AS safe"
        ).format(schema=schema, safe=safe, sequence=self.sequence_literal)
        self.sql_barrier = SQL("SELECT issued, transaction_id FROM {schema}.{barrier}()").format(
            schema=schema, barrier=barrier
        )

    def safe_reads_ddl(self, names: Mapping[str, Composable]) -> list[Composed]:
        """The functions of the safe position and the barrier (after the columns they read)."""
        return [
            SQL(recorder_sql.SAFE_POSITION_FUNCTION).format(**{**names, "function": self._safe_function}),
            SQL(recorder_sql.BARRIER_FUNCTION).format(
                **{**names, "function": self._barrier_function}, sequence=self.sequence_literal
            ),
        ]

    @property
    def sequence_literal(self) -> Literal:
        """The sequence of positions (as PostgreSQL names a bigserial's), qualified, as a literal."""
        return Literal(self._qualified(f"{self.events_table_name}_notification_id_seq"))

    def _qualified(self, name: str) -> str:
        return ".".join('"' + part.replace('"', '""') + '"' for part in (self.datastore.schema, name))

    def safe_notifications(
        self, after: int, limit: int, stop: int | None = None, topics: Sequence[str] = (), known: int = 0
    ) -> list[Notification]:
        """The events after position `after`, up to `stop` and to the safe position (or `known`, a position
        the caller has shown safe already), in position order; one query, in one snapshot."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            return read_safe(curs, self, after, limit, stop, topics, known)

    def safe_position(self, wait: float = 2.0) -> int:
        """The log's head for readers: the highest position up to which every event is committed and no
        transaction in flight can still add one (`max_notification_id()` is the highest committed).

        The recorder's own bound leaves out the last appends of a quiet moment; to cover those, this takes a
        barrier and waits (at most `wait` seconds, polling) for the transactions older than it to finish.
        """
        first: Snapshot = self.log_snapshot()
        if first.safe >= first.issued or wait <= 0:
            return first.safe
        barrier: Barrier = self.barrier()
        deadline, pause = time.monotonic() + wait, FIRST_PAUSE
        while True:
            time.sleep(pause)
            now: Snapshot = self.log_snapshot()
            if barrier.passed(now):
                return max(now.safe, barrier.issued)
            if now.safe >= barrier.issued or time.monotonic() >= deadline:
                return now.safe
            pause = min(pause * 2, LONGEST_PAUSE)

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def log_snapshot(self) -> Snapshot:
        """The oldest transaction running, the last position issued and the safe position, as one snapshot
        sees them."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.sql_snapshot, prepare=True)
            row = curs.fetchone()
        assert row is not None
        return Snapshot(int(row["xmin"]), int(row["issued"]), int(row["safe"]))

    @retry((InterfaceError, OperationalError), max_attempts=10, wait=0.2)
    def barrier(self) -> Barrier:
        """The last position issued, and a transaction id given after it was read (its own transaction's)."""
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(self.sql_barrier, prepare=True)
            row = curs.fetchone()
        assert row is not None
        return Barrier(int(row["issued"]), int(row["transaction_id"]))

    def subscribe(self, gt: int | None = None, topics: Sequence[str] = ()) -> SafeSubscription:
        """Follow the log from position `gt` on, never past a position that could still appear."""
        return SafeSubscription(recorder=self, gt=gt, topics=topics)
