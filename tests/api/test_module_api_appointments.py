"""The module API's appointments: booking a slot for a customer, reading and cancelling it, refusals."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest

from tests.api.module_support import JOHN, ModuleOrg, code_of, local_day, make_module_org, messages
from tests.support import MovableClock, expect


@pytest.fixture
def org(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleOrg:
    return make_module_org(http, admin_headers)


def test_adding_an_appointment_answers_201_with_the_seeds_appointment(org: ModuleOrg) -> None:
    ten = local_day(3, 10)
    slot = org.slot_at(ten)

    response = org.add(slot["id"])

    appointment = expect(response, 201)
    assert int(response.headers["X-Ledger-Position"]) > 0
    assert uuid.UUID(appointment["id"])
    assert appointment == {
        "class": "APPOINTMENT",
        "id": appointment["id"],
        "start": ten.isoformat(),
        "end": (ten + timedelta(hours=1)).isoformat(),
        "duration": 60,
        "name": "Test AppointmentTemplate",
        "status": "BOOKED",
        "bookingTemplateId": org.template_id,
        "bookingResourceCombination": [org.tenant.court_id],
        "timeZone": "Europe/Berlin",
        "price": {"class": "PRICE", "priceGross": 99.99, "taxRate": 19, "currency": "EUR"},
        "customer": {
            "class": "CUSTOMER",
            "firstName": "John",
            "lastName": "Doe",
            "email": "jd@scrubs.doc",
            "mobile": "",
            "address": None,
        },
    }


def test_an_appointment_is_read_back_by_its_id_with_or_without_hyphens(org: ModuleOrg) -> None:
    added = expect(org.add(org.slot_at(local_day(3, 9))["id"]), 201)

    read = expect(org.get(f"appointment/{added['id']}"), 200)
    compact = expect(org.get(f"appointment/{uuid.UUID(added['id']).hex}"), 200)

    assert read == compact == added


def test_cancelling_an_appointment_frees_its_time_for_the_next_booking(org: ModuleOrg) -> None:
    slot = org.slot_at(local_day(3, 11))
    added = expect(org.add(slot["id"]), 201)

    cancelled = expect(org.post(f"appointment/{added['id']}/cancel"), 200)
    again = expect(org.post(f"appointment/{added['id']}/cancel"), 200)
    rebooked = expect(org.add(slot["id"], {**JOHN, "firstName": "Jane"}), 201)

    assert cancelled["status"] == again["status"] == "CANCELLED"
    assert expect(org.get(f"appointment/{added['id']}"), 200)["status"] == "CANCELLED"
    assert (rebooked["start"], rebooked["customer"]["firstName"]) == (added["start"], "Jane")


def test_an_appointment_that_has_started_cannot_be_cancelled(org: ModuleOrg, clock: MovableClock) -> None:
    slot = org.slot_at(local_day(1, 10))
    added = expect(org.add(slot["id"]), 201)
    clock.advance(datetime.fromisoformat(added["start"]) - datetime.now(local_day(0).tzinfo))
    org.renew_token()

    assert code_of(org.post(f"appointment/{added['id']}/cancel"), 409) == "appointment_started"


def test_a_slot_booked_in_the_meantime_answers_409_with_a_clear_message(org: ModuleOrg) -> None:
    slot = org.slot_at(local_day(3, 12))
    expect(org.add(slot["id"]), 201)

    [entry] = messages(org.add(slot["id"], {**JOHN, "firstName": "Late"}), 409)

    assert entry["code"] == "booking_slot_taken"
    assert "booked by someone else" in entry["message"]


def test_an_overlapping_slot_is_taken_too(org: ModuleOrg) -> None:
    overlapping = org.slot_at(local_day(3, 13, 30))
    expect(org.add(org.slot_at(local_day(3, 14))["id"]), 201)

    assert code_of(org.add(overlapping["id"]), 409) == "booking_slot_taken"


@pytest.mark.parametrize(
    ("customer", "code"),
    [
        ({"firstName": "John", "lastName": "Doe"}, "missing_customer_field"),
        ({"firstName": " ", "lastName": "Doe", "email": "jd@scrubs.doc"}, "missing_customer_field"),
        ({**JOHN, "email": "not-an-email"}, "invalid_customer"),
        ({**JOHN, "mobile": "call me"}, "invalid_customer"),
        ({**JOHN, "firstName": "x" * 201}, "invalid_customer"),
        ({"lastName": "Doe", "email": "jd@scrubs.doc"}, "invalid_request"),
        ({**JOHN, "firstName": 7}, "invalid_request"),
    ],
)
def test_a_customer_without_the_templates_required_fields_or_malformed_is_refused_with_400(
    org: ModuleOrg, customer: dict[str, Any], code: str
) -> None:
    slot = org.slot_at(local_day(3, 15))

    assert code_of(org.add(slot["id"], customer), 400) == code
    assert expect(org.add(slot["id"]), 201)


def test_a_template_requiring_mobile_and_address_names_each_missing_field(org: ModuleOrg) -> None:
    template = org.add_template(customerMobileRequired=True, customerAddressRequired=True)
    slot = org.slot_at(local_day(3, 16), template_id=template)

    [entry] = messages(org.add(slot["id"], {**JOHN, "address": {"street": "Street 1"}}, locale="de"), 400)
    complete = {**JOHN, "mobile": "+49 170 1234567", "address": {"street": "S 1", "zip": "1", "city": "B"}}
    added = expect(org.add(slot["id"], complete), 201)

    assert entry["code"] == "missing_customer_field"
    assert entry["message"] == "Die Buchungsvorlage verlangt diese Angaben zum Kunden: mobile, address."
    assert added["customer"]["address"] == {
        "class": "ADDRESS",
        "street": "S 1",
        "zip": "1",
        "city": "B",
        "country": "",
    }
    assert added["customer"]["mobile"] == "+49 170 1234567"


@pytest.mark.parametrize(
    "body",
    [{}, {"bookingSlotId": "x"}, {"customer": JOHN}, [], "text", {"bookingSlotId": 5, "customer": JOHN}],
)
def test_a_malformed_body_is_refused_with_one_message_per_field(org: ModuleOrg, body: Any) -> None:
    entries = messages(org.post("appointment/add", body), 400)

    assert {entry["code"] for entry in entries} == {"invalid_request"}
    assert len(entries) >= 2


def test_an_unknown_appointment_or_one_of_another_organization_is_not_found(
    org: ModuleOrg, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    other = make_module_org(http, admin_headers)
    theirs = expect(other.add(other.slot_at(local_day(3, 10))["id"]), 201)

    for appointment_id in (str(uuid.uuid4()), theirs["id"]):
        assert code_of(org.get(f"appointment/{appointment_id}"), 404) == "appointment_not_found"
        assert code_of(org.post(f"appointment/{appointment_id}/cancel"), 404) == "appointment_not_found"
    assert code_of(org.get("appointment/not-an-id"), 400) == "invalid_id"
