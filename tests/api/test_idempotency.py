"""Idempotent POSTs on the bookings-and-orders surface: one answer per key, replayed to its retries."""

from __future__ import annotations

import threading
import uuid
from collections import Counter

import httpx
import psycopg
import pytest
from psycopg import sql

from ledger.runtime import Runtime
from tests.api.idempotency_support import append_held, completion_held, events_of, order_id_of
from tests.api.orders_support import (
    BookingTenant,
    cancel_booking,
    errors_of,
    make_booking_tenant,
    order_body,
    orders_of,
    place_order,
    schedule_event,
    seats_taken,
)
from tests.support import expect

REPLAYED = "Idempotent-Replayed"
ORDERS = "POST /api/v1/orders"
CONCURRENT_RETRIES = 10


@pytest.fixture
def shop(http: httpx.Client, admin_headers: dict[str, str]) -> BookingTenant:
    return make_booking_tenant(http, admin_headers)


def new_key() -> dict[str, str]:
    return {"Idempotency-Key": f"key-{uuid.uuid4().hex}"}


def post_order(
    shop: BookingTenant, event_ids: list[str], key: dict[str, str], client: httpx.Client | None = None
) -> httpx.Response:
    """A Cash order of the athlete with a fixed body, so that retries send the very same request."""
    return (client or shop.http).post(
        "/api/v1/orders", json=order_body(shop.athlete_id, event_ids), headers={**shop.acting(), **key}
    )


def assert_replayed(first: httpx.Response, retry: httpx.Response) -> None:
    assert REPLAYED not in first.headers
    assert retry.headers.get(REPLAYED) == "true"
    assert retry.status_code == first.status_code
    assert retry.content == first.content


def test_a_retried_order_gets_the_first_answer_and_books_nothing_new(shop: BookingTenant) -> None:
    event = schedule_event(shop)
    key = new_key()
    first = post_order(shop, [event], key)

    retry = post_order(shop, [event], key)

    order = expect(first, 201)
    assert_replayed(first, retry)
    assert seats_taken(shop, event) == 1
    assert [listed["orderId"] for listed in orders_of(shop, shop.athlete_id, at_least=1)] == [
        order["orderId"]
    ]


def test_a_key_reused_for_a_different_order_is_rejected(shop: BookingTenant) -> None:
    first_event, second_event = schedule_event(shop), schedule_event(shop)
    key = new_key()
    expect(post_order(shop, [first_event], key), 201)

    reused = post_order(shop, [second_event], key)

    assert [entry["code"] for entry in errors_of(reused, 422, ORDERS)] == ["idempotency_key_reused"]
    assert REPLAYED not in reused.headers
    assert seats_taken(shop, first_event) == 1
    assert seats_taken(shop, second_event) == 0


def test_a_key_reused_on_another_endpoint_is_rejected(shop: BookingTenant) -> None:
    order = expect(place_order(shop, [schedule_event(shop)], payment="Card"), 201)
    key = new_key()
    expect(post_order(shop, [schedule_event(shop)], key), 201)

    reused = shop.http.post(
        f"/api/v1/orders/{order['orderId']}/payment",
        json={"status": "Paid"},
        headers={**shop.acting(), **key},
    )

    entries = errors_of(reused, 422, "POST /api/v1/orders/{orderId}/payment")
    assert [entry["code"] for entry in entries] == ["idempotency_key_reused"]
    read = expect(shop.http.get(f"/api/v1/orders/{order['orderId']}", headers=shop.acting()), 200)
    assert read["paymentStatus"] == "Pending"


def test_keys_are_scoped_per_client(shop: BookingTenant) -> None:
    other = make_booking_tenant(shop.http, shop.tenant.admin_headers)
    ours, theirs = schedule_event(shop), schedule_event(other)
    key = new_key()
    our_order = post_order(shop, [ours], key)

    their_order = post_order(other, [theirs], key)

    assert REPLAYED not in their_order.headers
    assert expect(our_order, 201)["orderId"] != expect(their_order, 201)["orderId"]
    assert expect(their_order, 201)["userId"] == other.athlete_id
    assert seats_taken(other, theirs) == 1
    assert_replayed(their_order, post_order(other, [theirs], key))
    assert_replayed(our_order, post_order(shop, [ours], key))


def test_an_error_answer_is_replayed_even_after_its_cause_is_gone(shop: BookingTenant) -> None:
    event = schedule_event(shop, seats=1)
    holder = shop.link_new_user()
    held = expect(place_order(shop, [event], user_id=holder), 201)
    key = new_key()
    first = post_order(shop, [event], key)
    assert [entry["code"] for entry in errors_of(first, 409, ORDERS)] == ["event_full"]
    expect(cancel_booking(shop, held["bookings"][0]["bookingId"], user_id=holder), 200)

    retry = post_order(shop, [event], key)

    assert_replayed(first, retry)
    assert seats_taken(shop, event) == 0


def test_a_retried_payment_result_is_replayed(shop: BookingTenant) -> None:
    order = expect(place_order(shop, [schedule_event(shop)], payment="Card"), 201)
    path = f"/api/v1/orders/{order['orderId']}/payment"
    headers = {**shop.tenant.headers, **new_key()}
    first = shop.http.post(path, json={"status": "Paid"}, headers=headers)

    retry = shop.http.post(path, json={"status": "Paid"}, headers=headers)

    assert expect(first, 200)["paymentStatus"] == "Paid"
    assert_replayed(first, retry)
    fresh = shop.http.post(path, json={"status": "Paid"}, headers={**shop.tenant.headers, **new_key()})
    entries = errors_of(fresh, 409, "POST /api/v1/orders/{orderId}/payment")
    assert [entry["code"] for entry in entries] == ["payment_already_settled"]


