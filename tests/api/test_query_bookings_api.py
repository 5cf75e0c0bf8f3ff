"""GET /api/v1/bookings lists every kind of booking of an organisation as the seed's booking document."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx
import pytest

from ledger.runtime import Runtime
from projections.booking_facts import DOCUMENT_FIELDS
from tests.api.orders_support import book, cancel_booking, new_user
from tests.api.query_support import Shop, local_evening, make_shop
from tests.support import expect, instant, random_day


@pytest.fixture
def shop(http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime) -> Shop:
    return make_shop(http, admin_headers, runtime)


def test_a_synced_court_booking_is_listed_with_the_seeds_fields_and_the_ledgers(shop: Shop) -> None:
    tenant = shop.partner.tenant
    start = random_day() + timedelta(hours=10)
    external_id = shop.court_booking(start, hours=1.5, participants=[{"userId": tenant.user_id}])

    booking = shop.by_external_id(external_id)

    assert list(booking) == [*DOCUMENT_FIELDS, "profile"]
    assert uuid.UUID(booking["bookingId"])
    assert booking["managedBy"] == shop.organisation_id
    assert booking["date"] == start.date().isoformat()
    assert booking["start"] == instant(start).replace("Z", ".000Z")
    assert booking["end"] == instant(start + timedelta(hours=1.5)).replace("Z", ".000Z")
    assert booking["duration"] == 90
    assert booking["memberId"] == booking["user"] == booking["booker"] == tenant.user_id
    assert booking["userEmail"].startswith("player-")
    assert booking["name"] == "Court 1"
    assert booking["type"] == "individual"
    assert (booking["userStatus"], booking["orgStatus"], booking["status"]) == (
        "confirmed",
        "approved",
        "active",
    )
    assert booking["bookingType"] == "court"
    assert booking["source"] == "partner-sync"
    assert booking["resourceId"] == tenant.court_id
    assert booking["venueId"] == tenant.venue_id
    assert booking["externalServiceId"] == tenant.client_id
    assert booking["externalId"] == external_id
    assert booking["eventId"] is None
    assert booking["orderId"] is None
    assert booking["attending"] is None
    assert booking["price"] is None
    assert booking["created"].endswith("Z")
    assert booking["created"] == booking["updated"]
    assert booking["ledgerPosition"] > 0
    assert booking["funderMemberId"] is booking["slotId"] is booking["customPrice"] is None


def test_a_court_booking_for_a_guest_carries_the_guests_email_and_no_profile(shop: Shop) -> None:
    external_id = shop.court_booking(
        random_day(), participants=[{"email": "Guest@Example.com"}, {"email": "b@x.io"}]
    )

    booking = shop.by_external_id(external_id)

    assert booking["memberId"] is None
    assert booking["userEmail"] == "guest@example.com"
    assert booking["type"] == "group"
    assert booking["profile"] is None


def test_the_date_is_the_local_date_at_the_venue(shop: Shop) -> None:
    start = local_evening()
    external_id = shop.court_booking(start)

    booking = shop.by_external_id(external_id)

    assert booking["date"] == (start.date() + timedelta(days=1)).isoformat()


def test_a_revised_court_booking_shows_its_new_terms_and_keeps_its_origin(shop: Shop) -> None:
    start = random_day() + timedelta(hours=8)
    external_id = shop.court_booking(start)
    first = shop.by_external_id(external_id)
    court = shop.partner.tenant.add_court()
    body = {
        "courtId": court,
        "startDate": instant(start + timedelta(hours=2)),
        "endDate": instant(start + timedelta(hours=4)),
        "externalUpdatedAt": "2031-01-01T00:00:00Z",
        "participants": [{"userId": shop.partner.tenant.user_id}],
    }
    expect(shop.partner.tenant.put(external_id, body), 200)

    revised = shop.by_external_id(external_id)

    assert revised["bookingId"] == first["bookingId"]
    assert (revised["resourceId"], revised["name"], revised["duration"]) == (court, "Extra", 120)
    assert revised["memberId"] == shop.partner.tenant.user_id
    assert (revised["created"], revised["externalId"]) == (first["created"], external_id)
    assert revised["externalServiceId"] == shop.partner.tenant.client_id
    assert revised["ledgerPosition"] > first["ledgerPosition"]


def test_a_cancelled_court_booking_stays_listed_with_its_status(shop: Shop) -> None:
    external_id = shop.court_booking(random_day())
    tenant = shop.partner.tenant
    path = tenant.booking_path(external_id)
    expect(
        tenant.http.delete(
            path, params={"externalUpdatedAt": "2031-01-01T00:00:00Z"}, headers=tenant.headers
        ),
        200,
    )

    booking = shop.by_external_id(external_id)

    assert (booking["status"], booking["userStatus"], booking["orgStatus"]) == (
        "canceled",
        "cancelled",
        "cancelled",
    )
    assert shop.bookings(userStatus="cancelled") == [booking]


def test_a_coach_event_order_is_listed_in_the_events_organisation(shop: Shop) -> None:
    event_id = shop.coach_event(seats=3)
    [booking_id] = book(shop.partner, [event_id])

    [booking] = shop.bookings(eventId=event_id)

    assert booking["bookingId"] == booking_id
    assert booking["managedBy"] == shop.organisation_id
    assert booking["memberId"] == booking["booker"] == shop.partner.athlete_id
    assert uuid.UUID(booking["orderId"])
    assert (booking["bookingType"], booking["source"], booking["type"]) == (
        "coach-event",
        "bookings",
        "group",
    )
    assert (booking["status"], booking["userStatus"], booking["orgStatus"]) == (
        "Pending",
        "pending",
        "pending",
    )
    assert booking["attending"] is False
    assert (booking["price"], booking["currency"]) == (15.0, "RUB")
    assert booking["externalServiceId"] == shop.partner.tenant.client_id
    assert booking["resourceId"] is booking["externalId"] is None
    assert booking["duration"] == 60


def test_a_coach_event_without_organisation_gives_its_bookings_the_ordering_clients_one(shop: Shop) -> None:
    event_id = shop.coach_event(organisation=False)
    [booking_id] = book(shop.partner, [event_id])

    [booking] = shop.bookings(eventId=event_id)

    assert booking["bookingId"] == booking_id
    assert booking["managedBy"] == shop.organisation_id


def test_a_coach_event_booking_follows_its_lifecycle_and_stays_when_cancelled(shop: Shop) -> None:
    event_id = shop.coach_event()
    second = new_user(shop.http, shop.partner.tenant.admin_headers, shop.partner.tenant.client_id)
    [accepted] = book(shop.partner, [event_id])
    [canceled] = book(shop.partner, [event_id], user_id=second)
    coach = shop.partner.acting(shop.partner.coach_id)
    expect(shop.http.post(f"/api/v1/bookings/{accepted}/accept", headers=coach), 200)
    expect(cancel_booking(shop.partner, canceled, user_id=second), 200)

    rows = {row["bookingId"]: row for row in shop.bookings(eventId=event_id)}

    assert (rows[accepted]["status"], rows[accepted]["userStatus"], rows[accepted]["orgStatus"]) == (
        "Accepted",
        "confirmed",
        "approved",
    )
    assert (rows[canceled]["status"], rows[canceled]["userStatus"]) == ("Canceled", "cancelled")
    assert rows[canceled]["updated"] > rows[canceled]["created"]


def test_every_kind_of_booking_is_listed_together_ordered_by_start(shop: Shop) -> None:
    day = random_day()
    court = shop.court_booking(day + timedelta(hours=12))
    event_id = shop.coach_event(start=day + timedelta(hours=9))
    book(shop.partner, [event_id])

    rows = shop.bookings(date=day.date().isoformat())

    assert [row["bookingType"] for row in rows] == ["coach-event", "court"]
    assert rows[1]["externalId"] == court
    assert expect(shop.query(date=day.date().isoformat()), 200)["total"] == 2
