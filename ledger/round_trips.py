"""Counts the database round trips a thread makes: for the benchmark and the tests that pin the counts."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg

# Every exchange with the server (a query, a prepared statement's execution, a pool's connection check, a
# commit) goes through `Connection.wait`, once per exchange: counting its calls counts round trips.
_original_wait = psycopg.Connection.wait
_local = threading.local()
_install_lock = threading.Lock()
_installed = False
NO_OP_WHEN_IDLE = ("_commit_gen", "_rollback_gen")


class RoundTrips:
    """The round trips counted in one `counting()` block, on the thread that opened it."""

    def __init__(self) -> None:
        self.count = 0


def _counting_wait(self: psycopg.Connection[Any], gen: Any, *args: Any, **kwargs: Any) -> Any:
    counter: RoundTrips | None = getattr(_local, "counter", None)
    if counter is not None and not _is_noop_end(self, gen):
        counter.count += 1
    return _original_wait(self, gen, *args, **kwargs)


def _is_noop_end(conn: psycopg.Connection[Any], gen: Any) -> bool:
    """A commit or rollback with no transaction open (autocommit): psycopg waits on it but sends nothing."""
    name = getattr(getattr(gen, "gi_code", None), "co_name", "")
    idle = conn.pgconn.transaction_status == psycopg.pq.TransactionStatus.IDLE
    return name in NO_OP_WHEN_IDLE and idle and conn._pipeline is None


def install() -> None:
    """Route every connection's waits through the counter; it counts only inside `counting()` blocks."""
    global _installed
    with _install_lock:
        if not _installed:
            psycopg.Connection.wait = _counting_wait  # type: ignore[method-assign]
            _installed = True


@contextmanager
def counting() -> Iterator[RoundTrips]:
    """Count the round trips this thread makes inside the block."""
    install()
    counter = RoundTrips()
    outer = getattr(_local, "counter", None)
    _local.counter = counter
    try:
        yield counter
    finally:
        _local.counter = outer
