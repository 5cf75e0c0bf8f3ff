"""Client-API resource bookings map to the view's facts and patches; opening hours to open minutes."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from domain.resource_booking import ResourceBooking
from projections.analytics_opening_hours import weekday_minutes
from projections.booking_facts import BookingFacts, BookingPatch
from projections.booking_kinds import KINDS
from projections.booking_kinds.resource_bookings import RESOURCE_BOOKINGS, resource_booking_change
from tests.unit.availability_support import SEED_HOURS, every_day
from tests.unit.events import meta
from tests.unit.test_resource_booking import REQUEST


def test_a_requested_booking_maps_to_pending_facts_with_its_price_place_and_member() -> None:
    booking = ResourceBooking.request(REQUEST, meta())
    [requested] = booking.collect_events()

    facts = resource_booking_change(requested)

    assert isinstance(facts, BookingFacts)
    assert (facts.booking_id, facts.source, facts.booking_type) == (
        REQUEST.booking_id,
        "client-api",
        "resource",
    )
    assert (facts.status, facts.user_status, facts.org_status) == ("pending", "pending", "pending")
    assert (facts.organisation_id, facts.resource_id, facts.venue_id) == (
        REQUEST.organization_id,
        REQUEST.resource_id,
        REQUEST.venue_id,
    )
    assert (facts.member_id, facts.booker_id, facts.client_id) == (
        REQUEST.user_id,
        REQUEST.user_id,
        REQUEST.client_id,
    )
    assert (facts.price, facts.currency, facts.external_id) == (
        Decimal("37.50"),
        "EUR",
        REQUEST.reference_code,
    )
    assert (facts.type, facts.duration_minutes) == ("group", 90)


def test_a_free_booking_is_requested_then_confirmed() -> None:
    booking = ResourceBooking.request(replace(REQUEST, total_price=Decimal(0), participant_count=1), meta())

    requested, confirmed = (resource_booking_change(event) for event in booking.collect_events())

    assert isinstance(requested, BookingFacts)
    assert requested.type == "individual"
    assert isinstance(confirmed, BookingPatch)
    assert dict(confirmed.fields) == {
        "status": "confirmed",
        "userStatus": "confirmed",
        "orgStatus": "approved",
    }


@pytest.mark.parametrize(
    ("change", "fields"),
    [
        ("cancel", {"status": "cancelled", "userStatus": "cancelled", "orgStatus": "cancelled"}),
        ("expire", {"status": "expired", "userStatus": "expired", "orgStatus": "cancelled"}),
        ("fail", {}),
    ],
)
def test_each_later_event_patches_the_lifecycle_fields(change: str, fields: dict[str, str]) -> None:
    booking = ResourceBooking.request(REQUEST, meta())
    booking.collect_events()
    if change == "cancel":
        booking.cancel("NoTime", "", meta())
    elif change == "expire":
        booking.expire(meta())
    else:
        booking.record_payment("p-1", False, None, "declined", meta())
    [event] = booking.collect_events()

    patch = resource_booking_change(event)

    assert isinstance(patch, BookingPatch)
    assert dict(patch.fields) == fields


def test_resource_bookings_are_one_of_the_views_kinds_with_every_event_of_the_aggregate() -> None:
    events = {ResourceBooking.Requested, ResourceBooking.Confirmed, ResourceBooking.Cancelled}
    events |= {ResourceBooking.Expired, ResourceBooking.PaymentSucceeded, ResourceBooking.PaymentFailed}

    assert RESOURCE_BOOKINGS in KINDS
    assert set(RESOURCE_BOOKINGS.events) == events


def test_open_minutes_are_summed_per_weekday_monday_first() -> None:
    midweek = every_day(("08:00", "12:00", "10", ""))
    only_monday = [opening for opening in midweek.as_dicts() if opening["weekday"] == 0]

    assert weekday_minutes(SEED_HOURS.as_dicts()) == [750] * 7
    assert weekday_minutes(only_monday) == [240, 0, 0, 0, 0, 0, 0]
    assert weekday_minutes([{**only_monday[0], "end_time": "24:00"}]) == [16 * 60, 0, 0, 0, 0, 0, 0]
