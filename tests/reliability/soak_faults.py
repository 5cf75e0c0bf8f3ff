"""The soak's fault injector: at random intervals, `kill -9` of an API worker or of the elected projection
runner, or a restart of the soak's own PostgreSQL."""

from __future__ import annotations

import os
import random
import signal
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

import psycopg

from ledger.background import projection_role
from ledger.election import holder_pid
from tests.reliability.processes import EmbeddedPostgres, LedgerServer, ProjectionProcess, child_pids

KILL_WORKER, KILL_RUNNER, RESTART_DATABASE = (
    "kill -9 API worker",
    "kill -9 elected runner",
    "restart PostgreSQL",
)
KINDS = (KILL_WORKER, KILL_RUNNER, RESTART_DATABASE)
DOWN_SECONDS = (2.0, 5.0)
RUNNER_RESTART_SECONDS = 2.0
ELECTED_ROLE = projection_role("court_bookings")


def api_workers(server: LedgerServer) -> list[int]:
    """The pids of the uvicorn workers of `ledger serve --workers N` (its children started by spawn)."""
    return [] if server.process is None else child_pids(server.process.pid, b"spawn_main")


@dataclass
class Fault:
    kind: str
    at: float
    detail: str


@dataclass
class FaultInjector:
    """Injects one fault after another, each after a random pause in `gap`, kinds in shuffled rounds (so
    every kind happens in a run of a few rounds); notes when the database was down, for judging 503s."""

    cluster: EmbeddedPostgres
    server: LedgerServer
    runners: list[ProjectionProcess]
    schema: str
    gap: tuple[float, float]
    rng: random.Random
    faults: list[Fault] = field(default_factory=list)
    outages: list[tuple[float, float]] = field(default_factory=list)
    """(stop began, database back) of each restart, on the monotonic clock."""
    errors: list[str] = field(default_factory=list)
    _stopping: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name="faults", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=120)
        for runner in self.runners:
            if runner.pid is None:
                runner.start()

    def counts(self) -> Counter[str]:
        return Counter(fault.kind for fault in self.faults)

    def _loop(self) -> None:
        kinds: list[str] = []
        while not self._stopping.wait(self.rng.uniform(*self.gap)):
            if not kinds:
                kinds = list(KINDS)
                self.rng.shuffle(kinds)
            kind = kinds.pop()
            try:
                detail = {
                    KILL_WORKER: self.kill_api_worker,
                    KILL_RUNNER: self.kill_elected_runner,
                    RESTART_DATABASE: self.restart_database,
                }[kind]()
            except Exception as error:  # a failed fault is a finding, and the run goes on
                self.errors.append(f"{kind}: {type(error).__name__}: {error}")
                continue
            if detail is not None:
                self.faults.append(Fault(kind, time.monotonic(), detail))

    def kill_api_worker(self) -> str | None:
        workers = api_workers(self.server)
        if not workers:
            return None
        victim = self.rng.choice(workers)
        os.kill(victim, signal.SIGKILL)
        return f"worker {victim} of {workers}"

    def kill_elected_runner(self) -> str | None:
        with psycopg.connect(self.cluster.url, autocommit=True, connect_timeout=5) as conn:
            holder = holder_pid(conn, self.schema, ELECTED_ROLE)
        victim = next(
            (runner for runner in self.runners if holder is not None and runner.pid == holder), None
        )
        if victim is None:
            return None  # between two terms: no one to kill this time
        victim.kill()
        # The standby takes over at once; the killed process comes back as the next standby.
        self._stopping.wait(RUNNER_RESTART_SECONDS)
        victim.start()
        return f"projection process {holder}"

    def restart_database(self) -> str:
        began = time.monotonic()
        self.cluster.stop_database()
        down = self.rng.uniform(*DOWN_SECONDS)
        time.sleep(down)
        self.cluster.start_database()
        self.outages.append((began, time.monotonic()))
        return f"down {down:.1f} s"