def test_a_retried_cancellation_is_replayed(shop: BookingTenant) -> None:
    event = schedule_event(shop)
    order = expect(place_order(shop, [event]), 201)
    booking_id = order["bookings"][0]["bookingId"]
    key = new_key()
    first = cancel_booking(shop, booking_id, headers=key)

    retry = cancel_booking(shop, booking_id, headers=key)

    assert expect(first, 200)["bookingStatus"] == "Canceled"
    assert_replayed(first, retry)
    assert seats_taken(shop, event) == 0
    again = cancel_booking(shop, booking_id)
    entries = errors_of(again, 409, "POST /api/v1/bookings/{bookingId}/cancel")
    assert [entry["code"] for entry in entries] == ["invalid_status_transition"]


def test_concurrent_retries_with_one_key_place_one_order_and_share_its_answer(shop: BookingTenant) -> None:
    event = schedule_event(shop, seats=CONCURRENT_RETRIES)
    key = new_key()
    barrier = threading.Barrier(CONCURRENT_RETRIES)
    responses: list[httpx.Response | None] = [None] * CONCURRENT_RETRIES

    def send(index: int) -> None:
        with httpx.Client(base_url=str(shop.http.base_url), timeout=60) as client:
            barrier.wait()
            responses[index] = post_order(shop, [event], key, client=client)

    threads = [threading.Thread(target=send, args=(index,)) for index in range(CONCURRENT_RETRIES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    answers = [response for response in responses if response is not None]
    assert len(answers) == CONCURRENT_RETRIES
    assert {response.status_code for response in answers} == {201}
    assert len({response.content for response in answers}) == 1
    assert Counter(response.headers.get(REPLAYED) for response in answers) == {
        None: 1,
        "true": CONCURRENT_RETRIES - 1,
    }
    assert seats_taken(shop, event) == 1
    assert len(orders_of(shop, shop.athlete_id, at_least=1)) == 1


def claims(runtime: Runtime) -> sql.Identifier:
    return sql.Identifier(runtime.settings.db_schema, "idempotency_keys")


def test_a_retry_while_the_first_request_still_runs_is_told_it_is_in_progress(
    shop: BookingTenant, runtime: Runtime
) -> None:
    event = schedule_event(shop)
    key = new_key()
    answers: list[httpx.Response] = []

    def send_first() -> None:
        with httpx.Client(base_url=str(shop.http.base_url), timeout=60) as client:
            answers.append(post_order(shop, [event], key, client=client))

    with append_held(runtime.database_url, runtime.settings.db_schema, send_first):
        retry = post_order(shop, [event], key)

    entries = errors_of(retry, 409, ORDERS)
    assert [entry["code"] for entry in entries] == ["idempotency_request_in_progress"]
    [first] = answers
    assert expect(first, 201)["bookings"][0]["eventId"] == event
    assert_replayed(first, post_order(shop, [event], key))
    assert seats_taken(shop, event) == 1


def test_an_order_is_answered_when_storing_its_answer_fails_and_a_retry_after_the_lease_finds_it(
    shop: BookingTenant, runtime: Runtime
) -> None:
    event = schedule_event(shop)
    key = new_key()
    client_id, value = shop.tenant.client_id, key["Idempotency-Key"]
    answers: list[httpx.Response] = []

    def send() -> None:
        with httpx.Client(base_url=str(shop.http.base_url), timeout=60) as client:
            answers.append(post_order(shop, [event], key, client=client))

    with completion_held(runtime.database_url, runtime.settings.db_schema, client_id, value, send) as held:
        assert events_of(held.watcher, runtime.settings.db_schema, order_id_of(client_id, value)) == 1
        # The session storing the answer dies, as one cut by idle_in_transaction_session_timeout would.
        held.watcher.execute("SELECT pg_terminate_backend(%s)", (held.completion_pid,))
    [first] = answers
    order = expect(first, 201)
    assert order["orderId"] == str(order_id_of(client_id, value))
    with psycopg.connect(runtime.database_url, autocommit=True) as conn:
        age = sql.SQL("UPDATE {} SET claimed_at = now() - interval '1 day' WHERE client_id = %s AND key = %s")
        assert conn.execute(age.format(claims(runtime)), (client_id, value)).rowcount == 1

    retry = post_order(shop, [event], key)

    assert REPLAYED not in retry.headers
    assert expect(retry, 201)["orderId"] == order["orderId"]
    assert seats_taken(shop, event) == 1
    assert [listed["orderId"] for listed in orders_of(shop, shop.athlete_id, at_least=1)] == [
        order["orderId"]
    ]
    assert_replayed(retry, post_order(shop, [event], key))


def test_an_overlong_key_is_a_validation_error(shop: BookingTenant) -> None:
    event = schedule_event(shop)

    response = post_order(shop, [event], {"Idempotency-Key": "k" * 256})

    assert [entry["code"] for entry in errors_of(response, 400, ORDERS)] == ["validation"]
    assert seats_taken(shop, event) == 0
