"""Resource and venue mappings: only granted ones, idempotent, one external id each, approval, bookability."""

from __future__ import annotations

import uuid

import pytest

from domain.client_mappings import (
    AlreadyMappedError,
    ClientContextRequiredError,
    ExternalIdConflictError,
    InvalidExternalDataError,
    ResourceMappingNotFoundError,
)
from domain.errors import AccessDeniedError, NotFoundError
from domain.organization import Resource, ResourceNotFoundError, Venue, VenueNotFoundError
from domain.venue_mapping_commands import OperatorRequiredError
from domain.venue_mappings import (
    ClientVenueMapping,
    InvalidApprovalStatusError,
    VenueMappingNotApprovedError,
    VenueMappingNotFoundError,
    VenueNotMappedError,
)
from tests.unit.events import stored_types
from tests.unit.tenants import NOW, Place, admin_context, place


def approved_venue(given: Place, external_id: str = "venue-456") -> ClientVenueMapping:
    """Given: the client's mapping of the venue, approved by an operator."""
    mapping = given.ledger.register_client_venue(
        given.client, external_id, given.venue.number or 0
    ).value.mapping
    return given.ledger.approve_venue_mapping(admin_context(), mapping.id).value.mapping


def test_registering_a_resource_by_number_maps_it_with_its_external_data() -> None:
    given = place()

    saved = given.ledger.register_client_resource(
        given.client, "pitch-123", given.court.number or 0, {"custom_field": "value"}
    )

    mapped = saved.value
    assert saved.created is True
    assert (mapped.resource.id, mapped.resource.number, mapped.resource.name) == (
        given.court.id,
        1,
        "Court 1",
    )
    assert mapped.venue.name == "Sports Center Munich"
    assert (mapped.mapping.external_id, mapped.mapping.external_data) == (
        "pitch-123",
        {"custom_field": "value"},
    )
    assert (mapped.mapping.is_active, mapped.mapping.created_at) == (True, NOW)


def test_registering_a_resource_by_uuid_maps_the_same_resource() -> None:
    given = place()

    mapped = given.ledger.register_client_resource(given.client, "pitch-123", str(given.court.id)).value

    assert mapped.resource.id == given.court.id
    assert mapped.mapping.external_data == {}


def test_a_resource_of_an_organization_not_granted_is_not_found_as_a_missing_one() -> None:
    given = place()
    _, _, foreign_court = given.new_organization()

    with pytest.raises(ResourceNotFoundError) as foreign:
        given.ledger.register_client_resource(given.client, "pitch", foreign_court.number or 0)
    with pytest.raises(ResourceNotFoundError) as missing:
        given.ledger.register_client_resource(given.client, "pitch", 999_999)

    assert foreign.value.message == f"Resource {foreign_court.number} was not found."
    assert missing.value.message == "Resource 999999 was not found."


def test_registering_a_resource_again_answers_the_mapping_without_writing() -> None:
    given = place()
    first = given.ledger.register_client_resource(given.client, "pitch-123", 1, {"a": 1})

    again = given.ledger.register_client_resource(given.client, "pitch-123", str(given.court.id), {"a": 1})

    assert (again.created, again.position) == (False, None)
    assert again.value.mapping.id == first.value.mapping.id


def test_registering_a_resource_again_with_other_external_data_keeps_the_new_data() -> None:
    given = place()
    given.ledger.register_client_resource(given.client, "pitch-123", 1, {"a": 1})

    again = given.ledger.register_client_resource(given.client, "pitch-123", 1, {"a": 2})

    assert again.created is False
    assert again.position is not None
    assert given.ledger.lookup_client_resource(given.client, "pitch-123").mapping.external_data == {"a": 2}


def test_registering_an_external_id_for_a_different_resource_is_a_conflict() -> None:
    given = place()
    other_court = given.new_court()
    given.ledger.register_client_resource(given.client, "pitch-123", given.court.id)

    with pytest.raises(ExternalIdConflictError, match="pitch-123 is already mapped to another resource"):
        given.ledger.register_client_resource(given.client, "pitch-123", other_court.id)


