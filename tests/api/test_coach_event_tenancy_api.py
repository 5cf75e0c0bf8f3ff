"""Coach events belong to tenants: a client orders and lists only events of its own organizations."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
from eventsourcing.persistence import StoredEvent

from domain.coach_event import CoachEvent
from ledger.runtime import Runtime
from tests.api.orders_support import (
    BOOKING_SCOPES,
    Rows,
    book,
    booking_ids,
    error_code,
    errors_of,
    make_booking_tenant,
    new_user,
    order_body,
    place_order,
    poll,
    schedule_coach_event,
    schedule_event,
    seats_taken,
)
from tests.support import ACTING_USER, expect, make_tenant, random_day
from tests.unit.test_coach_event import timeslot

ORDERS = "POST /api/v1/orders"
BY_EVENT = "GET /api/v1/bookings/by-event/{eventId}"


@dataclass(frozen=True)
class Partner:
    """A client granted given organizations, with one linked user; not linked to any coach."""

    headers: dict[str, str]
    user_id: str

    @property
    def acting(self) -> dict[str, str]:
        return {**self.headers, ACTING_USER: self.user_id}


def _partner_in(http: httpx.Client, admin_headers: dict[str, str], *organization_ids: str) -> Partner:
    """A fresh client with the bookings scopes, granted `organization_ids`, and a user linked to it."""
    body = {"name": "Partner", "scopes": BOOKING_SCOPES, "organizationIds": list(organization_ids)}
    client = expect(http.post("/api/v1/admin/clients", json=body, headers=admin_headers), 201)
    key = expect(
        http.post(f"/api/v1/admin/clients/{client['id']}/api-keys", json={}, headers=admin_headers), 201
    )
    user_id = new_user(http, admin_headers, client["id"])
    return Partner({"Authorization": f"Bearer {key['key']}"}, user_id)


def _order(http: httpx.Client, partner: Partner, event_ids: list[str]) -> httpx.Response:
    return http.post("/api/v1/orders", json=order_body(partner.user_id, event_ids), headers=partner.acting)


def _by_event(http: httpx.Client, headers: dict[str, str], event_id: str) -> httpx.Response:
    return http.get(f"/api/v1/bookings/by-event/{event_id}", headers=headers)


def _listed(http: httpx.Client, headers: dict[str, str], event_id: str, count: int) -> Rows:
    """The event's listing for `headers`, polled until the lagging view lists `count` bookings."""
    rows: Rows = poll(
        lambda: expect(_by_event(http, headers, event_id), 200), lambda rows: len(rows) == count
    )
    return rows


def _not_found(response: httpx.Response, endpoint: str, event_id: str) -> None:
    """The response is the LE-KO 404 for an unknown event, naming only the event."""
    [entry] = errors_of(response, 404, endpoint)
    assert entry["code"] == "not_found"
    assert entry["message"] == f"Event {event_id} was not found."


