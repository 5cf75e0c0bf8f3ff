"""Runs the projection runners in threads; resumes a failed view from its position, re-polls lost NOTIFYs."""

from __future__ import annotations

import functools
import logging
import threading
from collections.abc import Callable, Sequence
from typing import Any

from eventsourcing.persistence import Tracking
from eventsourcing.postgres import PostgresApplicationRecorder, PostgresRecorder
from eventsourcing.projection import Projection, ProjectionRunner
from psycopg import sql

from domain.application import Ledger
from projections.library_adapter import HookedProjectionRunner, SubscriptionEvents
from projections.tables import TrackedView

log = logging.getLogger("ledger.projections")

MAX_BATCH = 1000
MAX_RESTART_PAUSE = 1.0


class ViewProjection(Projection[TrackedView]):
    """Feeds every event of the ledger to a view, which records its position even for events it ignores."""

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.apply_batch([(domain_event, tracking.notification_id)])


@functools.cache
def projection_of(view_class: type[TrackedView]) -> type[ViewProjection]:
    """The library's projection of a view, named after it, as the runner names its tracking table so."""
    return type(f"{view_class.__name__}Projection", (ViewProjection,), {"name": view_class.name})


class BatchingProjectionRunner(HookedProjectionRunner[Ledger, TrackedView]):
    """The library's runner, applying the events its subscription has already fetched in one transaction.

    The subscription pulls notifications from the log in pages; one view transaction per page (instead of
    one per event) keeps the view close behind the log under load.
    """

    @classmethod
    def consume(cls, events: SubscriptionEvents, projection: Projection[Any]) -> None:
        view: TrackedView = projection.view
        for first in events:
            view.apply_batch([first, *events.fetched(MAX_BATCH - 1)])


class ProjectionSupervisor:
    """Keeps one projection runner per view alive until stopped."""

    def __init__(
        self,
        env: dict[str, str],
        views: Sequence[type[TrackedView]],
        watchdog_seconds: float = 1.0,
        failures: dict[str, int] | None = None,
        adapt_pool: Callable[[Any], None] | None = None,
    ) -> None:
        # Runners need few connections: one LISTEN, one to read the log, one to write the view.
        # The runtime created every table before starting runners; creating them again from several
        # threads at once races in PostgreSQL's catalog ("tuple concurrently updated").
        self._env = {**env, "POSTGRES_POOL_SIZE": "2", "POSTGRES_MAX_OVERFLOW": "2", "CREATE_TABLE": "n"}
        self._views = list(views)
        self._watchdog_seconds = watchdog_seconds
        self._adapt_pool = adapt_pool
        """Applied to each runner's connection pools as it starts (the runtime's check on checkout)."""
        self._stopping = threading.Event()
        self._threads: list[threading.Thread] = []
        self.failures: dict[str, int] = {view.name: 0 for view in views} if failures is None else failures
        """Restarts after an error, per view; a dict shared by the supervisors of successive terms."""

    def start(self) -> None:
        """Start a runner per view; after `stop()`, starting again starts new ones (an elected term)."""
        self._stopping = threading.Event()
        self._threads = []
        for view in self._views:
            thread = threading.Thread(
                target=self._supervise, args=(view, self._stopping), name=f"projection-{view.name}"
            )
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

    def _supervise(self, view: type[TrackedView], stopping: threading.Event) -> None:
        streak = 0
        while not stopping.is_set():
            try:
                self._run_once(view, stopping)
                streak = 0
            except Exception:
                # The view stays at its last committed position; the next runner resumes from there.
                self.failures[view.name] += 1
                streak += 1
                if streak == 1:
                    log.exception("projection %s stopped on an error; resuming from its position", view.name)
                else:
                    log.warning("projection %s failed again (%d in a row); retrying", view.name, streak)
                # Short and capped, so a view resumes within about a second once the database is back.
                stopping.wait(min(0.2 * streak, MAX_RESTART_PAUSE))

    def _run_once(self, view: type[TrackedView], stopping: threading.Event) -> None:
        runner = BatchingProjectionRunner(
            application_class=Ledger,
            projection_class=projection_of(view),
            view_class=view,
            env=self._env,
        )
        if self._adapt_pool is not None:
            for datastore in {id(r.datastore): r.datastore for r in (runner.app.recorder, runner.view)
                              if isinstance(r, PostgresRecorder)}.values():  # fmt: skip
                self._adapt_pool(datastore.pool)
        with runner:
            last_position = -1
            while not stopping.is_set() and not runner.is_interrupted.is_set():
                runner.run_forever(timeout=self._watchdog_seconds)
                last_position = self._watchdog(runner, last_position)

    @staticmethod
    def _watchdog(runner: ProjectionRunner[Ledger, TrackedView], last_position: int) -> int:
        """Send a NOTIFY when the view is behind the log and made no progress: a notification was lost."""
        recorder = runner.app.recorder
        position = runner.view.position()
        if not isinstance(recorder, PostgresApplicationRecorder):
            return position
        # Behind what is committed, not what is safe: a pull then waits for the appends in flight itself.
        head = recorder.max_notification_id() or 0
        if position < head and position == last_position:
            with recorder.datastore.transaction(commit=True) as curs:
                curs.execute(sql.SQL("NOTIFY {}").format(sql.Identifier(recorder.channel_name)))
        return position
