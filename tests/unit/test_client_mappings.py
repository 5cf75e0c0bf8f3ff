"""Mapping aggregates: external ids and data checked, ids derived per client and kind, venue approvals."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import pytest

from domain.client_mappings import (
    ClientResourceMapping,
    ClientUserMapping,
    ExternalIdConflictError,
    InvalidExternalDataError,
    InvalidExternalIdError,
    MappedEntity,
    checked_external_id,
    external_data_json,
)
from domain.ids import client_mapping_id, mapped_entity_id, mapping_page_id, user_email_id
from domain.mapping_lists import InvalidPageError, MappingPage, checked_page
from domain.user import User, UserEmail
from domain.venue_mappings import (
    APPROVED,
    PENDING,
    REJECTED,
    ClientVenueMapping,
    InvalidApprovalStatusError,
    checked_approval_status,
)
from tests.unit.allocators import in_memory_ledger
from tests.unit.events import RECORDED_AT, given, meta, no_events, only_event

CLIENT = UUID(int=1)
OTHER_CLIENT = UUID(int=2)
RESOURCE = UUID(int=3)
VENUE = UUID(int=4)
LATER = "2030-01-02T00:00:00.000000Z"


def venue_mapping() -> ClientVenueMapping:
    """Given: a client's registered venue mapping, its events saved."""
    return given(ClientVenueMapping.register(CLIENT, "venue-456", VENUE, {"custom_field": "value"}, meta()))


@pytest.mark.parametrize("external_id", ["", "   ", "x" * 256, "tab\there", "line\nbreak", "del\x7f"])
def test_a_blank_overlong_or_control_character_external_id_is_refused(external_id: str) -> None:
    with pytest.raises(InvalidExternalIdError):
        checked_external_id(external_id)


def test_an_external_id_is_kept_exactly_as_sent() -> None:
    assert checked_external_id(" your user/123 ") == " your user/123 "
    assert checked_external_id("x" * 255) == "x" * 255


@pytest.mark.parametrize(
    "external_data",
    [["a list"], "text", {1: "number key"}, {"not": float("nan")}, {"a set": {1}}, {"big": "x" * 16_384}],
)
def test_external_data_that_is_not_a_small_json_object_is_refused(external_data: object) -> None:
    with pytest.raises(InvalidExternalDataError):
        external_data_json(external_data)


def test_external_data_nested_beyond_any_reasonable_depth_is_refused() -> None:
    nested: list[object] = []
    for _ in range(100_000):
        nested = [nested]

    with pytest.raises(InvalidExternalDataError):
        external_data_json({"deep": nested})


def test_external_data_is_kept_as_canonical_json_text_and_none_as_an_empty_object() -> None:
    assert external_data_json({"b": 1, "a": ["é", None]}) == '{"a":["é",null],"b":1}'
    assert external_data_json(None) == "{}"


def test_a_user_mapping_is_addressed_by_its_client_and_external_id_and_active_from_its_registration() -> None:
    mapping = ClientUserMapping.register(CLIENT, "your-user-123", UUID(int=9), meta())

    registered = only_event(mapping, ClientUserMapping.Registered)
    assert registered.originator_id == client_mapping_id("user", CLIENT, "your-user-123")
    assert (registered.client_id, registered.external_id, registered.user_id) == (
        CLIENT,
        "your-user-123",
        UUID(int=9),
    )
    assert mapping.is_active is True
    assert mapping.created_at == datetime(2030, 1, 1, tzinfo=UTC)
    assert ClientUserMapping.PERSONAL_FIELDS == ("external_id",)


def test_mapping_ids_differ_between_clients_and_between_kinds() -> None:
    ids = {
        client_mapping_id("user", CLIENT, "x"),
        client_mapping_id("user", OTHER_CLIENT, "x"),
        client_mapping_id("resource", CLIENT, "x"),
        client_mapping_id("venue", CLIENT, "x"),
    }

    assert len(ids) == 4


def test_a_resource_mapping_records_its_resource_and_external_data() -> None:
    mapping = ClientResourceMapping.register(CLIENT, "pitch-123", RESOURCE, {"custom_field": "value"}, meta())

    registered = only_event(mapping, ClientResourceMapping.Registered)
    assert registered.originator_id == client_mapping_id("resource", CLIENT, "pitch-123")
    assert (registered.resource_id, registered.external_data_json) == (RESOURCE, '{"custom_field":"value"}')
    assert mapping.external_data == {"custom_field": "value"}
    assert mapping.created_at.isoformat() == "2030-01-01T00:00:00+00:00"


def test_a_resource_mapping_refuses_to_map_another_resource() -> None:
    mapping = given(ClientResourceMapping.register(CLIENT, "pitch-123", RESOURCE, None, meta()))

    mapping.check_maps(RESOURCE)
    with pytest.raises(ExternalIdConflictError, match="pitch-123 is already mapped to another resource"):
        mapping.check_maps(UUID(int=99))


def test_replacing_external_data_records_it_only_when_it_differs() -> None:
    mapping = given(ClientResourceMapping.register(CLIENT, "pitch-123", RESOURCE, {"a": 1}, meta()))

    unchanged = mapping.replace_external_data({"a": 1}, meta(LATER))
    no_events(mapping)
    changed = mapping.replace_external_data({"a": 2}, meta(LATER))

    assert (unchanged, changed) == (False, True)
    replaced = only_event(mapping, ClientResourceMapping.ExternalDataReplaced)
    assert replaced.external_data_json == '{"a":2}'
    assert mapping.external_data == {"a": 2}


