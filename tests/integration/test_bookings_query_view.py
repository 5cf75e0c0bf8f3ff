"""The bookings query view on real PostgreSQL: counts that follow organisations, dates that follow venues,
and a rebuild from the log, by function or by command, equal to the live view table by table."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from uuid import UUID

import httpx
import pytest
from psycopg import sql

from domain.context import RequestContext
from ledger.runtime import Runtime
from projections.analytics_bookings import AnalyticsBookingsView
from projections.analytics_queries import BookingQuery, FieldFilter
from projections.analytics_tables import BOOKINGS, COUNTS
from replay.rebuild import differing_rows, rebuild_view
from tests.integration.test_cli import run
from tests.integration.test_projection_and_rebuild import VIEW_WAIT_SECONDS, context, write_history
from tests.integration.test_views_from_one_list import write_bookings_history
from tests.support import random_day

UPDATED = datetime(2030, 1, 1, tzinfo=UTC)


def view_of(runtime: Runtime) -> AnalyticsBookingsView:
    return runtime.view(AnalyticsBookingsView)


def caught_up(runtime: Runtime) -> AnalyticsBookingsView:
    view = view_of(runtime)
    assert view.wait_for(runtime.ledger.recorder.max_notification_id() or 0, VIEW_WAIT_SECONDS)
    return view


def two_organisations(runtime: Runtime) -> tuple[RequestContext, UUID, list[UUID], list[UUID], list[UUID]]:
    """A partner granted two organisations (Berlin, Tokyo) with a venue and court each: its context and id,
    the organisations, the venues and the courts."""
    ledger = runtime.ledger
    organisations, venues, courts = [], [], []
    for timezone in ("Europe/Berlin", "Asia/Tokyo"):
        organisation = ledger.create_organization(context(), f"Org {timezone}", timezone).value
        venue = ledger.create_venue(context(), organisation.id, "Venue", None, None).value
        courts.append(ledger.create_court(context(), venue.id, "Court").value.id)
        organisations.append(organisation.id)
        venues.append(venue.id)
    client = ledger.create_client(context(), "Partner", ["court-bookings:write"], organisations).value
    principal = ledger.authenticate(ledger.issue_api_key(context(), client.id).value.key)
    return context(principal), client.id, organisations, venues, courts


def moved_booking_history(runtime: Runtime) -> tuple[list[UUID], datetime]:
    """A booking made in Berlin at 20:00 UTC, then moved to the Tokyo court; returns the orgs and start."""
    ctx, service, organisations, _, courts = two_organisations(runtime)
    start = random_day() + timedelta(hours=20)
    end = start + timedelta(hours=1)
    guest = [(None, "g@example.com")]
    runtime.ledger.upsert_court_booking(ctx, service, "m", courts[0], start, end, guest, UPDATED)
    runtime.ledger.upsert_court_booking(
        ctx, service, "m", courts[1], start, end, guest, UPDATED + timedelta(1)
    )
    return organisations, start


def test_a_booking_moved_to_another_organisation_is_counted_and_dated_there(runtime: Runtime) -> None:
    (berlin, tokyo), start = moved_booking_history(runtime)
    view = caught_up(runtime)

    moved = view.read_page(BookingQuery(tokyo))

    assert view.read_page(BookingQuery(berlin)).total == 0
    assert moved.total == 1
    assert moved.documents[0]["date"] == (start + timedelta(days=1)).date().isoformat()
    assert view.read_page(BookingQuery(tokyo, (FieldFilter("externalId", "m"),))).total == 1


def test_a_venue_moved_to_another_timezone_moves_the_local_dates_of_its_bookings(runtime: Runtime) -> None:
    ctx, service, (berlin, _), (venue, _), (court, _) = two_organisations(runtime)
    start = random_day() + timedelta(hours=20)
    guest = [(None, "g@example.com")]
    runtime.ledger.upsert_court_booking(
        ctx, service, "late", court, start, start + timedelta(hours=1), guest, UPDATED
    )
    that_day = BookingQuery(berlin, (FieldFilter("date", start.date()),))
    next_day = BookingQuery(berlin, (FieldFilter("date", (start + timedelta(days=1)).date()),))
    before = caught_up(runtime).read_page(that_day).total

    runtime.ledger.update_venue_details(context(), venue, timezone="Asia/Tokyo")
    view = caught_up(runtime)

    assert before == 1
    assert view.read_page(that_day).total == 0
    [late] = view.read_page(next_day).documents
    assert (late["externalId"], late["date"]) == ("late", (start + timedelta(days=1)).date().isoformat())


def count_rows(view: AnalyticsBookingsView) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    """The counter table, and the counts it should hold, each sorted."""
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(
            sql.SQL("SELECT organisation_id, bookings AS n FROM {} WHERE bookings > 0").format(
                view.table(COUNTS)
            )
        )
        kept = [(row["organisation_id"], row["n"]) for row in curs.fetchall()]
        curs.execute(
            sql.SQL(
                "SELECT organisation_id, count(*) AS n FROM {} WHERE organisation_id IS NOT NULL GROUP BY 1"
            ).format(view.table(BOOKINGS))
        )
        counted = [(row["organisation_id"], row["n"]) for row in curs.fetchall()]
    return sorted(kept, key=str), sorted(counted, key=str)


def full_history(runtime: Runtime, http: httpx.Client, admin_headers: dict[str, str]) -> None:
    write_history(runtime, bookings=5)
    write_bookings_history(http, admin_headers)
    moved_booking_history(runtime)


def test_the_view_rebuilt_from_the_log_equals_the_live_one_with_its_counts(
    runtime: Runtime, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    full_history(runtime, http, admin_headers)
    view = caught_up(runtime)

    report = rebuild_view(runtime.ledger, view, swap=False, batch_size=13)

    assert view.wait_for(report.position, VIEW_WAIT_SECONDS)
    for table, fresh in zip(view.tables, report.tables, strict=True):
        assert differing_rows(view, fresh, table.name) == 0, table.name
    kept, counted = count_rows(view)
    assert kept == counted


@pytest.mark.usefixtures("cli_env")
def test_ledger_replay_rebuild_rebuilds_the_bookings_query_view(
    runtime: Runtime, http: httpx.Client, admin_headers: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    full_history(runtime, http, admin_headers)
    view = caught_up(runtime)

    suffix = f"_live_{uuid.uuid4().hex[:8]}"
    with view.datastore.transaction(commit=True) as curs:
        for table in view.tables:
            curs.execute(
                sql.SQL("CREATE TABLE {} AS TABLE {}").format(
                    view.table(table.name + suffix), view.table(table.name)
                )
            )

    rebuilt = run(capsys, "replay", "rebuild", "analytics-bookings")

    assert rebuilt["view"] == "analytics-bookings"
    assert rebuilt["position"] == view.position()
    for table in view.tables:
        assert differing_rows(view, table.name + suffix, table.name) == 0, table.name
    kept, counted = count_rows(view)
    assert kept == counted
    assert counted
