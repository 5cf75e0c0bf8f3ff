"""Orders over HTTP: placing them all or nothing, payment results, listing, access and the error format."""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.api.orders_support import (
    BOOKING_FIELDS,
    TIMESLOT_FIELDS,
    BookingTenant,
    errors_of,
    link_user,
    make_booking_tenant,
    order_body,
    orders_of,
    place_order,
    poll,
    schedule_event,
    seats_taken,
)
from tests.support import ACTING_USER, MovableClock, expect, instant, random_day

ORDERS = "POST /api/v1/orders"
VALID_TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"


@pytest.fixture
def shop(http: httpx.Client, admin_headers: dict[str, str]) -> BookingTenant:
    return make_booking_tenant(http, admin_headers)


def pay(shop: BookingTenant, order_id: str, status: str) -> httpx.Response:
    """The payment provider's callback: the client's key, no acting user."""
    return shop.http.post(
        f"/api/v1/orders/{order_id}/payment", json={"status": status}, headers=shop.tenant.headers
    )


def get_order(shop: BookingTenant, order_id: str) -> dict[str, object]:
    order: dict[str, object] = expect(shop.http.get(f"/api/v1/orders/{order_id}", headers=shop.acting()), 200)
    return order


def athlete_orders_after_probe(shop: BookingTenant) -> list[str]:
    """The athlete's order ids but a fresh probe order, read once the probe is listed.

    The view applies writes in order, so once the probe is listed every earlier order is listed too.
    """
    probe = expect(place_order(shop, [schedule_event(shop)]), 201)["orderId"]
    listed = poll(
        lambda: [order["orderId"] for order in orders_of(shop, shop.athlete_id)],
        lambda listed: probe in listed,
        interval=0.02,
    )
    assert probe in listed
    return [order_id for order_id in listed if order_id != probe]


def test_cash_order_books_each_event_pending_in_the_seed_booking_shape(shop: BookingTenant) -> None:
    start = random_day() + timedelta(hours=9)
    first, second = schedule_event(shop, start=start), schedule_event(shop, seats=3, price=900)

    order = expect(place_order(shop, [first, second]), 201)

    assert set(order) == {"orderId", "userId", "paymentStatus", "createdAt", "bookings"}
    assert order["userId"] == shop.athlete_id
    assert order["paymentStatus"] == "Cash"
    assert datetime.fromisoformat(order["createdAt"]).tzinfo is not None
    assert [booking["eventId"] for booking in order["bookings"]] == [first, second]
    for booking in order["bookings"]:
        assert set(booking) == BOOKING_FIELDS
        assert set(booking["timeslot"]) == TIMESLOT_FIELDS
        assert booking["bookingStatus"] == "Pending"
        assert booking["orderId"] == order["orderId"]
        assert booking["userId"] == shop.athlete_id
        assert booking["coachId"] == shop.coach_id
        assert booking["canceledAt"] is None
        assert booking["canceledByRole"] is None
        assert booking["completed"] is False
    assert len({booking["bookingId"] for booking in order["bookings"]}) == 2
    assert datetime.fromisoformat(order["bookings"][0]["startAt"]) == start
    assert datetime.fromisoformat(order["bookings"][0]["endAt"]) == start + timedelta(hours=1)
    assert order["bookings"][0]["timeslot"]["numberOfParticipants"] == 2
    assert order["bookings"][1]["timeslot"]["numberOfParticipants"] == 3
    assert [booking["timeslot"]["price"] for booking in order["bookings"]] == [1500, 900]
    assert seats_taken(shop, first) == 1
    assert seats_taken(shop, second) == 1


def test_card_order_awaits_payment(shop: BookingTenant) -> None:
    event = schedule_event(shop)

    order = expect(place_order(shop, [event], payment="Card"), 201)

    assert order["paymentStatus"] == "Pending"
    assert order["bookings"][0]["bookingStatus"] == "Pending"
    assert seats_taken(shop, event) == 1


