"""An order from start to end over HTTP: schedule an event, order it, accept it, cancel it."""

from __future__ import annotations

import uuid
from datetime import timedelta

import httpx

from tests.support import expect, instant, make_tenant, random_day

BOOKING_SCOPES = ["bookings:read", "bookings:write", "orders:write"]


def test_order_is_accepted_by_the_coach_and_cancelled_by_the_athlete(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    coach = expect(
        http.post(
            "/api/v1/admin/users", json={"email": f"c-{uuid.uuid4().hex[:6]}@ex.com"}, headers=admin_headers
        ),
        201,
    )
    expect(
        http.post(
            f"/api/v1/admin/clients/{tenant.client_id}/users",
            json={"userId": coach["id"]},
            headers=admin_headers,
        ),
        201,
    )
    start = random_day() + timedelta(hours=9)
    event = expect(
        http.post(
            "/api/v1/admin/coach-events",
            json={
                "coachId": coach["id"],
                "sportId": str(uuid.uuid4()),
                "startAt": instant(start),
                "endAt": instant(start + timedelta(hours=1)),
                "timeslot": {
                    "numberOfParticipants": 2,
                    "slotType": "Offline",
                    "ageFrom": 18,
                    "ageTo": 99,
                    "price": 1500,
                },
            },
            headers=admin_headers,
        ),
        201,
    )
    athlete = {**tenant.headers, "x-current-user-id": tenant.user_id}
    as_coach = {**tenant.headers, "x-current-user-id": coach["id"]}

    order = expect(
        http.post(
            "/api/v1/orders",
            json={
                "userId": tenant.user_id,
                "eventIds": [event["eventId"]],
                "paymentMethod": {"type": "Cash"},
            },
            headers=athlete,
        ),
        201,
    )
    booking_id = order["bookings"][0]["bookingId"]
    accepted = expect(http.post(f"/api/v1/bookings/{booking_id}/accept", headers=as_coach), 200)
    canceled = expect(
        http.post(
            f"/api/v1/bookings/{booking_id}/cancel",
            json={"cancellationReasonCode": "NoTime"},
            headers=athlete,
        ),
        200,
    )

    assert order["paymentStatus"] == "Cash"
    assert order["bookings"][0]["bookingStatus"] == "Pending"
    assert order["bookings"][0]["serviceCardinality"] == 1
    assert order["bookings"][0]["timeslot"]["price"] == 1500
    assert accepted["bookingStatus"] == "Accepted"
    assert canceled["bookingStatus"] == "Canceled"
    assert canceled["canceledByRole"] == "Athlete"
    assert canceled["serviceCardinality"] is None
    seats = expect(http.get(f"/api/v1/admin/coach-events/{event['eventId']}", headers=admin_headers), 200)
    assert seats["seatsTaken"] == 0
