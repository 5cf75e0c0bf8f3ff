"""An erasure reaches every surface and view: LE-KO bookings and orders, the query surface and its profiles,
partner court bookings; and every view rebuilt from the log after it equals the live one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from api.app import create_app
from ledger.runtime import Runtime
from ledger.settings import Settings
from replay.rebuild import differing_rows, rebuild_view
from tests.api.erasure_support import ERASED, ERASURE_SCOPES, email_of, erase
from tests.api.orders_support import bookings_of, make_booking_tenant, read_booking
from tests.api.query_support import Shop, analyst_key
from tests.support import ServerThread, expect, random_day, runtime_of_its_own

VIEW_WAIT_SECONDS = 30.0


@pytest.fixture(scope="module")
def own(settings: Settings) -> Iterator[tuple[Runtime, httpx.Client]]:
    """A ledger on a schema of its own, views and all, served over HTTP: its views are rebuilt here."""
    with (
        runtime_of_its_own(settings, "erasure") as runtime,
        ServerThread(create_app(runtime=runtime)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield runtime, client


@pytest.fixture
def shop(own: tuple[Runtime, httpx.Client], admin_headers: dict[str, str]) -> Shop:
    runtime, http = own
    partner = make_booking_tenant(http, admin_headers, scopes=[*ERASURE_SCOPES, "bookings:read"])
    return Shop(partner, analyst_key(http, admin_headers, [partner.tenant.organization_id]), runtime)


def cancelled_with_text(shop: Shop, text: str) -> str:
    """The athlete's booking of a fresh coach event, cancelled by them with `text`; its id."""
    event_id = shop.coach_event()
    order = expect(
        shop.http.post(
            "/api/v1/orders",
            json={
                "userId": shop.partner.athlete_id,
                "eventIds": [event_id],
                "paymentMethod": {"type": "Cash"},
            },
            headers=shop.partner.acting(),
        ),
        201,
    )
    booking_id = str(order["bookings"][0]["bookingId"])
    body = {"cancellationReasonCode": "NotFeelingWell", "cancellationReasonText": text}
    expect(
        shop.http.post(f"/api/v1/bookings/{booking_id}/cancel", json=body, headers=shop.partner.acting()), 200
    )
    return booking_id


def test_an_erasure_reaches_bookings_orders_profiles_and_the_query_surface(shop: Shop) -> None:
    athlete = shop.partner.athlete_id
    email = email_of(shop.runtime, athlete)
    shop.set_profile(athlete, {"Full Name": "Ana Lopez", "Phone": "+49 30 1234567"})
    booking_id = cancelled_with_text(shop, "My knee hurts, see you next week.")
    start = random_day()
    by_email = shop.court_booking(start, participants=[{"email": email}, {"email": "other@example.com"}])
    by_id = shop.court_booking(start.replace(hour=12), participants=[{"userId": athlete}])

    erased = expect(erase(shop.partner), 200)

    assert erased["keysDestroyed"] == 2
    booking = read_booking(shop.partner, booking_id)
    assert booking["cancellationReasonText"] == ERASED
    past = shop.http.get(
        f"/api/v1/bookings/{booking_id}",
        params={"asOf": booking["canceledAt"]},
        headers=shop.partner.acting(),
    )
    assert expect(past, 200)["cancellationReasonText"] == ERASED
    assert (booking["bookingStatus"], booking["cancellationReasonCode"]) == ("Canceled", "NotFeelingWell")
    listed = bookings_of(shop.partner, athlete, done=lambda rows: rows[0]["cancellationReasonText"] == ERASED)
    assert [row["cancellationReasonText"] for row in listed] == [ERASED]
    order = expect(shop.http.get(f"/api/v1/orders/{booking['orderId']}", headers=shop.partner.acting()), 200)
    assert [each["cancellationReasonText"] for each in order["bookings"]] == [ERASED]
    profile = shop.runtime.ledger.member_profile(uuid.UUID(shop.organisation_id), uuid.UUID(athlete))
    assert profile is not None
    assert profile.values == {"Full Name": ERASED, "Phone": ERASED}
    emailed = shop.by_external_id(by_email)
    assert emailed["userEmail"] == ERASED
    named = shop.by_external_id(by_id)
    assert named["userEmail"] == ERASED
    assert named["memberId"] == athlete
    [coach_booking] = [row for row in shop.bookings() if row.get("orderId") == booking["orderId"]]
    fields = {field["key"]: field["value"] for field in coach_booking["profile"]["fields"]}
    assert fields["Full Name"] == ERASED
    assert fields["Phone"] == ERASED
    partner_read = expect(
        shop.http.get(shop.partner.tenant.booking_path(by_email), headers=shop.partner.tenant.headers), 200
    )
    assert partner_read["participants"] == [{"email": ERASED}, {"email": "other@example.com"}]


def test_every_view_rebuilt_after_an_erasure_equals_the_live_view(shop: Shop) -> None:
    athlete = shop.partner.athlete_id
    email = email_of(shop.runtime, athlete)
    shop.set_profile(athlete, {"Full Name": "Bea Lopez"})
    cancelled_with_text(shop, "Rain.")
    shop.court_booking(random_day(), participants=[{"email": email}, {"userId": athlete}])
    expect(erase(shop.partner), 200)
    runtime = shop.runtime
    head = runtime.ledger.recorder.max_notification_id() or 0

    for view in runtime.views.values():
        assert view.wait_for(head, VIEW_WAIT_SECONDS), view.name
        report = rebuild_view(runtime.ledger, view, swap=False)
        assert view.wait_for(report.position, VIEW_WAIT_SECONDS)
        for table, rebuilt in zip(view.tables, report.tables, strict=True):
            assert differing_rows(view, rebuilt, table.name) == 0, (view.name, table.name)


def test_the_erased_user_reads_as_erased_in_every_profile_read(shop: Shop) -> None:
    athlete = shop.partner.athlete_id
    expect(erase(shop.partner), 200)

    user: Any = shop.runtime.ledger.user(uuid.UUID(athlete))

    assert user.email == ERASED
    assert user.erased_at is not None
