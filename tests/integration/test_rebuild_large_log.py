"""A rebuild over a log of thousands of events survives a short idle-in-transaction timeout."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
import pytest
from eventsourcing.persistence import Notification
from psycopg import sql

from domain.context import ADMIN, RequestContext
from domain.court_booking import CourtBooking
from domain.court_booking_terms import CourtBookingTerms, checked_participants
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from replay.rebuild import differing_rows, rebuild_view
from tests.integration.test_projection_supervisor import wait_until

BOOKINGS = 3000  # with a revision or a cancel-and-reactivate for two in three: about 6,000 events
SAVE_BATCH = 100
REBUILD_BATCH = 1000
# The server ends a session that stays idle inside a transaction for longer than this many seconds.
IDLE_TIMEOUT_SECONDS = 1
# Reading and decoding one page of events takes longer than the timeout, as on a busy machine.
DECODE_PAUSE_SECONDS = 1.5
VIEW_WAIT_SECONDS = 120.0


@pytest.fixture
def strict_runtime(own_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    """A runtime in a schema of its own whose connections all use the short idle-in-transaction timeout."""
    monkeypatch.setenv("POSTGRES_IDLE_IN_TRANSACTION_SESSION_TIMEOUT", str(IDLE_TIMEOUT_SECONDS))
    with open_runtime(own_settings, run_projections=True, announce=lambda _: None) as runtime:
        yield runtime


def write_bookings(runtime: Runtime, count: int) -> int:
    """Register `count` bookings, revise a third, cancel and re-activate a third; return the log head."""
    meta = RequestContext(ADMIN, datetime.now(UTC), uuid.uuid4().hex).meta()
    service, organization, court = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    day = datetime(2031, 3, 1, tzinfo=UTC)
    updated = datetime(2031, 1, 1, tzinfo=UTC)
    batch: list[CourtBooking] = []
    for index in range(count):
        start = day + timedelta(hours=index)
        people = checked_participants([(None, f"p{index}@example.com")])
        booking = CourtBooking.register(
            service,
            f"b-{index}",
            organization,
            CourtBookingTerms(court, start, start + timedelta(hours=1), people, updated),
            meta,
        )
        later = updated + timedelta(seconds=1)
        if index % 3 == 1:
            moved = start + timedelta(minutes=30)
            booking.revise(
                organization, CourtBookingTerms(court, moved, moved + timedelta(hours=1), people, later), meta
            )
        if index % 3 == 2:
            booking.cancel(later, meta)
            booking.revise(
                organization,
                CourtBookingTerms(court, start, start + timedelta(hours=1), people, later + timedelta(1)),
                meta,
            )
        batch.append(booking)
        if len(batch) == SAVE_BATCH or index == count - 1:
            runtime.ledger.save(*batch)
            batch.clear()
    return runtime.ledger.recorder.max_notification_id() or 0


def copy_table(runtime: Runtime, source: str, target: str) -> None:
    schema = runtime.settings.db_schema
    with psycopg.connect(runtime.database_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("CREATE TABLE {} AS TABLE {}").format(
                sql.Identifier(schema, target), sql.Identifier(schema, source)
            )
        )


def pause_once_per_page(runtime: Runtime, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make decoding a page of REBUILD_BATCH events take longer than the idle-in-transaction timeout.

    The pause comes at the first event of each page, before any of its rows could be written.
    """
    mapper = runtime.ledger.mapper
    decode = mapper.to_domain_event

    def slow_decode(notification: Any) -> Any:
        if isinstance(notification, Notification) and notification.id % REBUILD_BATCH == 1:
            time.sleep(DECODE_PAUSE_SECONDS)
        return decode(notification)

    monkeypatch.setattr(mapper, "to_domain_event", slow_decode)


def test_swapped_rebuild_with_slow_decoding_survives_a_short_idle_in_transaction_timeout(
    strict_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    head = write_bookings(strict_runtime, BOOKINGS)
    assert strict_runtime.court_bookings.wait_for(head, VIEW_WAIT_SECONDS)
    copy_table(strict_runtime, "court_bookings", "court_bookings_projected")
    pause_once_per_page(strict_runtime, monkeypatch)

    report = rebuild_view(
        strict_runtime.ledger, strict_runtime.court_bookings, swap=True, batch_size=REBUILD_BATCH
    )

    assert (report.events, report.position) == (head, head)
    assert differing_rows(strict_runtime.court_bookings, "court_bookings_projected") == 0
    assert strict_runtime.court_bookings.position() == head


def test_events_written_during_a_swapped_rebuild_are_in_the_swapped_view(
    strict_runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime, view = strict_runtime, strict_runtime.court_bookings
    write_bookings(runtime, 300)
    lock_position = view.lock_position

    def write_while_locked(curs: Any) -> int:
        locked = lock_position(curs)
        write_bookings(runtime, 10)
        return locked

    monkeypatch.setattr(view, "lock_position", write_while_locked)
    written_during_pages: list[int] = []

    def write_once(position: int, head: int) -> None:
        if not written_during_pages:
            written_during_pages.append(write_bookings(runtime, 200))

    report = rebuild_view(runtime.ledger, view, swap=True, batch_size=100, progress=write_once)

    head = runtime.ledger.recorder.max_notification_id() or 0
    # What was written while the rebuild held the tracking row is the live runner's to apply.
    caught_up = wait_until(lambda: view.position() == head)
    assert head > written_during_pages[0]
    assert report.events == report.position
    assert written_during_pages[0] <= report.position <= head
    assert caught_up
    check = rebuild_view(runtime.ledger, view, swap=False)
    assert differing_rows(view, check.table) == 0
