"""Watches the database outside the pools: requests fail fast while it is down, and pools heal after."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

log = logging.getLogger("ledger.database")
OUTAGE_POOL_WAIT = 0.1


class DatabaseMonitor:
    """Pings PostgreSQL on a fresh connection every `interval` seconds.

    While pings fail, `available` is False: the API answers 503 at once, and the pools wait only briefly for
    a connection, so requests already inside the store's retries also end with a prompt 503. When the database
    returns, the pools drop their dead connections and wait as long as usual again.
    """

    def __init__(
        self, database_url: str, pools: Sequence[ConnectionPool[Any]], interval: float = 0.5, timeout: int = 1
    ) -> None:
        self.database_url = database_url
        self.pools = list(pools)
        self.interval = interval
        self.timeout = timeout
        self.available = True
        self._usual_waits = [pool.timeout for pool in self.pools]
        self._connection: psycopg.Connection[tuple[Any, ...]] | None = None
        self._failures = 0
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="database-monitor", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        if self._connection is not None:
            self._connection.close()

    def ping(self) -> bool:
        """One round trip on the monitor's own connection, reconnecting when it was lost."""
        try:
            if self._connection is None or self._connection.closed:
                self._connection = psycopg.connect(
                    self.database_url, connect_timeout=self.timeout, autocommit=True
                )
            self._connection.execute("SELECT 1")
        except psycopg.Error:
            if self._connection is not None:
                self._connection.close()
            self._connection = None
            return False
        return True

    def _watch(self) -> None:
        while not self._stopping.wait(self.interval):
            # Two failed pings in a row, so that one slow answer under load does not turn traffic away.
            self._failures = 0 if self.ping() else self._failures + 1
            reachable = self._failures < 2
            if reachable and not self.available:
                log.warning("database reachable again; refreshing connection pools")
                for pool, wait in zip(self.pools, self._usual_waits, strict=True):
                    pool.timeout = wait
                    pool.check()
            elif not reachable and self.available:
                log.warning("database unreachable; answering 503 until it returns")
                for pool in self.pools:
                    pool.timeout = OUTAGE_POOL_WAIT
            self.available = reachable
