"""A client's OAuth side: its secret, kept as a hash and counted, and its revocation."""

from __future__ import annotations

from uuid import UUID

import pytest

from domain.client import Client, ClientRevokedError, hash_api_key
from domain.oauth_commands import hash_oauth_secret
from tests.unit.events import given, meta, no_events, only_event

LATER = "2030-01-02T00:00:00.000000Z"


def client() -> Client:
    return given(Client.register("Widget", ["module-api"], [UUID(int=3)], meta()))


def test_a_new_client_is_public_active_and_under_no_secret() -> None:
    widget = client()

    assert (widget.oauth_secret_hash, widget.oauth_generation, widget.revoked) == (None, 0, False)


def test_issuing_a_secret_records_only_its_hash_and_counts_it() -> None:
    widget = client()

    widget.issue_oauth_secret(hash_oauth_secret("los_one"), meta(LATER))

    event = only_event(widget, Client.OAuthSecretIssued)
    assert event.secret_hash == hash_oauth_secret("los_one")
    assert widget.oauth_secret_matches(hash_oauth_secret("los_one"))
    assert (widget.oauth_generation, widget.oauth_secret_issued_at) == (1, LATER)


def test_a_new_secret_replaces_the_last_and_raises_the_count() -> None:
    widget = client()
    widget.issue_oauth_secret(hash_oauth_secret("los_one"), meta())

    widget.issue_oauth_secret(hash_oauth_secret("los_two"), meta())

    assert not widget.oauth_secret_matches(hash_oauth_secret("los_one"))
    assert widget.oauth_secret_matches(hash_oauth_secret("los_two"))
    assert widget.oauth_generation == 2


def test_a_public_client_matches_no_secret() -> None:
    assert not client().oauth_secret_matches(hash_oauth_secret(""))


def test_revoking_records_when_and_a_second_revocation_records_nothing() -> None:
    widget = client()
    widget.revoke(meta(LATER))
    assert only_event(widget, Client.Revoked)

    widget.revoke(meta())

    no_events(widget)
    assert widget.revoked_at == LATER


def test_a_revoked_client_is_given_no_new_credential() -> None:
    widget = client()
    widget.revoke(meta())
    widget.collect_events()

    with pytest.raises(ClientRevokedError):
        widget.issue_api_key(hash_api_key("lk_x"), "lk_x", meta())
    with pytest.raises(ClientRevokedError):
        widget.issue_oauth_secret(hash_oauth_secret("los_x"), meta())
    no_events(widget)
