"""Client API bookings: the seed's booking and price, the user headers, every rule in order, idempotency."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import httpx
import pytest

from tests.api.client_api_support import PERMISSION_DENIED, make_partner, unique
from tests.api.client_booking_support import (
    BOOKING_SHAPE,
    BOOKINGS,
    Bookable,
    local,
    make_bookable,
    rules,
    soon,
    today,
)
from tests.support import expect

IDENTIFICATION = "User identification required. Provide X-User-ID or X-User-External-ID header."
NOT_AVAILABLE = {"error": "The requested time slot is not available"}


@pytest.fixture
def bookable(http: httpx.Client, admin_headers: dict[str, str]) -> Bookable:
    return make_bookable(http, admin_headers)


def test_the_seeds_booking_of_ten_to_half_past_eleven_at_25_an_hour_costs_37_50(bookable: Bookable) -> None:
    day = soon(3)

    response = bookable.book(local(day, 10), local(day, 11, 30))

    body = expect(response, 201)
    assert set(body) == BOOKING_SHAPE
    assert body == {
        **body,
        "status": "pending",
        "resource_id": bookable.resource_number,
        "resource_name": "Court 1",
        "venue_name": "Sports Center Munich",
        "start_datetime": local(day, 10).isoformat(),
        "end_datetime": local(day, 11, 30).isoformat(),
        "total_price": "37.50",
        "currency": "EUR",
        "participant_count": 2,
    }
    assert isinstance(body["id"], int)
    assert re.fullmatch(rf"BK-{day:%y%m%d}-[A-Z0-9]{{4}}", body["reference_code"])
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", body["created_at"])
    assert int(response.headers["X-Ledger-Position"]) > 0


def test_a_booking_over_two_priced_ranges_costs_the_sum_of_its_parts(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    hours = [
        {"startTime": "08:00", "endTime": "17:00", "pricePerHour": "25.00", "label": ""},
        {"startTime": "17:00", "endTime": "22:00", "pricePerHour": "30.00", "label": "Peak Hours"},
    ]
    bookable = make_bookable(http, admin_headers, rules(hours))
    day = soon(3)

    assert bookable.booked(local(day, 16), local(day, 18))["total_price"] == "55.00"


def test_a_booking_that_costs_nothing_is_confirmed_at_once(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    hours = [{"startTime": "08:00", "endTime": "14:00", "pricePerHour": "0.00", "label": "Free"}]
    bookable = make_bookable(http, admin_headers, rules(hours))
    day = soon(3)

    booked = bookable.booked(local(day, 10), local(day, 11))

    assert (booked["status"], booked["total_price"]) == ("confirmed", "0.00")


def test_the_user_may_be_named_by_the_ledgers_user_id(bookable: Bookable) -> None:
    user_id = bookable.partner.get(
        "/matchengine/api/v1/client/users/lookup/", external_id=bookable.user
    ).json()["user_id"]
    day = soon(3)
    body = {
        "resource_external_id": bookable.resource,
        "start_datetime": local(day, 10).isoformat(),
        "end_datetime": local(day, 11).isoformat(),
    }

    booked = expect(bookable.partner.post(BOOKINGS, body, **{"X-User-ID": user_id}), 201)

    assert (booked["participant_count"], booked["total_price"]) == (1, "25.00")


def test_without_a_user_header_the_seeds_message_answers_400(bookable: Bookable) -> None:
    day = soon(3)
    body = {
        "resource_external_id": bookable.resource,
        "start_datetime": local(day, 10).isoformat(),
        "end_datetime": local(day, 11).isoformat(),
    }

    assert expect(bookable.partner.post(BOOKINGS, body), 400) == {"error": IDENTIFICATION}


def test_a_user_you_have_not_registered_is_not_found(bookable: Bookable) -> None:
    day = soon(3)

    response = bookable.book(local(day, 10), local(day, 11), user="stranger")

    assert expect(response, 404) == {"error": "No user found with external_id: stranger"}


def test_another_clients_user_is_not_found_under_its_external_id(
    bookable: Bookable, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    other = make_bookable(http, admin_headers)
    day = soon(3)

    response = other.book(local(day, 10), local(day, 11), user=bookable.user)

    assert expect(response, 404) == {"error": f"No user found with external_id: {bookable.user}"}


@pytest.mark.parametrize("field", ["start_datetime", "end_datetime"])
def test_a_datetime_without_an_offset_is_refused_naming_its_field(bookable: Bookable, field: str) -> None:
    day = soon(3)
    body = {
        "resource_external_id": bookable.resource,
        "start_datetime": local(day, 10).isoformat(),
        "end_datetime": local(day, 11).isoformat(),
        field: f"{day.isoformat()}T10:30:00",
    }

    refused = expect(bookable.partner.post(BOOKINGS, body, **{"X-User-External-ID": bookable.user}), 400)

    assert list(refused["fields"]) == [field]


def test_an_end_before_the_start_is_refused(bookable: Bookable) -> None:
    day = soon(3)

    refused = expect(bookable.book(local(day, 11), local(day, 10)), 400)

    assert refused["fields"] == {"end_datetime": [refused["error"]]}


def test_a_resource_you_have_not_mapped_is_not_found(bookable: Bookable) -> None:
    day = soon(3)

    response = bookable.book(local(day, 10), local(day, 11), resource="pitch-unknown")

    assert expect(response, 404) == {"error": "No resource found with external_id: pitch-unknown"}


def test_a_resource_of_a_venue_you_have_not_mapped_is_refused_with_a_clear_403(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    partner = make_partner(http, admin_headers)
    expect(
        http.put(
            f"/api/v1/admin/resources/{partner.court_id}/booking-rules", json=rules(), headers=admin_headers
        ),
        200,
    )
    partner.register_user("player")
    partner.register_resource("pitch")
    bookable = Bookable(partner, "player", "", "pitch", 0)
    day = soon(3)

    refused = expect(bookable.book(local(day, 10), local(day, 11)), 403)

    assert refused == {
        "detail": "The venue of resource pitch is not mapped by this client; register the venue and have its "
        "mapping approved before booking its resources."
    }


@pytest.mark.parametrize("decision", [None, "reject"], ids=["pending", "rejected"])
def test_a_resource_of_a_venue_whose_mapping_is_not_approved_is_refused_with_a_clear_403(
    http: httpx.Client, admin_headers: dict[str, str], decision: str | None
) -> None:
    partner = make_partner(http, admin_headers)
    expect(
        http.put(
            f"/api/v1/admin/resources/{partner.court_id}/booking-rules", json=rules(), headers=admin_headers
        ),
        200,
    )
    partner.register_user("player")
    partner.register_venue("venue")
    partner.register_resource("pitch")
    if decision:
        expect(partner.decide(partner.lookup_venue("venue")["id"], decision), 200)
    day = soon(3)

    refused = expect(
        Bookable(partner, "player", "venue", "pitch", 0).book(local(day, 10), local(day, 11)), 403
    )

    status = "rejected" if decision else "pending"
    assert refused == {
        "detail": f"The venue mapping venue is {status}; resources of its venue can be booked once an "
        "operator approves it."
    }
    assert refused != PERMISSION_DENIED


GRID = "Bookings start and end on a 30-minute grid from midnight, venue time (for example 10:00 or 10:30)."
GAP = (
    "The booking would leave 30 free minutes next to it, fewer than the minimum booking of 60 minutes; "
    "start or end it at the neighbouring booking or the edge of the opening hours instead."
)
PARTICIPANTS = "participant_count must be from 1 to 4."
TEN_TO_ELEVEN = ((3, 10, 0), (3, 11, 0))


def rule_cases() -> list[Any]:
    """Per rule: the resource's rules, start and end as (days ahead, hour, minute), participants, message."""
    closed = rules(isBookable=False)
    return [
        pytest.param(closed, TEN_TO_ELEVEN, 2, "This resource cannot be booked.", id="not bookable"),
        pytest.param(rules(), ((3, 10, 15), (3, 11, 15)), 2, GRID, id="off the grid"),
        pytest.param(
            rules(), ((3, 10, 0), (3, 10, 30)), 2, "A booking lasts at least 60 minutes.", id="short"
        ),
        pytest.param(rules(), ((3, 8, 0), (3, 12, 0)), 2, "A booking lasts at most 180 minutes.", id="long"),
        pytest.param(
            rules(), ((-1, 10, 0), (-1, 11, 0)), 2, "Bookings start at least 60 minutes from now.", id="soon"
        ),
        pytest.param(
            rules(), ((40, 10, 0), (40, 11, 0)), 2, "Bookings end at most 30 days from now.", id="far"
        ),
        pytest.param(rules(), TEN_TO_ELEVEN, 0, PARTICIPANTS, id="no participants"),
        pytest.param(rules(), TEN_TO_ELEVEN, 5, PARTICIPANTS, id="over capacity"),
        pytest.param(
            rules(),
            ((3, 14, 0), (3, 15, 0)),
            2,
            "The requested time is outside the opening hours.",
            id="closed",
        ),
        pytest.param(rules(), ((3, 8, 30), (3, 10, 0)), 2, GAP, id="unbookable gap"),
    ]


