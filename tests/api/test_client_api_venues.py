"""Client API venues: mappings pending an operator's approval, look-up, lists, and a venue with resources."""

from __future__ import annotations

import uuid
from decimal import Decimal

import httpx
import pytest

from api.client_api.venue_views import VenueResourceOut
from domain.booking_rules import BookingRules
from domain.context import ADMIN, RequestContext
from domain.organization import Resource
from ledger.runtime import Runtime
from tests.api.client_api_support import CLIENT, Partner, make_partner
from tests.support import expect

REGISTER = f"{CLIENT}/venues/register/"
LOOKUP = f"{CLIENT}/venues/lookup/"
MAPPINGS = f"{CLIENT}/venues/mappings/"
RESOURCES = f"{CLIENT}/venues/resources/"
RULES = BookingRules(
    capacity=4,
    base_price=Decimal("25"),
    currency="EUR",
    price_unit="hour",
    booking_interval_minutes=30,
    min_booking_duration_minutes=60,
    max_booking_duration_minutes=180,
    min_advance_booking_minutes=60,
    max_advance_booking_days=30,
    prevent_unbookable_gaps=True,
    is_bookable=True,
)


@pytest.fixture
def partner(http: httpx.Client, admin_headers: dict[str, str]) -> Partner:
    return make_partner(http, admin_headers)


def test_registering_a_venue_answers_it_pending_approval(partner: Partner) -> None:
    body = expect(
        partner.post(
            REGISTER, {"external_id": "venue-456", "venue_id": partner.venue_id, "external_data": {"k": "v"}}
        ),
        201,
    )

    assert set(body) == {
        "external_id",
        "venue_id",
        "venue_name",
        "venue_slug",
        "venue_city",
        "approval_status",
        "created",
    }
    assert (body["venue_name"], body["venue_city"], body["approval_status"], body["created"]) == (
        "Sports Center Munich",
        "Munich",
        "pending",
        True,
    )
    assert isinstance(body["venue_id"], int)


def test_registering_again_by_number_answers_the_mapping_as_it_is(partner: Partner) -> None:
    number = partner.register_venue("venue-again")["venue_id"]

    again = expect(partner.post(REGISTER, {"external_id": "venue-again", "venue_id": number}), 200)

    assert (again["venue_id"], again["approval_status"], again["created"]) == (number, "pending", False)


def test_an_operators_approval_and_rejection_show_in_lookup_and_registration(partner: Partner) -> None:
    partner.register_venue("venue-decided")
    mapping_id = partner.lookup_venue("venue-decided")["id"]

    expect(partner.decide(mapping_id, "approve"), 200)
    approved = partner.lookup_venue("venue-decided")
    expect(partner.decide(mapping_id, "reject"), 200)
    again = expect(
        partner.post(REGISTER, {"external_id": "venue-decided", "venue_id": partner.venue_id}), 200
    )

    assert approved["approval_status"] == "approved"
    assert again["approval_status"] == "rejected"


def test_lookup_answers_the_mapping_in_the_seeds_shape(partner: Partner) -> None:
    registered = partner.register_venue("venue-look")

    body = partner.lookup_venue("venue-look")

    expected = {"id", "external_id", "venue_id", "venue_name", "venue_slug", "venue_city", "is_active"}
    assert expected | {"approval_status", "created_at"} <= set(body)
    assert (body["venue_id"], body["approval_status"], body["is_active"]) == (
        registered["venue_id"],
        "pending",
        True,
    )
    assert str(uuid.UUID(body["id"])) == body["id"]


def test_lookup_of_an_unmapped_venue_is_a_404(partner: Partner) -> None:
    assert expect(partner.get(LOOKUP, external_id="venue-x"), 404) == {
        "error": "No venue found with external_id: venue-x"
    }