def test_a_client_cannot_hold_seats_of_an_event_whose_coach_is_linked_only_to_another_client(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    intruder, owner = make_booking_tenant(http, admin_headers), make_booking_tenant(http, admin_headers)
    event_id = schedule_event(owner, seats=2)
    intruders_second_user = intruder.link_new_user()

    attempts = [place_order(intruder, [event_id]), place_order(intruder, [event_id], intruders_second_user)]

    for response in attempts:
        _not_found(response, ORDERS, event_id)
    assert seats_taken(owner, event_id) == 0
    [owned] = book(owner, [event_id])
    [also_owned] = book(owner, [event_id], owner.link_new_user())
    coach = owner.acting(owner.coach_id)
    assert sorted(booking_ids(_listed(http, coach, event_id, 2))) == sorted([owned, also_owned])
    rejected = expect(http.post(f"/api/v1/bookings/{owned}/reject", headers=coach), 200)
    assert rejected["bookingStatus"] == "Rejected"


def test_listing_the_bookings_of_another_tenants_event_answers_404_not_found(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    intruder, owner = make_booking_tenant(http, admin_headers), make_booking_tenant(http, admin_headers)
    event_id = schedule_event(owner)
    [owned] = book(owner, [event_id])

    response = _by_event(http, intruder.acting(), event_id)

    _not_found(response, BY_EVENT, event_id)
    assert owned not in response.text


def test_an_order_naming_an_own_and_a_foreign_event_is_refused_whole_with_404(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    intruder, owner = make_booking_tenant(http, admin_headers), make_booking_tenant(http, admin_headers)
    own_event, foreign_event = schedule_event(intruder), schedule_event(owner)

    response = place_order(intruder, [own_event, foreign_event])

    _not_found(response, ORDERS, foreign_event)
    assert seats_taken(intruder, own_event) == 0


def test_an_event_in_an_organization_is_for_the_clients_granted_it_whoever_its_coach_works_for(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    granted, coachs_client = (
        make_booking_tenant(http, admin_headers),
        make_booking_tenant(http, admin_headers),
    )
    event = schedule_coach_event(
        http, admin_headers, coachs_client.coach_id, organization_id=granted.tenant.organization_id
    )
    event_id = event["eventId"]

    [booked] = book(granted, [event_id])
    refused_order = place_order(coachs_client, [event_id])
    refused_listing = _by_event(http, coachs_client.acting(coachs_client.coach_id), event_id)

    assert booking_ids(_listed(http, granted.acting(), event_id, 1)) == [booked]
    _not_found(refused_order, ORDERS, event_id)
    _not_found(refused_listing, BY_EVENT, event_id)


def test_an_event_without_an_organization_is_for_every_client_granted_an_organization_of_its_coachs_clients(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    owner = make_booking_tenant(http, admin_headers)
    colleague = _partner_in(http, admin_headers, owner.tenant.organization_id)
    outsider = _partner_in(http, admin_headers, make_tenant(http, admin_headers).organization_id)
    event_id = schedule_event(owner)

    placed = expect(_order(http, colleague, [event_id]), 201)
    refused = _order(http, outsider, [event_id])

    [booking] = placed["bookings"]
    assert booking_ids(_listed(http, colleague.acting, event_id, 1)) == [booking["bookingId"]]
    _not_found(refused, ORDERS, event_id)
    _not_found(_by_event(http, outsider.acting, event_id), BY_EVENT, event_id)


def test_an_event_whose_coach_is_linked_to_no_client_is_not_found_by_any_client(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    tenant = make_booking_tenant(http, admin_headers)
    event = schedule_coach_event(http, admin_headers, new_user(http, admin_headers))

    _not_found(place_order(tenant, [event["eventId"]]), ORDERS, event["eventId"])
    _not_found(_by_event(http, tenant.acting(), event["eventId"]), BY_EVENT, event["eventId"])


def test_a_client_with_the_admin_scope_lists_the_bookings_of_any_event(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    owner = make_booking_tenant(http, admin_headers)
    system = make_tenant(http, admin_headers, scopes=["admin"])
    event_id = schedule_event(owner)
    [owned] = book(owner, [event_id])

    assert booking_ids(_listed(http, system.headers, event_id, 1)) == [owned]


@pytest.mark.parametrize(
    ("scopes", "request_kind"),
    [
        pytest.param(["bookings:read", "bookings:write"], "order", id="order-without-orders-write"),
        pytest.param(["orders:write", "bookings:write"], "list", id="listing-without-bookings-read"),
    ],
)
def test_the_scope_check_answers_403_before_a_foreign_event_answers_404(
    http: httpx.Client, admin_headers: dict[str, str], scopes: list[str], request_kind: str
) -> None:
    intruder = make_booking_tenant(http, admin_headers, scopes=scopes)
    event_id = schedule_event(make_booking_tenant(http, admin_headers))

    if request_kind == "order":
        response = place_order(intruder, [event_id])
    else:
        response = _by_event(http, intruder.acting(), event_id)

    assert error_code(response, 403) == "forbidden"


def _store_as_version_1(runtime: Runtime, coach_id: str) -> str:
    """Write a coach event the way version 1 of `Scheduled` stored it: without an organization."""
    start = random_day() + timedelta(hours=9)
    meta = {
        "actor": "admin",
        "actorKind": "admin",
        "recordedAt": "2030-01-01T00:00:00.000000Z",
        "requestId": "r",
    }
    coach_event = CoachEvent.schedule(
        uuid.UUID(coach_id), uuid.uuid4(), start, start + timedelta(hours=1), None, timeslot(), meta
    )
    [scheduled] = coach_event.collect_events()
    current = runtime.ledger.mapper.to_stored_event(scheduled)
    state = json.loads(current.state)
    assert state.pop("class_version") == 2
    assert state.pop("organization_id") is None
    old = json.dumps(state, sort_keys=True, separators=(",", ":")).encode()
    runtime.ledger.recorder.insert_events(
        [StoredEvent(current.originator_id, current.originator_version, current.topic, old)]
    )
    return str(coach_event.id)


def test_an_event_stored_before_events_had_an_organization_loads_and_belongs_to_its_coachs_clients(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    owner, intruder = make_booking_tenant(http, admin_headers), make_booking_tenant(http, admin_headers)
    event_id = _store_as_version_1(runtime, owner.coach_id)

    loaded = runtime.ledger.get_coach_event(uuid.UUID(event_id))
    shown = expect(http.get(f"/api/v1/admin/coach-events/{event_id}", headers=admin_headers), 200)
    [owned] = book(owner, [event_id])

    assert loaded.organization_id is None
    assert shown["organizationId"] is None
    assert shown["coachId"] == owner.coach_id
    assert booking_ids(_listed(http, owner.acting(owner.coach_id), event_id, 1)) == [owned]
    _not_found(place_order(intruder, [event_id]), ORDERS, event_id)
