"""Keys that seal small secrets with AES-256-GCM: a key ring by kid, derived for one use from a key ring.

Each sealed text names the key that sealed it and is bound to associated data (the id of what it belongs to),
so it opens only with that key and only for that owner. The first key seals; every key opens, so a rotated-out
key stays configured while texts sealed with it exist.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from dataclasses import dataclass, field
from typing import Self

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from ledger.oauth_keys import KeyRing

FORMAT = "v1"
NONCE_BYTES = 12


class SealedUnreadableError(Exception):
    """Raised when a sealed text cannot be opened with any configured key."""


@dataclass(frozen=True)
class SealingKeys:
    """AES-256 keys by kid: the first seals, every one opens. Its repr names the kids only."""

    sealing_kid: str
    keys: dict[str, bytes] = field(repr=False)

    @classmethod
    def derived_from(cls, ring: KeyRing, context: bytes) -> Self:
        """Keys bound to one use (`context`): they reveal nothing of the ring's keys or another use's."""
        keys = {
            kid: hmac.new(secret, context, hashlib.sha256).digest() for kid, secret in ring.secrets.items()
        }
        return cls(ring.signing_kid, keys)

    def seal_bytes(self, owner: bytes, data: bytes) -> str:
        """`v1:<kid>:<nonce and ciphertext, base64url>`, bound to `owner`."""
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.sealing_kid]).encrypt(nonce, data, owner)
        return f"{FORMAT}:{self.sealing_kid}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open_bytes(self, owner: bytes, text: str) -> bytes:
        version, _, rest = text.partition(":")
        kid, _, payload = rest.partition(":")
        key = self.keys.get(kid)
        if version != FORMAT or key is None:
            raise SealedUnreadableError(f"The text was sealed with key {kid!r}, which is not configured.")
        try:
            raw = base64.urlsafe_b64decode(payload)
            return AESGCM(key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], owner)
        except (ValueError, InvalidTag):
            raise SealedUnreadableError("The text does not open with its key.") from None
