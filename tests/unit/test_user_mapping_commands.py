"""User mappings: idempotent registration, found by email, linked to the client, looked up, resolved."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from domain.client_mappings import ClientContextRequiredError, ClientUserMapping, InvalidExternalIdError
from domain.ids import client_mapping_id, mapping_page_id
from domain.mapping_lists import InvalidPageError
from domain.organization import InvalidNameError
from domain.user import InvalidEmailError
from domain.user_mapping_commands import (
    UserIdentificationRequiredError,
    UserIdentityMismatchError,
    UserMappingNotFoundError,
)
from tests.unit.tenants import NOW, Place, admin_context, client_id, place


def registered_external_ids(given: Place, count: int) -> list[str]:
    """Given: `count` users registered by the client, in order."""
    external_ids = [f"user-{index}" for index in range(count)]
    for external_id in external_ids:
        given.ledger.register_client_user(given.client, external_id, f"{external_id}@example.com")
    return external_ids


def test_registering_a_new_external_id_with_a_new_email_creates_the_user_and_the_mapping() -> None:
    given = place()

    saved = given.ledger.register_client_user(
        given.client, "your-user-123", "User@Example.com", "John", "Doe"
    )

    registration = saved.value
    user, mapping = registration.mapped.user, registration.mapped.mapping
    assert (registration.created, registration.mapping_created, saved.created) == (True, True, True)
    assert (user.email, user.first_name, user.last_name) == ("user@example.com", "John", "Doe")
    assert mapping.id == client_mapping_id("user", client_id(given.client), "your-user-123")
    assert (mapping.external_id, mapping.user_id, mapping.is_active) == ("your-user-123", user.id, True)
    assert mapping.created_at == NOW
    assert saved.position is not None


def test_a_registered_user_is_linked_to_the_client_from_both_sides() -> None:
    given = place()

    user = given.ledger.register_client_user(given.client, "u", "ana@example.com").value.mapped.user

    assert given.ledger.is_user_linked(client_id(given.client), user.id)
    assert given.ledger.clients_of_user(user.id) == [client_id(given.client)]


def test_registering_an_existing_external_id_again_answers_its_mapping_and_writes_nothing() -> None:
    given = place()
    first = given.ledger.register_client_user(given.client, "your-user-123", "user@example.com")

    again = given.ledger.register_client_user(given.client, "your-user-123", "someone-else@example.com")

    assert (again.value.created, again.value.mapping_created, again.created) == (False, False, False)
    assert again.position is None
    assert again.value.mapped.mapping.id == first.value.mapped.mapping.id
    assert again.value.mapped.user.email == "user@example.com"


def test_an_email_of_an_existing_user_maps_to_that_user_and_links_it() -> None:
    given = place()
    existing = given.ledger.create_user(admin_context(), "Ana@Example.com", "Ana", None).value

    saved = given.ledger.register_client_user(given.client, "ana-1", "ana@EXAMPLE.com", "Other", "Name")

    assert (saved.value.created, saved.value.mapping_created) == (False, True)
    assert saved.value.mapped.user.id == existing.id
    assert saved.value.mapped.user.first_name == "Ana"
    assert given.ledger.is_user_linked(client_id(given.client), existing.id)
    assert given.ledger.clients_of_user(existing.id) == [client_id(given.client)]


def test_two_external_ids_with_one_email_map_to_one_user() -> None:
    given = place()

    first = given.ledger.register_client_user(given.client, "a", "ana@example.com").value
    second = given.ledger.register_client_user(given.client, "b", "ana@example.com").value

    assert (second.created, second.mapping_created) == (False, True)
    assert second.mapped.user.id == first.mapped.user.id
    assert given.ledger.clients_of_user(first.mapped.user.id) == [client_id(given.client)]


def test_a_second_user_created_with_a_taken_email_is_not_the_one_that_email_finds() -> None:
    given = place()
    first = given.ledger.create_user(admin_context(), "ana@example.com", None, None).value
    given.ledger.create_user(admin_context(), "ana@example.com", None, None)

    mapped = given.ledger.register_client_user(given.client, "a", "ana@example.com").value.mapped

    assert mapped.user.id == first.id


def test_a_registration_is_written_in_one_save() -> None:
    given = place()
    saves: list[tuple[Any, ...]] = []
    save = given.ledger.save

    def counted_save(*aggregates: Any, **kwargs: Any) -> Any:
        saves.append(aggregates)
        return save(*aggregates, **kwargs)

    given.ledger.save = counted_save  # type: ignore[method-assign]
    given.ledger.register_client_user(given.client, "u", "ana@example.com")

    assert [sorted(type(aggregate).__name__ for aggregate in saved) for saved in saves] == [
        ["ClientUserLink", "ClientUserMapping", "MappingPage", "User", "UserClients", "UserEmail"]
    ]


@pytest.mark.parametrize(
    ("external_id", "email", "first_name", "error"),
    [
        ("", "ana@example.com", None, InvalidExternalIdError),
        ("u", "not-an-email", None, InvalidEmailError),
        ("u", "ana@example.com", "x" * 201, InvalidNameError),
    ],
)
def test_a_registration_with_an_invalid_value_is_refused(
    external_id: str, email: str, first_name: str | None, error: type[Exception]
) -> None:
    given = place()

    with pytest.raises(error):
        given.ledger.register_client_user(given.client, external_id, email, first_name)


def test_blank_names_are_kept_as_none() -> None:
    given = place()

    user = given.ledger.register_client_user(given.client, "u", "ana@example.com", "  ", "").value.mapped.user

    assert (user.first_name, user.last_name) == (None, None)


def test_only_a_client_registers_looks_up_and_lists_users() -> None:
    given = place()

    with pytest.raises(ClientContextRequiredError):
        given.ledger.register_client_user(admin_context(), "u", "ana@example.com")
    with pytest.raises(ClientContextRequiredError):
        given.ledger.lookup_client_user(admin_context(), "u")
    with pytest.raises(ClientContextRequiredError):
        given.ledger.list_client_users(admin_context())


def test_looking_up_a_registered_external_id_answers_its_mapping_and_user() -> None:
    given = place()
    registered = given.ledger.register_client_user(given.client, "your-user-123", "user@example.com").value

    found = given.ledger.lookup_client_user(given.client, "your-user-123")

    assert found.mapping.id == registered.mapped.mapping.id
    assert (found.user.email, found.mapping.is_active, found.mapping.created_at) == (
        "user@example.com",
        True,
        NOW,
    )


def test_looking_up_an_unknown_external_id_is_not_found_with_the_seeds_message() -> None:
    given = place()

    with pytest.raises(UserMappingNotFoundError) as raised:
        given.ledger.lookup_client_user(given.client, "your-user-123")

    assert raised.value.message == "No user found with external_id: your-user-123"


def test_another_clients_external_id_is_invisible() -> None:
    given = place()
    given.ledger.register_client_user(given.client, "shared-id", "ana@example.com")
    other = given.new_client(given.organization.id)

    with pytest.raises(UserMappingNotFoundError):
        given.ledger.lookup_client_user(other, "shared-id")
    assert given.ledger.list_client_users(other) == []


def test_the_same_external_id_of_two_clients_names_two_mappings() -> None:
    given = place()
    other = given.new_client(given.organization.id)

    mine = given.ledger.register_client_user(given.client, "u", "ana@example.com").value
    theirs = given.ledger.register_client_user(other, "u", "ana@example.com").value

    assert theirs.mapping_created is True
    assert theirs.mapped.mapping.id != mine.mapped.mapping.id
    assert theirs.mapped.user.id == mine.mapped.user.id


def test_listing_users_answers_them_in_registration_order_with_limit_and_offset() -> None:
    given = place()
    external_ids = registered_external_ids(given, 5)

    everyone = given.ledger.list_client_users(given.client)
    middle = given.ledger.list_client_users(given.client, limit=2, offset=1)
    past_the_end = given.ledger.list_client_users(given.client, offset=5)

    assert [mapped.mapping.external_id for mapped in everyone] == external_ids
    assert [mapped.user.email for mapped in middle] == ["user-1@example.com", "user-2@example.com"]
    assert past_the_end == []


def test_listing_users_filters_on_is_active() -> None:
    given = place()
    external_ids = registered_external_ids(given, 3)

    active = given.ledger.list_client_users(given.client, is_active=True, limit=2, offset=1)
    inactive = given.ledger.list_client_users(given.client, is_active=False)

    assert [mapped.mapping.external_id for mapped in active] == external_ids[1:]
    assert inactive == []


def test_a_list_continues_across_pages_in_order() -> None:
    given = place()
    given.ledger.mapping_page_size = 2
    external_ids = registered_external_ids(given, 7)

    listed = [
        [
            mapped.mapping.external_id
            for mapped in given.ledger.list_client_users(given.client, limit=3, offset=o)
        ]
        for o in (0, 3, 6)
    ]
    filtered = given.ledger.list_client_users(given.client, is_active=True, limit=4, offset=2)

    assert listed == [external_ids[0:3], external_ids[3:6], external_ids[6:]]
    assert [mapped.mapping.external_id for mapped in filtered] == external_ids[2:6]


def test_a_list_continues_on_a_new_page_in_a_fresh_process() -> None:
    given = place()
    given.ledger.mapping_page_size = 2
    registered_external_ids(given, 3)
    given.ledger._open_pages = type(given.ledger._open_pages)()  # as a restarted process knows no pages

    given.ledger.register_client_user(given.client, "after-restart", "late@example.com")

    listed = given.ledger.list_client_users(given.client)
    assert [mapped.mapping.external_id for mapped in listed][-2:] == ["user-2", "after-restart"]
    assert len(listed) == 4


@pytest.mark.parametrize(("limit", "offset"), [(1001, 0), (0, 0), (10, -1)])
def test_a_list_with_a_limit_over_1000_or_a_negative_offset_is_refused(limit: int, offset: int) -> None:
    given = place()

    with pytest.raises(InvalidPageError):
        given.ledger.list_client_users(given.client, limit=limit, offset=offset)


def test_a_list_of_1000_is_accepted() -> None:
    given = place()
    registered_external_ids(given, 2)

    assert len(given.ledger.list_client_users(given.client, limit=1000)) == 2


def test_resolving_without_any_identification_is_refused_with_the_seeds_message() -> None:
    given = place()

    with pytest.raises(UserIdentificationRequiredError) as raised:
        given.ledger.resolve_client_user(given.client, external_id="  ", user_id="")

    assert raised.value.message == (
        "User identification required. Provide X-User-ID or X-User-External-ID header."
    )


def test_resolving_by_external_id_answers_the_mapped_user() -> None:
    given = place()
    user = given.ledger.register_client_user(given.client, "u-1", "ana@example.com").value.mapped.user

    assert given.ledger.resolve_client_user(given.client, external_id="u-1").id == user.id


def test_resolving_an_unknown_external_id_is_not_found_with_the_seeds_message() -> None:
    given = place()

    with pytest.raises(UserMappingNotFoundError, match=r"^No user found with external_id: nobody$"):
        given.ledger.resolve_client_user(given.client, external_id="nobody")


def test_resolving_by_user_id_answers_a_user_linked_to_the_client_however_it_was_linked() -> None:
    given = place()
    registered = given.ledger.register_client_user(given.client, "u-1", "ana@example.com").value.mapped.user
    linked = given.ledger.create_user(admin_context(), "bo@example.com", None, None).value
    given.ledger.link_user(admin_context(), client_id(given.client), linked.id)

    by_mapping = given.ledger.resolve_client_user(given.client, user_id=str(registered.id))
    by_link = given.ledger.resolve_client_user(given.client, user_id=linked.id)

    assert (by_mapping.id, by_link.id) == (registered.id, linked.id)


@pytest.mark.parametrize("user_id", ["not-a-uuid", str(uuid.UUID(int=77))])
def test_resolving_a_malformed_or_unknown_user_id_is_not_found(user_id: str) -> None:
    given = place()

    with pytest.raises(UserMappingNotFoundError, match=f"No user found with id: {user_id}"):
        given.ledger.resolve_client_user(given.client, user_id=user_id)


def test_resolving_a_user_of_another_client_is_not_found() -> None:
    given = place()
    other = given.new_client(given.organization.id)
    theirs = given.ledger.register_client_user(other, "u-1", "ana@example.com").value.mapped.user

    with pytest.raises(UserMappingNotFoundError):
        given.ledger.resolve_client_user(given.client, user_id=theirs.id)
    with pytest.raises(UserMappingNotFoundError):
        given.ledger.resolve_client_user(given.client, external_id="u-1")


def test_resolving_by_both_answers_the_user_they_both_name() -> None:
    given = place()
    user = given.ledger.register_client_user(given.client, "u-1", "ana@example.com").value.mapped.user

    assert given.ledger.resolve_client_user(given.client, external_id="u-1", user_id=user.id).id == user.id


def test_resolving_by_both_naming_different_users_is_refused() -> None:
    given = place()
    ana = given.ledger.register_client_user(given.client, "ana", "ana@example.com").value.mapped.user
    given.ledger.register_client_user(given.client, "bo", "bo@example.com")

    with pytest.raises(UserIdentityMismatchError):
        given.ledger.resolve_client_user(given.client, external_id="bo", user_id=ana.id)


def test_a_mapping_saved_by_registration_is_a_user_mapping_event_on_the_log() -> None:
    given = place()
    mapping = given.ledger.register_client_user(given.client, "u", "ana@example.com").value.mapped.mapping

    [registered] = given.ledger.events.get(mapping.id)

    assert isinstance(registered, ClientUserMapping.Registered)
    assert registered.meta["recordedAt"] == "2030-01-01T09:30:00.000000Z"
    assert registered.meta["actor"] == str(client_id(given.client))


def test_a_long_page_is_read_back_from_its_snapshot_with_every_mapping_in_order() -> None:
    given = place()
    external_ids = registered_external_ids(given, 205)
    page_id = mapping_page_id("user", client_id(given.client), 0)

    snapshots = list(given.ledger.snapshots.get(page_id)) if given.ledger.snapshots else []
    listed = given.ledger.list_client_users(given.client, limit=1000)

    assert [snapshot.originator_version for snapshot in snapshots] == [100, 200]
    assert [mapped.mapping.external_id for mapped in listed] == external_ids
