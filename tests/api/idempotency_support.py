"""An idempotent order held by row locks between its command's commit and the storing of its answer."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import psycopg
from psycopg import sql

from tests.support import blocked_by, wait_until

HOLD_SECONDS = 10.0


def order_id_of(client_id: str, key: str) -> UUID:
    """The id an order placed with this Idempotency-Key gets, as the server derives it."""
    return uuid.uuid5(UUID(client_id), f"order:{key}")


def events_of(conn: psycopg.Connection[Any], schema: str, aggregate_id: UUID) -> int:
    """How many events of the aggregate are committed."""
    table = sql.Identifier(schema, "ledger_events")
    row = conn.execute(
        sql.SQL("SELECT count(*) FROM {} WHERE originator_id = %s").format(table), (aggregate_id,)
    ).fetchone()
    return int(row[0]) if row else 0


@dataclass(frozen=True)
class HeldCompletion:
    """The sessions of a held request: a watcher, the holder of the key's row lock, the waiting completion."""

    watcher: psycopg.Connection[Any]
    row_lock: psycopg.Connection[Any]
    completion_pid: int
    schema: str

    def claim_finished(self, client_id: str, key: str) -> bool | None:
        """Whether the key's row holds an answer; None when there is no row."""
        table = sql.Identifier(self.schema, "idempotency_keys")
        query = sql.SQL("SELECT status IS NOT NULL FROM {} WHERE client_id = %s AND key = %s").format(table)
        row = self.watcher.execute(query, (client_id, key)).fetchone()
        return bool(row[0]) if row else None

    def release(self) -> None:
        self.row_lock.rollback()

    def wait_for_completion_gone(self) -> None:
        """Until the completion's session has ended (after its server was killed and the lock released)."""
        query = "SELECT 1 FROM pg_stat_activity WHERE pid = %s"
        wait_until(
            lambda: self.watcher.execute(query, (self.completion_pid,)).fetchone() is None,
            HOLD_SECONDS,
            "the completion's session to end",
        )


@contextmanager
def append_held(
    database_url: str, schema: str, send: Callable[[], object]
) -> Iterator[psycopg.Connection[Any]]:
    """Run `send` in a thread and hold its append on a lock of the events table until `rollback()` or the end.

    Yields the lock's session once the append waits on it; reads are not blocked.
    """
    events = sql.Identifier(schema, "ledger_events")
    with (
        psycopg.connect(database_url, autocommit=True) as watcher,
        psycopg.connect(database_url) as appends,
    ):
        appends.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(events))
        thread = threading.Thread(target=send)
        thread.start()
        try:
            wait_until(
                lambda: bool(blocked_by(watcher, appends.info.backend_pid)), HOLD_SECONDS, "the append"
            )
            yield appends
        finally:
            appends.rollback()
            thread.join(timeout=60)


@contextmanager
def completion_held(
    database_url: str, schema: str, client_id: str, key: str, send: Callable[[], object]
) -> Iterator[HeldCompletion]:
    """Run `send` (an idempotent order) in a thread and hold it after its commit, before its answer is stored.

    The order's append is held until the test has locked the key's claim; then the order commits, and storing
    its answer waits on the claim's row lock until `release` or the block's end.
    """
    keys = sql.Identifier(schema, "idempotency_keys")
    with (
        psycopg.connect(database_url, autocommit=True) as watcher,
        psycopg.connect(database_url) as row_lock,
        append_held(database_url, schema, send) as appends,
    ):
        try:
            claim = row_lock.execute(
                sql.SQL(
                    "SELECT 1 FROM {} WHERE client_id = %s AND key = %s AND status IS NULL FOR UPDATE"
                ).format(keys),
                (client_id, key),
            ).fetchone()
            assert claim is not None, "the key was not claimed (committed) before the order ran"
            appends.rollback()
            wait_until(
                lambda: bool(blocked_by(watcher, row_lock.info.backend_pid)),
                HOLD_SECONDS,
                "the completion",
            )
            [completion] = blocked_by(watcher, row_lock.info.backend_pid)
            yield HeldCompletion(watcher, row_lock, completion, schema)
        finally:
            # Before the sending thread is joined, which waits for the completion.
            row_lock.rollback()
