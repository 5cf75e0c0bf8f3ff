"""The court-bookings view on real PostgreSQL: it follows the log, and a rebuild from the log equals it."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

import psycopg
from psycopg import sql

from domain.context import ADMIN, Principal, RequestContext
from ledger.runtime import Runtime
from replay.rebuild import REBUILD_SUFFIX, differing_rows, rebuild_view
from tests.support import random_day

VIEW_WAIT_SECONDS = 30.0


def context(principal: Principal = ADMIN) -> RequestContext:
    return RequestContext(principal, datetime.now(UTC), uuid.uuid4().hex)


def seeded_service(runtime: Runtime) -> tuple[RequestContext, UUID, UUID]:
    """A client granted one organization with one court; returns its context, its id and the court id."""
    ledger = runtime.ledger
    organization = ledger.create_organization(context(), "Org", "UTC").value
    venue = ledger.create_venue(context(), organization.id, "Venue", None, None).value
    court = ledger.create_court(context(), venue.id, "Court").value
    client = ledger.create_client(context(), "Partner", ["court-bookings:write"], [organization.id]).value
    principal = ledger.authenticate(ledger.issue_api_key(context(), client.id).value.key)
    return context(principal), client.id, court.id


def write_history(runtime: Runtime, bookings: int) -> int:
    """Create, move, cancel and re-activate bookings; return the position of the last write."""
    ctx, service, court = seeded_service(runtime)
    ledger = runtime.ledger
    day = random_day()
    updated = datetime(2030, 1, 1, tzinfo=UTC)
    position = 0
    for index in range(bookings):
        external_id = f"b-{index}"
        start = day + timedelta(hours=2 * index)
        email = [(None, f"p{index}@example.com")]
        outcome = ledger.upsert_court_booking(
            ctx, service, external_id, court, start, start + timedelta(hours=1), email, updated
        )
        if index % 3 == 1:
            later = start + timedelta(minutes=30)
            outcome = ledger.upsert_court_booking(
                ctx,
                service,
                external_id,
                court,
                later,
                later + timedelta(hours=1),
                email,
                updated + timedelta(1),
            )
        if index % 3 == 2:
            outcome = ledger.cancel_court_booking(ctx, service, external_id, updated + timedelta(2))
            outcome = ledger.upsert_court_booking(
                ctx,
                service,
                external_id,
                court,
                start,
                start + timedelta(hours=1),
                email,
                updated + timedelta(3),
            )
        position = max(position, outcome.position or 0)
    return position


def test_view_records_its_position_for_events_it_does_not_project(runtime: Runtime) -> None:
    position = runtime.ledger.create_organization(context(), "Only registry", "UTC").position

    assert position is not None
    assert runtime.court_bookings.wait_for(position, VIEW_WAIT_SECONDS)


def test_view_row_follows_the_aggregate_after_revisions(runtime: Runtime) -> None:
    ctx, service, court = seeded_service(runtime)
    start = random_day()
    updated = datetime(2030, 1, 1, tzinfo=UTC)
    runtime.ledger.upsert_court_booking(
        ctx, service, "x", court, start, start + timedelta(hours=1), [(None, "a@b.co")], updated
    )
    moved = start + timedelta(hours=3)
    outcome = runtime.ledger.cancel_court_booking(ctx, service, "x", updated + timedelta(seconds=1))
    assert outcome.position is not None

    assert runtime.court_bookings.wait_for(outcome.position, VIEW_WAIT_SECONDS)
    from projections.court_bookings import CourtBookingFilter

    rows = runtime.court_bookings.list_court_bookings(CourtBookingFilter(service), 10)
    assert [(row["external_court_booking_id"], row["status"], row["version"]) for row in rows] == [
        ("x", "canceled", 2)
    ]
    assert rows[0]["start_date"] == start != moved


def test_rebuilt_table_equals_the_live_view_row_for_row(runtime: Runtime) -> None:
    position = write_history(runtime, bookings=12)
    assert runtime.court_bookings.wait_for(position, VIEW_WAIT_SECONDS)

    report = rebuild_view(runtime.ledger, runtime.court_bookings, swap=False, batch_size=7)

    assert report.position >= position
    assert runtime.court_bookings.wait_for(report.position, VIEW_WAIT_SECONDS)
    assert differing_rows(runtime.court_bookings, report.table) == 0
    with psycopg.connect(runtime.database_url) as conn:
        schema = runtime.settings.db_schema
        live = conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, "court_bookings"))
        )
        rebuilt = conn.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(schema, report.table))
        )
        assert (live.fetchone() or [0])[0] == (rebuilt.fetchone() or [-1])[0]
        assert report.table == "court_bookings" + REBUILD_SUFFIX


def test_swapped_rebuild_keeps_the_view_complete_and_the_runner_following(runtime: Runtime) -> None:
    before = write_history(runtime, bookings=6)
    assert runtime.court_bookings.wait_for(before, VIEW_WAIT_SECONDS)

    report = rebuild_view(runtime.ledger, runtime.court_bookings, swap=True, batch_size=50)
    after = write_history(runtime, bookings=3)

    assert report.position >= before
    assert runtime.court_bookings.wait_for(after, VIEW_WAIT_SECONDS)
    check = rebuild_view(runtime.ledger, runtime.court_bookings, swap=False)
    assert runtime.court_bookings.wait_for(check.position, VIEW_WAIT_SECONDS)
    assert differing_rows(runtime.court_bookings, check.table) == 0
