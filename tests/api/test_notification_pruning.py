"""Notifications' moments and claims pruned under the change retention: what went is never sent again."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from psycopg import sql

from api.app import create_app
from ledger.runtime import Runtime
from ledger.settings import Settings
from projections.changes.notification_pruning import prune_notifications
from projections.changes.notifications import MOMENTS
from tests.api.notification_support import NOTHING, accept, add_rule, claims_of, send, shop_of
from tests.api.orders_support import book, schedule_event
from tests.support import ServerThread, expect, runtime_of_its_own


@pytest.fixture
def own(settings: Settings) -> Iterator[tuple[httpx.Client, Runtime]]:
    """A ledger of its own, served: pruning up to its head leaves the session's notifications alone."""
    with (
        runtime_of_its_own(settings, "pruning") as runtime,
        ServerThread(create_app(runtime=runtime)) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        yield http, runtime


def moments_of(runtime: Runtime, booking_id: str) -> int:
    view = runtime.changes
    query = sql.SQL("SELECT count(*) AS n FROM {} WHERE booking_id = %s").format(view.table(MOMENTS))
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(query, (booking_id,))
        row = curs.fetchone()
    return int(row["n"]) if row else 0


def test_a_pruned_claim_is_never_sent_again_and_an_active_bookings_claim_is_kept(
    own: tuple[httpx.Client, Runtime], admin_headers: dict[str, str]
) -> None:
    http, runtime = own
    shop = shop_of(http, admin_headers)
    on_reject = add_rule(shop.tenant, "booking.rejected", "both")
    on_accept = add_rule(shop.tenant, "booking.accepted", "both")
    ended, going = (book(shop, [schedule_event(shop)])[0] for _ in range(2))
    expect(http.post(f"/api/v1/bookings/{ended}/reject", headers=shop.acting(shop.coach_id)), 200)
    accept(shop, going)
    assert send(http, shop.tenant.headers) == {**NOTHING, "due": 2, "enqueued": 2}

    assert prune_notifications(runtime.changes, runtime.changes.position()) > 0

    # The ended booking's claim went with its moments; the going one's stays, as a completion may follow.
    assert claims_of(runtime, on_reject["id"]) == []
    assert [str(row["booking_id"]) for row in claims_of(runtime, on_accept["id"])] == [going]
    assert (moments_of(runtime, ended), moments_of(runtime, going)) == (0, 0)
    assert send(http, shop.tenant.headers) == NOTHING