def test_card_order_without_a_method_id_is_a_validation_error_and_books_nothing(shop: BookingTenant) -> None:
    event = schedule_event(shop)

    response = shop.http.post(
        "/api/v1/orders", json=order_body(shop.athlete_id, [event], "Card"), headers=shop.acting()
    )

    assert [entry["code"] for entry in errors_of(response, 400, ORDERS)] == ["validation"]
    assert seats_taken(shop, event) == 0


def test_paid_callback_marks_the_order_paid_without_an_acting_user(shop: BookingTenant) -> None:
    event = schedule_event(shop)
    order = expect(place_order(shop, [event], payment="Card"), 201)

    paid = expect(pay(shop, order["orderId"], "Paid"), 200)

    assert paid["orderId"] == order["orderId"]
    assert paid["paymentStatus"] == "Paid"
    assert [booking["bookingStatus"] for booking in paid["bookings"]] == ["Pending"]
    assert get_order(shop, order["orderId"])["paymentStatus"] == "Paid"
    assert seats_taken(shop, event) == 1


def test_failed_callback_cancels_the_bookings_as_system_and_frees_their_seats(shop: BookingTenant) -> None:
    first, second = schedule_event(shop, seats=1), schedule_event(shop, seats=1)
    order = expect(place_order(shop, [first, second], payment="Card"), 201)

    failed = expect(pay(shop, order["orderId"], "Failed"), 200)

    assert failed["paymentStatus"] == "Failed"
    for booking in failed["bookings"]:
        assert booking["bookingStatus"] == "Canceled"
        assert booking["canceledByRole"] == "System"
        assert booking["canceledAt"] is not None
    assert get_order(shop, order["orderId"]) == failed
    assert seats_taken(shop, first) == 0
    assert seats_taken(shop, second) == 0
    expect(place_order(shop, [first, second], user_id=shop.link_new_user()), 201)


@pytest.mark.parametrize(("first", "second"), [("Paid", "Failed"), ("Failed", "Paid"), ("Paid", "Paid")])
def test_a_second_payment_result_is_rejected_as_already_settled(
    shop: BookingTenant, first: str, second: str
) -> None:
    order = expect(place_order(shop, [schedule_event(shop)], payment="Card"), 201)
    expect(pay(shop, order["orderId"], first), 200)

    response = pay(shop, order["orderId"], second)

    entries = errors_of(response, 409, "POST /api/v1/orders/{orderId}/payment")
    assert [entry["code"] for entry in entries] == ["payment_already_settled"]
    assert get_order(shop, order["orderId"])["paymentStatus"] == first


def unknown_event(shop: BookingTenant, clock: MovableClock) -> str:
    return str(uuid.uuid4())


def canceled_event(shop: BookingTenant, clock: MovableClock) -> str:
    event = schedule_event(shop)
    path = f"/api/v1/admin/coach-events/{event}/cancel"
    expect(shop.http.post(path, headers=shop.tenant.admin_headers), 200)
    return event


def started_event(shop: BookingTenant, clock: MovableClock) -> str:
    event = schedule_event(shop, start=datetime.now(UTC) + timedelta(hours=1))
    clock.advance(timedelta(hours=2))
    return event


def full_event(shop: BookingTenant, clock: MovableClock) -> str:
    event = schedule_event(shop, seats=1)
    expect(place_order(shop, [event], user_id=shop.link_new_user()), 201)
    return event


def event_booked_by_the_athlete(shop: BookingTenant, clock: MovableClock) -> str:
    event = schedule_event(shop)
    expect(place_order(shop, [event]), 201)
    return event


BadEvent = Callable[[BookingTenant, MovableClock], str]


