"""GET /api/v1/analytics/utilisation and /bookings: a period's groups, their numbers, tenancy and errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest

from ledger.runtime import Runtime
from tests.api.analytics_support import LEAD_TIMES, OPEN_MINUTES_A_DAY, UTILISATION, Club, period
from tests.api.orders_support import acting, book
from tests.api.query_support import analyst_key, error_of, make_shop
from tests.support import expect, random_day


@dataclass(frozen=True)
class Day:
    """A day of the club with four client-API bookings, a partner's court booking and a coach-event seat."""

    club: Club
    day: date

    def groups(self, path: str, params: dict[str, str]) -> list[dict[str, Any]]:
        body = expect(self.club.get(path, params), 200)
        groups: list[dict[str, Any]] = body["groups"]
        return groups


@pytest.fixture
def booked_day(http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime) -> Day:
    """Given, on one day in Berlin: 10-11 confirmed (25.00 EUR, booked a day ahead), 16-18 pending (60.00,
    two days ahead), 12-13 cancelled (four days ahead), 20-21 expired (three days ahead); a partner's court
    booking 19-20; and a pending seat in a coach event of the organisation at 09:00 UTC (15.00 RUB)."""
    club = Club(make_shop(http, admin_headers, runtime))
    club.open_court()
    day = random_day().date()
    club.confirm(club.book(day, 10, days_ahead=1))
    club.book(day, 16, hours=2, days_ahead=2)
    club.cancel(club.book(day, 12, days_ahead=4))
    club.expire(club.book(day, 20, days_ahead=3))
    club.court_booking(day, 19)
    event = club.shop.coach_event(datetime(day.year, day.month, day.day, 9, tzinfo=UTC))
    book(club.shop.partner, [event])
    return Day(club, day)


def test_utilisation_by_resource_sets_booked_against_open_minutes_and_counts_cancellations(
    booked_day: Day,
) -> None:
    court, no_place = booked_day.groups(UTILISATION, period(booked_day.day, groupBy="resource"))

    assert court == {
        "key": booked_day.club.court_id,
        "name": "Court 1",
        "bookedMinutes": 60 + 120 + 60,
        "bookings": 3,
        "cancellations": 1,
        "revenue": {"EUR": "25.00"},
        "availableMinutes": OPEN_MINUTES_A_DAY,
        "utilisation": round(240 / OPEN_MINUTES_A_DAY, 4),
    }
    assert no_place == {
        "key": None,
        "name": None,
        "bookedMinutes": 60,
        "bookings": 1,
        "cancellations": 0,
        "revenue": {},
        "availableMinutes": None,
        "utilisation": None,
    }


def test_utilisation_by_venue_names_the_venue(booked_day: Day) -> None:
    venue, _ = booked_day.groups(UTILISATION, period(booked_day.day, groupBy="venue"))

    assert (venue["key"], venue["name"]) == (booked_day.club.shop.partner.tenant.venue_id, "Venue")
    assert (venue["bookings"], venue["bookedMinutes"]) == (3, 240)
    assert venue["availableMinutes"] == OPEN_MINUTES_A_DAY


def test_utilisation_by_day_lists_every_day_of_the_period_with_revenue_per_currency(booked_day: Day) -> None:
    club, day = booked_day.club, booked_day.day
    accepted = club.shop.bookings(date=day.isoformat(), bookingType="coach-event")[0]["bookingId"]
    coach = acting(club.shop.partner.tenant, club.shop.partner.coach_id)
    expect(club.shop.http.post(f"/api/v1/bookings/{accepted}/accept", headers=coach), 200)

    before, that_day, after = booked_day.groups(
        UTILISATION, period(day - timedelta(days=1), day + timedelta(days=1), groupBy="day")
    )

    assert [before["key"], that_day["key"], after["key"]] == [
        (day + timedelta(days=offset)).isoformat() for offset in (-1, 0, 1)
    ]
    assert (that_day["bookings"], that_day["cancellations"], that_day["bookedMinutes"]) == (4, 1, 300)
    assert that_day["revenue"] == {"EUR": "25.00", "RUB": "15.00"}
    # The coach-event seat holds no resource with opening hours, so the ratio leaves it out.
    assert that_day["utilisation"] == round(240 / OPEN_MINUTES_A_DAY, 4)
    assert before == {
        "key": before["key"],
        "name": None,
        "bookedMinutes": 0,
        "bookings": 0,
        "cancellations": 0,
        "revenue": {},
        "availableMinutes": OPEN_MINUTES_A_DAY,
        "utilisation": 0.0,
    }


def test_utilisation_by_week_keys_each_week_by_its_monday(booked_day: Day) -> None:
    day = booked_day.day
    monday = day - timedelta(days=day.weekday())

    [week] = booked_day.groups(UTILISATION, period(day, groupBy="week"))

    assert (week["key"], week["bookings"], week["bookedMinutes"]) == (monday.isoformat(), 4, 300)
    assert week["availableMinutes"] == OPEN_MINUTES_A_DAY


