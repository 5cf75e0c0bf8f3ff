"""Client API bookings read back: by number, UUID or code; lists with filters; cancelling frees the slot."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest

from domain.context import ADMIN, RequestContext
from ledger.runtime import Runtime
from tests.api.client_api_support import unique
from tests.api.client_booking_support import BOOKINGS, Bookable, local, make_bookable, rules, soon
from tests.support import expect


@pytest.fixture
def bookable(http: httpx.Client, admin_headers: dict[str, str]) -> Bookable:
    return make_bookable(http, admin_headers)


def cancel(
    bookable: Bookable, ref: Any, body: dict[str, str] | None = None, headers: dict[str, str] | None = None
) -> httpx.Response:
    path = f"{BOOKINGS}{ref}/cancel/"
    all_headers = {**bookable.partner.headers, **(headers or {})}
    if body is None:
        return bookable.http.post(path, headers=all_headers)
    return bookable.http.post(path, json=body, headers=all_headers)


def listed(bookable: Bookable, position: str, **params: Any) -> list[Any]:
    """The client's bookings once the view has the write at `position`, as their reference codes."""
    answer = expect(bookable.partner.get(BOOKINGS, consistentWith=position, **params), 200)
    return [booking["reference_code"] for booking in answer]


def test_a_booking_is_read_back_by_its_number_its_uuid_and_its_reference_code(
    bookable: Bookable, runtime: Runtime
) -> None:
    day = soon(3)
    booked = bookable.booked(local(day, 10), local(day, 11, 30))
    ctx = RequestContext(ADMIN, runtime.clock(), "test")
    booking_uuid = runtime.ledger.get_resource_booking(ctx, booked["id"]).id

    for ref in (booked["id"], booking_uuid, booked["reference_code"], booked["reference_code"].lower()):
        response = bookable.partner.get(f"{BOOKINGS}{ref}/")
        assert expect(response, 200) == booked, ref
        assert response.headers["ETag"] == '"1"'


