"""Webhook secrets are kept sealed: bound to their subscription, opened by any configured key."""

from __future__ import annotations

import uuid

import pytest

from ledger.oauth_keys import parse_signing_keys
from ledger.webhooks.secrets import DERIVATION_CONTEXT, SecretUnreadableError, WebhookSecretKeys, new_secret

OLD = "old:" + "o" * 40
NEW = "new:" + "n" * 40


def keys(text: str) -> WebhookSecretKeys:
    return WebhookSecretKeys.derived_from(parse_signing_keys(text), DERIVATION_CONTEXT)


def test_a_sealed_secret_opens_for_its_subscription_and_does_not_show_the_secret() -> None:
    subscription, secret = uuid.uuid4(), new_secret()

    sealed = keys(NEW).seal(subscription, secret)

    assert secret not in sealed
    assert secret.startswith("whsec_")
    assert keys(NEW).open(subscription, sealed) == secret


def test_a_sealed_secret_does_not_open_for_another_subscription() -> None:
    sealed = keys(NEW).seal(uuid.uuid4(), new_secret())

    with pytest.raises(SecretUnreadableError):
        keys(NEW).open(uuid.uuid4(), sealed)


def test_after_a_rotation_new_secrets_use_the_new_key_and_old_ones_still_open() -> None:
    subscription, secret = uuid.uuid4(), new_secret()
    sealed_before = keys(OLD).seal(subscription, secret)
    rotated = keys(f"{NEW},{OLD}")

    sealed_after = rotated.seal(subscription, secret)

    assert rotated.open(subscription, sealed_before) == secret
    assert sealed_after.startswith("v1:new:")
    with pytest.raises(SecretUnreadableError):
        keys(NEW).open(subscription, sealed_before)


def test_the_keys_repr_names_no_key() -> None:
    assert "n" * 40 not in repr(keys(NEW))