def test_a_second_external_id_for_one_resource_is_a_conflict() -> None:
    given = place()
    given.ledger.register_client_resource(given.client, "pitch-123", given.court.id)

    with pytest.raises(AlreadyMappedError, match="already mapped to external_id pitch-123"):
        given.ledger.register_client_resource(given.client, "pitch-999", given.court.id)


def test_invalid_external_data_is_refused() -> None:
    given = place()

    with pytest.raises(InvalidExternalDataError):
        given.ledger.register_client_resource(given.client, "pitch", 1, ["not", "an", "object"])


def test_a_resource_registered_before_numbers_gets_its_number_when_mapped() -> None:
    given = place()
    meta = admin_context().meta()
    old_court = Resource.register_court(given.venue, "Old Court", meta)
    given.ledger.save(old_court)

    mapped = given.ledger.register_client_resource(given.client, "old", old_court.id).value

    assert mapped.resource.number is not None
    assert given.ledger.resolve_resource(mapped.resource.number).id == old_court.id
    assert given.ledger.lookup_client_resource(given.client, "old").resource.number == mapped.resource.number


def test_looking_up_an_unknown_resource_external_id_is_not_found_with_a_clear_message() -> None:
    given = place()

    with pytest.raises(ResourceMappingNotFoundError, match=r"^No resource found with external_id: pitch-1$"):
        given.ledger.lookup_client_resource(given.client, "pitch-1")


def test_another_clients_resource_and_venue_external_ids_are_invisible() -> None:
    given = place()
    given.ledger.register_client_resource(given.client, "pitch-123", 1)
    given.ledger.register_client_venue(given.client, "venue-456", 1)
    other = given.new_client(given.organization.id)

    with pytest.raises(ResourceMappingNotFoundError):
        given.ledger.lookup_client_resource(other, "pitch-123")
    with pytest.raises(VenueMappingNotFoundError):
        given.ledger.lookup_client_venue(other, "venue-456")
    assert given.ledger.list_client_resources(other) == []
    assert given.ledger.list_client_venues(other) == []
    assert given.ledger.resource_external_id(other, given.court.id) is None


def test_two_clients_may_each_map_the_same_resource_under_their_own_ids() -> None:
    given = place()
    other = given.new_client(given.organization.id)

    given.ledger.register_client_resource(given.client, "mine", given.court.id)
    theirs = given.ledger.register_client_resource(other, "theirs", given.court.id)

    assert theirs.created is True
    assert given.ledger.resource_external_id(given.client, given.court.id) == "mine"
    assert given.ledger.resource_external_id(other, given.court.id) == "theirs"


def test_listing_resources_answers_them_in_registration_order() -> None:
    given = place()
    second = given.new_court()
    given.ledger.register_client_resource(given.client, "b", second.id)
    given.ledger.register_client_resource(given.client, "a", given.court.id)

    listed = given.ledger.list_client_resources(given.client)
    active_after_first = given.ledger.list_client_resources(given.client, is_active=True, offset=1)

    assert [(m.mapping.external_id, m.resource.id) for m in listed] == [
        ("b", second.id),
        ("a", given.court.id),
    ]
    assert [m.mapping.external_id for m in active_after_first] == ["a"]


def test_registering_a_venue_maps_it_pending_approval() -> None:
    given = place()

    saved = given.ledger.register_client_venue(given.client, "venue-456", 1, {"custom_field": "value"})

    mapped = saved.value
    assert saved.created is True
    assert (mapped.venue.id, mapped.venue.name, mapped.venue.city) == (
        given.venue.id,
        "Sports Center Munich",
        "Munich",
    )
    assert (mapped.mapping.approval_status, mapped.mapping.external_data) == (
        "pending",
        {"custom_field": "value"},
    )
    assert given.ledger.lookup_client_venue(given.client, "venue-456").mapping.id == mapped.mapping.id


