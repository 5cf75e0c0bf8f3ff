"""Webhook signing secrets: generated, shown once, and kept only encrypted (AES-256-GCM) with rotating keys.

The worker must sign with the secret itself, so it cannot be kept as a hash. Each ciphertext names the key
that sealed it and is bound to its subscription id, so a ciphertext copied onto another subscription does
not open. The keys come from LEDGER_WEBHOOK_SECRET_KEYS or, unset, are derived from the OAuth signing keys.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ledger.oauth_keys import KeyRing, parse_signing_keys, resolve_signing_keys

if TYPE_CHECKING:
    from ledger.settings import Settings

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
FORMAT = "v1"
NONCE_BYTES = 12
# Derived keys are bound to their use, so a webhook key reveals nothing of the key it comes from.
DERIVATION_CONTEXT = b"ledger webhook secrets v1"


class SecretUnreadableError(Exception):
    """Raised when a stored webhook secret cannot be decrypted with any configured key."""


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class WebhookSecretKeys:
    """AES-256 keys by kid: the first encrypts, every one decrypts. Its repr names the kids only."""

    sealing_kid: str
    keys: dict[str, bytes] = field(repr=False)

    @classmethod
    def derived_from(cls, ring: KeyRing) -> WebhookSecretKeys:
        keys = {
            kid: hmac.new(secret, DERIVATION_CONTEXT, hashlib.sha256).digest()
            for kid, secret in ring.secrets.items()
        }
        return cls(ring.signing_kid, keys)

    def seal(self, subscription_id: UUID, secret: str) -> str:
        """`v1:<kid>:<nonce and ciphertext, base64url>`, bound to the subscription."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.sealing_kid]).encrypt(nonce, secret.encode(), subscription_id.bytes)
        return f"{FORMAT}:{self.sealing_kid}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, subscription_id: UUID, ciphertext: str) -> str:
        version, _, rest = ciphertext.partition(":")
        kid, _, payload = rest.partition(":")
        key = self.keys.get(kid)
        if version != FORMAT or key is None:
            raise SecretUnreadableError(f"The secret was sealed with key {kid!r}, which is not configured.")
        try:
            raw = base64.urlsafe_b64decode(payload)
            return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], subscription_id.bytes).decode()
        except (ValueError, InvalidTag):
            raise SecretUnreadableError("The secret does not open with its key.") from None


def resolve_webhook_secret_keys(settings: Settings) -> WebhookSecretKeys:
    """The keys of LEDGER_WEBHOOK_SECRET_KEYS (`kid:secret` entries), or derived from the OAuth signing
    keys, which every process of one data directory shares."""
    if settings.webhook_secret_keys is not None:
        ring = parse_signing_keys(settings.webhook_secret_keys.get_secret_value())
    else:
        ring = resolve_signing_keys(settings)
    return WebhookSecretKeys.derived_from(ring)
