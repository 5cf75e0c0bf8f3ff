"""Runs the projection runners in threads; resumes a failed view from its position, re-polls lost NOTIFYs."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.projection import Projection, ProjectionRunner
from psycopg import sql

from domain.application import Ledger
from projections.tables import TrackedView

log = logging.getLogger("ledger.projections")


@dataclass(frozen=True)
class ViewSpec:
    """A read model: its projection class and its view (tracking recorder) class."""

    projection_class: type[Projection[Any]]
    view_class: type[TrackedView]

    @property
    def name(self) -> str:
        return self.projection_class.name


class ProjectionSupervisor:
    """Keeps one projection runner per view alive until stopped."""

    def __init__(self, env: dict[str, str], specs: Sequence[ViewSpec], watchdog_seconds: float = 1.0) -> None:
        # Runners need few connections: one LISTEN, one to read the log, one to write the view.
        self._env = {**env, "POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "2"}
        self._specs = list(specs)
        self._watchdog_seconds = watchdog_seconds
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self.failures: dict[str, int] = {spec.name: 0 for spec in specs}

    def start(self) -> None:
        for spec in self._specs:
            thread = threading.Thread(target=self._supervise, args=(spec,), name=f"projection-{spec.name}")
            thread.daemon = True
            thread.start()
            self._threads.append(thread)

    def stop(self) -> None:
        self._stopping.set()
        for thread in self._threads:
            thread.join(timeout=10)

    def run_until_stopped(self) -> None:
        self.start()
        try:
            self._stopping.wait()
        finally:
            self.stop()

    def _supervise(self, spec: ViewSpec) -> None:
        backoff = 0.2
        while not self._stopping.is_set():
            try:
                self._run_once(spec)
                backoff = 0.2
            except Exception:
                # The view stays at its last committed position; the next runner resumes from there.
                self.failures[spec.name] += 1
                log.exception("projection %s stopped on an error; resuming from its position", spec.name)
                self._stopping.wait(backoff)
                backoff = min(backoff * 2, 10.0)

    def _run_once(self, spec: ViewSpec) -> None:
        runner: ProjectionRunner[Ledger, TrackedView] = ProjectionRunner(
            application_class=Ledger,
            projection_class=spec.projection_class,
            view_class=spec.view_class,
            env=self._env,
        )
        with runner:
            last_position = -1
            while not self._stopping.is_set() and not runner.is_interrupted.is_set():
                runner.run_forever(timeout=self._watchdog_seconds)
                last_position = self._watchdog(runner, last_position)

    @staticmethod
    def _watchdog(runner: ProjectionRunner[Ledger, TrackedView], last_position: int) -> int:
        """Send a NOTIFY when the view is behind the log and made no progress: a notification was lost."""
        recorder = runner.app.recorder
        position = runner.view.position()
        if not isinstance(recorder, PostgresApplicationRecorder):
            return position
        head = recorder.max_notification_id() or 0
        if position < head and position == last_position:
            with recorder.datastore.transaction(commit=True) as curs:
                curs.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(recorder.channel_name)))
        return position
