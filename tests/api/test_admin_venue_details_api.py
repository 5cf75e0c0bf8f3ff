"""The admin API's venues and courts over HTTP: their integer numbers and a venue's descriptive fields."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from ledger.runtime import Runtime
from tests.integration.test_numbers import old_venue_and_court
from tests.support import Tenant, expect

ADMIN = "/api/v1/admin"
DESCRIPTIVE = {
    "slug": "centre-court",
    "description": "Six indoor padel courts.",
    "shortDescription": "Indoor padel",
    "venueType": "padel",
    "streetAddress": "Alexanderplatz 1",
    "city": "Berlin",
    "postalCode": "10178",
    "country": "DE",
    "latitude": "52.520008",
    "longitude": "13.404954",
    "timezone": "Europe/Berlin",
    "isPublished": True,
}


def new_venue(http: httpx.Client, admin_headers: dict[str, str], **fields: Any) -> dict[str, Any]:
    organization = expect(
        http.post(f"{ADMIN}/organizations", json={"name": "Club", "timezone": "UTC"}, headers=admin_headers),
        201,
    )
    path = f"{ADMIN}/organizations/{organization['id']}/venues"
    venue: dict[str, Any] = expect(
        http.post(path, json={"name": "Hall", **fields}, headers=admin_headers), 201
    )
    return venue


def patch(http: httpx.Client, admin_headers: dict[str, str], ref: object, body: object) -> httpx.Response:
    return http.patch(f"{ADMIN}/venues/{ref}", json=body, headers=admin_headers)


def error_type(response: httpx.Response, status: int) -> str:
    body = expect(response, status)
    assert body["error"]["message"]
    result: str = body["error"]["type"]
    return result


def test_created_venues_and_courts_answer_distinct_integer_numbers(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    venues = [new_venue(http, admin_headers) for _ in range(3)]
    courts = [
        expect(
            http.post(f"{ADMIN}/venues/{venues[0]['id']}/courts", json={"name": n}, headers=admin_headers),
            201,
        )
        for n in ("Court 1", "Court 2", "Court 3")
    ]

    venue_numbers = [venue["number"] for venue in venues]
    court_numbers = [court["number"] for court in courts]
    assert all(isinstance(number, int) and number > 0 for number in venue_numbers + court_numbers)
    assert len(set(venue_numbers)) == 3
    assert len(set(court_numbers)) == 3


def test_a_venues_number_stays_the_same_in_every_later_answer(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    venue = new_venue(http, admin_headers)

    first = expect(patch(http, admin_headers, venue["id"], {"slug": "first"}), 200)
    second = expect(patch(http, admin_headers, venue["number"], {"slug": "second"}), 200)

    assert first["number"] == second["number"] == venue["number"]
    assert first["id"] == second["id"] == venue["id"]


def test_patch_sets_every_descriptive_field_and_answers_the_venue_as_it_now_is(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    venue = new_venue(http, admin_headers, city="Potsdam")

    updated = expect(patch(http, admin_headers, venue["id"], DESCRIPTIVE), 200)

    assert updated == {
        **DESCRIPTIVE,
        "id": venue["id"],
        "number": venue["number"],
        "organizationId": venue["organizationId"],
        "name": "Hall",
    }


def test_a_created_venue_answers_its_descriptive_fields_unset_and_unpublished(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    venue = new_venue(http, admin_headers, city="Bonn")

    assert venue["city"] == "Bonn"
    assert venue["isPublished"] is False
    assert all(
        venue[field] is None for field in DESCRIPTIVE if field not in {"city", "timezone", "isPublished"}
    )


def test_patch_keeps_the_fields_it_does_not_name(http: httpx.Client, admin_headers: dict[str, str]) -> None:
    venue = new_venue(http, admin_headers)
    expect(patch(http, admin_headers, venue["id"], DESCRIPTIVE), 200)

    updated = expect(patch(http, admin_headers, venue["id"], {"postalCode": "10115"}), 200)

    assert updated == {**venue, **DESCRIPTIVE, "postalCode": "10115"}


def test_patch_with_null_or_blank_clears_a_text_field(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    venue = new_venue(http, admin_headers)
    expect(patch(http, admin_headers, venue["id"], DESCRIPTIVE), 200)

    updated = expect(patch(http, admin_headers, venue["id"], {"slug": None, "description": "  "}), 200)

    assert updated["slug"] is None
    assert updated["description"] is None
    assert updated["shortDescription"] == DESCRIPTIVE["shortDescription"]


def test_an_empty_patch_answers_the_venue_unchanged(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    venue = new_venue(http, admin_headers)

    assert expect(patch(http, admin_headers, venue["id"], {}), 200) == venue


def test_patch_naming_unknown_fields_is_refused_naming_them_and_changes_nothing(
    http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    venue = new_venue(http, admin_headers)

    response = patch(http, admin_headers, venue["id"], {"slug": "ok", "colour": "red", "name": "New"})

    assert error_type(response, 400) == "invalid_schema"
    assert sorted(issue["path"][-1] for issue in response.json()["error"]["issues"]) == ["colour", "name"]
    assert expect(patch(http, admin_headers, venue["id"], {}), 200)["slug"] is None


@pytest.mark.parametrize(
    ("body", "expected_type"),
    [
        ({"slug": "Not A Slug"}, "invalid_venue_detail"),
        ({"slug": "double--hyphen"}, "invalid_venue_detail"),
        ({"latitude": "91"}, "invalid_venue_detail"),
        ({"longitude": "-180.5"}, "invalid_venue_detail"),
        ({"latitude": "1e2"}, "invalid_venue_detail"),
        ({"latitude": "NaN"}, "invalid_venue_detail"),
        ({"latitude": 52.5}, "invalid_schema"),
        ({"description": "x" * 5001}, "invalid_venue_detail"),
        ({"postalCode": "1" * 21}, "invalid_venue_detail"),
        ({"timezone": "Mars/Olympus"}, "invalid_schema"),
        ({"timezone": None}, "invalid_venue_detail"),
        ({"isPublished": None}, "invalid_venue_detail"),
        ({"isPublished": "yes"}, "invalid_schema"),
        ({"isPublished": 1}, "invalid_schema"),
        ({"city": 12}, "invalid_schema"),
    ],
)
def test_patch_with_an_invalid_value_is_refused_with_400(
    http: httpx.Client, admin_headers: dict[str, str], body: dict[str, Any], expected_type: str
) -> None:
    venue = new_venue(http, admin_headers)

    response = patch(http, admin_headers, venue["id"], body)

    assert error_type(response, 400) == expected_type
    assert expect(patch(http, admin_headers, venue["id"], {}), 200) == venue


@pytest.mark.parametrize("body", [[], "slug", None, 3])
def test_patch_with_a_body_that_is_not_an_object_is_refused(
    http: httpx.Client, admin_headers: dict[str, str], body: object
) -> None:
    venue = new_venue(http, admin_headers)

    assert error_type(patch(http, admin_headers, venue["id"], body), 400) == "invalid_schema"


@pytest.mark.parametrize("ref", [uuid.uuid4(), 999_999_999_999, "not-a-venue", "0", "-3"])
def test_patch_of_an_unknown_venue_is_not_found(
    http: httpx.Client, admin_headers: dict[str, str], ref: object
) -> None:
    response = patch(http, admin_headers, ref, {"slug": "x"})

    assert error_type(response, 404) == "venue_not_found"


def test_patch_of_an_organization_id_is_not_found(tenant: Tenant) -> None:
    response = patch(tenant.http, tenant.admin_headers, tenant.organization_id, {"slug": "x"})

    assert error_type(response, 404) == "venue_not_found"


def test_patch_of_a_venue_stored_before_numbers_answers_it_with_a_new_number(
    http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    venue_id, _ = old_venue_and_court(runtime)

    updated = expect(patch(http, admin_headers, venue_id, {}), 200)
    again = expect(patch(http, admin_headers, updated["number"], {"isPublished": True}), 200)

    assert isinstance(updated["number"], int)
    assert (updated["name"], updated["city"]) == ("Old Centre", "Berlin")
    assert again["number"] == updated["number"]
    assert again["id"] == str(venue_id)


def test_patch_is_declared_with_its_error_types_in_the_admin_document(http: httpx.Client) -> None:
    document = expect(http.get("/openapi/admin.json"), 200)

    operation = document["paths"]["/api/v1/admin/venues/{venueId}"]["patch"]

    assert "venue_not_found" in operation["responses"]["404"]["description"]
    assert "invalid_venue_detail" in operation["responses"]["400"]["description"]
    assert "401" in operation["responses"]
