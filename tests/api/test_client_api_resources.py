"""Client API resources: a client's resource ids mapped to resources of its granted organizations."""

from __future__ import annotations

import httpx
import pytest

from tests.api.client_api_support import CLIENT, Partner, make_partner
from tests.support import expect

REGISTER = f"{CLIENT}/resources/register/"
LOOKUP = f"{CLIENT}/resources/lookup/"
MAPPINGS = f"{CLIENT}/resources/mappings/"


@pytest.fixture
def partner(http: httpx.Client, admin_headers: dict[str, str]) -> Partner:
    return make_partner(http, admin_headers)


def test_registering_a_resource_by_uuid_answers_its_number_name_and_venue(partner: Partner) -> None:
    response = partner.post(
        REGISTER,
        {
            "external_id": "pitch-123",
            "resource_id": partner.court_id,
            "external_data": {"custom_field": "value"},
        },
    )

    body = expect(response, 201)
    assert set(body) == {"external_id", "resource_id", "resource_name", "venue_name", "created"}
    assert (body["external_id"], body["resource_name"], body["venue_name"], body["created"]) == (
        "pitch-123",
        "Court 1",
        "Sports Center Munich",
        True,
    )
    assert isinstance(body["resource_id"], int)


def test_a_resource_is_named_by_its_number_as_well_as_by_its_uuid(partner: Partner) -> None:
    number = partner.register_resource("pitch-numbered")["resource_id"]

    by_number = partner.post(REGISTER, {"external_id": "pitch-numbered", "resource_id": number})
    as_text = partner.post(REGISTER, {"external_id": "pitch-numbered", "resource_id": str(number)})

    assert expect(by_number, 200)["resource_id"] == number
    assert expect(as_text, 200)["created"] is False


def test_registering_again_answers_200_and_keeps_the_new_external_data(partner: Partner) -> None:
    partner.register_resource("pitch-again", external_data={"a": 1})

    again = partner.post(
        REGISTER, {"external_id": "pitch-again", "resource_id": partner.court_id, "external_data": {"b": 2}}
    )

    assert expect(again, 200)["created"] is False
    assert expect(partner.get(LOOKUP, external_id="pitch-again"), 200)["external_data"] == {"b": 2}


def test_an_external_id_already_mapping_another_resource_is_a_409(partner: Partner) -> None:
    partner.register_resource("pitch-taken")

    body = expect(
        partner.post(REGISTER, {"external_id": "pitch-taken", "resource_id": partner.add_court()}), 409
    )

    assert body == {"error": "external_id pitch-taken is already mapped to another resource."}


def test_lookup_answers_the_mapping_in_the_seeds_shape(partner: Partner) -> None:
    registered = partner.register_resource("pitch-look")

    body = expect(partner.get(LOOKUP, external_id="pitch-look"), 200)

    assert {
        "id",
        "external_id",
        "resource_id",
        "resource_name",
        "venue_name",
        "is_active",
        "created_at",
    } <= set(body)
    assert (body["resource_id"], body["resource_name"], body["venue_name"], body["is_active"]) == (
        registered["resource_id"],
        "Court 1",
        "Sports Center Munich",
        True,
    )


def test_lookup_of_an_unmapped_resource_is_a_404(partner: Partner) -> None:
    assert expect(partner.get(LOOKUP, external_id="nope"), 404) == {
        "error": "No resource found with external_id: nope"
    }


def test_mappings_list_the_clients_resources_in_registration_order(partner: Partner) -> None:
    partner.register_resource("first")
    partner.register_resource("second", partner.add_court())

    listed = expect(partner.get(MAPPINGS), 200)

    assert [item["external_id"] for item in listed] == ["first", "second"]
    assert [item["external_id"] for item in expect(partner.get(MAPPINGS, offset=1, limit=5), 200)] == [
        "second"
    ]
    assert list(expect(partner.get(MAPPINGS, limit=1001), 400)["fields"]) == ["limit"]


@pytest.mark.parametrize("resource_id", [True, 0, -3, None, 1.5, 10**19, "", ["1"]])
def test_a_resource_id_that_is_neither_a_number_nor_text_is_a_400_naming_it(
    partner: Partner, resource_id: object
) -> None:
    body = expect(partner.post(REGISTER, {"external_id": "pitch-bad", "resource_id": resource_id}), 400)

    assert list(body["fields"]) == ["resource_id"]


def test_a_resource_id_that_names_no_resource_is_a_404(partner: Partner) -> None:
    body = expect(partner.post(REGISTER, {"external_id": "pitch-bad", "resource_id": "not-a-ref"}), 404)

    assert body == {"error": "Resource not-a-ref was not found."}


def test_a_resource_of_an_organization_not_granted_is_not_found_as_a_missing_one(
    partner: Partner, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    foreign = make_partner(http, admin_headers)

    body = expect(partner.post(REGISTER, {"external_id": "foreign", "resource_id": foreign.court_id}), 404)

    assert body == {"error": f"Resource {foreign.court_id} was not found."}


def test_another_clients_resource_mappings_are_invisible(
    partner: Partner, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    partner.register_resource("pitch-mine")
    other = make_partner(http, admin_headers)

    assert expect(other.get(LOOKUP, external_id="pitch-mine"), 404) == {
        "error": "No resource found with external_id: pitch-mine"
    }
    assert expect(other.get(MAPPINGS), 200) == []