def test_a_venue_mappings_external_data_is_replaced_by_its_own_event() -> None:
    mapping = venue_mapping()

    mapping.replace_external_data({"custom_field": "other"}, meta(LATER))

    replaced = only_event(mapping, ClientVenueMapping.ExternalDataReplaced)
    assert replaced.external_data_json == '{"custom_field":"other"}'
    assert mapping.external_data == {"custom_field": "other"}


def test_a_venue_mapping_starts_pending() -> None:
    mapping = ClientVenueMapping.register(CLIENT, "venue-456", VENUE, None, meta())

    registered = only_event(mapping, ClientVenueMapping.Registered)
    assert registered.originator_id == client_mapping_id("venue", CLIENT, "venue-456")
    assert (mapping.approval_status, mapping.is_approved, mapping.is_active) == (PENDING, False, True)


def test_approving_a_venue_mapping_records_it_once() -> None:
    mapping = venue_mapping()

    first = mapping.approve(meta(LATER))
    approved = only_event(mapping, ClientVenueMapping.Approved)
    again = mapping.approve(meta(LATER))

    assert (first, again) == (True, False)
    assert approved.meta["recordedAt"] == LATER
    no_events(mapping)
    assert (mapping.approval_status, mapping.is_approved) == (APPROVED, True)


def test_rejecting_a_venue_mapping_records_it_once_and_an_approval_can_follow() -> None:
    mapping = venue_mapping()

    first = mapping.reject(meta(LATER))
    only_event(mapping, ClientVenueMapping.Rejected)
    again = mapping.reject(meta(LATER))
    no_events(mapping)
    mapping.approve(meta(LATER))

    assert (first, again) == (True, False)
    only_event(mapping, ClientVenueMapping.Approved)
    assert mapping.approval_status == APPROVED


def test_an_approved_venue_mapping_can_be_rejected_later() -> None:
    mapping = venue_mapping()
    mapping.approve(meta())
    mapping.collect_events()

    mapping.reject(meta(LATER))

    only_event(mapping, ClientVenueMapping.Rejected)
    assert mapping.approval_status == REJECTED


def test_a_venue_mapping_refuses_to_map_another_venue() -> None:
    with pytest.raises(ExternalIdConflictError, match="venue-456 is already mapped to another venue"):
        venue_mapping().check_maps(UUID(int=99))


def test_an_unknown_approval_status_is_refused() -> None:
    assert [checked_approval_status(status) for status in (PENDING, APPROVED, REJECTED)] == [
        "pending",
        "approved",
        "rejected",
    ]
    with pytest.raises(InvalidApprovalStatusError):
        checked_approval_status("Approved")


def test_a_mapped_entity_entry_is_addressed_by_kind_client_and_entity() -> None:
    entry = MappedEntity(
        kind="resource",
        client_id=CLIENT,
        entity_id=RESOURCE,
        mapping_id=UUID(int=8),
        external_id="p",
        meta=meta(),
    )

    assert only_event(entry, MappedEntity.Claimed).originator_id == mapped_entity_id(
        "resource", CLIENT, RESOURCE
    )
    assert mapped_entity_id("venue", CLIENT, RESOURCE) != entry.id


def test_a_mapping_page_lists_mapping_ids_in_the_order_added() -> None:
    page = given(MappingPage(kind="user", client_id=CLIENT, number=3, meta=meta()))

    page.add(UUID(int=20), meta())
    page.add(UUID(int=10), meta())

    assert page.id == mapping_page_id("user", CLIENT, 3)
    assert [type(event) for event in page.collect_events()] == [MappingPage.Added, MappingPage.Added]
    assert page.mapping_ids == [UUID(int=20), UUID(int=10)]


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (1001, 0), (10, -1), (True, 0), (10, False)])
def test_a_limit_outside_1_to_1000_or_a_negative_offset_is_refused(limit: int, offset: int) -> None:
    with pytest.raises(InvalidPageError):
        checked_page(limit, offset)


def test_an_email_index_entry_is_addressed_by_the_normalized_email_and_holds_only_the_user() -> None:
    user = User.register(" Ana@Example.COM", None, None, meta())

    entry = UserEmail.claim(user, meta())

    claimed = only_event(entry, UserEmail.Claimed)
    assert claimed.originator_id == user_email_id("ana@example.com")
    assert claimed.user_id == user.id
    assert "ana@example.com" not in str(vars(claimed))


def test_external_data_with_the_stores_own_type_marker_keys_reads_back_as_sent() -> None:
    ledger = in_memory_ledger()
    marker_like = {"_type_": "uuid_hex", "_data_": "00000000000000000000000000000001"}
    mapping = ClientResourceMapping.register(CLIENT, "pitch", RESOURCE, marker_like, meta())

    ledger.save(mapping)

    loaded = ledger.find(mapping.id, ClientResourceMapping)
    assert loaded is not None
    assert loaded.external_data == marker_like
    assert loaded.created_at == datetime.fromisoformat(RECORDED_AT)
