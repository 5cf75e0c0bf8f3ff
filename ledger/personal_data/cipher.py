"""One personal value in an event, sealed with AES-256-GCM under its person's data key.

A sealed value is a JSON object `{"personalData": {"key", "erased", "sealed"}}` in place of the value: the
data key's id, what the value reads as once erased (its shape: the same keys and lists, every non-empty text
`[erased]`, no other value), and the nonce and ciphertext in base64url. It is bound to its place (stream,
version, field, element), so it opens nowhere else.
"""

from __future__ import annotations

import base64
import os
from typing import Any
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from projections.personal_data import ERASED_TEXT

MARKER = "personalData"
NONCE_BYTES = 12
DATA_KEY_BYTES = 32


class ValueUnreadableError(Exception):
    """Raised when a sealed value does not open with the data key given for it."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=DATA_KEY_BYTES * 8)


def erased_shape(value: Any) -> Any:
    """What a value reads as once erased: its shape, with every non-empty text `[erased]` and no other value,
    so that whoever reads it finds the fields it expects and sees that they were erased."""
    if isinstance(value, str):
        return ERASED_TEXT if value else ""
    if isinstance(value, dict):
        return {key: erased_shape(each) for key, each in value.items()}
    if isinstance(value, (list, tuple)):
        return [erased_shape(each) for each in value]
    return None


def place(originator_id: UUID, version: int, field_name: str, element: int | None = None) -> bytes:
    """The associated data that binds a sealed value to its place in the log."""
    where = f"{originator_id}:{version}:{field_name}:{'' if element is None else element}"
    return where.encode()


def seal_value(data_key: bytes, key_id: UUID, where: bytes, plaintext: bytes, erased: Any) -> dict[str, Any]:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(data_key).encrypt(nonce, plaintext, where)
    text = base64.urlsafe_b64encode(nonce + sealed).decode()
    return {MARKER: {"key": str(key_id), "erased": erased, "sealed": text}}


def sealed_parts(value: object) -> tuple[UUID, Any, str] | None:
    """The key id, erased shape and sealed text of a sealed value; None for anything else (plaintext)."""
    if not isinstance(value, dict) or len(value) != 1 or MARKER not in value:
        return None
    inner = value[MARKER]
    if not isinstance(inner, dict):
        return None
    try:
        return UUID(str(inner["key"])), inner["erased"], str(inner["sealed"])
    except (KeyError, ValueError):
        return None


def open_value(data_key: bytes, where: bytes, sealed: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(sealed)
        return AESGCM(data_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], where)
    except (ValueError, InvalidTag):
        raise ValueUnreadableError("The personal value does not open with its key.") from None
