"""The module API's booking template list: the seed's envelope and fields, the venue's address."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.api.module_support import ModuleOrg, make_module_org
from tests.support import expect


@pytest.fixture
def org(http: httpx.Client, admin_headers: dict[str, str]) -> ModuleOrg:
    return make_module_org(http, admin_headers)


def test_the_template_list_answers_the_seeds_envelope_with_the_seeds_template_fields(org: ModuleOrg) -> None:
    body = expect(org.get("bookingTemplate/list"), 200)

    assert body["messageList"] == []
    content = body["content"]
    assert (content["class"], content["recordTotal"], content["recordLimit"]) == ("LIST", 1, 9999)
    [template] = content["recordList"]
    assert template == {
        "class": "BOOKING_TEMPLATE",
        "id": org.template_id,
        "customId": "",
        "name": "Test AppointmentTemplate",
        "nameI18nList": [],
        "location": "ORGANIZATION_ADDRESS",
        "image": "",
        "duration": 60,
        "leadTime": 0,
        "followupTime": 0,
        "price": {"class": "PRICE", "priceGross": 99.99, "taxRate": 19, "currency": "EUR"},
        "showPrice": True,
        "priceGross": 99.99,
        "currency": "EUR",
        "taxRate": 19,
        "description": "Zeile1\nZeile2",
        "descriptionI18nList": [],
        "appointmentAddressRequired": False,
        "customerAddressRequired": False,
        "customerEmailRequired": True,
        "customerMobileRequired": False,
        "additionalCustomerCountMax": 0,
        "bookingDayEarliest": 0,
        "bookingDayLatest": 14,
        "bookingLeadTime": 120,
        "address": {
            "class": "ADDRESS",
            "name": "Venue",
            "extra": "",
            "street": "",
            "zip": "",
            "city": "Berlin",
            "country": "",
            "geoCoordinates": None,
        },
        "bookingStepList": [],
        "emailTemplateList": [],
        "smsTemplateList": [],
        "extraFieldList": [],
        "additionalData": None,
    }


def test_a_templates_address_is_its_venues_with_coordinates(org: ModuleOrg) -> None:
    details = {
        "streetAddress": "Alexanderplatz 1",
        "postalCode": "10178",
        "country": "DE",
        "latitude": "52.520008",
        "longitude": "13.404954",
    }
    venue = f"/api/v1/admin/venues/{org.tenant.venue_id}"
    expect(org.http.patch(venue, json=details, headers=org.tenant.admin_headers), 200)

    [template] = expect(org.get("bookingTemplate/list"), 200)["content"]["recordList"]

    assert template["address"] == {
        "class": "ADDRESS",
        "name": "Venue",
        "extra": "",
        "street": "Alexanderplatz 1",
        "zip": "10178",
        "city": "Berlin",
        "country": "DE",
        "geoCoordinates": {"class": "GEO_COORDINATES", "latitude": 52.520008, "longitude": 13.404954},
    }


def test_templates_are_listed_in_the_order_they_were_created_with_their_own_settings(org: ModuleOrg) -> None:
    second = org.add_template(
        name="Demo Appointment 2",
        customId="4321",
        duration=30,
        leadTime=10,
        followupTime=15,
        priceGross=40,
        taxRate="7.5",
        showPrice=False,
        customerEmailRequired=False,
        customerMobileRequired=True,
        customerAddressRequired=True,
    )

    content = expect(org.get("bookingTemplate/list"), 200)["content"]

    assert content["recordTotal"] == 2
    assert [record["id"] for record in content["recordList"]] == [org.template_id, second]
    record = content["recordList"][1]
    assert (record["name"], record["customId"], record["duration"]) == ("Demo Appointment 2", "4321", 30)
    assert (record["leadTime"], record["followupTime"], record["showPrice"]) == (10, 15, False)
    assert record["price"] == {"class": "PRICE", "priceGross": 40, "taxRate": 7.5, "currency": "EUR"}
    assert (record["customerEmailRequired"], record["customerMobileRequired"]) == (False, True)
    assert record["customerAddressRequired"] is True


def test_an_organization_id_is_also_accepted_as_32_hex_characters(org: ModuleOrg) -> None:
    path = org.path("bookingTemplate/list", organization=uuid.UUID(org.organization_id).hex.upper())

    body = expect(org.http.get(path, headers=org.headers), 200)

    assert [record["id"] for record in body["content"]["recordList"]] == [org.template_id]


def test_the_locale_may_carry_a_region(org: ModuleOrg) -> None:
    body = expect(org.get("bookingTemplate/list", locale="de-AT"), 200)

    assert body["content"]["recordTotal"] == 1
