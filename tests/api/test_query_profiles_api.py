"""Each booking carries its member's profile fields; the schema endpoint answers the seed's schema."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from domain.context import ADMIN, RequestContext
from domain.ids import member_profile_id
from domain.profiles import MASTER_FIELDS
from ledger.runtime import Runtime
from tests.api.orders_support import book
from tests.api.query_support import QUERY_SCOPES, Shop, analyst_key, error_of, make_shop
from tests.support import expect, random_day

VALUES = {
    "Full Name": "John Smith",
    "Email": "john.smith@example.com",
    "Phone": "+44 20 7123 4567",
    "Postcode": "SW1A 1AA",
}


@pytest.fixture
def shop(http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime) -> Shop:
    return make_shop(http, admin_headers, runtime)


def booked_profile(shop: Shop, **params: str) -> dict[str, Any]:
    """The profile on the athlete's one booking of a fresh coach event."""
    event_id = shop.coach_event()
    book(shop.partner, [event_id])
    [booking] = shop.bookings(eventId=event_id, **params)
    profile: dict[str, Any] = booking["profile"]
    return profile


def profile_id(shop: Shop) -> str:
    return str(member_profile_id(uuid.UUID(shop.organisation_id), uuid.UUID(shop.partner.athlete_id)))


def replace_schema(shop: Shop, fields: list[dict[str, Any]]) -> None:
    ctx = RequestContext(ADMIN, datetime.now(UTC), uuid.uuid4().hex)
    organisation = uuid.UUID(shop.organisation_id)
    shop.runtime.ledger.replace_profile_schema(ctx, organisation, fields, "club", "Club Schema")


def test_a_booking_carries_the_default_profile_fields_labelled_by_the_schema(shop: Shop) -> None:
    shop.set_profile(shop.partner.athlete_id, {**VALUES, "Date of Birth": "1990-01-01"})

    profile = booked_profile(shop)

    assert profile == {
        "memberId": profile_id(shop),
        "fields": [
            {"key": "profileId", "label": "Profile ID", "value": profile_id(shop), "type": "string"},
            {"key": "Full Name", "label": "Full Name", "value": "John Smith", "type": "string"},
            {"key": "Postcode", "label": "Postcode", "value": "SW1A 1AA", "type": "string"},
            {"key": "Email", "label": "Email Address", "value": "john.smith@example.com", "type": "string"},
            {"key": "Phone", "label": "Phone Number", "value": "+44 20 7123 4567", "type": "string"},
        ],
    }


def test_profile_fields_are_the_ones_asked_for_in_order_and_profile_id_always(shop: Shop) -> None:
    replace_schema(
        shop,
        [
            *[field.as_dict() for field in MASTER_FIELDS],
            {"id": "Emergency Contact", "label": "In an emergency", "type": "text"},
        ],
    )
    shop.set_profile(shop.partner.athlete_id, {"Full Name": "Ann Lee", "Emergency Contact": "Bo Lee"})

    profile = booked_profile(shop, profileFields="Emergency Contact,Full Name,Date of Birth,Shoe Size")

    assert [(f["key"], f["label"], f["value"]) for f in profile["fields"]] == [
        ("profileId", "Profile ID", profile_id(shop)),
        ("Emergency Contact", "In an emergency", "Bo Lee"),
        ("Full Name", "Full Name", "Ann Lee"),
        ("Date of Birth", "Date of Birth", None),
    ]


def test_minimal_profile_fields_and_a_member_without_values(shop: Shop) -> None:
    profile = booked_profile(shop, profileFields="Email")

    assert profile["memberId"] == profile_id(shop)
    assert [(f["key"], f["value"]) for f in profile["fields"]] == [
        ("profileId", profile_id(shop)),
        ("Email", None),
    ]


def test_profile_values_of_another_organisation_do_not_show(
    shop: Shop, http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    other = make_shop(http, admin_headers, runtime)
    other.set_profile(shop.partner.athlete_id, {"Full Name": "Elsewhere"})

    profile = booked_profile(shop, profileFields="Full Name")

    assert profile["fields"][1]["value"] is None


def test_a_page_reads_every_members_profile(shop: Shop) -> None:
    day = random_day()
    for hour in range(3):
        shop.court_booking(day.replace(hour=8 + hour), participants=[{"userId": shop.partner.athlete_id}])
    shop.set_profile(shop.partner.athlete_id, {"Full Name": "Pat"})

    rows = shop.bookings(date=day.date().isoformat(), profileFields="Full Name")

    assert [row["profile"]["fields"][1]["value"] for row in rows] == ["Pat", "Pat", "Pat"]


def test_the_schema_endpoint_answers_the_master_schema_of_a_new_organisation(shop: Shop) -> None:
    response = shop.http.get(f"/api/v1/schemas/{shop.organisation_id}", headers=shop.analyst)

    assert expect(response, 200) == {
        "schema": {
            "organisationId": shop.organisation_id,
            "schemaId": "master",
            "name": "Master Schema",
            "fields": [
                {"id": "Full Name", "name": "Full Name", "label": "Full Name", "type": "text", "order": 1},
                {"id": "Email", "name": "Email", "label": "Email Address", "type": "email", "order": 2},
                {"id": "Phone", "name": "Phone", "label": "Phone Number", "type": "phone", "order": 3},
                {"id": "Postcode", "name": "Postcode", "label": "Postcode", "type": "text", "order": 4},
                {
                    "id": "Date of Birth",
                    "name": "Date of Birth",
                    "label": "Date of Birth",
                    "type": "date",
                    "order": 5,
                },
            ],
        }
    }


def test_the_schema_endpoint_answers_a_replaced_schema(shop: Shop) -> None:
    replace_schema(shop, [{"id": "Nickname", "type": "text"}])

    schema = expect(shop.http.get(f"/api/v1/schemas/{shop.organisation_id}", headers=shop.analyst), 200)[
        "schema"
    ]

    assert (schema["schemaId"], schema["name"]) == ("club", "Club Schema")
    assert schema["fields"] == [
        {"id": "Nickname", "name": "Nickname", "label": "Nickname", "type": "text", "order": 1}
    ]


def test_the_schema_of_an_organisation_not_granted_or_unknown_is_refused(
    shop: Shop, http: httpx.Client, admin_headers: dict[str, str], runtime: Runtime
) -> None:
    other = make_shop(http, admin_headers, runtime)
    system = analyst_key(http, admin_headers, [], scopes=[*QUERY_SCOPES, "admin"])

    refused = http.get(f"/api/v1/schemas/{other.organisation_id}", headers=shop.analyst)
    unknown = http.get(f"/api/v1/schemas/{uuid.uuid4()}", headers=system)
    malformed = http.get("/api/v1/schemas/org123", headers=shop.analyst)
    anonymous = http.get(f"/api/v1/schemas/{shop.organisation_id}")

    assert error_of(refused, 401)
    assert "Master Schema" not in refused.text
    assert error_of(unknown, 404)
    assert "organisationId" in error_of(malformed, 400)
    assert error_of(anonymous, 401)
