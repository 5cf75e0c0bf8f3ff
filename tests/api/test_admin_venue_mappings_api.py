"""The operator's approval and rejection of venue mappings through the admin API."""

from __future__ import annotations

import uuid

import httpx
import pytest

from tests.api.client_api_support import Partner, make_partner
from tests.support import expect


@pytest.fixture
def partner(http: httpx.Client, admin_headers: dict[str, str]) -> Partner:
    return make_partner(http, admin_headers)


def test_approving_answers_the_mapping_as_it_now_is(partner: Partner) -> None:
    registered = partner.register_venue("venue-456")
    mapping = partner.lookup_venue("venue-456")

    body = expect(partner.decide(mapping["id"], "approve"), 200)

    assert body == {
        "id": mapping["id"],
        "clientId": partner.client_id,
        "externalId": "venue-456",
        "venueId": partner.venue_id,
        "venueNumber": registered["venue_id"],
        "venueName": "Sports Center Munich",
        "approvalStatus": "approved",
        "isActive": True,
        "createdAt": body["createdAt"],
    }


def test_rejecting_an_approved_mapping_rejects_it_and_deciding_twice_changes_nothing(
    partner: Partner,
) -> None:
    partner.register_venue("venue-twice")
    mapping_id = partner.lookup_venue("venue-twice")["id"]
    expect(partner.decide(mapping_id, "approve"), 200)

    first = expect(partner.decide(mapping_id, "reject"), 200)
    second = expect(partner.decide(mapping_id, "reject"), 200)

    assert first == second
    assert first["approvalStatus"] == "rejected"
    assert partner.lookup_venue("venue-twice")["approval_status"] == "rejected"


@pytest.mark.parametrize("mapping_id", [str(uuid.uuid4()), "not-a-uuid"])
@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_an_unknown_mapping_is_a_404(partner: Partner, mapping_id: str, decision: str) -> None:
    body = expect(partner.decide(mapping_id, decision), 404)

    assert body == {
        "error": {"type": "venue_mapping_not_found", "message": f"Venue mapping {mapping_id} was not found."}
    }


def test_deciding_needs_the_admin_token(
    partner: Partner, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    partner.register_venue("venue-guarded")
    mapping_id = partner.lookup_venue("venue-guarded")["id"]

    as_client = http.post(f"/api/v1/admin/venue-mappings/{mapping_id}/approve", headers=partner.headers)

    assert expect(as_client, 401)["error"]["type"] == "invalid_api_token"
    assert partner.lookup_venue("venue-guarded")["approval_status"] == "pending"


def test_a_decision_is_visible_only_to_the_client_that_owns_the_mapping(
    partner: Partner, http: httpx.Client, admin_headers: dict[str, str]
) -> None:
    partner.register_venue("venue-own")
    expect(partner.decide(partner.lookup_venue("venue-own")["id"], "approve"), 200)
    other = make_partner(http, admin_headers)

    assert (
        expect(other.get("/matchengine/api/v1/client/venues/mappings/", approval_status="approved"), 200)
        == []
    )
