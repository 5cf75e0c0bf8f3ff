"""The bookings view on PostgreSQL: client-API bookings and opening hours, kept live and rebuilt alike."""

from __future__ import annotations

import uuid
from dataclasses import replace

from psycopg import sql

from domain.context import ADMIN, RequestContext
from ledger.runtime import Runtime
from projections.analytics_bookings import AnalyticsBookingsView
from projections.analytics_opening_hours import OPENING_HOURS
from projections.analytics_queries import BookingQuery, FieldFilter
from replay.rebuild import differing_rows, rebuild_view
from tests.integration.test_resource_bookings import RULES, Court
from tests.support import random_day
from tests.unit.availability_support import SEED_HOURS, every_day

VIEW_WAIT_SECONDS = 30


def caught_up(runtime: Runtime) -> AnalyticsBookingsView:
    view = runtime.view(AnalyticsBookingsView)
    assert view.wait_for(runtime.ledger.recorder.max_notification_id() or 0, VIEW_WAIT_SECONDS)
    return view


def admin(runtime: Runtime) -> RequestContext:
    return RequestContext(ADMIN, runtime.clock(), f"test-{uuid.uuid4().hex}")


def opening_row(view: AnalyticsBookingsView, resource_id: str) -> dict[str, object] | None:
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(
            sql.SQL("SELECT * FROM {} WHERE resource_id = %s").format(view.table(OPENING_HOURS)),
            [uuid.UUID(resource_id)],
        )
        row = curs.fetchone()
    return None if row is None else dict(row)


def test_a_resources_rules_keep_its_open_minutes_per_weekday_with_its_venue_and_organisation(
    runtime: Runtime,
) -> None:
    court = Court.made_in(runtime)
    resource = runtime.ledger.resolve_resource(court.court_id)

    first = opening_row(caught_up(runtime), court.court_id)
    shorter = every_day(("09:00", "10:30", "5", ""))
    runtime.ledger.set_booking_rules(admin(runtime), court.court_id, RULES, shorter)
    changed = opening_row(caught_up(runtime), court.court_id)

    assert first is not None
    assert changed is not None
    assert first["weekday_minutes"] == [750] * 7
    assert (first["venue_id"], first["organisation_id"]) == (resource.venue_id, resource.organization_id)
    assert changed["weekday_minutes"] == [90] * 7


def test_the_view_rebuilt_from_the_log_equals_the_live_one_with_resource_bookings_and_opening_hours(
    runtime: Runtime,
) -> None:
    court = Court.made_in(runtime)
    day = random_day().date()
    ctx = admin(runtime)
    runtime.ledger.confirm_resource_booking(ctx, court.book(runtime, day, 9).id)
    runtime.ledger.cancel_resource_booking(ctx, court.book(runtime, day, 12).id)
    runtime.ledger.expire_resource_booking(ctx, court.book(runtime, day, 16).id)
    runtime.ledger.set_booking_rules(ctx, court.court_id, replace(RULES, capacity=2), SEED_HOURS)
    view = caught_up(runtime)

    report = rebuild_view(runtime.ledger, view, swap=False, batch_size=7)

    assert view.wait_for(report.position, VIEW_WAIT_SECONDS)
    for table, fresh in zip(view.tables, report.tables, strict=True):
        assert differing_rows(view, fresh, table.name) == 0, table.name
    organisation = runtime.ledger.resolve_resource(court.court_id).organization_id
    page = view.read_page(BookingQuery(organisation, (FieldFilter("source", "client-api"),)))
    assert sorted(document["status"] for document in page.documents) == ["cancelled", "confirmed", "expired"]
    assert page.total == 3
