"""The booking lifecycle over HTTP: read, accept, reject, cancel, complete, note, dismiss and dispute."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from uuid import UUID

import httpx
import pytest

from domain.base import LedgerAggregate
from domain.booking import Booking
from domain.coach_event import CoachEvent
from ledger.runtime import Runtime
from tests.api.orders_support import (
    BOOKING_FIELDS,
    BOOKING_SCOPES,
    TIMESLOT_FIELDS,
    acting,
    booking_ids,
    bookings_of,
    errors_of,
    link_new_user,
    make_booking_tenant,
    new_user,
    place_order,
    read_booking,
    schedule_coach_event,
    seats_taken,
)
from tests.support import MovableClock, Tenant, expect, make_tenant

GET = "GET /api/v1/bookings/{bookingId}"
ACCEPT = "POST /api/v1/bookings/{bookingId}/accept"
REJECT = "POST /api/v1/bookings/{bookingId}/reject"
CANCEL = "POST /api/v1/bookings/{bookingId}/cancel"
COMPLETED = "PATCH /api/v1/bookings/{bookingId}/completed"
NOTE = "PUT /api/v1/bookings/{bookingId}/note"
DISMISS = "POST /api/v1/bookings/{bookingId}/dismiss"
DISPUTE = "POST /api/v1/bookings/{bookingId}/disputes"
RESOLVE = "POST /api/v1/bookings/{bookingId}/disputes/resolve"


@dataclass
class _Scene:
    """A tenant whose user booked one seat of a coach event; the coach is linked to the tenant's client."""

    http: httpx.Client
    admin_headers: dict[str, str]
    tenant: Tenant
    coach_id: str
    event: dict[str, Any]
    booking: dict[str, Any]

    @property
    def booking_id(self) -> str:
        return str(self.booking["bookingId"])

    @property
    def athlete(self) -> dict[str, str]:
        return acting(self.tenant)

    @property
    def coach(self) -> dict[str, str]:
        return acting(self.tenant, self.coach_id)

    def system(self) -> dict[str, str]:
        """The headers of a fresh client with the `admin` scope, acting for no user."""
        return make_tenant(self.http, self.admin_headers, scopes=["admin"]).headers

    def stranger(self) -> dict[str, str]:
        """A user linked to the tenant's client who is neither the owner nor the coach."""
        return acting(self.tenant, link_new_user(self.tenant))

    def path(self, suffix: str = "") -> str:
        return f"/api/v1/bookings/{self.booking_id}{suffix}"

    def post(
        self, suffix: str, headers: dict[str, str], body: dict[str, Any] | None = None
    ) -> httpx.Response:
        return self.http.post(self.path(suffix), json=body, headers=headers)

    def cancel(self, headers: dict[str, str], code: str = "NoTime") -> httpx.Response:
        return self.post("/cancel", headers, {"cancellationReasonCode": code})

    def read(self) -> dict[str, Any]:
        return read_booking(self.tenant, self.booking_id)

    def seats_taken(self) -> int:
        return seats_taken(self.tenant, self.event["eventId"])

    def after_the_end(self, clock: MovableClock) -> None:
        """Move the server's clock just past the booking's end."""
        clock.advance(datetime.fromisoformat(self.booking["endAt"]) - clock() + timedelta(minutes=1))

    def reach(self, status: str, clock: MovableClock) -> None:
        """Bring the Pending booking to `status` with the server's clock past the booking's end."""
        if status == "Rejected":
            expect(self.post("/reject", self.coach), 200)
        if status == "Canceled":
            expect(self.cancel(self.athlete), 200)
        if status in ("Accepted", "InDispute", "DisputeDone"):
            expect(self.post("/accept", self.coach), 200)
        self.after_the_end(clock)
        if status in ("InDispute", "DisputeDone"):
            expect(self.post("/disputes", self.athlete, {"reason": "First."}), 200)
        if status == "DisputeDone":
            expect(self.post("/disputes/resolve", self.coach, {"resolution": "Done."}), 200)


def _scene(http: httpx.Client, admin_headers: dict[str, str]) -> _Scene:
    shop = make_booking_tenant(http, admin_headers)
    event = schedule_coach_event(
        http,
        admin_headers,
        shop.coach_id,
        hours=1.5,
        address_id=str(uuid.uuid4()),
        numberOfParticipants=4,
        ageFrom=25,
        ageTo=60,
        price=2500,
        level="Medium",
        eligibility="Men",
    )
    booking = expect(place_order(shop, [event["eventId"]]), 201)["bookings"][0]
    return _Scene(http, admin_headers, shop.tenant, shop.coach_id, event, booking)


