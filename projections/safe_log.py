"""What readers of the log in position order need of its recorder: the safe position, and reads up to it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, runtime_checkable

from eventsourcing.persistence import Notification
from psycopg import Cursor
from psycopg.rows import DictRow
from psycopg.sql import Composed

LAST_POSITION = 2**63 - 1


@runtime_checkable
class SafeLog(Protocol):
    """The ledger's recorder as position-order readers see it (ledger/recorder.py implements it).

    Appends commit concurrently, so the highest committed position is not a head a reader may read up to:
    a transaction still in flight may hold an earlier one. The safe position is.
    """

    sql_safe_notifications: Composed
    """The query of `safe_notifications`, with parameters start, stop, known, topics and limit."""

    def safe_position(self, wait: float = 2.0) -> int:
        """The highest position below which no transaction is in flight (waiting up to `wait` seconds for
        the last appends of a quiet moment)."""
        ...

    def safe_notifications(
        self, after: int, limit: int, stop: int | None = None, topics: Sequence[str] = (), known: int = 0
    ) -> list[Notification]:
        """The events after `after` in position order, up to `stop` and the safe position (or `known`)."""
        ...


def read_safe(
    curs: Cursor[DictRow],
    log: SafeLog,
    after: int,
    limit: int,
    stop: int | None = None,
    topics: Sequence[str] = (),
    known: int = 0,
) -> list[Notification]:
    """`SafeLog.safe_notifications` on a cursor of the caller's (inside its transaction)."""
    params = {
        "start": after,
        "stop": LAST_POSITION if stop is None else stop,
        "known": known,
        "topics": list(topics) or None,
        "limit": limit,
    }
    curs.execute(log.sql_safe_notifications, params, prepare=True)
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


def safe_log(recorder: Any) -> SafeLog:
    """The recorder, which must read up to a safe position."""
    if not isinstance(recorder, SafeLog):
        raise TypeError("Reading the log in position order needs the ledger's recorder (ledger.recorder).")
    return recorder
