"""Client API users: register (201 when it maps, 200 when mapped before), look up and list by own ids."""

from __future__ import annotations

import httpx
import pytest

from tests.api.client_api_support import CLIENT, Partner, make_partner, unique
from tests.support import expect

REGISTER = f"{CLIENT}/users/register/"
LOOKUP = f"{CLIENT}/users/lookup/"
MAPPINGS = f"{CLIENT}/users/mappings/"


@pytest.fixture
def partner(http: httpx.Client, admin_headers: dict[str, str]) -> Partner:
    return make_partner(http, admin_headers)


def test_registering_a_new_user_creates_the_user_and_the_mapping(partner: Partner) -> None:
    email = f"{unique('john')}@Example.com"
    response = partner.post(
        REGISTER, {"external_id": "your-user-123", "email": email, "first_name": "John", "last_name": "Doe"}
    )

    body = expect(response, 201)
    assert set(body) == {"user_id", "external_id", "email", "created", "mapping_created"}
    assert body["external_id"] == "your-user-123"
    assert body["email"] == email.lower()
    assert (body["created"], body["mapping_created"]) == (True, True)
    assert int(response.headers["X-Ledger-Position"]) > 0


def test_registering_a_mapped_external_id_again_answers_200_with_the_existing_mapping(
    partner: Partner,
) -> None:
    first = partner.register_user("user-again")

    again = expect(
        partner.post(REGISTER, {"external_id": "user-again", "email": f"{unique('other')}@example.com"}), 200
    )

    assert again["user_id"] == first["user_id"]
    assert (again["created"], again["mapping_created"]) == (False, False)


def test_an_email_of_an_existing_user_maps_the_id_to_that_user(
    partner: Partner, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    email = f"{unique('known')}@example.com"
    known = expect(http.post("/api/v1/admin/users", json={"email": email}, headers=admin_headers), 201)

    body = partner.register_user("mapped-to-known", email=email.upper())

    assert body["user_id"] == known["id"]
    assert (body["created"], body["mapping_created"]) == (False, True)


def test_lookup_answers_the_mapping_by_external_id(partner: Partner) -> None:
    registered = partner.register_user("looked-up")

    response = partner.get(LOOKUP, external_id="looked-up")

    body = expect(response, 200)
    assert set(body) == {"id", "external_id", "user_id", "user_email", "is_active", "created_at"}
    assert (body["external_id"], body["user_id"], body["user_email"]) == (
        "looked-up",
        registered["user_id"],
        registered["email"],
    )
    assert body["is_active"] is True
    assert body["created_at"].endswith("Z")
    assert response.headers["ETag"]


def test_lookup_of_an_unmapped_external_id_is_404_with_the_seeds_message(partner: Partner) -> None:
    response = partner.get(LOOKUP, external_id="your-user-123")

    assert expect(response, 404) == {"error": "No user found with external_id: your-user-123"}


def test_lookup_without_external_id_names_the_missing_field(partner: Partner) -> None:
    body = expect(partner.get(LOOKUP), 400)

    assert set(body) == {"error", "fields"}
    assert list(body["fields"]) == ["external_id"]


def test_mappings_list_the_clients_users_in_registration_order_with_limit_and_offset(
    partner: Partner,
) -> None:
    ids = [partner.register_user(f"listed-{n}")["user_id"] for n in range(3)]

    everything = expect(partner.get(MAPPINGS), 200)
    page = expect(partner.get(MAPPINGS, limit=1, offset=1), 200)

    assert [item["user_id"] for item in everything] == ids
    assert [item["external_id"] for item in page] == ["listed-1"]
    assert expect(partner.get(MAPPINGS, is_active="true"), 200) == everything
    assert expect(partner.get(MAPPINGS, is_active="false"), 200) == []


@pytest.mark.parametrize(
    ("limit", "offset", "field"), [(1001, 0, "limit"), (0, 0, "limit"), (10, -1, "offset")]
)
def test_a_limit_beyond_1000_or_a_negative_offset_is_a_400_naming_the_field(
    partner: Partner, limit: int, offset: int, field: str
) -> None:
    body = expect(partner.get(MAPPINGS, limit=limit, offset=offset), 400)

    assert set(body) == {"error", "fields"}
    assert list(body["fields"]) == [field]
    assert all(isinstance(message, str) for message in body["fields"][field])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "someone@example.com"}, "external_id"),
        ({"external_id": "u-1"}, "email"),
        ({"external_id": "u-1", "email": "not an email"}, "email"),
        ({"external_id": "", "email": "someone@example.com"}, "external_id"),
        ({"external_id": "tab\there", "email": "someone@example.com"}, "external_id"),
        ({"external_id": 123, "email": "someone@example.com"}, "external_id"),
    ],
)
def test_an_invalid_registration_is_a_400_naming_the_field(
    partner: Partner, body: dict[str, object], field: str
) -> None:
    answer = expect(partner.post(REGISTER, body), 400)

    assert set(answer) == {"error", "fields"}
    assert field in answer["fields"]


def test_a_body_that_is_not_json_is_a_400_without_a_field(partner: Partner) -> None:
    response = partner.http.post(
        REGISTER, content=b"{not json", headers={**partner.headers, "Content-Type": "application/json"}
    )

    assert list(expect(response, 400)["fields"]) == ["non_field_errors"]


def test_another_clients_users_are_invisible(
    partner: Partner, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    partner.register_user("shared-name")
    other = make_partner(http, admin_headers)

    assert expect(other.get(LOOKUP, external_id="shared-name"), 404) == {
        "error": "No user found with external_id: shared-name"
    }
    assert expect(other.get(MAPPINGS), 200) == []
    own = expect(other.post(REGISTER, {"external_id": "shared-name", "email": "x@example.com"}), 201)
    assert own["mapping_created"] is True
