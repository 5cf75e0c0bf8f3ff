"""Registry aggregates: client scopes, API keys, organization timezones, venues and user emails."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.client import (
    SCOPES,
    ApiKey,
    ApiKeyNotFoundError,
    Client,
    ClientUserLink,
    UnknownScopeError,
    UserClients,
    hash_api_key,
)
from domain.ids import api_key_id, client_user_link_id, user_clients_id
from domain.organization import InvalidNameError, InvalidTimezoneError, Organization, Venue
from domain.user import InvalidEmailError, User
from tests.unit.events import given, meta, no_events, only_event

ORGANIZATION = UUID(int=2)
KEY_HASH = hash_api_key("lk_secret")
LATER = "2030-01-02T00:00:00.000000Z"


def client() -> Client:
    """Given: a registered client, its events saved."""
    return given(Client.register("Partner", ["court-bookings:write"], [ORGANIZATION], meta()))


def test_registering_a_client_with_an_unknown_scope_is_refused() -> None:
    with pytest.raises(UnknownScopeError) as raised:
        Client.register("Partner", ["court-bookings:write", "root", "everything"], [], meta())

    assert raised.value.details == {"scopes": ["everything", "root"]}


def test_registering_a_client_records_its_scopes_sorted_and_unique() -> None:
    registered = Client.register("Partner", ["bookings:read", "audit:read", "bookings:read"], [], meta())

    event = only_event(registered, Client.Registered)
    assert event.scopes == ["audit:read", "bookings:read"]
    assert event.meta == meta()


def test_every_ledger_scope_is_accepted() -> None:
    registered = Client.register("Partner", sorted(SCOPES), [ORGANIZATION], meta())

    assert registered.scopes == sorted(SCOPES)


def test_issuing_an_api_key_creates_a_key_addressed_by_its_hash() -> None:
    partner = client()

    key = partner.issue_api_key(KEY_HASH, "lk_abcdefgh", meta(LATER))

    issued = only_event(key, ApiKey.Issued)
    assert issued.originator_id == key.id == api_key_id(KEY_HASH)
    assert (issued.key_hash, issued.client_id, issued.prefix) == (KEY_HASH, partner.id, "lk_abcdefgh")
    recorded = only_event(partner, Client.ApiKeyIssued)
    assert (recorded.key_id, recorded.prefix) == (key.id, "lk_abcdefgh")
    assert partner.api_keys[key.id] == {"prefix": "lk_abcdefgh", "createdAt": LATER, "revokedAt": None}


def test_issued_key_matches_only_its_own_hash() -> None:
    key = given(client().issue_api_key(KEY_HASH, "lk_abcdefgh", meta()))

    assert key.matches(KEY_HASH) is True
    assert key.matches(hash_api_key("lk_other")) is False


def test_revoked_key_no_longer_matches() -> None:
    key = given(client().issue_api_key(KEY_HASH, "lk_abcdefgh", meta()))

    key.revoke(meta(LATER))

    only_event(key, ApiKey.Revoked)
    assert key.matches(KEY_HASH) is False


def test_revoking_a_revoked_key_again_records_nothing() -> None:
    key = client().issue_api_key(KEY_HASH, "lk_abcdefgh", meta())
    key.revoke(meta())
    given(key)

    key.revoke(meta(LATER))

    no_events(key)


def test_client_revoking_its_key_records_when() -> None:
    partner = client()
    key = partner.issue_api_key(KEY_HASH, "lk_abcdefgh", meta())
    given(partner)

    partner.revoke_api_key(key.id, meta(LATER))

    assert only_event(partner, Client.ApiKeyRevoked).key_id == key.id
    assert partner.api_keys[key.id]["revokedAt"] == LATER


def test_client_revoking_a_revoked_key_again_records_nothing() -> None:
    partner = client()
    key = partner.issue_api_key(KEY_HASH, "lk_abcdefgh", meta())
    partner.revoke_api_key(key.id, meta())
    given(partner)

    partner.revoke_api_key(key.id, meta(LATER))

    no_events(partner)


def test_revoking_an_unknown_key_id_is_not_found() -> None:
    partner = client()

    with pytest.raises(ApiKeyNotFoundError):
        partner.revoke_api_key(api_key_id(KEY_HASH), meta())

    no_events(partner)


@pytest.mark.parametrize("timezone", ["Mars/Olympus_Mons", "", "../etc/passwd", "europe/madrid", "Europe/"])
def test_registering_an_organization_with_an_unknown_timezone_is_refused(timezone: str) -> None:
    with pytest.raises(InvalidTimezoneError):
        Organization.register("Club", timezone, meta())


def test_registering_an_organization_records_its_trimmed_name_and_timezone() -> None:
    organization = Organization.register("  Club  ", "Europe/Madrid", meta())

    event = only_event(organization, Organization.Registered)
    assert (event.name, event.timezone) == ("Club", "Europe/Madrid")


@pytest.mark.parametrize("name", ["", "   ", "x" * 201])
def test_registering_an_organization_with_an_empty_or_overlong_name_is_refused(name: str) -> None:
    with pytest.raises(InvalidNameError):
        Organization.register(name, "UTC", meta())


def test_venue_without_a_timezone_takes_its_organizations() -> None:
    organization = given(Organization.register("Club", "Europe/Madrid", meta()))

    venue = Venue.register(organization, "Centre", " Madrid ", None, meta())

    event = only_event(venue, Venue.Registered)
    assert (event.organization_id, event.city, event.timezone) == (organization.id, "Madrid", "Europe/Madrid")


def test_registering_a_user_lowercases_and_trims_the_email() -> None:
    user = User.register("  Ana.Garcia@Example.COM ", "Ana", None, meta())

    event = only_event(user, User.Registered)
    assert event.email == "ana.garcia@example.com"
    assert user.email == "ana.garcia@example.com"


def test_registering_a_user_with_an_implausible_email_is_refused() -> None:
    with pytest.raises(InvalidEmailError):
        User.register("not-an-email", None, None, meta())


def test_linking_a_user_to_a_client_derives_the_link_id_from_the_pair() -> None:
    link = ClientUserLink(client_id=UUID(int=5), user_id=UUID(int=6), meta=meta())

    event = only_event(link, ClientUserLink.Linked)
    assert event.originator_id == client_user_link_id(UUID(int=5), UUID(int=6))


def test_a_users_clients_are_kept_under_an_id_derived_from_the_user() -> None:
    user_clients = UserClients(user_id=UUID(int=6), meta=meta())

    assert only_event(user_clients, UserClients.Started).originator_id == user_clients_id(UUID(int=6))
    assert user_clients.client_ids == []


def test_adding_clients_to_a_users_clients_records_each_once_in_order() -> None:
    user_clients = given(UserClients(user_id=UUID(int=6), meta=meta()))

    user_clients.add(UUID(int=5), meta(LATER))
    user_clients.add(UUID(int=7), meta(LATER))
    user_clients.add(UUID(int=5), meta(LATER))

    added = user_clients.collect_events()
    assert [(type(event), event.client_id) for event in added] == [  # type: ignore[attr-defined]
        (UserClients.ClientAdded, UUID(int=5)),
        (UserClients.ClientAdded, UUID(int=7)),
    ]
    assert user_clients.client_ids == [UUID(int=5), UUID(int=7)]
