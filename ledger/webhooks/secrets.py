"""Webhook signing secrets: generated, shown once, and kept only encrypted (AES-256-GCM) with rotating keys.

The worker must sign with the secret itself, so it cannot be kept as a hash. Each ciphertext names the key
that sealed it and is bound to its subscription id, so a ciphertext copied onto another subscription does
not open. The keys come from LEDGER_WEBHOOK_SECRET_KEYS or, unset, are derived from the OAuth signing keys.
"""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING
from uuid import UUID

from ledger.oauth_keys import parse_signing_keys, resolve_signing_keys
from ledger.sealing import SealedUnreadableError, SealingKeys

if TYPE_CHECKING:
    from ledger.settings import Settings

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
# Derived keys are bound to their use, so a webhook key reveals nothing of the key it comes from.
DERIVATION_CONTEXT = b"ledger webhook secrets v1"

SecretUnreadableError = SealedUnreadableError


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


class WebhookSecretKeys(SealingKeys):
    """The keys of webhook secrets, each secret bound to its subscription's id."""

    def seal(self, subscription_id: UUID, secret: str) -> str:
        return self.seal_bytes(subscription_id.bytes, secret.encode())

    def open(self, subscription_id: UUID, ciphertext: str) -> str:
        return self.open_bytes(subscription_id.bytes, ciphertext).decode()


def resolve_webhook_secret_keys(settings: Settings) -> WebhookSecretKeys:
    """The keys of LEDGER_WEBHOOK_SECRET_KEYS (`kid:secret` entries), or derived from the OAuth signing
    keys, which every process of one data directory shares."""
    if settings.webhook_secret_keys is not None:
        ring = parse_signing_keys(settings.webhook_secret_keys.get_secret_value())
    else:
        ring = resolve_signing_keys(settings)
    return WebhookSecretKeys.derived_from(ring, DERIVATION_CONTEXT)
