"""The admin API's profiles over HTTP: an organization's profile schema, its members' values, and who may."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from tests.support import Tenant, expect

ADMIN = "/api/v1/admin"
MASTER_IDS = ["Full Name", "Email", "Phone", "Postcode", "Date of Birth"]
FIELDS = [
    {"id": "Full Name", "name": "Full Name", "label": "Name", "type": "text", "order": 1},
    {"id": "Membership", "name": "Membership", "label": "Membership tier", "type": "text", "order": 2},
]


def schema_path(organization_id: str) -> str:
    return f"{ADMIN}/organizations/{organization_id}/profile-schema"


def profile_path(organization_id: str, user_id: str) -> str:
    return f"{ADMIN}/organizations/{organization_id}/members/{user_id}/profile"


def error_type(response: httpx.Response, status: int) -> str:
    body = expect(response, status)
    assert body["error"]["message"]
    result: str = body["error"]["type"]
    return result


def test_a_new_organizations_profile_schema_is_the_master_schema(tenant: Tenant) -> None:
    schema = expect(tenant.http.get(schema_path(tenant.organization_id), headers=tenant.admin_headers), 200)

    assert schema["organizationId"] == tenant.organization_id
    assert (schema["schemaId"], schema["name"]) == ("master", "Master Schema")
    assert [field["id"] for field in schema["fields"]] == MASTER_IDS
    assert schema["fields"][1] == {
        "id": "Email",
        "name": "Email",
        "label": "Email Address",
        "type": "email",
        "order": 2,
    }


def test_put_replaces_the_schema_and_get_answers_it_as_it_now_is(tenant: Tenant) -> None:
    body = {"schemaId": "club-v2", "name": "Club Schema", "fields": FIELDS}

    replaced = expect(
        tenant.http.put(schema_path(tenant.organization_id), json=body, headers=tenant.admin_headers), 200
    )
    read = expect(tenant.http.get(schema_path(tenant.organization_id), headers=tenant.admin_headers), 200)

    assert replaced == read == {"organizationId": tenant.organization_id, **body}


def test_put_keeps_the_schema_id_and_name_and_fills_left_out_field_parts(tenant: Tenant) -> None:
    body = {"fields": [{"id": "Shoe size", "type": "number"}, {"id": "Club", "type": "text", "order": 0}]}

    replaced = expect(
        tenant.http.put(schema_path(tenant.organization_id), json=body, headers=tenant.admin_headers), 200
    )

    assert (replaced["schemaId"], replaced["name"]) == ("master", "Master Schema")
    assert replaced["fields"] == [
        {"id": "Club", "name": "Club", "label": "Club", "type": "text", "order": 0},
        {"id": "Shoe size", "name": "Shoe size", "label": "Shoe size", "type": "number", "order": 1},
    ]


@pytest.mark.parametrize(
    ("fields", "expected_type"),
    [
        ([FIELDS[0], FIELDS[0]], "invalid_profile_schema"),
        ([{"id": "a,b", "type": "text"}], "invalid_profile_schema"),
        ([{"id": "profileId", "type": "text"}], "invalid_profile_schema"),
        ([{"id": "X", "type": "Not a type"}], "invalid_profile_schema"),
        ([{"id": "X", "type": "text", "order": -1}], "invalid_profile_schema"),
        ([{"id": " ", "type": "text"}], "invalid_profile_schema"),
        ([{"id": f"f{index}", "type": "text"} for index in range(201)], "invalid_profile_schema"),
        ([{"id": "X", "type": "text", "colour": "red"}], "invalid_schema"),
        ([{"id": "X", "type": "text", "order": "1"}], "invalid_schema"),
        ([{"type": "text"}], "invalid_schema"),
        ("Full Name", "invalid_schema"),
    ],
)
def test_put_of_an_invalid_schema_is_refused_and_keeps_the_old_one(
    tenant: Tenant, fields: object, expected_type: str
) -> None:
    path = schema_path(tenant.organization_id)

    response = tenant.http.put(path, json={"fields": fields}, headers=tenant.admin_headers)

    assert error_type(response, 400) == expected_type
    schema = expect(tenant.http.get(path, headers=tenant.admin_headers), 200)
    assert [field["id"] for field in schema["fields"]] == MASTER_IDS


def test_put_of_a_schema_with_an_unknown_top_level_field_is_refused_naming_it(tenant: Tenant) -> None:
    body = {"fields": FIELDS, "title": "Mine"}

    response = tenant.http.put(schema_path(tenant.organization_id), json=body, headers=tenant.admin_headers)

    assert error_type(response, 400) == "invalid_schema"
    assert [issue["path"] for issue in response.json()["error"]["issues"]] == [["title"]]


@pytest.mark.parametrize("method", ["GET", "PUT"])
def test_the_schema_of_an_unknown_organization_is_not_found(
    http: httpx.Client, admin_headers: dict[str, str], method: str
) -> None:
    body = {"fields": FIELDS} if method == "PUT" else None

    response = http.request(method, schema_path(str(uuid.uuid4())), json=body, headers=admin_headers)

    assert error_type(response, 404) == "organization_not_found"


def test_put_member_profile_sets_values_and_answers_the_profile_as_it_now_is(tenant: Tenant) -> None:
    path = profile_path(tenant.organization_id, tenant.user_id)

    first = tenant.http.put(
        path,
        json={"values": {"Full Name": "Ada Lovelace", "Postcode": "SW1A 1AA"}},
        headers=tenant.admin_headers,
    )
    second = tenant.http.put(
        path,
        json={"values": {"Postcode": "EC1A 1BB", "Phone": "+44 20 7946 0000"}},
        headers=tenant.admin_headers,
    )

    assert expect(first, 200) == {
        "organizationId": tenant.organization_id,
        "userId": tenant.user_id,
        "values": {"Full Name": "Ada Lovelace", "Postcode": "SW1A 1AA"},
    }
    assert expect(second, 200)["values"] == {
        "Full Name": "Ada Lovelace",
        "Postcode": "EC1A 1BB",
        "Phone": "+44 20 7946 0000",
    }


def test_put_member_profile_with_null_or_blank_removes_a_value(tenant: Tenant) -> None:
    path = profile_path(tenant.organization_id, tenant.user_id)
    values = {"Full Name": "Ada", "Phone": "123", "Postcode": "N1"}
    expect(tenant.http.put(path, json={"values": values}, headers=tenant.admin_headers), 200)

    profile = expect(
        tenant.http.put(
            path, json={"values": {"Phone": None, "Postcode": " "}}, headers=tenant.admin_headers
        ),
        200,
    )

    assert profile["values"] == {"Full Name": "Ada"}


def test_put_member_profile_uses_the_fields_of_the_replaced_schema(tenant: Tenant) -> None:
    body = {"fields": FIELDS}
    expect(tenant.http.put(schema_path(tenant.organization_id), json=body, headers=tenant.admin_headers), 200)
    path = profile_path(tenant.organization_id, tenant.user_id)

    accepted = tenant.http.put(path, json={"values": {"Membership": "Gold"}}, headers=tenant.admin_headers)
    refused = tenant.http.put(path, json={"values": {"Postcode": "N1"}}, headers=tenant.admin_headers)

    assert expect(accepted, 200)["values"] == {"Membership": "Gold"}
    assert error_type(refused, 400) == "unknown_profile_field"


@pytest.mark.parametrize(
    ("values", "expected_type"),
    [
        ({"Shoe size": "42", "Full Name": "Ada"}, "unknown_profile_field"),
        ({"Full Name": "x" * 1001}, "invalid_profile_value"),
        ({"Full Name": 42}, "invalid_schema"),
        ({"Full Name": ["Ada"]}, "invalid_schema"),
        ("Ada", "invalid_schema"),
    ],
)
def test_put_member_profile_with_invalid_values_is_refused_and_sets_nothing(
    tenant: Tenant, values: object, expected_type: str
) -> None:
    path = profile_path(tenant.organization_id, tenant.user_id)

    response = tenant.http.put(path, json={"values": values}, headers=tenant.admin_headers)
    after = tenant.http.put(path, json={"values": {}}, headers=tenant.admin_headers)

    assert error_type(response, 400) == expected_type
    assert expect(after, 200)["values"] == {}


def test_an_unknown_profile_field_is_named_in_the_message(tenant: Tenant) -> None:
    path = profile_path(tenant.organization_id, tenant.user_id)

    response = tenant.http.put(path, json={"values": {"Shoe size": "42"}}, headers=tenant.admin_headers)

    assert "Shoe size" in response.json()["error"]["message"]


def test_put_member_profile_of_an_unknown_user_or_organization_is_not_found(tenant: Tenant) -> None:
    body = {"values": {"Full Name": "Ada"}}
    unknown_user = profile_path(tenant.organization_id, str(uuid.uuid4()))
    unknown_organization = profile_path(str(uuid.uuid4()), tenant.user_id)

    user_response = tenant.http.put(unknown_user, json=body, headers=tenant.admin_headers)
    organization_response = tenant.http.put(unknown_organization, json=body, headers=tenant.admin_headers)

    assert error_type(user_response, 404) == "user_not_found"
    assert error_type(organization_response, 404) == "organization_not_found"


def new_endpoints(tenant: Tenant) -> list[tuple[str, str, dict[str, Any] | None]]:
    return [
        ("PATCH", f"{ADMIN}/venues/{tenant.venue_id}", {"slug": "taken-over"}),
        ("GET", schema_path(tenant.organization_id), None),
        ("PUT", schema_path(tenant.organization_id), {"fields": FIELDS}),
        ("PUT", profile_path(tenant.organization_id, tenant.user_id), {"values": {"Full Name": "Mallory"}}),
    ]


@pytest.mark.parametrize("index", range(4), ids=["update-venue", "get-schema", "put-schema", "put-profile"])
def test_a_client_key_is_refused_with_401_on_each_new_endpoint_and_changes_nothing(
    tenant: Tenant, index: int
) -> None:
    method, path, body = new_endpoints(tenant)[index]

    with_key = tenant.http.request(method, path, json=body, headers=tenant.headers)
    without = tenant.http.request(method, path, json=body)

    assert error_type(with_key, 401) == "invalid_api_token"
    assert error_type(without, 401) == "missing_api_token"
    venue = expect(
        tenant.http.patch(f"{ADMIN}/venues/{tenant.venue_id}", json={}, headers=tenant.admin_headers), 200
    )
    schema = expect(tenant.http.get(schema_path(tenant.organization_id), headers=tenant.admin_headers), 200)
    profile = tenant.http.put(
        profile_path(tenant.organization_id, tenant.user_id),
        json={"values": {}},
        headers=tenant.admin_headers,
    )
    assert venue["slug"] is None
    assert [field["id"] for field in schema["fields"]] == MASTER_IDS
    assert expect(profile, 200)["values"] == {}
