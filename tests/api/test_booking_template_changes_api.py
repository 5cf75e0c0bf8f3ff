"""Changing a booking template through the admin API: the settings given change, the module API shows it."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import httpx
import pytest

from tests.api.module_support import ModuleOrg, local_day, make_module_org, template_body
from tests.support import Tenant, expect

ADMIN = "/api/v1/admin"


@pytest.fixture
def created(tenant: Tenant) -> dict[str, Any]:
    """Given: the seed's template on the tenant's court, as the admin API answered its creation."""
    path = f"{ADMIN}/organizations/{tenant.organization_id}/booking-templates"
    body = template_body([tenant.court_id], leadTime=10, customId="4321")
    template: dict[str, Any] = expect(tenant.http.post(path, json=body, headers=tenant.admin_headers), 201)
    return template


def patch(
    tenant: Tenant, template_id: str, body: object, headers: dict[str, str] | None = None
) -> httpx.Response:
    path = f"{ADMIN}/booking-templates/{template_id}"
    return tenant.http.patch(path, json=body, headers=tenant.admin_headers if headers is None else headers)


def read(tenant: Tenant, template_id: str) -> Any:
    path = f"{ADMIN}/organizations/{tenant.organization_id}/booking-templates/{template_id}"
    return expect(tenant.http.get(path, headers=tenant.admin_headers), 200)


def error_of(response: httpx.Response, status: int) -> dict[str, Any]:
    error: dict[str, Any] = expect(response, status)["error"]
    assert error["message"]
    return error


def test_a_patch_changes_the_settings_given_and_answers_the_template_as_it_now_is(
    tenant: Tenant, created: dict[str, Any]
) -> None:
    second = tenant.add_court()
    changes = {"name": "Padel lesson", "duration": 90, "priceGross": 45, "resourceIds": [second]}

    changed = expect(patch(tenant, created["id"], changes), 200)

    assert changed == {**created, **changes, "priceGross": "45.00"}
    assert read(tenant, created["id"]) == changed


def test_an_optional_setting_patched_to_null_takes_its_default_again(
    tenant: Tenant, created: dict[str, Any]
) -> None:
    changed = expect(patch(tenant, created["id"], {"leadTime": None, "customId": None}), 200)

    assert (changed["leadTime"], changed["customId"]) == (0, "")


def test_an_empty_patch_answers_the_template_unchanged(tenant: Tenant, created: dict[str, Any]) -> None:
    assert expect(patch(tenant, created["id"], {}), 200) == created


@pytest.mark.parametrize(
    ("changes", "error_type"),
    [
        ({"duration": 0}, "invalid_booking_template"),
        ({"priceGross": "9.999"}, "invalid_booking_template"),
        ({"currency": "euro"}, "invalid_booking_template"),
        ({"bookingDayEarliest": 15}, "invalid_booking_template"),
        ({"resourceIds": []}, "invalid_booking_template"),
        ({"resourceIds": [str(uuid.uuid4())]}, "invalid_booking_template"),
        ({"name": None}, "invalid_schema"),
        ({"duration": None}, "invalid_schema"),
        ({"resourceIds": None}, "invalid_schema"),
        ({"duration": "60"}, "invalid_schema"),
        ({"priceGross": True}, "invalid_schema"),
        ({"colour": "red"}, "invalid_schema"),
        ({"name": ""}, "invalid_schema"),
    ],
)
def test_invalid_changes_are_refused_with_400_in_the_admin_format_and_change_nothing(
    tenant: Tenant, created: dict[str, Any], changes: dict[str, Any], error_type: str
) -> None:
    assert error_of(patch(tenant, created["id"], changes), 400)["type"] == error_type
    assert read(tenant, created["id"]) == created


def test_a_change_is_judged_with_the_settings_it_keeps_naming_them_as_the_body_does(
    tenant: Tenant, created: dict[str, Any]
) -> None:
    # The latest booking day stays 14, so the earliest cannot become 20.
    error = error_of(patch(tenant, created["id"], {"bookingDayEarliest": 20}), 400)

    assert error["message"].startswith("bookingDayEarliest and bookingDayLatest must be from 0 to 365")


@pytest.mark.parametrize("body", [[], "x", None])
def test_a_body_that_is_no_set_of_changes_is_refused_with_400(
    tenant: Tenant, created: dict[str, Any], body: object
) -> None:
    assert error_of(patch(tenant, created["id"], body), 400)["type"] == "invalid_schema"


def test_a_template_moved_to_another_organizations_court_is_refused_naming_it(
    tenant: Tenant, other_tenant: Tenant, created: dict[str, Any]
) -> None:
    error = error_of(patch(tenant, created["id"], {"resourceIds": [other_tenant.court_id]}), 400)

    assert error["type"] == "invalid_booking_template"
    assert error["message"].startswith("resourceIds names no resource of the organization")
    assert other_tenant.court_id in error["message"]
    assert read(tenant, created["id"]) == created


def test_patching_an_unknown_template_is_not_found(tenant: Tenant) -> None:
    assert error_of(patch(tenant, str(uuid.uuid4()), {"duration": 30}), 404)["type"] == (
        "booking_template_not_found"
    )


def test_patching_a_template_without_the_admin_token_is_refused_with_401(
    tenant: Tenant, created: dict[str, Any]
) -> None:
    assert error_of(patch(tenant, created["id"], {"duration": 30}, headers=tenant.headers), 401)["type"] == (
        "invalid_api_token"
    )


def test_the_module_apis_template_list_and_slots_show_the_change(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    org: ModuleOrg = make_module_org(http, admin_headers)
    second = org.tenant.add_court()
    changes = {
        "name": "Padel lesson",
        "priceGross": "45.00",
        "bookingDayEarliest": 3,
        "resourceIds": [second],
    }

    expect(patch(org.tenant, org.template_id, changes), 200)

    [template] = expect(org.get("bookingTemplate/list"), 200)["content"]["recordList"]
    assert (template["name"], template["priceGross"], template["bookingDayEarliest"]) == (
        "Padel lesson",
        45,
        3,
    )
    [slot] = expect(org.get(f"bookingTemplate/{org.template_id}/bookingSlot/earliest"), 200)[
        "bookingSlotList"
    ]
    assert slot["bookingResourceCombination"] == [second]
    assert datetime.fromisoformat(slot["timestamp"]) == local_day(3)