def test_a_venue_of_an_organization_not_granted_is_not_found_as_a_missing_one() -> None:
    given = place()
    _, foreign_venue, _ = given.new_organization()

    with pytest.raises(VenueNotFoundError, match=f"^Venue {foreign_venue.id} was not found.$"):
        given.ledger.register_client_venue(given.client, "v", str(foreign_venue.id))
    with pytest.raises(VenueNotFoundError):
        given.ledger.register_client_venue(given.client, "v", "not-a-ref")


def test_a_rejected_venue_mapping_registered_again_stays_rejected() -> None:
    given = place()
    mapping = given.ledger.register_client_venue(given.client, "venue-456", 1).value.mapping
    given.ledger.reject_venue_mapping(admin_context(), mapping.id)

    again = given.ledger.register_client_venue(given.client, "venue-456", 1)

    assert (again.created, again.position) == (False, None)
    assert again.value.mapping.approval_status == "rejected"


def test_a_venue_external_id_for_another_venue_or_a_second_id_for_a_venue_is_a_conflict() -> None:
    given = place()
    other_venue = given.ledger.create_venue(admin_context(), given.organization.id, "Annex", None, None).value
    given.ledger.register_client_venue(given.client, "venue-456", given.venue.id)

    with pytest.raises(ExternalIdConflictError):
        given.ledger.register_client_venue(given.client, "venue-456", other_venue.id)
    with pytest.raises(AlreadyMappedError):
        given.ledger.register_client_venue(given.client, "venue-789", given.venue.id)


def test_looking_up_an_unknown_venue_external_id_is_not_found_with_a_clear_message() -> None:
    given = place()

    with pytest.raises(VenueMappingNotFoundError, match=r"^No venue found with external_id: venue-1$"):
        given.ledger.lookup_client_venue(given.client, "venue-1")


def test_an_operator_approves_and_rejects_a_venue_mapping_each_as_an_event() -> None:
    given = place()
    mapping = given.ledger.register_client_venue(given.client, "venue-456", 1).value.mapping

    approved = given.ledger.approve_venue_mapping(admin_context(), str(mapping.id))
    approved_again = given.ledger.approve_venue_mapping(admin_context(), mapping.id)
    rejected = given.ledger.reject_venue_mapping(admin_context(), mapping.id)

    assert approved.value.mapping.approval_status == "approved"
    assert approved_again.position is None
    assert rejected.value.mapping.approval_status == "rejected"
    assert stored_types(given.ledger, mapping.id) == [
        ClientVenueMapping.Registered,
        ClientVenueMapping.Approved,
        ClientVenueMapping.Rejected,
    ]


def test_a_client_cannot_approve_or_reject_a_venue_mapping() -> None:
    given = place()
    mapping = given.ledger.register_client_venue(given.client, "venue-456", 1).value.mapping

    with pytest.raises(OperatorRequiredError):
        given.ledger.approve_venue_mapping(given.client, mapping.id)
    with pytest.raises(OperatorRequiredError):
        given.ledger.reject_venue_mapping(given.client, mapping.id)


@pytest.mark.parametrize("mapping_id", ["not-a-uuid", str(uuid.UUID(int=5))])
def test_approving_an_unknown_venue_mapping_is_not_found(mapping_id: str) -> None:
    given = place()

    with pytest.raises(VenueMappingNotFoundError, match=f"Venue mapping {mapping_id} was not found."):
        given.ledger.approve_venue_mapping(admin_context(), mapping_id)


