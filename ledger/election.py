"""One active worker per background role across every process and host: PostgreSQL advisory locks elect it.

Each process that may run background work (`ledger serve`, `ledger projections run`) keeps one connection
of its own on which it tries, every heartbeat, to take the advisory lock of each role it does not hold yet. A
role whose lock it takes has its worker started in this process; the lock stays with the session, so the
database releases it when the process dies (`kill -9` closes its socket) and a standby takes the role at its
next heartbeat. When the connection is lost (the database restarted, a network cut), this process stops every
worker it runs, waits for them to end, and only then tries to take any lock again.

Between the lock's loss and the holder noticing it (at most one heartbeat, or the connect timeout), another
process may already have started the role's worker: the roles are safe to overlap for that moment. A view
applies each event once whoever applies it (its tracking row is locked and its position checked in the
transaction that writes its rows), checkpoints are taken in turns under a transaction lock, an expiry is a
command that reads the booking again, and pruning twice deletes nothing twice.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import psycopg

log = logging.getLogger("ledger.election")

TRY_LOCK_SQL = "SELECT pg_try_advisory_lock(hashtext(%s))"
"""How a process takes a role's lock: session-level, on a connection kept for it."""
TRY_LOCKS_SQL = "SELECT name FROM unnest(%s::text[]) AS name WHERE pg_try_advisory_lock(hashtext(name))"
HOLDERS_SQL = (
    "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1 "
    "AND ((l.classid::bigint << 32) | l.objid::bigint) = hashtext(%s)::bigint"
)
APPLICATION_NAME = "ledger-elector"
HEARTBEAT_SECONDS = 0.5


def lock_name(schema: str, role: str) -> str:
    """The advisory lock of a role in a schema: each schema is a ledger of its own."""
    return f"ledger-{role}:{schema}"


def holder_pid(connection: psycopg.Connection[Any], schema: str, role: str) -> int | None:
    """The process id of the elector holding a role's lock (from its connection's application_name)."""
    row = connection.execute(HOLDERS_SQL, (lock_name(schema, role),)).fetchone()
    if row is None or not str(row[0]).startswith(APPLICATION_NAME + ":"):
        return None
    return int(str(row[0]).rpartition(":")[2])


class Worker(Protocol):
    def start(self) -> None: ...

    def stop(self) -> None: ...


@dataclass(frozen=True)
class Role:
    """A kind of background work of which one runs at a time; `make` builds a fresh worker per term."""

    name: str
    make: Callable[[], Worker]


class Elector:
    """Runs the worker of each role whose lock this process holds, until stopped; `start()` and `stop()`."""

    def __init__(
        self,
        database_url: str,
        schema: str,
        roles: Sequence[Role],
        connect_timeout: float,
        heartbeat_seconds: float = HEARTBEAT_SECONDS,
    ) -> None:
        self.database_url = database_url
        self.schema = schema
        self.roles = {lock_name(schema, role.name): role for role in roles}
        self.connect_timeout = connect_timeout
        self.heartbeat_seconds = heartbeat_seconds
        self._running: dict[str, Worker] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="elector", daemon=True)
        self.terms = 0
        """How many times this process was elected to a role: a test sees takeovers by it."""
        self.rounds = 0
        """Heartbeats made: each tried the locks of the roles not held."""

    def holds(self, role: str) -> bool:
        """Whether this process runs the role's worker now."""
        with self._lock:
            return lock_name(self.schema, role) in self._running

    def held(self) -> list[str]:
        with self._lock:
            return [self.roles[name].name for name in self._running]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=60)

    def _loop(self) -> None:
        while not self._stopping.is_set():
            try:
                with psycopg.connect(
                    self.database_url,
                    autocommit=True,
                    connect_timeout=max(1, int(self.connect_timeout)),
                    application_name=f"{APPLICATION_NAME}:{os.getpid()}",
                    # A host that vanishes without closing the socket is noticed in seconds, not hours.
                    keepalives=1,
                    keepalives_idle=2,
                    keepalives_interval=1,
                    keepalives_count=3,
                    tcp_user_timeout=int(self.connect_timeout * 1000),
                ) as connection:
                    try:
                        self._hold(connection)
                    finally:
                        # Stopping: the workers end before the connection, and the locks with it, goes.
                        self._stop_all()
            except Exception as error:  # the database is away: retry after the workers stopped
                log.warning("election paused: %s", type(error).__name__)
            finally:
                # The locks went with a lost connection: no worker may run on without one.
                self._stop_all()
            self._stopping.wait(self.heartbeat_seconds)

    def _hold(self, connection: psycopg.Connection[Any]) -> None:
        while not self._stopping.is_set():
            with self._lock:
                wanted = [name for name in self.roles if name not in self._running]
            # Also the heartbeat: a lost connection raises here, within one heartbeat.
            taken = [row[0] for row in connection.execute(TRY_LOCKS_SQL, (wanted,)).fetchall()]
            for name in taken:
                self._begin(name)
            self.rounds += 1
            self._stopping.wait(self.heartbeat_seconds)

    def _begin(self, name: str) -> None:
        role = self.roles[name]
        worker = role.make()
        worker.start()
        with self._lock:
            self._running[name] = worker
            self.terms += 1
        log.info("elected to run %s (process %d)", role.name, os.getpid())

    def _stop_all(self) -> None:
        with self._lock:
            running, self._running = self._running, {}
        # In parallel: each worker may take a while to finish its round, and every one must have ended.
        stoppers = [
            threading.Thread(target=self._stop_one, args=(name, worker), daemon=True)
            for name, worker in running.items()
        ]
        for stopper in stoppers:
            stopper.start()
        for stopper in stoppers:
            stopper.join()

    def _stop_one(self, name: str, worker: Worker) -> None:
        try:
            worker.stop()
        except Exception:
            log.exception("stopping %s failed", self.roles[name].name)
        log.info("stopped %s (process %d)", self.roles[name].name, os.getpid())