@pytest.mark.parametrize(("body", "times", "participants", "message"), rule_cases())
def test_each_booking_rule_refuses_with_its_own_message(
    http: httpx.Client,
    admin_headers: dict[str, str],
    body: dict[str, Any],
    times: tuple[tuple[int, int, int], tuple[int, int, int]],
    participants: int,
    message: str,
) -> None:
    bookable = make_bookable(http, admin_headers, body)
    (start_days, start_hour, start_minute), (end_days, end_hour, end_minute) = times
    start = local(today() + timedelta(days=start_days), start_hour, start_minute)
    end = local(today() + timedelta(days=end_days), end_hour, end_minute)

    refused = expect(bookable.book(start, end, participant_count=participants), 400)

    assert refused["error"] == message
    if "participant_count" in message:
        assert refused["fields"] == {"participant_count": [message]}


def test_a_taken_slot_answers_the_seeds_message(bookable: Bookable) -> None:
    day = soon(3)
    bookable.booked(local(day, 10), local(day, 11, 30))

    assert expect(bookable.book(local(day, 10, 30), local(day, 11, 30)), 400) == NOT_AVAILABLE


@pytest.mark.parametrize(
    ("times", "participants", "message"),
    [
        (((3, 10, 15), (3, 14, 15)), 2, "Bookings start and end on a 30-minute grid"),
        (((3, 8, 0), (3, 12, 0)), 0, "A booking lasts at most 180 minutes."),
        (((3, 14, 0), (3, 15, 0)), 9, "participant_count must be from 1 to 4."),
        (((40, 14, 0), (40, 15, 0)), 2, "Bookings end at most 30 days from now."),
    ],
    ids=[
        "grid before duration",
        "duration before participants",
        "participants before hours",
        "advance first",
    ],
)
def test_a_booking_breaking_several_rules_answers_the_first_in_the_fixed_order(
    bookable: Bookable, times: Any, participants: int, message: str
) -> None:
    (start_days, start_hour, start_minute), (end_days, end_hour, end_minute) = times
    start = local(today() + timedelta(days=start_days), start_hour, start_minute)
    end = local(today() + timedelta(days=end_days), end_hour, end_minute)

    refused = expect(bookable.book(start, end, participant_count=participants), 400)

    assert refused["error"].startswith(message)


