"""Resource bookings of the client API are listed by GET /api/v1/bookings through their whole lifecycle."""

from __future__ import annotations

import uuid

import httpx
import pytest

from domain.resource_booking import ResourceBooking
from ledger.runtime import Runtime
from projections.booking_facts import DOCUMENT_FIELDS
from tests.api.analytics_support import Club
from tests.api.query_support import make_shop
from tests.support import random_day
from tests.unit.availability_support import berlin


@pytest.fixture
def club(http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime) -> Club:
    club = Club(make_shop(http, admin_headers, runtime))
    club.open_court()
    return club


def listed(club: Club, booking: ResourceBooking) -> dict[str, object]:
    [row] = club.shop.bookings(externalId=booking.reference_code)
    return row


def test_a_resource_booking_is_listed_with_its_source_price_place_and_member(club: Club) -> None:
    tenant = club.shop.partner.tenant
    day = random_day().date()
    booking = club.book(day, 16, hours=2)

    row = listed(club, booking)

    assert list(row) == [*DOCUMENT_FIELDS, "profile"]
    assert row["bookingId"] == str(booking.id)
    assert (row["source"], row["bookingType"], row["externalId"]) == (
        "client-api",
        "resource",
        booking.reference_code,
    )
    assert (row["status"], row["userStatus"], row["orgStatus"]) == ("pending", "pending", "pending")
    assert (row["price"], row["currency"]) == (60.0, "EUR")
    assert (row["managedBy"], row["resourceId"], row["venueId"], row["name"]) == (
        club.shop.organisation_id,
        tenant.court_id,
        tenant.venue_id,
        "Court 1",
    )
    assert row["memberId"] == row["user"] == row["booker"] == tenant.user_id
    assert row["externalServiceId"] == tenant.client_id
    assert str(row["userEmail"]).startswith("player-")
    assert (row["date"], row["duration"], row["type"]) == (day.isoformat(), 120, "group")
    assert row["start"] == berlin(day, 16).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    assert row["profile"] is not None


def test_confirming_and_cancelling_a_resource_booking_follow_its_lifecycle_in_the_view(club: Club) -> None:
    booking = club.book(random_day().date(), 10)

    club.confirm(booking)
    confirmed = listed(club, booking)
    club.cancel(booking)
    cancelled = listed(club, booking)

    assert (confirmed["status"], confirmed["userStatus"], confirmed["orgStatus"]) == (
        "confirmed",
        "confirmed",
        "approved",
    )
    assert (cancelled["status"], cancelled["userStatus"], cancelled["orgStatus"]) == (
        "cancelled",
        "cancelled",
        "cancelled",
    )
    assert cancelled["created"] == confirmed["created"]
    assert int(str(cancelled["ledgerPosition"])) > int(str(confirmed["ledgerPosition"]))


def test_an_expired_booking_stays_listed_as_expired(club: Club) -> None:
    booking = club.book(random_day().date(), 10)

    club.expire(booking)

    row = listed(club, booking)
    assert (row["status"], row["userStatus"], row["orgStatus"]) == ("expired", "expired", "cancelled")


def test_a_paid_booking_is_confirmed_and_a_failed_payment_changes_only_its_update_time(club: Club) -> None:
    booking = club.book(random_day().date(), 10)
    club.pay(booking, succeeded=False)
    failed = listed(club, booking)

    club.pay(booking)

    paid = listed(club, booking)
    assert failed["status"] == "pending"
    assert (paid["status"], paid["userStatus"]) == ("confirmed", "confirmed")


def test_resource_bookings_filter_by_source_alongside_the_other_kinds(club: Club) -> None:
    day = random_day().date()
    booking = club.book(day, 10)
    club.court_booking(day, 12)

    rows = club.shop.bookings(date=day.isoformat(), source="client-api")

    assert [row["bookingId"] for row in rows] == [str(booking.id)]
    assert len(club.shop.bookings(date=day.isoformat())) == 2
    assert uuid.UUID(str(rows[0]["bookingId"])) == booking.id