@pytest.mark.parametrize(
    ("make_bad_event", "status", "code"),
    [
        (unknown_event, 404, "not_found"),
        (canceled_event, 409, "event_canceled"),
        (started_event, 409, "event_already_started"),
        (full_event, 409, "event_full"),
        (event_booked_by_the_athlete, 409, "event_already_booked"),
    ],
    ids=["unknown", "canceled", "started", "full", "already-booked"],
)
def test_an_order_with_one_unbookable_event_books_nothing_and_names_the_event(
    shop: BookingTenant, clock: MovableClock, make_bad_event: BadEvent, status: int, code: str
) -> None:
    good = schedule_event(shop)
    bad = make_bad_event(shop, clock)
    seats_before = seats_taken(shop, bad) if code != "not_found" else 0
    orders_before = athlete_orders_after_probe(shop)

    response = place_order(shop, [good, bad])

    entries = errors_of(response, status, ORDERS)
    assert [entry["code"] for entry in entries] == [code]
    assert bad in entries[0]["message"]
    assert seats_taken(shop, good) == 0
    if code != "not_found":
        assert seats_taken(shop, bad) == seats_before
    orders_after = athlete_orders_after_probe(shop)
    assert set(orders_before) < set(orders_after)
    assert len(orders_after) == len(orders_before) + 1  # the first probe only


def test_an_order_with_two_unbookable_events_names_both_and_books_nothing(
    shop: BookingTenant, clock: MovableClock
) -> None:
    good, canceled, full = schedule_event(shop), canceled_event(shop, clock), full_event(shop, clock)

    response = place_order(shop, [canceled, good, full])

    entries = errors_of(response, 409, ORDERS)
    assert len(entries) == 2
    assert {entry["code"] for entry in entries if canceled in entry["message"]} == {"event_canceled"}
    assert {entry["code"] for entry in entries if full in entry["message"]} == {"event_full"}
    assert seats_taken(shop, good) == 0
    assert seats_taken(shop, full) == 1
    assert athlete_orders_after_probe(shop) == []


def test_the_order_list_holds_the_users_orders_filtered_by_creation_time(
    shop: BookingTenant, clock: MovableClock
) -> None:
    day = random_day() + timedelta(hours=9)  # in this order, so each booking keeps its serviceCardinality
    first = expect(place_order(shop, [schedule_event(shop, start=day)]), 201)
    clock.advance(timedelta(hours=1))
    second = expect(
        place_order(shop, [schedule_event(shop, start=day + timedelta(days=1))], payment="Card"), 201
    )
    someone_else = expect(place_order(shop, [schedule_event(shop)], user_id=shop.link_new_user()), 201)
    between = instant(datetime.fromisoformat(first["createdAt"]) + timedelta(minutes=30))

    listed = orders_of(shop, shop.athlete_id, at_least=2)

    assert sorted(order["orderId"] for order in listed) == sorted([first["orderId"], second["orderId"]])
    assert someone_else["orderId"] not in [order["orderId"] for order in listed]
    by_id = {order["orderId"]: order for order in listed}
    assert by_id == {first["orderId"]: first, second["orderId"]: second}
    since = orders_of(shop, shop.athlete_id, params={"startAt": between})
    until = orders_of(shop, shop.athlete_id, params={"endAt": between})
    from_first = orders_of(shop, shop.athlete_id, params={"startAt": first["createdAt"]})
    before_second = orders_of(shop, shop.athlete_id, params={"endAt": second["createdAt"]})
    assert [order["orderId"] for order in since] == [second["orderId"]]
    assert [order["orderId"] for order in until] == [first["orderId"]]
    assert len(from_first) == 2
    assert [order["orderId"] for order in before_second] == [first["orderId"]]


def test_an_order_can_be_read_back_by_id(shop: BookingTenant) -> None:
    order = expect(place_order(shop, [schedule_event(shop), schedule_event(shop)]), 201)

    assert get_order(shop, order["orderId"]) == order


