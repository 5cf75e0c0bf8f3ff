"""Concurrent orders over HTTP on real PostgreSQL: an event's seats are never oversold."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import httpx
import pytest

from tests.api.orders_support import (
    BookingTenant,
    cancel_booking,
    errors_of,
    make_booking_tenant,
    orders_of,
    place_order,
    read_booking,
    schedule_event,
    seats_taken,
)
from tests.racing import answered, race
from tests.support import expect

SEATS = 5
RACERS = 16


@pytest.fixture
def shop(http: httpx.Client, admin_headers: dict[str, str]) -> BookingTenant:
    return make_booking_tenant(http, admin_headers)


def order_sender(
    shop: BookingTenant, event_ids: list[str], user_id: str
) -> Callable[[httpx.Client], httpx.Response]:
    return lambda client: place_order(shop, event_ids, user_id=user_id, client=client)


def test_concurrent_orders_of_different_users_fill_exactly_the_seats(shop: BookingTenant) -> None:
    event = schedule_event(shop, seats=SEATS)
    users = [shop.link_new_user() for _ in range(RACERS)]

    responses = answered(race(str(shop.http.base_url), [order_sender(shop, [event], user) for user in users]))

    assert Counter(response.status_code for response in responses) == {201: SEATS, 409: RACERS - SEATS}
    for response in responses:
        if response.status_code == 409:
            assert [entry["code"] for entry in errors_of(response, 409, "POST /api/v1/orders")] == [
                "event_full"
            ]
    assert seats_taken(shop, event) == SEATS
    winners = [user for user, response in zip(users, responses, strict=True) if response.status_code == 201]
    losers = [user for user, response in zip(users, responses, strict=True) if response.status_code == 409]
    for user in winners:
        assert len(orders_of(shop, user, at_least=1)) == 1
    for user in losers:
        assert orders_of(shop, user) == []


def test_concurrent_orders_sharing_a_full_event_book_nothing_of_the_losers(shop: BookingTenant) -> None:
    contested, spare = schedule_event(shop, seats=SEATS), schedule_event(shop, seats=RACERS)
    users = [shop.link_new_user() for _ in range(RACERS)]

    responses = answered(
        race(str(shop.http.base_url), [order_sender(shop, [spare, contested], user) for user in users])
    )

    assert Counter(response.status_code for response in responses) == {201: SEATS, 409: RACERS - SEATS}
    assert seats_taken(shop, contested) == SEATS
    assert seats_taken(shop, spare) == SEATS


def test_concurrent_orders_of_one_user_book_the_event_once(shop: BookingTenant) -> None:
    event = schedule_event(shop, seats=SEATS)

    responses = answered(race(str(shop.http.base_url), [order_sender(shop, [event], shop.athlete_id)] * 8))

    assert Counter(response.status_code for response in responses) == {201: 1, 409: 7}
    for response in responses:
        if response.status_code == 409:
            entries = errors_of(response, 409, "POST /api/v1/orders")
            assert [entry["code"] for entry in entries] == ["event_already_booked"]
    assert seats_taken(shop, event) == 1
    assert len(orders_of(shop, shop.athlete_id, at_least=1)) == 1


def test_cancelling_a_booking_frees_its_seat_for_the_next_order(shop: BookingTenant) -> None:
    event = schedule_event(shop, seats=2)
    first_user, second_user, third_user = (shop.link_new_user() for _ in range(3))
    first = expect(place_order(shop, [event], user_id=first_user), 201)
    expect(place_order(shop, [event], user_id=second_user), 201)
    full = place_order(shop, [event], user_id=third_user)
    assert [entry["code"] for entry in errors_of(full, 409, "POST /api/v1/orders")] == ["event_full"]

    canceled = expect(
        shop.http.post(
            f"/api/v1/bookings/{first['bookings'][0]['bookingId']}/cancel",
            json={"cancellationReasonCode": "NoTime"},
            headers=shop.acting(first_user),
        ),
        200,
    )

    assert canceled["bookingStatus"] == "Canceled"
    assert canceled["canceledByRole"] == "Athlete"
    assert seats_taken(shop, event) == 1
    expect(place_order(shop, [event], user_id=third_user), 201)
    assert seats_taken(shop, event) == 2
    still_full = place_order(shop, [event], user_id=shop.link_new_user())
    assert [entry["code"] for entry in errors_of(still_full, 409, "POST /api/v1/orders")] == ["event_full"]


def test_concurrent_cancellations_and_orders_never_oversell(shop: BookingTenant) -> None:
    event = schedule_event(shop, seats=SEATS)
    holders = [shop.link_new_user() for _ in range(SEATS)]
    bookings = [
        expect(place_order(shop, [event], user_id=user), 201)["bookings"][0]["bookingId"] for user in holders
    ]
    newcomers = [shop.link_new_user() for _ in range(RACERS - 2)]

    def cancel(booking_id: str, user_id: str) -> Callable[[httpx.Client], httpx.Response]:
        return lambda client: cancel_booking(shop, booking_id, user_id=user_id, client=client)

    cancellations = [cancel(bookings[index], holders[index]) for index in range(2)]
    orders = [order_sender(shop, [event], user) for user in newcomers]
    responses = answered(race(str(shop.http.base_url), cancellations + orders))

    assert [response.status_code for response in responses[:2]] == [200, 200]
    order_statuses = Counter(response.status_code for response in responses[2:])
    assert set(order_statuses) <= {201, 409}
    assert order_statuses[201] <= 2
    assert seats_taken(shop, event) == SEATS - 2 + order_statuses[201]
    assert seats_taken(shop, event) <= SEATS


def test_orders_racing_the_events_cancellation_leave_no_active_booking(shop: BookingTenant) -> None:
    event = schedule_event(shop, seats=RACERS)
    users = [shop.link_new_user() for _ in range(RACERS - 1)]
    admin = shop.tenant.admin_headers

    def cancel_event(client: httpx.Client) -> httpx.Response:
        return client.post(f"/api/v1/admin/coach-events/{event}/cancel", headers=admin)

    responses = answered(
        race(str(shop.http.base_url), [cancel_event, *(order_sender(shop, [event], user) for user in users)])
    )

    assert responses[0].status_code == 200
    placed = [response for response in responses[1:] if response.status_code == 201]
    for response in responses[1:]:
        if response.status_code != 201:
            entries = errors_of(response, 409, "POST /api/v1/orders")
            assert [entry["code"] for entry in entries] == ["event_canceled"]
    for response in placed:
        booking_id = response.json()["bookings"][0]["bookingId"]
        user_id = response.json()["userId"]
        booking = read_booking(shop, booking_id, user_id=user_id)
        assert booking["bookingStatus"] == "Canceled"
        assert booking["canceledByRole"] == "System"
    event_now = expect(shop.http.get(f"/api/v1/admin/coach-events/{event}", headers=admin), 200)
    assert event_now["status"] == "Canceled"
    assert event_now["seatsTaken"] == 0


def test_racing_payment_results_settle_the_order_once(shop: BookingTenant) -> None:
    event = schedule_event(shop, seats=1)
    order = expect(place_order(shop, [event], payment="Card"), 201)
    path = f"/api/v1/orders/{order['orderId']}/payment"

    def settle(status: str) -> Callable[[httpx.Client], httpx.Response]:
        return lambda client: client.post(path, json={"status": status}, headers=shop.tenant.headers)

    results = ["Paid", "Failed"] * 5
    responses = answered(race(str(shop.http.base_url), [settle(status) for status in results]))

    assert Counter(response.status_code for response in responses) == {200: 1, 409: len(results) - 1}
    winner = next(status for status, r in zip(results, responses, strict=True) if r.status_code == 200)
    for response in responses:
        if response.status_code == 409:
            entries = errors_of(response, 409, "POST /api/v1/orders/{orderId}/payment")
            assert [entry["code"] for entry in entries] == ["payment_already_settled"]
    read = expect(shop.http.get(f"/api/v1/orders/{order['orderId']}", headers=shop.acting()), 200)
    assert read["paymentStatus"] == winner
    assert seats_taken(shop, event) == (1 if winner == "Paid" else 0)


def test_a_failed_payment_racing_the_athletes_cancellation_frees_the_seat_once(shop: BookingTenant) -> None:
    event = schedule_event(shop, seats=2)
    expect(place_order(shop, [event], user_id=shop.link_new_user()), 201)
    order = expect(place_order(shop, [event], payment="Card"), 201)
    booking_id = order["bookings"][0]["bookingId"]

    def fail_payment(client: httpx.Client) -> httpx.Response:
        return client.post(
            f"/api/v1/orders/{order['orderId']}/payment",
            json={"status": "Failed"},
            headers=shop.tenant.headers,
        )

    def cancel(client: httpx.Client) -> httpx.Response:
        return cancel_booking(shop, booking_id, client=client)

    payment, cancellation = answered(race(str(shop.http.base_url), [fail_payment, cancel]))

    assert payment.status_code == 200
    assert cancellation.status_code in (200, 409)
    if cancellation.status_code == 409:
        entries = errors_of(cancellation, 409, "POST /api/v1/bookings/{bookingId}/cancel")
        assert [entry["code"] for entry in entries] == ["invalid_status_transition"]
    booking = read_booking(shop, booking_id)
    assert booking["bookingStatus"] == "Canceled"
    assert seats_taken(shop, event) == 1
