"""Every view of the list is opened, followed by a runner and rebuilt equal to its live tables."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import psycopg
import pytest
from psycopg import sql

from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from projections.bookings import BookingsView
from projections.court_bookings import CourtBookingsView
from projections.registry import VIEWS
from projections.runner import MAX_BATCH, ProjectionSupervisor
from replay.rebuild import differing_rows, rebuild_view
from tests.api.notification_support import add_rule, rules_path, send, shop_of
from tests.api.orders_support import acting, book, cancel_booking, schedule_event
from tests.api.webhook_support import subscribe
from tests.integration.test_cli import run
from tests.integration.test_projection_and_rebuild import VIEW_WAIT_SECONDS, write_history
from tests.support import expect
from tests.webhook_receiver import receiving


def write_bookings_history(
    http: httpx.Client, admin_headers: dict[str, str], hook_url: str | None = None
) -> None:
    """Orders of two athletes; bookings accepted, rejected, cancelled, and an event cancelled by the admin;
    notification rules of the client notified by the cron, twice, one rule then removed (with `hook_url`, to
    a webhook subscription taking the notifications)."""
    shop = shop_of(http, admin_headers)
    tenant, second = shop.tenant, shop.link_new_user()
    rules = [add_rule(tenant, "booking.accepted", "both"), add_rule(tenant, "booking.canceled", "athlete")]
    if hook_url is not None:
        subscribe(tenant, hook_url, types=["notification"])
    kept, canceled = schedule_event(shop, seats=3), schedule_event(shop, seats=3)
    first_order = book(shop, [kept, canceled])
    second_order = book(shop, [kept, canceled], user_id=second)
    coach = acting(tenant, shop.coach_id)
    expect(http.post(f"/api/v1/bookings/{first_order[0]}/accept", headers=coach), 200)
    expect(http.post(f"/api/v1/bookings/{second_order[0]}/reject", headers=coach), 200)
    expect(cancel_booking(shop, first_order[1]), 200)
    expect(http.post(f"/api/v1/admin/coach-events/{canceled}/cancel", headers=admin_headers), 200)
    assert send(http, tenant.headers)["enqueued"] >= 1
    send(http, tenant.headers)
    expect(http.delete(f"{rules_path(tenant.client_id)}/{rules[1]['id']}", headers=admin_headers), 204)


def copy_tables(runtime: Runtime, view: BookingsView, suffix: str) -> None:
    with psycopg.connect(runtime.database_url, autocommit=True) as conn:
        for table in view.tables:
            conn.execute(
                sql.SQL("CREATE TABLE {} AS TABLE {}").format(
                    view.table(table.name + suffix), view.table(table.name)
                )
            )


def row_count(view: BookingsView, table: str) -> int:
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(sql.SQL("SELECT count(*) AS n FROM {}").format(view.table(table)))
        row = curs.fetchone()
    return int(row["n"]) if row else 0


def test_the_runtime_opens_and_runs_every_view_of_the_list(runtime: Runtime) -> None:
    assert list(runtime.views) == [view.name for view in VIEWS]
    assert runtime.elector is not None
    assert list(runtime.runner_failures) == [view.name for view in VIEWS]
    assert [f"projection:{view.name}" for view in VIEWS] == [
        role.name for role in runtime.elector.roles.values()
    ][: len(VIEWS)]
    assert isinstance(runtime.court_bookings, CourtBookingsView)
    assert isinstance(runtime.bookings, BookingsView)


def test_every_view_of_the_list_rebuilt_from_the_log_equals_its_live_tables(
    runtime: Runtime, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    write_history(runtime, bookings=4)
    with receiving() as receiver:
        write_bookings_history(http, admin_headers, receiver.url)
    head = runtime.ledger.recorder.max_notification_id() or 0

    for view_class in VIEWS:
        view = runtime.view(view_class)
        assert view.wait_for(head, VIEW_WAIT_SECONDS), view.name
        report = rebuild_view(runtime.ledger, view, swap=False, batch_size=11)
        assert view.wait_for(report.position, VIEW_WAIT_SECONDS)

        assert report.position >= head
        assert len(report.tables) == len(view.tables)
        for table, fresh in zip(view.tables, report.tables, strict=True):
            assert differing_rows(view, fresh, table.name) == 0, (view.name, table.name)


@pytest.mark.usefixtures("cli_env")
def test_rebuilding_the_bookings_view_by_command_keeps_the_rows_of_the_live_projection(
    runtime: Runtime, http: httpx.Client, admin_headers: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    view = runtime.bookings
    write_bookings_history(http, admin_headers)
    head = runtime.ledger.recorder.max_notification_id() or 0
    assert view.wait_for(head, VIEW_WAIT_SECONDS)
    suffix = f"_projected_{uuid.uuid4().hex[:8]}"
    copy_tables(runtime, view, suffix)

    rebuilt = run(capsys, "replay", "rebuild", "bookings")

    assert rebuilt["view"] == "bookings"
    assert rebuilt["position"] == view.position() == head
    for table in view.tables:
        assert row_count(view, table.name) > 0
        assert differing_rows(view, table.name + suffix, table.name) == 0, table.name


def test_a_runner_applies_the_events_it_fetched_together_in_one_transaction(
    own_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    batches: list[int] = []
    apply_batch = CourtBookingsView.apply_batch

    def recorded(self: CourtBookingsView, batch: Any) -> int:
        batches.append(len(batch))
        return apply_batch(self, batch)

    monkeypatch.setattr(CourtBookingsView, "apply_batch", recorded)
    with open_runtime(own_settings, run_projections=False, announce=lambda _: None) as alone:
        # Written before the runner starts, so its first pull fetches them all at once.
        head = write_history(alone, bookings=10)
        supervisor = ProjectionSupervisor(alone.env, [CourtBookingsView])
        supervisor.start()
        try:
            assert alone.court_bookings.wait_for(head, VIEW_WAIT_SECONDS)
        finally:
            supervisor.stop()

    assert sum(batches) == head
    assert len(batches) < head
    assert max(batches) <= MAX_BATCH