def test_mappings_filter_by_approval_status(
    partner: Partner, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    organization = partner.organization_id
    second = expect(
        http.post(
            f"/api/v1/admin/organizations/{organization}/venues",
            json={"name": "Second"},
            headers=admin_headers,
        ),
        201,
    )
    partner.register_venue("venue-one")
    partner.register_venue("venue-two", second["id"])
    expect(partner.decide(partner.lookup_venue("venue-two")["id"], "approve"), 200)

    def listed(**params: str) -> list[str]:
        return [item["external_id"] for item in expect(partner.get(MAPPINGS, **params), 200)]

    assert listed() == ["venue-one", "venue-two"]
    assert listed(approval_status="approved") == ["venue-two"]
    assert listed(approval_status="pending") == ["venue-one"]
    assert listed(approval_status="rejected") == []
    assert list(expect(partner.get(MAPPINGS, approval_status="maybe"), 400)["fields"]) == ["approval_status"]


def test_a_venue_with_resources_answers_the_seeds_full_shape(partner: Partner, runtime: Runtime) -> None:
    runtime.ledger.update_venue_details(
        RequestContext(ADMIN, runtime.clock(), "test"),
        uuid.UUID(partner.venue_id),
        slug="sports-center-munich",
        description="Premier sports facility",
        short_description="Modern sports center",
        venue_type="sports_center",
        street_address="Example Street 123",
        postal_code="80331",
        country="Germany",
        latitude="48.137154",
        longitude="11.576124",
        is_published=True,
    )
    venue_number = partner.register_venue("venue-456")["venue_id"]
    second_court = partner.add_court("Court 2")
    court_number = partner.register_resource("pitch-123")["resource_id"]

    body = expect(partner.get(RESOURCES, venue_external_id="venue-456"), 200)

    resources = body.pop("resources")
    assert body == {
        "id": venue_number,
        "external_id": "venue-456",
        "name": "Sports Center Munich",
        "slug": "sports-center-munich",
        "description": "Premier sports facility",
        "short_description": "Modern sports center",
        "venue_type": "sports_center",
        "street_address": "Example Street 123",
        "city": "Munich",
        "postal_code": "80331",
        "country": "Germany",
        "latitude": "48.137154",
        "longitude": "11.576124",
        "timezone": "Europe/Berlin",
        "is_active": True,
        "is_published": True,
    }
    assert [(r["id"], r["name"], r["external_id"]) for r in resources] == [
        (court_number, "Court 1", "pitch-123"),
        (resources[1]["id"], "Court 2", None),
    ]
    assert isinstance(resources[1]["id"], int)
    assert runtime.ledger.resolve_resource(resources[1]["id"]).id == uuid.UUID(second_court)
    assert resources[0]["capacity"] is None
    assert resources[0]["is_bookable"] is False


def test_a_venue_with_resources_shows_only_the_calling_clients_external_ids(
    partner: Partner, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    partner.register_venue("venue-mine")
    partner.register_resource("pitch-mine")
    other = make_partner(http, admin_headers)

    assert expect(other.get(RESOURCES, venue_external_id="venue-mine"), 404) == {
        "error": "No venue found with external_id: venue-mine"
    }
    body = expect(partner.get(RESOURCES, venue_external_id="venue-mine"), 200)
    assert [resource["external_id"] for resource in body["resources"]] == ["pitch-mine"]


def test_a_venue_of_an_organization_not_granted_cannot_be_mapped(
    partner: Partner, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    foreign = make_partner(http, admin_headers)

    body = expect(partner.post(REGISTER, {"external_id": "foreign", "venue_id": foreign.venue_id}), 404)

    assert body == {"error": f"Venue {foreign.venue_id} was not found."}
    assert expect(partner.get(RESOURCES, venue_external_id="foreign"), 404) == {
        "error": "No venue found with external_id: foreign"
    }


def test_a_resource_with_booking_rules_shows_them_with_a_two_decimal_price() -> None:
    resource = object.__new__(Resource)
    resource.__dict__.update(name="Court 1", number=7, booking_rules=RULES.as_dict())

    shown = VenueResourceOut.of(resource, "pitch-123").model_dump()

    assert shown == {
        "id": 7,
        "name": "Court 1",
        "description": None,
        "external_id": "pitch-123",
        "capacity": 4,
        "base_price": "25.00",
        "currency": "EUR",
        "price_unit": "hour",
        "booking_interval_minutes": 30,
        "min_booking_duration_minutes": 60,
        "max_booking_duration_minutes": 180,
        "is_active": True,
        "is_bookable": True,
    }
