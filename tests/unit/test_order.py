"""Order: placing with Cash or Card, the order's own request rules, and settling a Card payment."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from domain.order import (
    InvalidOrderError,
    InvalidPaymentMethodError,
    Order,
    PaymentAlreadySettledError,
)
from tests.unit.events import given, meta, no_events, only_event

ORDER = UUID(int=1)
CLIENT = UUID(int=2)
USER = UUID(int=3)
METHOD = UUID(int=4)
EVENT_1, EVENT_2 = UUID(int=11), UUID(int=12)
BOOKING_1, BOOKING_2 = UUID(int=21), UUID(int=22)
LATER = "2030-01-02T00:00:00.000000Z"


def place(
    payment_type: str = "Cash",
    payment_method_id: UUID | None = None,
    event_ids: tuple[UUID, ...] = (EVENT_1, EVENT_2),
) -> Order:
    """When: the order ORDER is placed for USER through CLIENT."""
    booking_ids = [BOOKING_1, BOOKING_2][: len(event_ids)]
    return Order.place(
        ORDER, CLIENT, USER, list(event_ids), booking_ids, payment_type, payment_method_id, meta()
    )


def card_order() -> Order:
    """Given: a Card order awaiting payment, its events saved."""
    return given(place("Card", METHOD))


def settled(status: str) -> Order:
    """Given: a Card order whose payment was settled with `status`, its events saved."""
    order = card_order()
    order.settle_payment(status, meta())
    return given(order)


# Placing


def test_placing_a_cash_order_records_placed_with_payment_status_cash() -> None:
    order = place("Cash")

    event = only_event(order, Order.Placed)
    assert event.payment_type == event.payment_status == "Cash"
    assert event.payment_method_id is None
    assert (event.order_id, event.client_id, event.user_id) == (ORDER, CLIENT, USER)
    assert event.event_ids == [EVENT_1, EVENT_2]
    assert event.booking_ids == [BOOKING_1, BOOKING_2]
    assert event.meta == meta()
    assert order.payment_status == "Cash"
    assert order.created_at == datetime(2030, 1, 1, tzinfo=UTC)


def test_a_cash_order_may_name_a_payment_method() -> None:
    order = place("Cash", METHOD)

    event = only_event(order, Order.Placed)
    assert (event.payment_status, event.payment_method_id) == ("Cash", METHOD)


def test_placing_a_card_order_with_a_method_id_leaves_the_payment_pending() -> None:
    order = place("Card", METHOD)

    event = only_event(order, Order.Placed)
    assert (event.payment_type, event.payment_status) == ("Card", "Pending")
    assert event.payment_method_id == METHOD
    assert order.payment_status == "Pending"


def test_placing_a_card_order_without_a_method_id_is_an_invalid_payment_method() -> None:
    with pytest.raises(InvalidPaymentMethodError) as raised:
        place("Card", None)

    assert "methodId" in raised.value.message


def test_the_order_id_is_the_one_the_command_chose() -> None:
    order = place()

    assert order.id == ORDER
    assert only_event(order, Order.Placed).originator_id == ORDER
    assert Order.create_id(order_id=ORDER, user_id=USER) == ORDER


def test_placing_an_order_for_a_single_event_is_allowed() -> None:
    order = place(event_ids=(EVENT_1,))

    event = only_event(order, Order.Placed)
    assert (event.event_ids, event.booking_ids) == ([EVENT_1], [BOOKING_1])


def test_placing_an_order_without_events_is_an_invalid_order() -> None:
    with pytest.raises(InvalidOrderError):
        place(event_ids=())


def test_placing_an_order_that_names_an_event_twice_is_an_invalid_order() -> None:
    with pytest.raises(InvalidOrderError) as raised:
        place(event_ids=(EVENT_1, EVENT_1))

    assert "unique" in raised.value.message


@pytest.mark.parametrize("payment_type", ["Crypto", "cash", "CARD", ""])
def test_placing_an_order_with_an_unknown_payment_type_is_an_invalid_payment_method(
    payment_type: str,
) -> None:
    with pytest.raises(InvalidPaymentMethodError):
        place(payment_type, METHOD)


# Settling


@pytest.mark.parametrize("status", ["Paid", "Failed"])
def test_settling_a_pending_payment_records_payment_settled(status: str) -> None:
    order = card_order()

    order.settle_payment(status, meta(LATER))

    event = only_event(order, Order.PaymentSettled)
    assert event.status == status
    assert event.meta == meta(LATER)
    assert order.payment_status == status


@pytest.mark.parametrize(
    ("first", "second"), [("Paid", "Paid"), ("Paid", "Failed"), ("Failed", "Paid"), ("Failed", "Failed")]
)
def test_settling_a_settled_payment_again_is_refused_as_already_settled(first: str, second: str) -> None:
    order = settled(first)

    with pytest.raises(PaymentAlreadySettledError):
        order.settle_payment(second, meta(LATER))

    no_events(order)
    assert order.payment_status == first


@pytest.mark.parametrize("status", ["Paid", "Failed"])
def test_settling_a_cash_order_is_refused_as_already_settled(status: str) -> None:
    order = given(place("Cash"))

    with pytest.raises(PaymentAlreadySettledError):
        order.settle_payment(status, meta(LATER))

    no_events(order)
    assert order.payment_status == "Cash"


@pytest.mark.parametrize("status", ["Pending", "Cash", "Refunded", "paid", ""])
def test_settling_with_an_unknown_status_is_an_invalid_payment_method(status: str) -> None:
    order = card_order()

    with pytest.raises(InvalidPaymentMethodError):
        order.settle_payment(status, meta(LATER))

    no_events(order)
    assert order.payment_status == "Pending"


def test_order_rebuilt_from_its_events_has_the_same_payment_status() -> None:
    order = place("Card", METHOD)
    order.settle_payment("Paid", meta(LATER))
    events = order.collect_events()

    rebuilt: Order | None = None
    for event in events:
        rebuilt = event.mutate(rebuilt)

    assert isinstance(rebuilt, Order)
    assert rebuilt.id == ORDER
    assert rebuilt.version == order.version == 2
    assert rebuilt.payment_status == "Paid"
    assert rebuilt.created_at == order.created_at