def test_an_unapproved_venue_is_refused_before_any_rule_of_the_booking(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    bookable = make_bookable(http, admin_headers)
    expect(bookable.partner.decide(bookable.partner.lookup_venue(bookable.venue)["id"], "reject"), 200)
    day = soon(3)

    refused = expect(bookable.book(local(day, 10, 15), local(day, 14, 15), participant_count=0), 403)

    assert "rejected" in refused["detail"]


def test_a_retry_with_the_same_idempotency_key_gets_the_first_answer_and_books_once(
    bookable: Bookable,
) -> None:
    day, key = soon(3), unique("key")

    first = bookable.book(local(day, 10), local(day, 11), headers={"Idempotency-Key": key})
    retry = bookable.book(local(day, 10), local(day, 11), headers={"Idempotency-Key": key})

    assert expect(first, 201) == expect(retry, 201)
    assert retry.headers["Idempotent-Replayed"] == "true"
    assert bookable.ranges(day)[0][1:3] == ("08:00:00", "10:00:00")
    assert bookable.ranges(day)[1][1:3] == ("11:00:00", "14:00:00")


def test_an_idempotency_key_reused_for_another_booking_or_another_user_is_refused(bookable: Bookable) -> None:
    day, key = soon(3), unique("key")
    other_user = bookable.add_user()
    expect(bookable.book(local(day, 10), local(day, 11), headers={"Idempotency-Key": key}), 201)

    other_time = bookable.book(local(day, 12), local(day, 13), headers={"Idempotency-Key": key})
    other_person = bookable.book(
        local(day, 10), local(day, 11), user=other_user, headers={"Idempotency-Key": key}
    )

    assert expect(other_time, 422) == expect(other_person, 422)
    assert other_time.json() == {"error": "This Idempotency-Key was used with a different request."}


def test_a_refusal_is_replayed_to_a_retry_with_its_key(bookable: Bookable) -> None:
    day, key = soon(3), unique("key")

    first = bookable.book(local(day, 14), local(day, 15), headers={"Idempotency-Key": key})
    retry = bookable.book(local(day, 14), local(day, 15), headers={"Idempotency-Key": key})

    assert expect(first, 400) == expect(retry, 400)
    assert retry.headers["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize(
    "changes",
    [
        {"participant_count": 10**30},
        {"participant_count": -5},
        {"participant_count": True},
        {"participant_count": 2.5},
        {"participant_count": "2"},
        {"start_datetime": "9000-12-31T23:00:00-12:00", "end_datetime": "9000-12-31T23:30:00-12:00"},
        {"start_datetime": "1900-01-01T00:00:00+14:00", "end_datetime": "1900-01-01T01:00:00+14:00"},
        {"start_datetime": "2030-01-01T10:00:00+01:00", "end_datetime": "2040-01-01T10:00:00+01:00"},
        {"resource_external_id": ""},
        {"resource_external_id": "x" * 300},
        {"resource_external_id": "pitch\x00"},
        {"notes": "n" * 3000},
        {"notes": None},
    ],
)
def test_hostile_values_are_refused_without_a_server_error(
    bookable: Bookable, changes: dict[str, Any]
) -> None:
    day = soon(3)
    body = {
        "resource_external_id": bookable.resource,
        "start_datetime": local(day, 10).isoformat(),
        "end_datetime": local(day, 11).isoformat(),
        **changes,
    }

    response = bookable.partner.post(BOOKINGS, body, **{"X-User-External-ID": bookable.user})

    assert response.status_code in (201, 400, 404), response.text
    assert set(response.json()) <= BOOKING_SHAPE | {"error", "fields"}
