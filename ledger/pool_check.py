"""The pool's check of a connection it hands out: a round trip only when the server spoke while it idled."""

from __future__ import annotations

import select
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool


def check_if_signalled(conn: psycopg.Connection[Any]) -> None:
    """Raise when the pooled connection is unusable, so the pool replaces it, mostly without a round trip.

    An idle connection of the pool has nothing to receive: it listens to no channel and runs no query. When
    its socket is readable, the server has sent something, typically the error and end of a terminated
    session (a restart, an administrator, an idle timeout), so only then is it pinged. A pooled connection
    that died silently (a network cut) fails its first query instead; the database monitor refreshes the
    pool when the database returns from an outage.
    """
    if conn.closed or conn.broken:
        raise psycopg.OperationalError("the connection is closed")
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:
        conn.execute("")


def use_check_if_signalled(pool: ConnectionPool[Any]) -> None:
    """Make the pool check connections on checkout with `check_if_signalled` instead of a ping each time."""
    # psycopg_pool takes its check only at construction, and eventsourcing constructs this pool.
    pool._check = check_if_signalled
