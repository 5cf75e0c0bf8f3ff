"""Appointments on the one calendar: racing adds have one winner; they exclude other surfaces' bookings."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

import httpx
import pytest

from tests.api.client_api_support import partner_in
from tests.api.client_booking_support import Bookable, local, ready_to_book, rules, soon
from tests.api.module_support import JOHN, ModuleOrg, code_of, local_day, make_module_org, messages
from tests.api.query_support import analyst_key
from tests.racing import Sender, answered, race
from tests.support import booking_body, expect, instant

RACERS = 8


@pytest.fixture
def org(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleOrg:
    return make_module_org(http, admin_headers, followupTime=15)


def race_adds(org: ModuleOrg, slot_ids: list[str]) -> list[httpx.Response]:
    def add(index: int, slot_id: str) -> Sender:
        body = {"bookingSlotId": slot_id, "customer": {**JOHN, "firstName": f"Racer {index}"}}
        return lambda client: client.post(org.path("appointment/add"), json=body, headers=org.headers)

    senders = [add(index, slot_id) for index, slot_id in enumerate(slot_ids)]
    return answered(race(str(org.http.base_url), senders))


def test_racing_adds_of_one_slot_have_exactly_one_winner(org: ModuleOrg) -> None:
    slot_id = org.slot_at(local_day(4, 10))["id"]

    responses = race_adds(org, [slot_id] * RACERS)

    assert Counter(response.status_code for response in responses) == {201: 1, 409: RACERS - 1}
    losers = {messages(r, 409)[0]["code"] for r in responses if r.status_code == 409}
    assert losers == {"booking_slot_taken"}


def test_racing_adds_of_overlapping_slots_have_exactly_one_winner(org: ModuleOrg) -> None:
    # Each holds 75 minutes (60 and a 15-minute follow-up): starts from 10:00 to 11:00 all hold 11:00-11:15.
    slots = org.slots(local_day(4, 10))[:5]

    responses = race_adds(org, [slot["id"] for slot in slots])

    assert Counter(response.status_code for response in responses) == {201: 1, 409: 4}


def test_an_appointment_with_its_follow_up_blocks_the_court_for_partner_sync(org: ModuleOrg) -> None:
    ten = local_day(4, 10)
    expect(org.add(org.slot_at(ten)["id"]), 201)
    tenant = org.tenant

    during = tenant.put("during", booking_body(tenant.court_id, ten + timedelta(minutes=30)))
    follow_up = tenant.put("follow-up", booking_body(tenant.court_id, ten + timedelta(minutes=70)))
    after = tenant.put("after", booking_body(tenant.court_id, ten + timedelta(minutes=75)))

    assert expect(during, 409)["error"]["type"] == "court_booking_overlap"
    assert expect(follow_up, 409)["error"]["type"] == "court_booking_overlap"
    assert expect(after, 201)


def test_a_partner_booking_takes_a_slot_listed_before_it(org: ModuleOrg) -> None:
    ten = local_day(4, 10)
    slot_id = org.slot_at(ten)["id"]
    expect(org.tenant.put("first", booking_body(org.tenant.court_id, ten + timedelta(minutes=45))), 201)

    assert code_of(org.add(slot_id), 409) == "booking_slot_taken"
    assert ten.isoformat() not in [slot["timestamp"] for slot in org.slots(local_day(4))]


def test_a_cancelled_appointment_frees_the_court_for_partner_sync(org: ModuleOrg) -> None:
    ten = local_day(4, 10)
    added = expect(org.add(org.slot_at(ten)["id"]), 201)
    expect(org.post(f"appointment/{added['id']}/cancel"), 200)

    assert expect(org.tenant.put("freed", booking_body(org.tenant.court_id, ten)), 201)


@pytest.fixture
def bookable(org: ModuleOrg) -> Bookable:
    """A client-API partner granted the organization, booking the template's court under the README's rules
    (open 08:00-14:00 and 15:30-22:00 on a 30-minute grid), with its user, venue and court mapped."""
    tenant = org.tenant
    partner = partner_in(
        org.http, tenant.admin_headers, org.organization_id, tenant.venue_id, tenant.court_id
    )
    return ready_to_book(partner, rules(preventUnbookableGaps=False))


def test_an_appointment_blocks_its_time_for_client_api_bookings_and_availability(
    org: ModuleOrg, bookable: Bookable
) -> None:
    day = soon(4)
    before = bookable.ranges(day)
    expect(org.add(org.slot_at(local(day, 10))["id"]), 201)  # 10:00 to 11:15 with its follow-up

    overlapping = bookable.book(local(day, 11), local(day, 12))
    after = bookable.ranges(day)

    assert expect(overlapping, 400) == {"error": "The requested time slot is not available"}
    assert [(start, end) for _, start, end, _, _ in before[:1]] == [("08:00:00", "14:00:00")]
    # The free time after it starts at the next start on the court's 30-minute grid.
    assert [(start, end) for _, start, end, _, _ in after[:2]] == [
        ("08:00:00", "10:00:00"),
        ("11:30:00", "14:00:00"),
    ]
    assert expect(bookable.book(local(day, 11, 30), local(day, 12, 30)), 201)["status"] == "pending"


def test_a_client_api_booking_takes_the_module_apis_slots_of_its_time(
    org: ModuleOrg, bookable: Bookable
) -> None:
    day = soon(4)
    listed = org.slot_at(local(day, 10))["id"]
    expect(bookable.book(local(day, 10), local(day, 11, 30)), 201)

    starts = [datetime.fromisoformat(slot["timestamp"]) for slot in org.slots(local(day, 0))]

    assert code_of(org.add(listed), 409) == "booking_slot_taken"
    # Each holds 75 minutes (60 and a 15-minute follow-up): 08:30 is the last start before it, 11:30 the next.
    assert [start for start in starts if local(day, 8) <= start <= local(day, 12)] == [
        local(day, 8),
        local(day, 8, 30),
        local(day, 11, 30),
        local(day, 12),
    ]


def test_appointments_appear_in_the_organisations_bookings_view(
    org: ModuleOrg, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    ten = local_day(4, 10)
    added = org.add(org.slot_at(ten)["id"])
    appointment = expect(added, 201)
    analyst = analyst_key(http, admin_headers, [org.organization_id])
    query = {"organisationId": org.organization_id, "consistentWith": added.headers["X-Ledger-Position"]}

    [booking] = expect(http.get("/api/v1/bookings", params=query, headers=analyst), 200)["bookings"]
    cancelled = org.post(f"appointment/{appointment['id']}/cancel")
    query["consistentWith"] = cancelled.headers["X-Ledger-Position"]
    [after] = expect(http.get("/api/v1/bookings", params=query, headers=analyst), 200)["bookings"]

    assert booking["bookingId"] == appointment["id"]
    assert (booking["bookingType"], booking["source"], booking["status"]) == (
        "appointment",
        "module-api",
        "booked",
    )
    assert (booking["name"], booking["resourceId"], booking["venueId"]) == (
        "Test AppointmentTemplate",
        org.tenant.court_id,
        org.tenant.venue_id,
    )
    assert (booking["start"], booking["duration"], booking["date"]) == (
        instant(ten).replace("Z", ".000Z"),
        60,
        ten.date().isoformat(),
    )
    assert (booking["userEmail"], booking["price"], booking["currency"]) == ("jd@scrubs.doc", 99.99, "EUR")
    assert (booking["managedBy"], booking["externalServiceId"]) == (org.organization_id, org.client.client_id)
    assert (after["status"], after["userStatus"], after["orgStatus"]) == (
        "cancelled",
        "cancelled",
        "cancelled",
    )