def test_another_clients_booking_is_not_found_as_an_unknown_one_is(
    bookable: Bookable, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    day = soon(3)
    booked = bookable.booked(local(day, 10), local(day, 11))
    other = make_bookable(http, admin_headers)

    for ref in (booked["id"], booked["reference_code"]):
        assert expect(other.partner.get(f"{BOOKINGS}{ref}/"), 404) == {
            "error": f"Booking {ref} was not found."
        }
        assert expect(cancel(other, ref), 404) == {"error": f"Booking {ref} was not found."}
    assert expect(bookable.partner.get(f"{BOOKINGS}999999999/"), 404) == {
        "error": "Booking 999999999 was not found."
    }


def test_with_a_user_header_only_that_users_bookings_are_found(bookable: Bookable) -> None:
    day, other_user = soon(3), bookable.add_user()
    booked = bookable.booked(local(day, 10), local(day, 11))
    path = f"{BOOKINGS}{booked['id']}/"

    mine = bookable.partner.get(path)
    as_owner = bookable.http.get(
        path, headers={**bookable.partner.headers, "X-User-External-ID": bookable.user}
    )
    as_other = bookable.http.get(path, headers={**bookable.partner.headers, "X-User-External-ID": other_user})

    assert expect(mine, 200) == expect(as_owner, 200) == booked
    assert expect(as_other, 404) == {"error": f"Booking {booked['id']} was not found."}
    assert expect(cancel(bookable, booked["id"], headers={"X-User-External-ID": other_user}), 404)


def test_cancelling_answers_the_booking_cancelled_and_frees_its_slot(bookable: Bookable) -> None:
    day = soon(3)
    booked = bookable.booked(local(day, 10), local(day, 11, 30))

    cancelled = expect(
        cancel(bookable, booked["id"], {"reason": "user_request", "notes": "User changed plans"}), 200
    )

    assert cancelled == {**booked, "status": "cancelled"}
    assert bookable.ranges(day)[0][1:3] == ("08:00:00", "14:00:00")
    again = bookable.booked(local(day, 10), local(day, 11, 30))
    assert again["id"] != booked["id"]


def test_cancelling_twice_answers_a_clear_400(bookable: Bookable) -> None:
    day = soon(3)
    booked = bookable.booked(local(day, 10), local(day, 11))
    expect(cancel(bookable, booked["reference_code"]), 200)

    twice = expect(cancel(bookable, booked["reference_code"], {"reason": "again"}), 400)

    assert twice == {"error": f"Booking {booked['reference_code']} is already cancelled."}


def test_a_retried_cancel_with_its_idempotency_key_gets_the_first_answer(bookable: Bookable) -> None:
    day, key = soon(3), unique("key")
    booked = bookable.booked(local(day, 10), local(day, 11))

    first = cancel(bookable, booked["id"], {"reason": "user_request"}, headers={"Idempotency-Key": key})
    retry = cancel(bookable, booked["id"], {"reason": "user_request"}, headers={"Idempotency-Key": key})

    assert expect(first, 200) == expect(retry, 200)
    assert retry.headers["Idempotent-Replayed"] == "true"


@pytest.mark.parametrize(
    ("body", "field"),
    [({"reason": "r" * 101}, "reason"), ({"notes": "n\x00"}, "notes"), ([], "non_field_errors")],
)
def test_a_malformed_cancellation_is_refused_naming_its_field(
    bookable: Bookable, body: Any, field: str
) -> None:
    day = soon(3)
    booked = bookable.booked(local(day, 10), local(day, 11))

    refused = expect(
        bookable.http.post(f"{BOOKINGS}{booked['id']}/cancel/", json=body, headers=bookable.partner.headers),
        400,
    )

    assert list(refused["fields"]) == [field]
    assert expect(bookable.partner.get(f"{BOOKINGS}{booked['id']}/"), 200)["status"] == "pending"


def test_the_list_shows_the_clients_bookings_by_start_and_filters_them(bookable: Bookable) -> None:
    second_user, second_resource = bookable.add_user(), bookable.add_resource()
    first_day, later_day = soon(3), soon(5)
    a = bookable.booked(local(later_day, 10), local(later_day, 11))["reference_code"]
    b = bookable.booked(local(first_day, 12), local(first_day, 13), user=second_user)["reference_code"]
    c = bookable.booked(local(first_day, 9), local(first_day, 10), resource=second_resource)["reference_code"]
    response = cancel(bookable, c)
    position = response.headers["X-Ledger-Position"]

    assert listed(bookable, position) == [c, b, a]
    assert listed(bookable, position, status="cancelled") == [c]
    assert listed(bookable, position, status="pending") == [b, a]
    assert listed(bookable, position, resource_external_id=second_resource) == [c]
    assert listed(bookable, position, resource_external_id=bookable.resource) == [b, a]
    assert listed(bookable, position, user_external_id=second_user) == [b]
    assert listed(bookable, position, start_date=later_day.isoformat()) == [a]
    assert listed(bookable, position, end_date=first_day.isoformat()) == [c, b]
    assert listed(bookable, position, start_date=first_day.isoformat(), end_date=first_day.isoformat()) == [
        c,
        b,
    ]
    assert listed(bookable, position, limit=2) == [c, b]
    assert listed(bookable, position, limit=2, offset=2) == [a]


def test_the_list_takes_the_user_from_the_user_header_when_no_filter_names_one(bookable: Bookable) -> None:
    second_user = bookable.add_user()
    day = soon(4)
    bookable.booked(local(day, 10), local(day, 11))
    response = bookable.book(local(day, 12), local(day, 13), user=second_user)
    theirs = expect(response, 201)
    headers = {**bookable.partner.headers, "X-User-External-ID": second_user}

    answer = bookable.http.get(
        BOOKINGS, params={"consistentWith": response.headers["X-Ledger-Position"]}, headers=headers
    )

    assert expect(answer, 200) == [theirs]


def test_the_list_answers_the_seeds_booking_shape(bookable: Bookable) -> None:
    day = soon(3)
    response = bookable.book(local(day, 10), local(day, 11, 30))
    booked = expect(response, 201)

    answer = expect(bookable.partner.get(BOOKINGS, consistentWith=response.headers["X-Ledger-Position"]), 200)

    assert answer == [booked]


def test_another_clients_bookings_are_never_listed(
    bookable: Bookable, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    day = soon(3)
    response = bookable.book(local(day, 10), local(day, 11))
    expect(response, 201)
    other = make_bookable(http, admin_headers)

    listing = other.partner.get(BOOKINGS, consistentWith=response.headers["X-Ledger-Position"])

    assert expect(listing, 200) == []
    assert expect(other.partner.get(BOOKINGS, resource_external_id=bookable.resource), 404) == {
        "error": f"No resource found with external_id: {bookable.resource}"
    }
    assert expect(other.partner.get(BOOKINGS, user_external_id=bookable.user), 404) == {
        "error": f"No user found with external_id: {bookable.user}"
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 1001}, "limit"),
        ({"limit": 0}, "limit"),
        ({"offset": -1}, "offset"),
        ({"status": "done"}, "status"),
        ({"start_date": "2030-02-30"}, "start_date"),
        ({"start_date": "2030-02-02", "end_date": "2030-02-01"}, "end_date"),
    ],
)
def test_malformed_list_parameters_are_refused_naming_their_field(
    bookable: Bookable, params: dict[str, Any], field: str
) -> None:
    refused = expect(bookable.partner.get(BOOKINGS, **params), 400)

    assert list(refused["fields"]) == [field]


def test_a_position_past_the_log_is_refused(bookable: Bookable) -> None:
    refused = expect(bookable.partner.get(BOOKINGS, consistentWith=2**62), 400)

    assert list(refused["fields"]) == ["consistentWith"]
    assert "consistentWith" in refused["error"]


def test_an_unknown_booking_uuid_is_not_found(bookable: Bookable) -> None:
    ref = uuid.uuid4()

    assert expect(bookable.partner.get(f"{BOOKINGS}{ref}/"), 404) == {
        "error": f"Booking {ref} was not found."
    }


def test_the_date_filters_take_the_venue_date_of_the_start_not_the_utc_one(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    night = [{"startTime": "00:00", "endTime": "06:00", "pricePerHour": "10.00", "label": "Night"}]
    bookable = make_bookable(http, admin_headers, rules(night, preventUnbookableGaps=False))
    day = soon(3)
    response = bookable.book(local(day, 0), local(day, 1))  # the UTC date is the day before
    code = expect(response, 201)["reference_code"]
    position = response.headers["X-Ledger-Position"]

    assert listed(bookable, position, start_date=day.isoformat(), end_date=day.isoformat()) == [code]
    assert listed(bookable, position, end_date=(day - timedelta(days=1)).isoformat()) == []