def test_listing_venues_filters_on_approval_status() -> None:
    given = place()
    annex = given.ledger.create_venue(admin_context(), given.organization.id, "Annex", None, None).value
    approved_venue(given, "centre")
    given.ledger.register_client_venue(given.client, "annex", annex.id)

    approved = given.ledger.list_client_venues(given.client, approval_status="approved")
    pending = given.ledger.list_client_venues(given.client, approval_status="pending")
    everything = given.ledger.list_client_venues(given.client, is_active=True)

    assert [m.mapping.external_id for m in approved] == ["centre"]
    assert [(m.mapping.external_id, m.venue.id) for m in pending] == [("annex", annex.id)]
    assert [m.mapping.external_id for m in everything] == ["centre", "annex"]
    with pytest.raises(InvalidApprovalStatusError):
        given.ledger.list_client_venues(given.client, approval_status="maybe")


def test_only_a_client_maps_resources_and_venues() -> None:
    given = place()

    with pytest.raises(ClientContextRequiredError):
        given.ledger.register_client_resource(admin_context(), "pitch", 1)
    with pytest.raises(ClientContextRequiredError):
        given.ledger.register_client_venue(admin_context(), "venue", 1)


def test_a_resource_of_an_approved_venue_mapping_is_bookable() -> None:
    given = place()
    given.ledger.register_client_resource(given.client, "pitch-123", 1)
    venue_mapping = approved_venue(given)

    bookable = given.ledger.bookable_resource_for_client(given.client, "pitch-123")

    assert (bookable.mapped.resource.id, bookable.mapped.venue.id) == (given.court.id, given.venue.id)
    assert bookable.venue_mapping.id == venue_mapping.id


def test_an_unmapped_resource_is_not_bookable_as_not_found() -> None:
    given = place()
    approved_venue(given)

    with pytest.raises(
        ResourceMappingNotFoundError, match=r"^No resource found with external_id: pitch-123$"
    ):
        given.ledger.bookable_resource_for_client(given.client, "pitch-123")


def test_a_resource_of_an_unmapped_venue_is_not_bookable_as_access_denied() -> None:
    given = place()
    given.ledger.register_client_resource(given.client, "pitch-123", 1)

    with pytest.raises(VenueNotMappedError, match="venue of resource pitch-123 is not mapped") as raised:
        given.ledger.bookable_resource_for_client(given.client, "pitch-123")

    assert isinstance(raised.value, AccessDeniedError)


@pytest.mark.parametrize("decision", ["pending", "rejected"])
def test_a_resource_of_a_pending_or_rejected_venue_mapping_is_not_bookable(decision: str) -> None:
    given = place()
    given.ledger.register_client_resource(given.client, "pitch-123", 1)
    mapping = given.ledger.register_client_venue(given.client, "venue-456", 1).value.mapping
    if decision == "rejected":
        given.ledger.reject_venue_mapping(admin_context(), mapping.id)

    with pytest.raises(
        VenueMappingNotApprovedError, match=f"venue mapping venue-456 is {decision}"
    ) as raised:
        given.ledger.bookable_resource_for_client(given.client, "pitch-123")

    assert isinstance(raised.value, AccessDeniedError)
    assert not isinstance(raised.value, NotFoundError)


def test_another_clients_approved_venue_mapping_does_not_make_a_resource_bookable() -> None:
    given = place()
    other = given.new_client(given.organization.id)
    mapping = given.ledger.register_client_venue(other, "their-venue", 1).value.mapping
    given.ledger.approve_venue_mapping(admin_context(), mapping.id)
    given.ledger.register_client_resource(given.client, "pitch-123", 1)

    with pytest.raises(VenueNotMappedError):
        given.ledger.bookable_resource_for_client(given.client, "pitch-123")


def test_a_venue_registered_before_numbers_gets_its_number_when_mapped() -> None:
    given = place()
    old_venue = Venue.register(given.organization, "Old Centre", None, None, admin_context().meta())
    given.ledger.save(old_venue)

    mapped = given.ledger.register_client_venue(given.client, "old", old_venue.id).value

    assert mapped.venue.number is not None
    assert given.ledger.resolve_venue(mapped.venue.number).id == old_venue.id