def test_another_clients_order_is_not_found(shop: BookingTenant) -> None:
    order = expect(place_order(shop, [schedule_event(shop)], payment="Card"), 201)
    other = make_booking_tenant(shop.http, shop.tenant.admin_headers)

    read = other.http.get(f"/api/v1/orders/{order['orderId']}", headers=other.acting())
    settle = pay(other, order["orderId"], "Paid")

    assert [entry["code"] for entry in errors_of(read, 404, "GET /api/v1/orders/{orderId}")] == ["not_found"]
    entries = errors_of(settle, 404, "POST /api/v1/orders/{orderId}/payment")
    assert [entry["code"] for entry in entries] == ["not_found"]
    assert get_order(shop, order["orderId"])["paymentStatus"] == "Pending"


def test_an_unknown_order_is_not_found(shop: BookingTenant) -> None:
    response = shop.http.get(f"/api/v1/orders/{uuid.uuid4()}", headers=shop.acting())

    assert [entry["code"] for entry in errors_of(response, 404, "GET /api/v1/orders/{orderId}")] == [
        "not_found"
    ]


def test_a_user_linked_to_two_clients_is_listed_only_the_callers_orders(shop: BookingTenant) -> None:
    other = make_booking_tenant(shop.http, shop.tenant.admin_headers)
    link_user(shop.http, shop.tenant.admin_headers, other.tenant.client_id, shop.athlete_id)
    ours = expect(place_order(shop, [schedule_event(shop)]), 201)
    theirs = expect(place_order(other, [schedule_event(other)], user_id=shop.athlete_id), 201)

    our_list = orders_of(shop, shop.athlete_id, at_least=1)
    their_list = orders_of(other, shop.athlete_id, at_least=1)

    assert [order["orderId"] for order in our_list] == [ours["orderId"]]
    assert [order["orderId"] for order in their_list] == [theirs["orderId"]]
    read = other.http.get(f"/api/v1/orders/{ours['orderId']}", headers=other.acting(shop.athlete_id))
    assert [entry["code"] for entry in errors_of(read, 404, "GET /api/v1/orders/{orderId}")] == ["not_found"]


def test_listing_the_orders_of_another_clients_user_is_forbidden(shop: BookingTenant) -> None:
    other = make_booking_tenant(shop.http, shop.tenant.admin_headers)
    expect(place_order(other, [schedule_event(other)]), 201)

    response = shop.http.get("/api/v1/orders", params={"userId": other.athlete_id}, headers=shop.acting())

    assert [entry["code"] for entry in errors_of(response, 403, "GET /api/v1/orders")] == ["forbidden"]


def test_ordering_for_another_clients_user_is_forbidden(shop: BookingTenant) -> None:
    other = make_booking_tenant(shop.http, shop.tenant.admin_headers)
    event = schedule_event(shop)

    response = shop.http.post(
        "/api/v1/orders", json=order_body(other.athlete_id, [event]), headers=shop.acting()
    )

    assert [entry["code"] for entry in errors_of(response, 403, ORDERS)] == ["forbidden"]
    assert seats_taken(shop, event) == 0


Request = tuple[BookingTenant, dict[str, str], bytes]


def without_key(shop: BookingTenant, body: bytes) -> Request:
    return shop, {ACTING_USER: shop.athlete_id}, body


def without_orders_scope(shop: BookingTenant, body: bytes) -> Request:
    reader = make_booking_tenant(shop.http, shop.tenant.admin_headers, scopes=["bookings:read"])
    return reader, reader.acting(), body


def without_acting_user(shop: BookingTenant, body: bytes) -> Request:
    return shop, shop.tenant.headers, body


def with_a_non_uuid_acting_user(shop: BookingTenant, body: bytes) -> Request:
    return shop, {**shop.tenant.headers, ACTING_USER: "athlete-1"}, body


def with_an_unlinked_acting_user(shop: BookingTenant, body: bytes) -> Request:
    other = make_booking_tenant(shop.http, shop.tenant.admin_headers)
    return shop, shop.acting(other.athlete_id), body


def with_malformed_json(shop: BookingTenant, body: bytes) -> Request:
    return shop, shop.acting(), body[:-3]


