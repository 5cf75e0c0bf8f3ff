"""Amounts in minor units as Stripe takes them, and Stripe's events read as payment notices."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from ledger.payments.amounts import from_minor_units, to_minor_units
from ledger.payments.provider import InvalidWebhookError
from ledger.payments.stripe_provider import notice_of
from tests.stripe_stand_in import intent_event


@pytest.mark.parametrize(
    ("amount", "currency", "units"),
    [
        ("37.50", "EUR", 3750),
        ("37.5", "eur", 3750),
        ("0.01", "USD", 1),
        ("2500.00", "JPY", 2500),
        ("37.50", "JPY", 38),
        ("1.25", "KWD", 1250),
    ],
)
def test_an_amount_is_sent_in_the_minor_units_of_its_currency(amount: str, currency: str, units: int) -> None:
    assert to_minor_units(Decimal(amount), currency) == units


@pytest.mark.parametrize(
    ("units", "currency", "amount"),
    [(3750, "eur", "37.50"), (0, "EUR", "0.00"), (2500, "JPY", "2500"), (1250, "KWD", "1.250")],
)
def test_minor_units_read_back_with_the_currencys_decimals(units: int, currency: str, amount: str) -> None:
    assert str(from_minor_units(units, currency)) == amount


def event(payload: bytes) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(payload)
    return parsed


def test_a_succeeded_intent_event_tells_the_intent_and_the_amount_received() -> None:
    notice = notice_of(event(intent_event("payment_intent.succeeded", "pi_1", 3750)))

    assert (notice.payment_intent_id, notice.succeeded, notice.amount) == ("pi_1", True, Decimal("37.50"))


def test_a_failed_intent_event_tells_the_failure_cut_to_255_characters() -> None:
    notice = notice_of(event(intent_event("payment_intent.payment_failed", "pi_2", 3750, failure="x" * 300)))

    assert (notice.payment_intent_id, notice.succeeded) == ("pi_2", False)
    assert notice.reason == "x" * 255


def test_another_kind_of_event_is_a_notice_the_ledger_ignores() -> None:
    notice = notice_of({"id": "evt_1", "type": "charge.refunded", "data": {"object": {}}})

    assert (notice.event_type, notice.succeeded, notice.payment_intent_id) == ("charge.refunded", None, None)


@pytest.mark.parametrize(
    "payload",
    [
        {"type": "payment_intent.succeeded"},
        {"id": "evt_1", "type": "payment_intent.succeeded"},
        {"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": []}},
        {"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": 5, "currency": "eur"}}},
        {"id": "evt_1", "type": "payment_intent.succeeded", "data": {"object": {"id": "pi_1"}}},
    ],
)
def test_an_intent_event_of_a_shape_stripe_never_sends_is_refused(payload: dict[str, Any]) -> None:
    with pytest.raises(InvalidWebhookError):
        notice_of(payload)
