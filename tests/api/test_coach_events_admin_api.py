"""Coach events over the admin API: scheduling, validation, reading, and cancelling with their bookings."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from ledger.runtime import Runtime
from tests.api.orders_support import (
    BOOKING_SCOPES,
    BookingTenant,
    admin_error_type,
    book,
    cancel_booking,
    coach_event_body,
    make_booking_tenant,
    new_user,
    place_order,
    read_booking,
    schedule_coach_event,
)
from tests.support import expect, instant, make_tenant, random_day

EVENTS = "/api/v1/admin/coach-events"
VIEW_WAIT_SECONDS = 30.0


def bookings_view_caught_up(runtime: Runtime) -> bool:
    """Whether the bookings view reaches the log's present head (every write answered so far) in time."""
    head = runtime.ledger.recorder.max_notification_id() or 0
    return runtime.bookings.wait_for(head, VIEW_WAIT_SECONDS)


def _booked_twice(
    http: httpx.Client, admin_headers: dict[str, str]
) -> tuple[BookingTenant, dict[str, Any], str, str]:
    """A three-seat event of a fresh tenant's coach, booked by its athlete and then by a second user.

    Returns the tenant, the event and the two booking ids, the athlete's first.
    """
    shop = make_booking_tenant(http, admin_headers)
    second_athlete = shop.link_new_user()
    event = schedule_coach_event(http, admin_headers, shop.coach_id, numberOfParticipants=3)
    [first] = book(shop, [event["eventId"]])
    [second] = book(shop, [event["eventId"]], second_athlete)
    return shop, event, first, second


