"""One personal value in an event, sealed with AES-256-GCM under its person's data key.

A sealed value is a JSON object `{"personalData": {"key", "kind", "sealed"}}` in place of the value: the data
key's id, the kind of JSON value it was (so that an erased one reads with the same shape), and the nonce and
ciphertext in base64url. It is bound to its place (stream, version, field, element), so it opens nowhere else.
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
# What an erased value reads as, by the kind of value it was: the shape stays, the content is gone.
ERASED_BY_KIND: dict[str, Any] = {"text": ERASED_TEXT, "object": {}, "list": [], "other": None}


class ValueUnreadableError(Exception):
    """Raised when a sealed value does not open with the data key given for it."""


def new_data_key() -> bytes:
    return AESGCM.generate_key(bit_length=DATA_KEY_BYTES * 8)


def kind_of(value: object) -> str:
    if isinstance(value, str):
        return "text"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "list"
    return "other"


def place(originator_id: UUID, version: int, field_name: str, element: int | None = None) -> bytes:
    """The associated data that binds a sealed value to its place in the log."""
    where = f"{originator_id}:{version}:{field_name}:{'' if element is None else element}"
    return where.encode()


def seal_value(data_key: bytes, key_id: UUID, where: bytes, plaintext: bytes, kind: str) -> dict[str, Any]:
    nonce = os.urandom(NONCE_BYTES)
    sealed = AESGCM(data_key).encrypt(nonce, plaintext, where)
    text = base64.urlsafe_b64encode(nonce + sealed).decode()
    return {MARKER: {"key": str(key_id), "kind": kind, "sealed": text}}


def sealed_parts(value: object) -> tuple[UUID, str, str] | None:
    """The key id, kind and sealed text of a sealed value; None for anything else (a plaintext value)."""
    if not isinstance(value, dict) or len(value) != 1 or MARKER not in value:
        return None
    inner = value[MARKER]
    if not isinstance(inner, dict):
        return None
    try:
        return UUID(str(inner["key"])), str(inner["kind"]), str(inner["sealed"])
    except (KeyError, ValueError):
        return None


def open_value(data_key: bytes, where: bytes, sealed: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(sealed)
        return AESGCM(data_key).decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], where)
    except (ValueError, InvalidTag):
        raise ValueUnreadableError("The personal value does not open with its key.") from None


def erased(kind: str) -> Any:
    """What a value of this kind reads as once its key is destroyed (a fresh copy each time)."""
    shape = ERASED_BY_KIND.get(kind)
    return type(shape)() if isinstance(shape, (dict, list)) else shape
