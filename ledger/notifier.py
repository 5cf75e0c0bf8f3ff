"""Wakes the log's listeners after appends commit, with one NOTIFY for many appends, outside their commits."""

from __future__ import annotations

import logging
import threading

from eventsourcing.postgres import PostgresDatastore
from psycopg.sql import SQL, Identifier

log = logging.getLogger("ledger.recorder")


class Notifier:
    """Sends `NOTIFY <channel>` on a thread of its own whenever `poke()` was called since the last one.

    A NOTIFY inside an append's transaction would serialise every commit: PostgreSQL holds one lock across
    the commit of every transaction that notified, so that notifications keep commit order. Listeners need
    no order, only a wake-up, so appends poke this instead, after they commit, and one NOTIFY answers all
    the pokes that came while the last was sent. A NOTIFY lost (the process died between the commit and the
    NOTIFY) is found by the projection watchdog's poll.
    """

    def __init__(self, datastore: PostgresDatastore, channel: str) -> None:
        self._datastore = datastore
        self._statement = SQL("NOTIFY {}").format(Identifier(channel))
        self._poked = threading.Event()
        self._started = False
        self._start_lock = threading.Lock()

    def poke(self) -> None:
        if not self._started:
            self._start()
        self._poked.set()

    def _start(self) -> None:
        with self._start_lock:
            if not self._started:
                threading.Thread(target=self._run, name="ledger-notifier", daemon=True).start()
                self._started = True

    def _run(self) -> None:
        while True:
            self._poked.wait()
            self._poked.clear()
            try:
                with self._datastore.get_connection() as conn:
                    conn.execute(self._statement)
            except Exception:  # the pool closed or the database is down: the watchdog polls meanwhile
                log.debug("NOTIFY after an append failed", exc_info=True)
