"""The projection supervisor on real PostgreSQL: a failing view is restarted, a lost NOTIFY is re-sent."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from psycopg import sql
from psycopg_pool import ConnectionPool

from domain.context import ADMIN, RequestContext
from domain.organization import Organization
from ledger.pool_check import use_check_if_signalled
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from projections.court_bookings import TABLE, CourtBookingsView
from projections.runner import ProjectionSupervisor
from replay.rebuild import differing_rows, rebuild_view
from tests.integration.test_projection_and_rebuild import write_history

VIEW_WAIT_SECONDS = 30.0
COURT_BOOKINGS = CourtBookingsView


@pytest.fixture
def alone(own_settings: Settings) -> Iterator[Runtime]:
    """The ledger on a schema of its own without runners: only this test writes there and runs its view."""
    small_pool = own_settings.model_copy(update={"pool_size": 2, "pool_max_overflow": 4})
    with open_runtime(small_pool, run_projections=False, announce=lambda _: None) as runtime:
        yield runtime


@contextmanager
def supervising(runtime: Runtime, watchdog_seconds: float = 1.0) -> Iterator[ProjectionSupervisor]:
    supervisor = ProjectionSupervisor(runtime.env, [COURT_BOOKINGS], watchdog_seconds=watchdog_seconds)
    supervisor.start()
    try:
        yield supervisor
    finally:
        supervisor.stop()


@contextmanager
def column_renamed(runtime: Runtime, column: str) -> Iterator[None]:
    """The view's table without `column` (renamed away), so every row the view writes fails until restored."""
    table = sql.Identifier(runtime.settings.db_schema, TABLE)
    renamed = sql.SQL("ALTER TABLE {} RENAME COLUMN {} TO {}")
    with psycopg.connect(runtime.database_url, autocommit=True) as conn:
        conn.execute(renamed.format(table, sql.Identifier(column), sql.Identifier(f"{column}_gone")))
        try:
            yield
        finally:
            conn.execute(renamed.format(table, sql.Identifier(f"{column}_gone"), sql.Identifier(column)))


def wait_until(condition: Callable[[], bool], timeout: float = VIEW_WAIT_SECONDS) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def append_without_notify(runtime: Runtime, organization: Organization) -> int:
    """Commit the aggregate's events in one transaction (recording its id, as the append path does), but
    send no NOTIFY."""
    table = sql.Identifier(runtime.settings.db_schema, "ledger_events")
    positions = []
    with psycopg.connect(runtime.database_url) as conn:
        for event in organization.collect_events():
            stored = runtime.ledger.mapper.to_stored_event(event)
            row = conn.execute(
                sql.SQL(
                    "INSERT INTO {} (originator_id, originator_version, topic, state) "
                    "VALUES (%s, %s, %s, %s) RETURNING notification_id"
                ).format(table),
                (stored.originator_id, stored.originator_version, stored.topic, stored.state),
            ).fetchone()
            assert row is not None
            positions.append(int(row[0]))
    return max(positions)


def test_a_view_whose_writes_fail_is_restarted_and_resumes_from_its_position(alone: Runtime) -> None:
    view = alone.court_bookings
    with supervising(alone) as supervisor:
        before = write_history(alone, bookings=3)
        assert view.wait_for(before, VIEW_WAIT_SECONDS)

        with column_renamed(alone, "participants"):
            poisoned = write_history(alone, bookings=3)
            # Restarted at least once, and failed again on the same event.
            assert wait_until(lambda: supervisor.failures[COURT_BOOKINGS.name] >= 2)
            stuck = view.position()
        assert view.wait_for(poisoned, VIEW_WAIT_SECONDS)

    assert before < stuck < poisoned
    check = rebuild_view(alone.ledger, view, swap=False)
    assert check.position == poisoned
    assert differing_rows(view, check.table) == 0


def test_an_event_whose_notification_was_lost_reaches_the_view_through_the_watchdog(alone: Runtime) -> None:
    ctx = RequestContext(ADMIN, datetime.now(UTC), uuid.uuid4().hex)
    view = alone.court_bookings
    # Written before the runner listens, so it reads this event on its first pull, not on a notification,
    # and no notification is pending when the next event comes.
    earlier = alone.ledger.create_organization(ctx, "Earlier", "UTC").position
    assert earlier is not None
    with supervising(alone, watchdog_seconds=0.2):
        assert view.wait_for(earlier, VIEW_WAIT_SECONDS)

        silent = append_without_notify(alone, Organization.register("Silent", "UTC", ctx.meta()))

        assert view.wait_for(silent, VIEW_WAIT_SECONDS)


def test_each_runner_hands_its_pools_to_the_runtimes_check_and_still_follows_the_log(alone: Runtime) -> None:
    adapted: list[ConnectionPool[Any]] = []

    def check_if_signalled(pool: ConnectionPool[Any]) -> None:
        adapted.append(pool)
        use_check_if_signalled(pool)

    view = alone.court_bookings
    supervisor = ProjectionSupervisor(alone.env, [COURT_BOOKINGS], adapt_pool=check_if_signalled)
    supervisor.start()
    try:
        written = write_history(alone, bookings=3)
        assert view.wait_for(written, VIEW_WAIT_SECONDS)
    finally:
        supervisor.stop()

    # The runner's application (reading the log) and its view (writing rows) each have a pool of their own.
    assert len({id(pool) for pool in adapted}) == 2
    assert alone.ledger.recorder.datastore.pool not in adapted  # type: ignore[attr-defined]
