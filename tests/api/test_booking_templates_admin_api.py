"""The admin API's booking templates over HTTP: creation as the bootstrap contract says, reads, refusals."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import Tenant, expect

ADMIN = "/api/v1/admin"


def seed_body(tenant: Tenant, **changes: Any) -> dict[str, Any]:
    """The seed's first template on the tenant's court, as the bootstrap contract's body."""
    return {
        "name": "Test AppointmentTemplate",
        "duration": 60,
        "priceGross": 99.99,
        "taxRate": 19,
        "currency": "EUR",
        "description": "Zeile1\nZeile2",
        "bookingDayEarliest": 0,
        "bookingDayLatest": 14,
        "bookingLeadTime": 120,
        "customerEmailRequired": True,
        "resourceIds": [tenant.court_id],
        **changes,
    }


def post(tenant: Tenant, body: object, headers: dict[str, str] | None = None) -> httpx.Response:
    path = f"{ADMIN}/organizations/{tenant.organization_id}/booking-templates"
    return tenant.http.post(path, json=body, headers=tenant.admin_headers if headers is None else headers)


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    error: dict[str, Any] = expect(response, status)["error"]
    assert error["message"]
    return error


def test_creating_a_template_answers_201_with_its_id_and_settings(tenant: Tenant) -> None:
    created = expect(post(tenant, seed_body(tenant)), 201)

    assert uuid.UUID(created["id"])
    assert created == {
        "id": created["id"],
        "organizationId": tenant.organization_id,
        "venueId": tenant.venue_id,
        "name": "Test AppointmentTemplate",
        "customId": "",
        "duration": 60,
        "leadTime": 0,
        "followupTime": 0,
        "priceGross": "99.99",
        "taxRate": "19.00",
        "currency": "EUR",
        "showPrice": True,
        "description": "Zeile1\nZeile2",
        "bookingDayEarliest": 0,
        "bookingDayLatest": 14,
        "bookingLeadTime": 120,
        "customerEmailRequired": True,
        "customerMobileRequired": False,
        "customerAddressRequired": False,
        "resourceIds": [tenant.court_id],
    }


def test_money_fields_accept_decimal_strings_as_well_as_numbers(tenant: Tenant) -> None:
    created = expect(post(tenant, seed_body(tenant, priceGross="37.5", taxRate="7.00")), 201)

    assert (created["priceGross"], created["taxRate"]) == ("37.50", "7.00")


def test_resources_may_be_named_by_their_numbers(tenant: Tenant) -> None:
    courts = f"{ADMIN}/venues/{tenant.venue_id}/courts"
    second = expect(tenant.http.post(courts, json={"name": "C2"}, headers=tenant.admin_headers), 201)

    created = expect(post(tenant, seed_body(tenant, resourceIds=[second["number"], tenant.court_id])), 201)

    assert created["resourceIds"] == [second["id"], tenant.court_id]


def test_a_created_template_is_read_back_through_its_organization_only(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    created = expect(post(tenant, seed_body(tenant, customId="4321", showPrice=False)), 201)
    path = f"{ADMIN}/organizations/{{}}/booking-templates/{created['id']}"

    read = expect(tenant.http.get(path.format(tenant.organization_id), headers=tenant.admin_headers), 200)
    elsewhere = tenant.http.get(path.format(other_tenant.organization_id), headers=tenant.admin_headers)

    assert read == created
    assert error_of(elsewhere, 404)["type"] == "booking_template_not_found"


def test_creating_a_template_without_the_admin_token_is_refused_with_401(tenant: Tenant) -> None:
    missing = post(tenant, seed_body(tenant), headers={})
    with_key = post(tenant, seed_body(tenant), headers=tenant.headers)

    assert error_of(missing, 401)["type"] == "missing_api_token"
    assert error_of(with_key, 401)["type"] == "invalid_api_token"


@pytest.mark.parametrize(
    ("changes", "error_type"),
    [
        ({"duration": 0}, "invalid_booking_template"),
        ({"priceGross": "9.999"}, "invalid_booking_template"),
        ({"priceGross": "-1"}, "invalid_booking_template"),
        ({"taxRate": 101}, "invalid_booking_template"),
        ({"currency": "euro"}, "invalid_booking_template"),
        ({"bookingDayEarliest": 15}, "invalid_booking_template"),
        ({"bookingLeadTime": -1}, "invalid_booking_template"),
        ({"resourceIds": []}, "invalid_booking_template"),
        ({"resourceIds": [str(uuid.uuid4())]}, "invalid_booking_template"),
        ({"priceGross": "ten"}, "invalid_schema"),
        ({"priceGross": True}, "invalid_schema"),
        ({"duration": "60"}, "invalid_schema"),
        ({"colour": "red"}, "invalid_schema"),
        ({"resourceIds": [{"id": 1}]}, "invalid_schema"),
        ({"name": ""}, "invalid_schema"),
    ],
)
def test_invalid_templates_are_refused_with_400_in_the_admin_format(
    tenant: Tenant, changes: dict[str, Any], error_type: str
) -> None:
    assert error_of(post(tenant, seed_body(tenant, **changes)), 400)["type"] == error_type


def test_a_template_missing_a_required_field_is_refused_naming_it(tenant: Tenant) -> None:
    body = seed_body(tenant)
    del body["bookingLeadTime"]

    error = error_of(post(tenant, body), 400)

    assert error["type"] == "invalid_schema"
    assert ["bookingLeadTime"] in [issue["path"] for issue in error["issues"]]


def test_a_template_on_another_organizations_court_is_refused_naming_the_field_as_the_body_does(
    tenant: Tenant, other_tenant: Tenant
) -> None:
    error = error_of(post(tenant, seed_body(tenant, resourceIds=[other_tenant.court_id])), 400)

    assert error["type"] == "invalid_booking_template"
    assert error["message"].startswith("resourceIds names no resource of the organization")
    assert other_tenant.court_id in error["message"]


def test_a_template_in_an_unknown_organization_is_not_found(tenant: Tenant) -> None:
    path = f"{ADMIN}/organizations/{uuid.uuid4()}/booking-templates"
    response = tenant.http.post(path, json=seed_body(tenant), headers=tenant.admin_headers)

    assert error_of(response, 404)["type"] == "organization_not_found"


@pytest.mark.parametrize("body", [[], "x", None, {"name": None}])
def test_a_body_that_is_no_template_is_refused_with_400(tenant: Tenant, body: object) -> None:
    assert error_of(post(tenant, body), 400)["type"] == "invalid_schema"