def test_a_payment_that_confirms_a_booking_adds_its_price_to_the_revenue(booked_day: Day) -> None:
    club = booked_day.club
    [pending] = club.shop.bookings(date=booked_day.day.isoformat(), source="client-api", status="pending")
    booking = club.shop.runtime.ledger.get_resource_booking(club.admin(), pending["bookingId"])

    club.pay(booking)

    [day] = booked_day.groups(UTILISATION, period(booked_day.day))
    assert day["revenue"] == {"EUR": "85.00"}


def test_bookings_by_source_count_every_status_with_interpolated_lead_time_percentiles(
    booked_day: Day,
) -> None:
    groups = booked_day.groups(LEAD_TIMES, period(booked_day.day, groupBy="source"))

    by_source = {group["key"]: group for group in groups}
    assert [group["key"] for group in groups] == ["bookings", "client-api", "partner-sync"]
    # Lead times of a day, two, three and four days: 1440, 2880, 4320, 5760 minutes.
    assert by_source["client-api"] == {
        "key": "client-api",
        "bookings": 4,
        "leadTimeMinutes": {"p50": 3600.0, "p90": 5328.0},
    }
    partner = by_source["partner-sync"]
    assert partner["bookings"] == by_source["bookings"]["bookings"] == 1
    assert partner["leadTimeMinutes"]["p50"] == partner["leadTimeMinutes"]["p90"] > 0


def test_bookings_by_status_group_by_the_members_status(booked_day: Day) -> None:
    groups = booked_day.groups(LEAD_TIMES, period(booked_day.day, groupBy="status"))

    counts = {group["key"]: group["bookings"] for group in groups}
    assert counts == {"cancelled": 1, "confirmed": 2, "expired": 1, "pending": 2}


def test_bookings_by_day_list_every_day_and_days_without_bookings_have_no_lead_times(booked_day: Day) -> None:
    day = booked_day.day

    before, that_day = booked_day.groups(LEAD_TIMES, period(day - timedelta(days=1), day))

    assert (before["key"], before["bookings"], before["leadTimeMinutes"]) == (
        (day - timedelta(days=1)).isoformat(),
        0,
        {"p50": None, "p90": None},
    )
    assert (that_day["key"], that_day["bookings"]) == (day.isoformat(), 6)


@pytest.mark.parametrize("path", [UTILISATION, LEAD_TIMES])
def test_an_organisation_not_granted_to_the_key_gets_401_and_no_data(
    booked_day: Day, http: httpx.Client, admin_headers: dict[str, str], path: str
) -> None:
    other = make_shop(http, admin_headers, booked_day.club.shop.runtime)
    no_scope = analyst_key(http, admin_headers, [booked_day.club.shop.organisation_id], ["bookings:read"])

    for headers in (other.analyst, no_scope, {}):
        message = error_of(booked_day.club.get(path, period(booked_day.day), headers), 401)
        assert booked_day.club.court_id not in message


BAD_REQUESTS = {
    "a malformed date": {"from": "2030-13-01", "to": "2030-12-31"},
    "a date without its dashes": {"from": "20300101", "to": "2030-01-02"},
    "no from": {"to": "2030-01-02"},
    "no to": {"from": "2030-01-02"},
    "from after to": {"from": "2030-01-02", "to": "2030-01-01"},
    "367 days": {"from": "2030-01-01", "to": "2031-01-02"},
    "an unknown grouping": {"from": "2030-01-01", "to": "2030-01-02", "groupBy": "planet"},
    "an unknown parameter": {"from": "2030-01-01", "to": "2030-01-02", "colour": "red"},
    "no organisation": {"organisationId": "", "from": "2030-01-01", "to": "2030-01-02"},
    "an organisation that is no id": {"organisationId": "org123", "from": "2030-01-01", "to": "2030-01-02"},
}


@pytest.mark.parametrize("path", [UTILISATION, LEAD_TIMES])
@pytest.mark.parametrize("case", list(BAD_REQUESTS))
def test_a_malformed_query_is_a_400_in_the_query_error_format(booked_day: Day, path: str, case: str) -> None:
    error_of(booked_day.club.get(path, BAD_REQUESTS[case]), 400)


def test_a_grouping_of_the_other_endpoint_is_refused_naming_the_ones_offered(booked_day: Day) -> None:
    message = error_of(booked_day.club.get(LEAD_TIMES, period(booked_day.day, groupBy="resource")), 400)

    assert "source, status, day" in message


def test_a_repeated_parameter_is_refused(booked_day: Day) -> None:
    shop = booked_day.club.shop
    query = [("organisationId", shop.organisation_id), ("from", "2030-01-01"), ("from", "2030-01-02")]

    response = shop.http.get(UTILISATION, params=[*query, ("to", "2030-01-03")], headers=shop.analyst)

    assert "from" in error_of(response, 400)


def test_a_period_of_366_days_is_served(booked_day: Day) -> None:
    first = booked_day.day

    groups = booked_day.groups(UTILISATION, period(first, first + timedelta(days=365)))

    assert len(groups) == 366
    assert sum(group["bookings"] for group in groups) == 4
