"""Unpaid bookings expire after the payment hold where the venue takes payment online, and only there."""

from __future__ import annotations

import threading
from datetime import timedelta

from domain.resource_booking import ResourceBooking
from ledger.payments.expiry import PaymentExpiry
from ledger.runtime import Runtime
from ledger.settings import Settings
from projections.payment_holds import PaymentHoldsView
from tests.payments_support import (
    HOLD,
    VIEW_WAIT_SECONDS,
    PaidCourt,
    admin,
    expire_due,
    paid_runtime,
    paid_settings,
)
from tests.stripe_stand_in import StripeStandIn
from tests.support import MovableClock, wait_until
from tests.unit.events import stored_types

PAST_HOLD = HOLD + timedelta(minutes=1)


def test_an_unpaid_booking_expires_once_the_clock_passes_its_hold_and_its_slot_is_free(
    paid: Runtime, clock: MovableClock
) -> None:
    court = PaidCourt.made_in(paid)
    booking = court.book(paid)
    expire_due(paid)
    assert court.status(paid, booking) == "pending"

    clock.advance(PAST_HOLD)
    expire_due(paid)

    assert court.status(paid, booking) == "expired"
    assert court.book(paid).status == "pending"


def test_a_paid_booking_is_left_confirmed_after_its_hold(paid: Runtime, clock: MovableClock) -> None:
    court = PaidCourt.made_in(paid)
    booking = court.book(paid)
    intent = paid.ledger.create_payment_intent(court.context(paid), booking.id).value
    paid.ledger.record_intent_payment(admin(paid), intent.payment_intent_id, True)

    clock.advance(PAST_HOLD)
    expire_due(paid)

    assert court.status(paid, booking) == "confirmed"
    assert booking.id not in paid.view(PaymentHoldsView).due(paid.clock(), 10_000)


def test_without_a_payment_provider_a_pending_booking_never_expires(
    runtime: Runtime, clock: MovableClock
) -> None:
    court = PaidCourt.made_in(runtime)
    booking = court.book(runtime)

    clock.advance(timedelta(days=1))
    expire_due(runtime)

    assert booking.payment_due_by is None
    assert court.status(runtime, booking) == "pending"
    assert runtime.payment_expiry is None


def test_at_a_venue_without_an_account_a_pending_booking_never_expires(
    paid: Runtime, clock: MovableClock
) -> None:
    court = PaidCourt.made_in(paid, account=None)
    booking = court.book(paid)

    clock.advance(timedelta(days=1))
    expire_due(paid)

    assert court.status(paid, booking) == "pending"


def test_two_processes_expiring_one_booking_record_one_expiry(
    paid: Runtime, runtime: Runtime, clock: MovableClock
) -> None:
    court = PaidCourt.made_in(paid)
    booking = court.book(paid)
    clock.advance(PAST_HOLD)
    start = threading.Barrier(2)
    results: list[object] = []

    def expire(process: Runtime) -> None:
        start.wait()
        results.append(process.ledger.expire_unpaid_booking(admin(process), booking.id))

    racers = [threading.Thread(target=expire, args=(process,)) for process in (paid, runtime)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join()

    assert sum(result is not None for result in results) == 1
    assert stored_types(paid.ledger, booking.id).count(ResourceBooking.Expired) == 1


def test_one_round_expires_at_most_one_batch(paid: Runtime, clock: MovableClock) -> None:
    court = PaidCourt.made_in(paid)
    bookings = [court.book(paid, hour=9), court.book(paid, hour=12)]
    clock.advance(PAST_HOLD)
    view = paid.view(PaymentHoldsView)
    assert view.wait_for(paid.ledger.recorder.max_notification_id() or 0, VIEW_WAIT_SECONDS)
    expiry = PaymentExpiry(paid.ledger, view, paid.clock, interval=1.0, batch_size=1)

    first = expiry.run_once()

    assert first == 1
    assert sorted(court.status(paid, booking) for booking in bookings) == ["expired", "pending"]


def test_the_runtime_runs_the_expiry_in_the_background_where_payment_is_online(
    own_settings: Settings, stand_in: StripeStandIn
) -> None:
    own_clock = MovableClock()
    configured = paid_settings(own_settings, stand_in.url, payment_expiry_interval_seconds=0.05)
    with paid_runtime(configured, run_projections=True, clock=own_clock) as running:
        court = PaidCourt.made_in(running)
        booking = court.book(running)

        own_clock.advance(PAST_HOLD)

        assert running.payment_expiry is not None
        wait_until(lambda: court.status(running, booking) == "expired", VIEW_WAIT_SECONDS, "the expiry")


def test_the_payment_hold_comes_from_the_settings(settings: Settings, stand_in: StripeStandIn) -> None:
    configured = paid_settings(settings, stand_in.url, payment_hold_minutes=40)
    with paid_runtime(configured, run_projections=False) as opened:
        court = PaidCourt.made_in(opened)
        booking = court.book(opened)

    assert booking.payment_due_by == booking.created_at + timedelta(minutes=40)
