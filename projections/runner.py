"""Runs the projection runners in threads; resumes a failed view from its position, re-polls lost NOTIFYs."""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.projection import (
    ApplicationSubscription,
    EventSourcedProjection,
    Projection,
    ProjectionRunner,
)
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


MAX_BATCH = 1000
MAX_RESTART_PAUSE = 1.0


class BatchingProjectionRunner(ProjectionRunner[Ledger, TrackedView]):
    """The library's runner, applying the events its subscription has already fetched in one transaction.

    The subscription pulls notifications from the log in pages; one view transaction per page (instead of
    one per event) keeps the view close behind the log under load.
    """

    @staticmethod
    def _process_events_loop(
        subscription: ApplicationSubscription[Any],
        projection: Projection[Any] | EventSourcedProjection[Any],
        is_stopping: threading.Event,
        runner: weakref.ReferenceType[Any],
    ) -> None:
        try:
            view: TrackedView = projection.view if isinstance(projection, Projection) else None  # type: ignore[assignment]
            for domain_event, tracking in subscription:
                batch = [(domain_event, tracking.notification_id)]
                while len(batch) < MAX_BATCH and _has_fetched(subscription):
                    domain_event, tracking = next(subscription)
                    batch.append((domain_event, tracking.notification_id))
                view.apply_batch(batch)
        except BaseException as error:
            live_runner = runner()
            if live_runner is not None:
                # The base class reports a processing error to run_forever() through this attribute.
                live_runner._thread_error = error
        finally:
            is_stopping.set()


def _has_fetched(subscription: ApplicationSubscription[Any]) -> bool:
    """Whether the next event is in memory already, so taking it cannot block (eventsourcing 9.5)."""
    inner = subscription.subscription
    index = getattr(inner, "_notifications_index", None)
    fetched = getattr(inner, "_notifications", None)
    return index is not None and fetched is not None and index < len(fetched)


class ProjectionSupervisor:
    """Keeps one projection runner per view alive until stopped."""

    def __init__(self, env: dict[str, str], specs: Sequence[ViewSpec], watchdog_seconds: float = 1.0) -> None:
        # Runners need few connections: one LISTEN, one to read the log, one to write the view.
        # The runtime created every table before starting runners; creating them again from several
        # threads at once races in PostgreSQL's catalog ("tuple concurrently updated").
        self._env = {**env, "POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "2", "CREATE_TABLE": "n"}
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
        streak = 0
        while not self._stopping.is_set():
            try:
                self._run_once(spec)
                streak = 0
            except Exception:
                # The view stays at its last committed position; the next runner resumes from there.
                self.failures[spec.name] += 1
                streak += 1
                if streak == 1:
                    log.exception("projection %s stopped on an error; resuming from its position", spec.name)
                else:
                    log.warning("projection %s failed again (%d in a row); retrying", spec.name, streak)
                # Short and capped, so a view resumes within about a second once the database is back.
                self._stopping.wait(min(0.2 * streak, MAX_RESTART_PAUSE))

    def _run_once(self, spec: ViewSpec) -> None:
        runner = BatchingProjectionRunner(
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
