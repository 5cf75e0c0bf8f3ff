"""Client API availability: the seed's shape, reservations of every surface left out, limits and errors."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import httpx
import pytest

from domain.ids import resource_day_id
from ledger.recorder import LedgerRecorder
from ledger.runtime import Runtime
from tests.api.client_api_support import make_partner
from tests.api.client_booking_support import (
    Bookable,
    court_booking,
    every_day,
    local,
    make_bookable,
    rules,
    soon,
    today,
)
from tests.support import expect

PARTNER_SYNC = ["client-api", "court-bookings:write"]


@pytest.fixture
def bookable(http: httpx.Client, admin_headers: dict[str, str]) -> Bookable:
    return make_bookable(http, admin_headers)


def test_availability_answers_the_seeds_shape_in_the_venues_local_times(bookable: Bookable) -> None:
    day = soon(3)

    body = expect(bookable.availability(day, day), 200)

    ranges = [
        {"date": day.isoformat(), "start_time": "08:00:00", "end_time": "14:00:00", "price_per_hour": "25.00",
         "currency": "EUR", "label": "", "slot_prices": None},
        {"date": day.isoformat(), "start_time": "15:30:00", "end_time": "22:00:00", "price_per_hour": "30.00",
         "currency": "EUR", "label": "Peak Hours", "slot_prices": None},
    ]  # fmt: skip
    assert body == {
        "resource_id": bookable.resource_number,
        "resource_name": "Court 1",
        "start_date": day.isoformat(),
        "end_date": day.isoformat(),
        "timezone": "Europe/Berlin",
        "booking_interval_minutes": 30,
        "min_duration_minutes": 60,
        "max_duration_minutes": 180,
        "prevent_unbookable_gaps": True,
        "min_advance_booking_minutes": 60,
        "max_advance_booking_days": 30,
        "available_ranges": ranges,
    }


def test_without_an_end_date_availability_covers_the_start_date_alone(bookable: Bookable) -> None:
    day = soon(4)

    body = expect(bookable.availability(day), 200)

    assert (body["start_date"], body["end_date"]) == (day.isoformat(), day.isoformat())
    assert {r["date"] for r in body["available_ranges"]} == {day.isoformat()}


def test_a_client_booking_is_left_out_of_the_free_ranges(bookable: Bookable) -> None:
    day = soon(3)
    bookable.booked(local(day, 10), local(day, 11, 30))

    assert bookable.ranges(day) == [
        (day.isoformat(), "08:00:00", "10:00:00", "25.00", ""),
        (day.isoformat(), "11:30:00", "14:00:00", "25.00", ""),
        (day.isoformat(), "15:30:00", "22:00:00", "30.00", "Peak Hours"),
    ]


def test_a_partner_court_booking_is_left_out_and_a_free_range_shorter_than_the_minimum_with_it(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    bookable = make_bookable(http, admin_headers, scopes=PARTNER_SYNC)
    day = soon(5)
    expect(court_booking(bookable, local(day, 16), local(day, 17)), 201)

    assert bookable.ranges(day)[1:] == [(day.isoformat(), "17:00:00", "22:00:00", "30.00", "Peak Hours")]


def test_a_free_range_that_crosses_a_price_change_is_split_there(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    hours = [
        {"startTime": "08:00", "endTime": "17:00", "pricePerHour": "25.00", "label": ""},
        {"startTime": "17:00", "endTime": "22:00", "pricePerHour": "30.00", "label": "Peak Hours"},
    ]
    bookable = make_bookable(http, admin_headers, rules(hours))
    day = soon(3)

    assert bookable.ranges(day) == [
        (day.isoformat(), "08:00:00", "17:00:00", "25.00", ""),
        (day.isoformat(), "17:00:00", "22:00:00", "30.00", "Peak Hours"),
    ]


def test_a_range_that_runs_to_midnight_ends_at_24_00(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    hours = [{"startTime": "20:00", "endTime": "24:00", "pricePerHour": "10.00", "label": "Late"}]
    bookable = make_bookable(http, admin_headers, rules(hours))
    day = soon(3)

    assert bookable.ranges(day) == [(day.isoformat(), "20:00:00", "24:00:00", "10.00", "Late")]


def test_dates_outside_the_advance_limits_have_no_ranges(bookable: Bookable) -> None:
    yesterday, too_far = today() - timedelta(days=1), today() + timedelta(days=40)

    assert bookable.ranges(yesterday) == []
    assert bookable.ranges(too_far) == []


def test_thirty_one_dates_are_answered_and_a_thirty_second_is_refused(bookable: Bookable) -> None:
    first = soon(1)

    answered = expect(bookable.availability(first, first + timedelta(days=30)), 200)
    refused = expect(bookable.availability(first, first + timedelta(days=31)), 400)

    assert {r["date"] for r in answered["available_ranges"]} >= {
        (first + timedelta(days=n)).isoformat() for n in range(28)
    }
    message = "Availability covers at most 31 days per request."
    assert refused == {"error": message, "fields": {"end_date": [message]}}


def test_an_end_date_before_the_start_date_is_refused(bookable: Bookable) -> None:
    day = soon(3)

    refused = expect(bookable.availability(day, day - timedelta(days=1)), 400)

    message = "end_date must not be before start_date."
    assert refused == {"error": message, "fields": {"end_date": [message]}}


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "2030-02-30"},
        {"start_date": "tomorrow"},
        {"start_date": "2030-01-01", "end_date": "2030-13-01"},
        {},
    ],
)
def test_a_missing_or_malformed_date_is_refused_naming_its_field(
    bookable: Bookable, params: dict[str, str]
) -> None:
    response = bookable.partner.get(
        "/matchengine/api/v1/resources/availability/", resource_external_id=bookable.resource, **params
    )

    body = expect(response, 400)
    named = "end_date" if "end_date" in params else "start_date"
    assert set(body) == {"error", "fields"}
    assert list(body["fields"]) == [named]


def test_a_resource_you_have_not_mapped_is_not_found(bookable: Bookable) -> None:
    response = bookable.partner.get(
        "/matchengine/api/v1/resources/availability/", resource_external_id="nope", start_date="2030-01-01"
    )

    assert expect(response, 404) == {"error": "No resource found with external_id: nope"}


def test_another_clients_resource_is_not_found_under_its_external_id(
    bookable: Bookable, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    other = make_partner(http, admin_headers)

    response = other.get(
        "/matchengine/api/v1/resources/availability/",
        resource_external_id=bookable.resource,
        start_date=soon(3).isoformat(),
    )

    assert expect(response, 404) == {"error": f"No resource found with external_id: {bookable.resource}"}


def test_a_resource_without_booking_rules_answers_that_it_cannot_be_booked(bookable: Bookable) -> None:
    court_id = bookable.partner.add_court("Court 2")
    number = bookable.partner.register_resource("no-rules", court_id)["resource_id"]

    response = bookable.partner.get(
        "/matchengine/api/v1/resources/availability/",
        resource_external_id="no-rules",
        start_date="2030-01-01",
    )

    assert expect(response, 400) == {"error": f"Resource {number} has no booking rules; it cannot be booked."}


def test_a_resource_closed_for_bookings_answers_every_date_without_ranges(bookable: Bookable) -> None:
    bookable.set_rules(rules(isBookable=False))

    assert bookable.ranges(soon(3), soon(5)) == []


def counting(calls: list[Any], method: Callable[..., Any]) -> Callable[..., Any]:
    """`method`, noting the first argument of each call (the ids or the id it reads)."""

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls.append(args[0] if args else next(iter(kwargs.values())))
        return method(*args, **kwargs)

    return counted


def test_thirty_one_dates_read_the_calendar_in_one_query_and_no_day_on_its_own(
    bookable: Bookable, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = soon(1)
    bookable.booked(local(first, 10), local(first, 11, 30))
    court = uuid.UUID(bookable.partner.court_id)
    day_ids = {resource_day_id(court, first + timedelta(days=n)) for n in range(-1, 33)}
    recorder = runtime.ledger.recorder
    assert isinstance(recorder, LedgerRecorder)
    batches: list[Any] = []
    singles: list[Any] = []
    monkeypatch.setattr(recorder, "select_events_of", counting(batches, recorder.select_events_of))
    monkeypatch.setattr(recorder, "select_events", counting(singles, recorder.select_events))

    expect(bookable.availability(first, first + timedelta(days=30)), 200)

    assert len(batches) == 1
    assert set(batches[0]) <= day_ids
    assert [read for read in singles if read in day_ids] == []


def test_opening_hours_of_one_weekday_show_on_those_dates_only(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    hours = every_day([])
    hours.append(
        {"weekday": soon(3).weekday(), "startTime": "09:00", "endTime": "12:00", "pricePerHour": "20.00"}
    )
    bookable = make_bookable(http, admin_headers, rules(openingHours=hours))
    first = soon(1)

    dates = {r[0] for r in bookable.ranges(first, first + timedelta(days=6))}

    assert dates == {soon(3).isoformat()}


@pytest.mark.parametrize(
    ("start", "end"),
    [
        ("9999-12-31", None),
        ("0001-01-01", "0001-01-31"),
        ("1900-01-01", "1900-01-31"),
        ("9000-12-01", "9000-12-31"),
    ],
)
def test_dates_at_the_ends_of_the_calendar_are_answered_without_a_server_error(
    bookable: Bookable, start: str, end: str | None
) -> None:
    params = {"resource_external_id": bookable.resource, "start_date": start}
    if end is not None:
        params["end_date"] = end

    response = bookable.partner.get("/matchengine/api/v1/resources/availability/", **params)

    assert response.status_code in (200, 400), response.text