def test_scheduling_a_coach_event_answers_201_with_the_event_and_its_defaulted_timeslot(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    coach_id = new_user(http, admin_headers)
    start = random_day() + timedelta(hours=9)
    address_id = str(uuid.uuid4())
    body = coach_event_body(coach_id, start, address_id=address_id)

    created = expect(http.post(EVENTS, json=body, headers=admin_headers), 201)

    assert uuid.UUID(created["eventId"])
    assert created["coachId"] == coach_id
    assert created["sportId"] == body["sportId"]
    assert datetime.fromisoformat(created["startAt"]) == start
    assert datetime.fromisoformat(created["endAt"]) == start + timedelta(hours=1)
    assert created["addressId"] == address_id
    assert created["organizationId"] is None
    assert created["status"] == "Active"
    assert created["seatsTaken"] == 0
    slot = created["timeslot"]
    assert uuid.UUID(slot["timeSlotId"])
    assert slot["startTime"] == "09:00:00+00:00"
    assert slot["endTime"] == "10:00:00+00:00"
    assert slot["numberOfParticipants"] == 3
    assert slot["slotType"] == "Offline"
    assert (slot["ageFrom"], slot["ageTo"]) == (18, 99)
    assert slot["duration"] == 60
    assert slot["price"] == 1500
    assert slot["priceCurrency"] == "RUB"
    assert slot["paymentMethod"] == "Cash"
    assert slot["addressId"] == address_id
    assert slot["public"] is True
    assert slot["level"] == "Any"
    assert slot["eligibility"] == "All"


def test_scheduling_a_coach_event_keeps_the_optional_timeslot_fields_given(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    coach_id = new_user(http, admin_headers)
    body = coach_event_body(
        coach_id,
        random_day() + timedelta(hours=9),
        slotType="Online",
        ageFrom=30,
        ageTo=45,
        duration=45,
        level="Pro",
        eligibility="Women",
        public=False,
        price=0,
    )

    slot = expect(http.post(EVENTS, json=body, headers=admin_headers), 201)["timeslot"]

    assert slot["slotType"] == "Online"
    assert (slot["ageFrom"], slot["ageTo"]) == (30, 45)
    assert slot["duration"] == 45
    assert slot["level"] == "Pro"
    assert slot["eligibility"] == "Women"
    assert slot["public"] is False
    assert slot["price"] == 0
    assert slot["addressId"] is None


def test_getting_a_coach_event_answers_what_scheduling_answered(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    created = schedule_coach_event(http, admin_headers, new_user(http, admin_headers))

    fetched = expect(http.get(f"{EVENTS}/{created['eventId']}", headers=admin_headers), 200)

    assert fetched == created


@pytest.mark.parametrize(
    ("slot_change", "event_change"),
    [
        pytest.param({"ageFrom": 17}, {}, id="age-from-below-18"),
        pytest.param({"ageFrom": 100}, {}, id="age-from-above-99"),
        pytest.param({"ageTo": 17}, {}, id="age-to-below-18"),
        pytest.param({"ageTo": 100}, {}, id="age-to-above-99"),
        pytest.param({"duration": 14}, {}, id="duration-below-15"),
        pytest.param({"numberOfParticipants": 0}, {}, id="no-participants"),
        pytest.param({"slotType": "Hybrid"}, {}, id="unknown-slot-type"),
        pytest.param({"level": "Expert"}, {}, id="unknown-level"),
        pytest.param({"eligibility": "Kids"}, {}, id="unknown-eligibility"),
        pytest.param({"priceCurrency": "EUR"}, {}, id="unknown-currency"),
        pytest.param({"paymentMethod": "Card"}, {}, id="unknown-payment-method"),
        pytest.param({"price": 15.5}, {}, id="fractional-price"),
        pytest.param({"price": "1500"}, {}, id="price-as-string"),
        pytest.param({"price": 1500.0}, {}, id="price-as-float"),
        pytest.param({"price": True}, {}, id="price-as-boolean"),
        pytest.param({}, {"endAt": "START"}, id="end-equal-to-start"),
        pytest.param({}, {"endAt": "BEFORE"}, id="end-before-start"),
        pytest.param({}, {"startAt": "2045-01-01T09:00:00"}, id="start-without-offset"),
        pytest.param({}, {"endAt": "2045-01-01T10:00:00"}, id="end-without-offset"),
        pytest.param({}, {"sportId": "not-a-uuid"}, id="sport-id-not-a-uuid"),
        pytest.param({}, {"organizationId": "not-a-uuid"}, id="organization-id-not-a-uuid"),
    ],
)
def test_scheduling_a_coach_event_outside_the_seeds_ranges_answers_400(
    http: httpx.Client,
    admin_headers: dict[str, str],
    slot_change: dict[str, Any],
    event_change: dict[str, Any],
) -> None:
    coach_id = new_user(http, admin_headers)
    start = datetime.fromisoformat("2045-01-01T09:00:00+00:00")
    body = coach_event_body(coach_id, start)
    body["timeslot"].update(slot_change)
    moments = {"START": instant(start), "BEFORE": instant(start - timedelta(minutes=30))}
    body.update({key: moments.get(value, value) for key, value in event_change.items()})

    response = http.post(EVENTS, json=body, headers=admin_headers)

    assert admin_error_type(response, 400) == "invalid_schema"


def test_scheduling_a_coach_event_in_an_organization_answers_and_keeps_the_organization(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)

    created = schedule_coach_event(
        http, admin_headers, new_user(http, admin_headers), organization_id=tenant.organization_id
    )
    fetched = expect(http.get(f"{EVENTS}/{created['eventId']}", headers=admin_headers), 200)

    assert created["organizationId"] == tenant.organization_id
    assert fetched == created


def test_scheduling_a_coach_event_in_an_unknown_organization_answers_404_organization_not_found(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = coach_event_body(
        new_user(http, admin_headers), random_day() + timedelta(hours=9), organization_id=str(uuid.uuid4())
    )

    response = http.post(EVENTS, json=body, headers=admin_headers)

    assert admin_error_type(response, 404) == "organization_not_found"


def test_scheduling_a_coach_event_for_an_unknown_coach_answers_404(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    body = coach_event_body(str(uuid.uuid4()), random_day() + timedelta(hours=9))

    response = http.post(EVENTS, json=body, headers=admin_headers)

    assert admin_error_type(response, 404) == "user_not_found"


@pytest.mark.parametrize("method", ["GET", "CANCEL"])
def test_reading_or_cancelling_an_unknown_coach_event_answers_404(
    http: httpx.Client, admin_headers: dict[str, str], method: str
) -> None:
    path = f"{EVENTS}/{uuid.uuid4()}"

    if method == "GET":
        response = http.get(path, headers=admin_headers)
    else:
        response = http.post(f"{path}/cancel", headers=admin_headers)

    assert admin_error_type(response, 404) == "not_found"


def test_cancelling_a_coach_event_cancels_its_active_bookings_as_the_system(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    shop, event, pending, accepted = _booked_twice(http, admin_headers)
    expect(http.post(f"/api/v1/bookings/{accepted}/accept", headers=shop.acting(shop.coach_id)), 200)

    canceled = expect(http.post(f"{EVENTS}/{event['eventId']}/cancel", headers=admin_headers), 200)
    # serviceCardinality is read from the bookings view, which follows the log: read once it has the cancel.
    assert bookings_view_caught_up(runtime)

    assert canceled["eventId"] == event["eventId"]
    assert canceled["status"] == "Canceled"
    assert canceled["seatsTaken"] == 0
    assert expect(http.get(f"{EVENTS}/{event['eventId']}", headers=admin_headers), 200) == canceled
    for booking_id in (pending, accepted):
        booking = read_booking(shop, booking_id)
        assert booking["bookingStatus"] == "Canceled"
        assert booking["canceledByRole"] == "System"
        assert booking["canceledAt"] is not None
        assert booking["cancellationReasonCode"] is None
        assert booking["eventStatus"] == "Canceled"
        assert booking["serviceCardinality"] is None


def test_cancelling_a_coach_event_leaves_cancelled_and_rejected_bookings_as_they_were(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    shop, event, self_canceled, rejected = _booked_twice(http, admin_headers)
    expect(cancel_booking(shop, self_canceled), 200)
    expect(http.post(f"/api/v1/bookings/{rejected}/reject", headers=shop.acting(shop.coach_id)), 200)

    expect(http.post(f"{EVENTS}/{event['eventId']}/cancel", headers=admin_headers), 200)

    kept_cancellation = read_booking(shop, self_canceled)
    assert kept_cancellation["bookingStatus"] == "Canceled"
    assert kept_cancellation["canceledByRole"] == "Athlete"
    assert kept_cancellation["cancellationReasonCode"] == "NoTime"
    assert kept_cancellation["eventStatus"] == "Canceled"
    kept_rejection = read_booking(shop, rejected)
    assert kept_rejection["bookingStatus"] == "Rejected"
    assert kept_rejection["canceledByRole"] is None
    assert kept_rejection["eventStatus"] == "Canceled"


def test_cancelling_a_coach_event_twice_answers_409(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    event = schedule_coach_event(http, admin_headers, new_user(http, admin_headers))
    expect(http.post(f"{EVENTS}/{event['eventId']}/cancel", headers=admin_headers), 200)

    response = http.post(f"{EVENTS}/{event['eventId']}/cancel", headers=admin_headers)

    assert admin_error_type(response, 409) == "conflict"
    assert (
        expect(http.get(f"{EVENTS}/{event['eventId']}", headers=admin_headers), 200)["status"] == "Canceled"
    )


def test_ordering_a_cancelled_coach_event_answers_409_event_canceled(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)
    event = schedule_coach_event(http, admin_headers, new_user(http, admin_headers, tenant.client_id))
    expect(http.post(f"{EVENTS}/{event['eventId']}/cancel", headers=admin_headers), 200)

    response = place_order(tenant, [event["eventId"]])

    body = expect(response, 409)
    assert [error["code"] for error in body["errors"]] == ["event_canceled"]


@pytest.mark.parametrize("operation", ["schedule", "get", "cancel"])
@pytest.mark.parametrize("credentials", ["none", "wrong-token", "admin-scope-client-key"])
def test_coach_event_operations_require_the_admin_token(
    http: httpx.Client, admin_headers: dict[str, str], operation: str, credentials: str
) -> None:
    coach_id = new_user(http, admin_headers)
    event = schedule_coach_event(http, admin_headers, coach_id)
    headers = {
        "none": {},
        "wrong-token": {"Authorization": "Bearer not-the-admin-token"},
        "admin-scope-client-key": make_tenant(http, admin_headers, scopes=["admin"]).headers,
    }[credentials]
    requests = {
        "schedule": ("POST", EVENTS, coach_event_body(coach_id, random_day() + timedelta(hours=9))),
        "get": ("GET", f"{EVENTS}/{event['eventId']}", None),
        "cancel": ("POST", f"{EVENTS}/{event['eventId']}/cancel", None),
    }
    method, path, body = requests[operation]

    response = http.request(method, path, json=body, headers=headers)

    assert admin_error_type(response, 401) in {"missing_api_token", "invalid_api_token"}
    assert response.headers["WWW-Authenticate"] == "Bearer"
    unchanged = expect(http.get(f"{EVENTS}/{event['eventId']}", headers=admin_headers), 200)
    assert unchanged["status"] == "Active"