def _accepted_scene(http: httpx.Client, admin_headers: dict[str, str]) -> _Scene:
    scene = _scene(http, admin_headers)
    expect(scene.post("/accept", scene.coach), 200)
    return scene


def _error(response: httpx.Response, status: int, code: str, endpoint: str) -> dict[str, str]:
    """The single error entry of a bookings-surface error, after checking its format."""
    [entry] = errors_of(response, status, endpoint)
    assert set(response.json()) == {"errors"}
    assert entry["code"] == code
    assert entry["message"]
    return entry


def _recorded(runtime: Runtime, aggregate_id: str) -> list[LedgerAggregate.Event]:
    """The stored events of one aggregate, oldest first."""
    stored = list(runtime.ledger.events.get(UUID(aggregate_id)))
    events = [event for event in stored if isinstance(event, LedgerAggregate.Event)]
    assert len(events) == len(stored)
    return events


def _listed_ids(scene: _Scene, done: Callable[[list[str]], bool]) -> list[str]:
    """The booking ids of the owner's listing, polled briefly until `done(ids)` holds (the view is async)."""
    rows = bookings_of(scene.tenant, scene.tenant.user_id, done=lambda rows: done(booking_ids(rows)))
    return booking_ids(rows)


# Reading


def test_get_booking_returns_the_seed_shape_with_the_nested_timeslot(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)

    booking = scene.read()

    assert set(booking) == BOOKING_FIELDS
    assert booking["bookingId"] == scene.booking_id
    assert uuid.UUID(booking["orderId"])
    assert booking["userId"] == scene.tenant.user_id
    assert booking["coachId"] == scene.coach_id
    assert booking["eventId"] == scene.event["eventId"]
    assert booking["sportId"] == scene.event["sportId"]
    assert datetime.fromisoformat(booking["startAt"]) == datetime.fromisoformat(scene.event["startAt"])
    assert datetime.fromisoformat(booking["endAt"]) == datetime.fromisoformat(scene.event["endAt"])
    assert booking["bookingStatus"] == "Pending"
    assert booking["eventStatus"] == "Active"
    assert booking["completed"] is False
    assert booking["note"] is None
    assert booking["canceledAt"] is None
    assert booking["canceledByRole"] is None
    assert booking["cancellationReasonCode"] is None
    assert booking["cancellationReasonText"] is None
    assert booking["serviceCardinality"] == 1
    slot = booking["timeslot"]
    assert set(slot) == TIMESLOT_FIELDS
    assert slot == scene.event["timeslot"]
    assert slot["startTime"] == "09:00:00+00:00"
    assert slot["endTime"] == "10:30:00+00:00"
    assert slot["duration"] == 90
    assert slot["numberOfParticipants"] == 4
    assert (slot["ageFrom"], slot["ageTo"]) == (25, 60)
    assert slot["price"] == 2500
    assert slot["priceCurrency"] == "RUB"
    assert slot["paymentMethod"] == "Cash"
    assert slot["addressId"] == scene.event["addressId"]
    assert (slot["level"], slot["eligibility"]) == ("Medium", "Men")


def test_get_booking_of_another_client_answers_404_not_found(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)
    other = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)

    response = http.get(scene.path(), headers=acting(other))

    _error(response, 404, "not_found", GET)


def test_get_unknown_booking_answers_404_not_found(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    tenant = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)

    response = http.get(f"/api/v1/bookings/{uuid.uuid4()}", headers=acting(tenant))

    _error(response, 404, "not_found", GET)


def test_client_with_the_admin_scope_reads_any_clients_booking_without_an_acting_user(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)

    booking = expect(http.get(scene.path(), headers=scene.system()), 200)

    assert booking["bookingId"] == scene.booking_id
    assert booking["userId"] == scene.tenant.user_id


def test_reading_a_booking_without_an_acting_user_answers_400_validation(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)

    response = http.get(scene.path(), headers=scene.tenant.headers)

    _error(response, 400, "validation", GET)


def test_acting_for_a_user_not_linked_to_the_client_answers_403_forbidden(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)
    unlinked = new_user(http, admin_headers)

    response = scene.cancel(acting(scene.tenant, unlinked))

    _error(response, 403, "forbidden", CANCEL)
    assert scene.read()["bookingStatus"] == "Pending"