def with_no_events(shop: BookingTenant, body: bytes) -> Request:
    return shop, shop.acting(), json.dumps({**json.loads(body), "eventIds": []}).encode()


def with_a_repeated_event(shop: BookingTenant, body: bytes) -> Request:
    event_ids = json.loads(body)["eventIds"]
    return shop, shop.acting(), json.dumps({**json.loads(body), "eventIds": event_ids * 2}).encode()


def with_an_unknown_payment_type(shop: BookingTenant, body: bytes) -> Request:
    return (
        shop,
        shop.acting(),
        json.dumps({**json.loads(body), "paymentMethod": {"type": "Bitcoin"}}).encode(),
    )


def with_an_invalid_traceparent(shop: BookingTenant, body: bytes) -> Request:
    return shop, {**shop.acting(), "traceparent": "not-a-trace"}, body


@pytest.mark.parametrize(
    ("make_request", "status", "code"),
    [
        (without_key, 401, "unauthorized"),
        (without_orders_scope, 403, "forbidden"),
        (without_acting_user, 400, "validation"),
        (with_a_non_uuid_acting_user, 400, "validation"),
        (with_an_unlinked_acting_user, 403, "forbidden"),
        (with_malformed_json, 400, "validation"),
        (with_no_events, 400, "validation"),
        (with_a_repeated_event, 400, "validation"),
        (with_an_unknown_payment_type, 400, "validation"),
        (with_an_invalid_traceparent, 400, "validation"),
    ],
)
def test_a_refused_order_answers_in_the_errors_format_and_books_nothing(
    shop: BookingTenant, make_request: Callable[[BookingTenant, bytes], Request], status: int, code: str
) -> None:
    event = schedule_event(shop)
    caller, headers, content = make_request(shop, json.dumps(order_body(shop.athlete_id, [event])).encode())

    response = caller.http.post(
        "/api/v1/orders", content=content, headers={**headers, "Content-Type": "application/json"}
    )

    assert {entry["code"] for entry in errors_of(response, status, ORDERS)} == {code}
    assert seats_taken(shop, event) == 0


def test_an_offered_request_id_is_quoted_in_the_errors(shop: BookingTenant) -> None:
    response = shop.http.get(
        f"/api/v1/orders/{uuid.uuid4()}", headers={**shop.acting(), "X-Request-ID": "order-test-42"}
    )

    entries = errors_of(response, 404, "GET /api/v1/orders/{orderId}")
    assert [entry["requestId"] for entry in entries] == ["order-test-42"]


def test_a_valid_traceparent_is_continued(shop: BookingTenant) -> None:
    response = place_order(shop, [schedule_event(shop)], headers={"traceparent": VALID_TRACEPARENT})

    expect(response, 201)
    version, trace_id, parent_id, flags = response.headers["traceparent"].split("-")
    assert (version, trace_id, flags) == ("00", VALID_TRACEPARENT.split("-")[1], "01")
    assert len(parent_id) == 16


def test_a_malformed_payment_result_is_a_validation_error(shop: BookingTenant) -> None:
    order = expect(place_order(shop, [schedule_event(shop)], payment="Card"), 201)

    response = pay(shop, order["orderId"], "Refunded")

    entries = errors_of(response, 400, "POST /api/v1/orders/{orderId}/payment")
    assert {entry["code"] for entry in entries} == {"validation"}
    assert get_order(shop, order["orderId"])["paymentStatus"] == "Pending"


def test_reading_orders_needs_the_bookings_read_scope(shop: BookingTenant) -> None:
    writer = make_booking_tenant(shop.http, shop.tenant.admin_headers, scopes=["orders:write"])

    response = writer.http.get(
        "/api/v1/orders", params={"userId": writer.athlete_id}, headers=writer.acting()
    )

    assert [entry["code"] for entry in errors_of(response, 403, "GET /api/v1/orders")] == ["forbidden"]
