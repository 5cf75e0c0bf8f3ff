"""A resource's booking rules as events, and its availability read through the calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from domain.calendar import InvalidDateRangeError
from domain.numbers import NumberIndex
from domain.opening_hours import OpeningHours, OpeningRange
from domain.organization import Resource, ResourceNotFoundError
from domain.resource_terms import NoBookingRulesError
from tests.unit.availability_support import SEED_DAY, SEED_HOURS, SEED_RULES, berlin, every_day, rules, shown
from tests.unit.events import meta, stored_types
from tests.unit.resource_booking_support import NOW, Club, admin_context


def test_setting_booking_rules_records_them_and_the_hours_on_the_resource() -> None:
    club = Club()

    [_, change] = club.ledger.events.get(club.court.id)

    assert isinstance(change, Resource.BookingRulesSet)
    assert change.rules == SEED_RULES.as_dict()
    assert change.rules["base_price"] == "25.00"
    assert change.opening_hours == SEED_HOURS.as_dicts()
    resource = club.ledger.resolve_resource(club.court.id)
    assert (resource.booking_rules, resource.opening_hours) == (change.rules, change.opening_hours)


def test_a_price_change_is_a_new_event_in_the_resources_history() -> None:
    club = Club()
    dearer = every_day(("08:00", "14:00", "27.50", ""), ("15:30", "22:00", "30.00", "Peak Hours"))

    saved = club.ledger.set_booking_rules(admin_context(), club.court.id, SEED_RULES, dearer)

    assert saved.position is not None
    assert stored_types(club.ledger, club.court.id) == [
        Resource.Registered,
        Resource.BookingRulesSet,
        Resource.BookingRulesSet,
    ]
    assert saved.value.opening_hours[0]["price_per_hour"] == "27.50"


def test_setting_the_same_rules_again_records_nothing_even_with_prices_written_otherwise() -> None:
    club = Club()
    same_rules = rules(base_price=Decimal("25"))
    same_hours = every_day(("08:00", "14:00", "25", ""), ("15:30", "22:00", "30.0", "Peak Hours"))

    saved = club.ledger.set_booking_rules(admin_context(), club.court.id, same_rules, same_hours)

    assert saved.position is None
    assert stored_types(club.ledger, club.court.id) == [Resource.Registered, Resource.BookingRulesSet]


def test_rules_are_set_through_the_resources_number() -> None:
    club = Club()

    saved = club.ledger.set_booking_rules(
        admin_context(), str(club.court.number), rules(capacity=6), SEED_HOURS
    )

    assert saved.value.id == club.court.id
    assert saved.value.booking_rules is not None
    assert saved.value.booking_rules["capacity"] == 6


def test_setting_rules_of_an_unknown_resource_is_not_found() -> None:
    with pytest.raises(ResourceNotFoundError):
        Club().ledger.set_booking_rules(admin_context(), 999, SEED_RULES, SEED_HOURS)


def test_setting_rules_numbers_a_resource_registered_before_numbers() -> None:
    club = Club()
    old = Resource.register_court(club.venue, "Old Court", meta())
    club.ledger.save(old)

    saved = club.ledger.set_booking_rules(admin_context(), old.id, SEED_RULES, SEED_HOURS)

    assert saved.value.number == 2
    assert stored_types(club.ledger, old.id) == [
        Resource.Registered,
        Resource.BookingRulesSet,
        Resource.NumberAssigned,
    ]
    assert club.ledger.resolve_resource(2).id == old.id
    assert isinstance(club.ledger.find(NumberIndex.create_id("resource", 2), NumberIndex), NumberIndex)


def test_a_resource_without_rules_has_no_availability() -> None:
    club = Club()

    with pytest.raises(NoBookingRulesError):
        club.ledger.resource_availability(club.unruled_court().id, SEED_DAY, SEED_DAY, NOW)


def test_availability_shows_the_opening_ranges_minus_every_reservation() -> None:
    club = Club()
    club.book()
    club.ledger.upsert_court_booking(
        club.context(),
        club.client.id,
        "partner-1",
        club.court.id,
        berlin(SEED_DAY, 18),
        berlin(SEED_DAY, 19),
        [(None, "bo@example.com")],
        NOW,
    )

    availability = club.ledger.resource_availability(club.court.number or 0, SEED_DAY, SEED_DAY, NOW)

    assert (availability.first_day, availability.last_day) == (SEED_DAY, SEED_DAY)
    assert availability.terms.venue.timezone == "Europe/Berlin"
    assert shown(availability.ranges[SEED_DAY]) == [
        ("08:00", "10:00", "25.00", ""),
        ("11:30", "14:00", "25.00", ""),
        ("15:30", "18:00", "30.00", "Peak Hours"),
        ("19:00", "22:00", "30.00", "Peak Hours"),
    ]


def test_a_cancelled_booking_frees_its_time_in_availability() -> None:
    club = Club()
    booking = club.book()
    club.ledger.cancel_resource_booking(club.context(), booking.id)

    availability = club.ledger.resource_availability(club.court.id, SEED_DAY, SEED_DAY, NOW)

    assert shown(availability.ranges[SEED_DAY])[0] == ("08:00", "14:00", "25.00", "")


def test_availability_of_31_dates_counts_reservations_on_all_32_utc_days_they_touch() -> None:
    club = Club()
    round_the_clock = OpeningHours(
        tuple(
            OpeningRange(day, datetime.min.time(), datetime.min.time(), Decimal("10"), "") for day in range(7)
        )
    )
    club.ledger.set_booking_rules(
        admin_context(), club.court.id, rules(max_advance_booking_days=60), round_the_clock
    )
    first, last = SEED_DAY, SEED_DAY + timedelta(days=30)
    # 00:00-01:00 of the first date in Berlin lies on the UTC day before it.
    club.book(start=berlin(first, 0), end=berlin(first, 1))
    club.book(start=berlin(last, 23), end=berlin(last + timedelta(days=1), 0))

    availability = club.ledger.resource_availability(
        club.court.id, first, last, datetime(2025, 1, 1, tzinfo=UTC)
    )

    assert shown(availability.ranges[first])[0][:2] == ("01:00", "00:00")
    assert shown(availability.ranges[last])[-1][:2] == ("00:00", "23:00")
    assert len(availability.ranges) == 31


@pytest.mark.parametrize(
    ("first", "last"),
    [(SEED_DAY, SEED_DAY - timedelta(days=1)), (SEED_DAY, SEED_DAY + timedelta(days=31))],
    ids=["backwards", "32-days"],
)
def test_availability_covers_1_to_31_dates(first: date, last: date) -> None:
    with pytest.raises(InvalidDateRangeError):
        Club().ledger.resource_availability(1, first, last, NOW)


@pytest.mark.parametrize(
    ("first", "last"), [(date.min, date.min), (date.max, date.max)], ids=["first-date", "last-date"]
)
def test_availability_at_the_ends_of_the_calendar_is_an_invalid_range(first: date, last: date) -> None:
    with pytest.raises(InvalidDateRangeError):
        Club().ledger.resource_availability(1, first, last, NOW)