def test_lifecycle_calls_without_an_api_key_answer_401_unauthorized(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)

    response = scene.post("/accept", {"x-current-user-id": scene.coach_id})

    _error(response, 401, "unauthorized", ACCEPT)
    assert scene.read()["bookingStatus"] == "Pending"


def test_lifecycle_writes_without_the_bookings_write_scope_answer_403_forbidden(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)
    reader = expect(
        http.post(
            "/api/v1/admin/clients",
            json={"name": "Reader", "scopes": ["bookings:read"]},
            headers=admin_headers,
        ),
        201,
    )
    key = expect(http.post(f"/api/v1/admin/clients/{reader['id']}/api-keys", headers=admin_headers), 201)

    response = scene.post("/accept", {"Authorization": f"Bearer {key['key']}"})

    _error(response, 403, "forbidden", ACCEPT)
    assert scene.read()["bookingStatus"] == "Pending"


# Accept and reject


def test_coach_accepts_a_pending_booking(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    scene = _scene(http, admin_headers)

    response = scene.post("/accept", scene.coach)

    accepted = expect(response, 200)
    assert accepted["bookingStatus"] == "Accepted"
    assert accepted["bookingId"] == scene.booking_id
    assert accepted["serviceCardinality"] == 1
    assert int(response.headers["X-Ledger-Position"]) > 0
    assert scene.read()["bookingStatus"] == "Accepted"
    assert scene.seats_taken() == 1


def test_coach_rejects_a_pending_booking_and_frees_its_seat(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)

    rejected = expect(scene.post("/reject", scene.coach), 200)

    assert rejected["bookingStatus"] == "Rejected"
    assert rejected["canceledByRole"] is None
    assert scene.read()["bookingStatus"] == "Rejected"
    assert scene.seats_taken() == 0


@pytest.mark.parametrize(("action", "status"), [("accept", "Accepted"), ("reject", "Rejected")])
def test_client_with_the_admin_scope_accepts_or_rejects_without_an_acting_user(
    http: httpx.Client, admin_headers: dict[str, str], action: str, status: str
) -> None:
    scene = _scene(http, admin_headers)

    changed = expect(scene.post(f"/{action}", scene.system()), 200)

    assert changed["bookingStatus"] == status
    assert scene.read()["bookingStatus"] == status


@pytest.mark.parametrize(("action", "endpoint"), [("accept", ACCEPT), ("reject", REJECT)])
def test_athlete_cannot_accept_or_reject_their_own_booking(
    http: httpx.Client, admin_headers: dict[str, str], action: str, endpoint: str
) -> None:
    scene = _scene(http, admin_headers)

    response = scene.post(f"/{action}", scene.athlete)

    _error(response, 403, "not_booking_party", endpoint)
    assert scene.read()["bookingStatus"] == "Pending"


@pytest.mark.parametrize(("action", "endpoint"), [("accept", ACCEPT), ("reject", REJECT)])
def test_a_user_who_is_neither_owner_nor_coach_cannot_accept_or_reject(
    http: httpx.Client, admin_headers: dict[str, str], action: str, endpoint: str
) -> None:
    scene = _scene(http, admin_headers)

    response = scene.post(f"/{action}", scene.stranger())

    _error(response, 403, "not_booking_party", endpoint)
    assert scene.read()["bookingStatus"] == "Pending"


@pytest.mark.parametrize(
    ("first", "then", "endpoint"),
    [
        ("accept", "accept", ACCEPT),
        ("accept", "reject", REJECT),
        ("reject", "accept", ACCEPT),
        ("reject", "reject", REJECT),
        ("cancel", "accept", ACCEPT),
        ("cancel", "reject", REJECT),
    ],
)
def test_accept_and_reject_only_apply_to_a_pending_booking(
    http: httpx.Client, admin_headers: dict[str, str], first: str, then: str, endpoint: str
) -> None:
    scene = _scene(http, admin_headers)
    if first == "cancel":
        expect(scene.cancel(scene.athlete), 200)
    else:
        expect(scene.post(f"/{first}", scene.coach), 200)
    before = scene.read()

    response = scene.post(f"/{then}", scene.coach)

    _error(response, 409, "invalid_status_transition", endpoint)
    assert scene.read() == before


# Cancel


def test_athlete_cancels_with_a_reason_and_frees_the_seat(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    scene = _accepted_scene(http, admin_headers)
    assert scene.seats_taken() == 1
    before = clock()

    canceled = expect(
        scene.post(
            "/cancel",
            scene.athlete,
            {"cancellationReasonCode": "NotFeelingWell", "cancellationReasonText": "A cold."},
        ),
        200,
    )

    assert canceled["bookingStatus"] == "Canceled"
    assert canceled["canceledByRole"] == "Athlete"
    assert canceled["cancellationReasonCode"] == "NotFeelingWell"
    assert canceled["cancellationReasonText"] == "A cold."
    assert before <= datetime.fromisoformat(canceled["canceledAt"]) <= clock()
    assert canceled["serviceCardinality"] is None
    assert scene.read() == canceled
    assert scene.seats_taken() == 0


def test_coach_cancels_a_booking_as_the_coach(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    scene = _scene(http, admin_headers)

    canceled = expect(scene.cancel(scene.coach, code="Other"), 200)

    assert canceled["bookingStatus"] == "Canceled"
    assert canceled["canceledByRole"] == "Coach"
    assert canceled["cancellationReasonCode"] == "Other"
    assert canceled["cancellationReasonText"] is None
    assert scene.seats_taken() == 0


def test_client_with_the_admin_scope_cancels_as_the_system(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _accepted_scene(http, admin_headers)

    canceled = expect(scene.cancel(scene.system()), 200)

    assert canceled["bookingStatus"] == "Canceled"
    assert canceled["canceledByRole"] == "System"
    assert canceled["cancellationReasonCode"] == "NoTime"
    assert scene.seats_taken() == 0


def test_a_freed_seat_can_be_booked_again(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    scene = _scene(http, admin_headers)
    expect(scene.cancel(scene.athlete), 200)

    again = expect(place_order(scene.tenant, [scene.event["eventId"]]), 201)

    assert again["bookings"][0]["bookingId"] != scene.booking_id
    assert again["bookings"][0]["bookingStatus"] == "Pending"
    assert scene.seats_taken() == 1


def test_cancelling_a_cancelled_booking_answers_409_invalid_status_transition(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)
    first = expect(scene.cancel(scene.athlete), 200)

    response = scene.cancel(scene.coach, code="Other")

    _error(response, 409, "invalid_status_transition", CANCEL)
    assert scene.read() == first


def test_cancelling_a_rejected_booking_answers_409_invalid_status_transition(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)
    expect(scene.post("/reject", scene.coach), 200)

    response = scene.cancel(scene.athlete)

    _error(response, 409, "invalid_status_transition", CANCEL)
    assert scene.read()["bookingStatus"] == "Rejected"


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"cancellationReasonCode": "Bored"}, id="unknown-code"),
        pytest.param({"cancellationReasonCode": "notime"}, id="wrong-case"),
        pytest.param({"cancellationReasonCode": None}, id="null-code"),
        pytest.param({"cancellationReasonText": "No code."}, id="missing-code"),
    ],
)
def test_cancelling_with_a_bad_reason_code_answers_400_validation(
    http: httpx.Client, admin_headers: dict[str, str], body: dict[str, Any]
) -> None:
    scene = _scene(http, admin_headers)

    response = scene.post("/cancel", scene.athlete, body)

    assert expect(response, 400)["errors"][0]["code"] == "validation"
    assert {entry["endpoint"] for entry in response.json()["errors"]} == {CANCEL}
    assert scene.read()["bookingStatus"] == "Pending"
    assert scene.seats_taken() == 1


def test_a_user_linked_to_the_client_cannot_cancel_someone_elses_booking(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)

    response = scene.cancel(scene.stranger())

    _error(response, 403, "not_booking_party", CANCEL)
    assert scene.read()["bookingStatus"] == "Pending"
    assert scene.seats_taken() == 1


def test_another_clients_user_cannot_cancel_the_booking(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)
    other = make_tenant(http, admin_headers, scopes=BOOKING_SCOPES)

    response = scene.cancel(acting(other))

    _error(response, 404, "not_found", CANCEL)
    assert scene.read()["bookingStatus"] == "Pending"


# Completed and note


def test_marking_completed_before_the_booking_ended_answers_409_booking_not_happened_yet(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    scene = _accepted_scene(http, admin_headers)
    clock.advance(datetime.fromisoformat(scene.booking["endAt"]) - clock() - timedelta(minutes=1))

    response = http.patch(scene.path("/completed"), json={"completed": True}, headers=scene.coach)

    _error(response, 409, "booking_not_happened_yet", COMPLETED)
    assert scene.read()["completed"] is False


def test_writing_a_note_before_the_booking_ended_answers_409_booking_not_happened_yet(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _accepted_scene(http, admin_headers)

    response = http.put(scene.path("/note"), json={"note": "Too early."}, headers=scene.athlete)

    _error(response, 409, "booking_not_happened_yet", NOTE)
    assert scene.read()["note"] is None


def test_booking_is_marked_completed_and_uncompleted_after_it_ended(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    scene = _accepted_scene(http, admin_headers)
    scene.after_the_end(clock)

    completed = expect(
        http.patch(scene.path("/completed"), json={"completed": True}, headers=scene.coach), 200
    )
    read_completed = scene.read()
    uncompleted = expect(
        http.patch(scene.path("/completed"), json={"completed": False}, headers=scene.athlete), 200
    )

    assert completed["completed"] is True
    assert completed["bookingStatus"] == "Accepted"
    assert read_completed["completed"] is True
    assert uncompleted["completed"] is False
    assert scene.read()["completed"] is False


def test_completed_must_be_a_boolean(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    scene = _accepted_scene(http, admin_headers)
    scene.after_the_end(clock)

    response = http.patch(scene.path("/completed"), json={"completed": "yes"}, headers=scene.coach)

    assert expect(response, 400)["errors"][0]["code"] == "validation"
    assert scene.read()["completed"] is False


def test_owner_and_coach_write_notes_after_the_booking_ended(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    scene = _accepted_scene(http, admin_headers)
    scene.after_the_end(clock)

    by_athlete = expect(
        http.put(scene.path("/note"), json={"note": "Great session."}, headers=scene.athlete), 200
    )
    by_coach = expect(
        http.put(scene.path("/note"), json={"note": "Work on the serve."}, headers=scene.coach), 200
    )

    assert by_athlete["note"] == "Great session."
    assert by_coach["note"] == "Work on the serve."
    assert scene.read()["note"] == "Work on the serve."


# Dismiss


def test_owner_dismisses_a_cancelled_booking_which_leaves_their_listing_but_stays_readable(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)
    canceled = expect(scene.cancel(scene.athlete), 200)
    assert _listed_ids(scene, lambda ids: scene.booking_id in ids) == [scene.booking_id]

    dismissed = expect(
        http.post(scene.path("/dismiss"), params={"userId": scene.tenant.user_id}, headers=scene.athlete), 200
    )

    assert dismissed["bookingId"] == scene.booking_id
    assert dismissed["bookingStatus"] == "Canceled"
    assert _listed_ids(scene, lambda ids: scene.booking_id not in ids) == []
    assert scene.read() == canceled


def test_dismissing_twice_is_harmless(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    scene = _scene(http, admin_headers)
    expect(scene.cancel(scene.athlete), 200)
    params = {"userId": scene.tenant.user_id}
    expect(http.post(scene.path("/dismiss"), params=params, headers=scene.athlete), 200)

    again = expect(http.post(scene.path("/dismiss"), params=params, headers=scene.athlete), 200)

    assert again["bookingStatus"] == "Canceled"


@pytest.mark.parametrize("status", ["Pending", "Accepted", "Rejected"])
def test_dismissing_a_booking_that_is_not_cancelled_answers_409_booking_not_canceled(
    http: httpx.Client, admin_headers: dict[str, str], status: str
) -> None:
    scene = _scene(http, admin_headers)
    if status != "Pending":
        expect(scene.post("/accept" if status == "Accepted" else "/reject", scene.coach), 200)

    response = http.post(
        scene.path("/dismiss"), params={"userId": scene.tenant.user_id}, headers=scene.athlete
    )

    _error(response, 409, "booking_not_canceled", DISMISS)
    assert _listed_ids(scene, lambda ids: scene.booking_id in ids) == [scene.booking_id]


@pytest.mark.parametrize(
    "who", ["coach-as-self", "owner-naming-coach", "coach-naming-owner", "stranger-as-self"]
)
def test_only_the_owner_naming_themselves_may_dismiss(
    http: httpx.Client, admin_headers: dict[str, str], who: str
) -> None:
    scene = _scene(http, admin_headers)
    expect(scene.cancel(scene.athlete), 200)
    stranger = link_new_user(scene.tenant)
    acting_id, named = {
        "coach-as-self": (scene.coach_id, scene.coach_id),
        "owner-naming-coach": (scene.tenant.user_id, scene.coach_id),
        "coach-naming-owner": (scene.coach_id, scene.tenant.user_id),
        "stranger-as-self": (stranger, stranger),
    }[who]

    response = http.post(
        scene.path("/dismiss"), params={"userId": named}, headers=acting(scene.tenant, acting_id)
    )

    _error(response, 403, "not_booking_owner", DISMISS)
    assert _listed_ids(scene, lambda ids: scene.booking_id in ids) == [scene.booking_id]


def test_dismiss_requires_the_user_id_parameter(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    scene = _scene(http, admin_headers)
    expect(scene.cancel(scene.athlete), 200)

    response = scene.post("/dismiss", scene.athlete)

    assert expect(response, 400)["errors"][0]["code"] == "validation"


# Disputes


def test_dispute_before_the_booking_ended_answers_409_booking_not_happened_yet(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _accepted_scene(http, admin_headers)

    response = scene.post("/disputes", scene.athlete, {"reason": "The coach did not come."})

    _error(response, 409, "booking_not_happened_yet", DISPUTE)
    assert scene.read()["bookingStatus"] == "Accepted"


def test_owner_disputes_and_coach_resolves_after_the_booking_ended(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    scene = _accepted_scene(http, admin_headers)
    scene.after_the_end(clock)

    disputed = expect(scene.post("/disputes", scene.athlete, {"reason": "The coach was late."}), 200)
    read_disputed = scene.read()
    resolved = expect(scene.post("/disputes/resolve", scene.coach, {"resolution": "Refunded."}), 200)

    assert disputed["bookingStatus"] == "InDispute"
    assert read_disputed["bookingStatus"] == "InDispute"
    assert resolved["bookingStatus"] == "DisputeDone"
    assert scene.read()["bookingStatus"] == "DisputeDone"
    assert scene.seats_taken() == 1


def test_coach_disputes_and_owner_resolves_after_the_booking_ended(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    scene = _accepted_scene(http, admin_headers)
    scene.after_the_end(clock)

    disputed = expect(scene.post("/disputes", scene.coach, {"reason": "The athlete did not pay."}), 200)
    resolved = expect(scene.post("/disputes/resolve", scene.athlete, {"resolution": "Paid in cash."}), 200)

    assert disputed["bookingStatus"] == "InDispute"
    assert resolved["bookingStatus"] == "DisputeDone"


def test_resolving_before_the_booking_ended_answers_409_booking_not_happened_yet(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _accepted_scene(http, admin_headers)

    response = scene.post("/disputes/resolve", scene.coach, {"resolution": "Nothing to resolve."})

    _error(response, 409, "booking_not_happened_yet", RESOLVE)


@pytest.mark.parametrize("status", ["Pending", "Rejected", "Canceled", "InDispute", "DisputeDone"])
def test_disputes_open_only_from_accepted(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock, status: str
) -> None:
    scene = _scene(http, admin_headers)
    scene.reach(status, clock)

    response = scene.post("/disputes", scene.athlete, {"reason": "Again."})

    _error(response, 409, "invalid_status_transition", DISPUTE)
    assert scene.read()["bookingStatus"] == status


@pytest.mark.parametrize("status", ["Pending", "Accepted", "Rejected", "Canceled", "DisputeDone"])
def test_disputes_resolve_only_from_in_dispute(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock, status: str
) -> None:
    scene = _scene(http, admin_headers)
    scene.reach(status, clock)

    response = scene.post("/disputes/resolve", scene.coach, {"resolution": "Again."})

    _error(response, 409, "invalid_status_transition", RESOLVE)
    assert scene.read()["bookingStatus"] == status


@pytest.mark.parametrize("who", ["system", "stranger"])
def test_only_the_owner_or_the_coach_may_dispute(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock, who: str
) -> None:
    scene = _accepted_scene(http, admin_headers)
    scene.after_the_end(clock)
    headers = scene.system() if who == "system" else scene.stranger()

    response = scene.post("/disputes", headers, {"reason": "Not mine."})

    _error(response, 403, "not_booking_party", DISPUTE)
    assert scene.read()["bookingStatus"] == "Accepted"


@pytest.mark.parametrize("who", ["system", "stranger"])
def test_only_the_owner_or_the_coach_may_resolve_a_dispute(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock, who: str
) -> None:
    scene = _accepted_scene(http, admin_headers)
    scene.after_the_end(clock)
    expect(scene.post("/disputes", scene.athlete, {"reason": "Late."}), 200)
    headers = scene.system() if who == "system" else scene.stranger()

    response = scene.post("/disputes/resolve", headers, {"resolution": "Not mine."})

    _error(response, 403, "not_booking_party", RESOLVE)
    assert scene.read()["bookingStatus"] == "InDispute"


@pytest.mark.parametrize(
    ("suffix", "body"),
    [("/disputes", {"reason": ""}), ("/disputes", {}), ("/disputes/resolve", {"resolution": ""})],
)
def test_dispute_reason_and_resolution_must_be_given(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock, suffix: str, body: dict[str, Any]
) -> None:
    scene = _accepted_scene(http, admin_headers)
    scene.after_the_end(clock)
    if suffix == "/disputes/resolve":
        expect(scene.post("/disputes", scene.athlete, {"reason": "Late."}), 200)

    response = scene.post(suffix, scene.athlete, body)

    assert expect(response, 400)["errors"][0]["code"] == "validation"


# Error format, positions and traces


def test_an_offered_request_id_is_quoted_in_the_error(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)
    request_id = f"req-{uuid.uuid4().hex}"

    response = scene.post("/accept", {**scene.athlete, "X-Request-ID": request_id})

    entry = _error(response, 403, "not_booking_party", ACCEPT)
    assert entry["requestId"] == request_id


def test_every_write_answers_an_increasing_ledger_position(
    http: httpx.Client, admin_headers: dict[str, str], clock: MovableClock
) -> None:
    scene = _scene(http, admin_headers)
    positions = [int(scene.post("/accept", scene.coach).headers["X-Ledger-Position"])]
    scene.after_the_end(clock)
    writes: list[Callable[[], httpx.Response]] = [
        lambda: http.patch(scene.path("/completed"), json={"completed": True}, headers=scene.coach),
        lambda: http.put(scene.path("/note"), json={"note": "Done."}, headers=scene.athlete),
        lambda: scene.post("/disputes", scene.athlete, {"reason": "Late."}),
        lambda: scene.post("/disputes/resolve", scene.coach, {"resolution": "Fine."}),
    ]

    for write in writes:
        response = write()
        expect(response, 200)
        positions.append(int(response.headers["X-Ledger-Position"]))

    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions)


def test_the_traceparent_of_a_write_is_stored_on_its_event(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    scene = _scene(http, admin_headers)
    trace_id = secrets.token_hex(16)
    traceparent = f"00-{trace_id}-{secrets.token_hex(8)}-01"

    response = scene.post("/accept", {**scene.coach, "traceparent": traceparent})

    expect(response, 200)
    assert response.headers["traceparent"].split("-")[1] == trace_id
    events = _recorded(runtime, scene.booking_id)
    assert isinstance(events[-1], Booking.Accepted)
    assert events[-1].meta["traceId"] == trace_id
    assert events[0].meta.get("traceId") != trace_id


def test_the_traceparent_of_a_cancellation_is_stored_on_its_event(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    scene = _scene(http, admin_headers)
    trace_id = secrets.token_hex(16)

    response = http.post(
        scene.path("/cancel"),
        json={"cancellationReasonCode": "Other"},
        headers={**scene.athlete, "traceparent": f"00-{trace_id}-{secrets.token_hex(8)}-01"},
    )

    expect(response, 200)
    last = _recorded(runtime, scene.booking_id)[-1]
    assert isinstance(last, Booking.Canceled)
    assert last.meta["traceId"] == trace_id
    assert last.meta["actingUserId"] == scene.tenant.user_id
    seat_released = _recorded(runtime, scene.event["eventId"])[-1]
    assert isinstance(seat_released, CoachEvent.SeatReleased)
    assert seat_released.meta["traceId"] == trace_id


def test_a_malformed_traceparent_answers_400_validation(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    scene = _scene(http, admin_headers)

    response = scene.post("/accept", {**scene.coach, "traceparent": "00-not-a-trace-01"})

    _error(response, 400, "validation", ACCEPT)
    assert scene.read()["bookingStatus"] == "Pending"
