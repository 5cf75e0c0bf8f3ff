"""An order from start to end over HTTP: schedule an event, order it, accept it, cancel it."""

from __future__ import annotations

import httpx

from tests.api.orders_support import (
    cancel_booking,
    make_booking_tenant,
    place_order,
    schedule_event,
    seats_taken,
)
from tests.support import expect


def test_order_is_accepted_by_the_coach_and_cancelled_by_the_athlete(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    shop = make_booking_tenant(http, admin_headers)
    event_id = schedule_event(shop)
    as_coach = shop.acting(shop.coach_id)

    order = expect(place_order(shop, [event_id]), 201)
    booking_id = order["bookings"][0]["bookingId"]
    accepted = expect(http.post(f"/api/v1/bookings/{booking_id}/accept", headers=as_coach), 200)
    canceled = expect(cancel_booking(shop, booking_id), 200)

    assert order["paymentStatus"] == "Cash"
    assert order["bookings"][0]["bookingStatus"] == "Pending"
    assert order["bookings"][0]["serviceCardinality"] == 1
    assert order["bookings"][0]["timeslot"]["price"] == 1500
    assert accepted["bookingStatus"] == "Accepted"
    assert canceled["bookingStatus"] == "Canceled"
    assert canceled["canceledByRole"] == "Athlete"
    assert canceled["serviceCardinality"] is None
    assert seats_taken(shop, event_id) == 0
