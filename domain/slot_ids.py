"""Slot ids: opaque, signed claims of a template, resources and a start, verified without storage.

An id is URL-safe base64 (no padding) of a binary payload followed by the first 16 bytes of its HMAC-SHA256
under the ledger's slot key. The payload: a format byte, the template's UUID, the start and the expiry (each
microseconds since the epoch, signed 64-bit big-endian), the count of resources and their UUIDs. Only the
holder of the key can make an id that verifies, so an id cannot be forged or edited; verifying accepts any of
the keys given, so a key can be rotated while ids signed with the old one are still valid.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from uuid import UUID

from domain.errors import InvalidInputError

SLOT_ID_LIFETIME = timedelta(minutes=30)
MAX_RESOURCES = 16
MIN_KEY_LENGTH = 16
_FORMAT = 1
_CONTEXT = b"ledger-slot-id\x00"
_MAC_LENGTH = 16
_HEAD = struct.Struct(">B16sqqB")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MAX_TEXT = 4 * (_HEAD.size + 16 * MAX_RESOURCES + _MAC_LENGTH) // 3 + 4
_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


class InvalidSlotIdError(InvalidInputError):
    """Raised when a slot id is malformed, was not signed with the ledger's key, or was edited."""


class ExpiredSlotIdError(InvalidSlotIdError):
    """Raised when a slot id is past its expiry; the slots must be listed again."""


@dataclass(frozen=True)
class SlotClaim:
    """What a slot id states: the template, the resources to book together, the start, and when it expires."""

    template_id: UUID
    resource_ids: tuple[UUID, ...]
    start: datetime
    expires_at: datetime


def sign_slot_id(claim: SlotClaim, key: bytes) -> str:
    """The id of the claim, signed with `key` (at least 16 bytes)."""
    if not 1 <= len(claim.resource_ids) <= MAX_RESOURCES:
        raise ValueError(f"A slot combines 1 to {MAX_RESOURCES} resources.")
    payload = _HEAD.pack(
        _FORMAT,
        claim.template_id.bytes,
        _microseconds(claim.start),
        _microseconds(claim.expires_at),
        len(claim.resource_ids),
    ) + b"".join(resource_id.bytes for resource_id in claim.resource_ids)
    return base64.urlsafe_b64encode(payload + _mac(payload, key)).rstrip(b"=").decode("ascii")


def read_slot_id(slot_id: str, keys: Sequence[bytes], now: datetime) -> SlotClaim:
    """The claim of a slot id signed with one of `keys`, if it has not expired at `now`."""
    raw = _decoded(slot_id)
    payload, mac = raw[:-_MAC_LENGTH], raw[-_MAC_LENGTH:]
    if len(payload) < _HEAD.size or not any(hmac.compare_digest(mac, _mac(payload, key)) for key in keys):
        raise InvalidSlotIdError("The slot id is not valid: it was not issued by this ledger or was changed.")
    version, template, start, expires, count = _HEAD.unpack_from(payload)
    if version != _FORMAT or not 1 <= count <= MAX_RESOURCES or len(payload) != _HEAD.size + 16 * count:
        raise InvalidSlotIdError("The slot id is not valid: its format is unknown.")
    resources = payload[_HEAD.size :]
    claim = SlotClaim(
        template_id=UUID(bytes=template),
        resource_ids=tuple(UUID(bytes=resources[index : index + 16]) for index in range(0, 16 * count, 16)),
        start=_instant(start),
        expires_at=_instant(expires),
    )
    if now >= claim.expires_at:
        raise ExpiredSlotIdError("The slot id has expired; list the booking slots again.")
    return claim


def _mac(payload: bytes, key: bytes) -> bytes:
    if len(key) < MIN_KEY_LENGTH:
        raise ValueError(f"A slot key has at least {MIN_KEY_LENGTH} bytes.")
    return hmac.new(key, _CONTEXT + payload, hashlib.sha256).digest()[:_MAC_LENGTH]


def _decoded(slot_id: str) -> bytes:
    """The id's bytes, once the text is canonical URL-safe base64 of a plausible length."""
    if not isinstance(slot_id, str) or len(slot_id) > _MAX_TEXT or not _BASE64URL.fullmatch(slot_id):
        raise InvalidSlotIdError("The slot id is not valid: it is not a slot id of this ledger.")
    try:
        raw = base64.urlsafe_b64decode(slot_id + "=" * (-len(slot_id) % 4))
    except (binascii.Error, ValueError):
        raise InvalidSlotIdError("The slot id is not valid: it is not a slot id of this ledger.") from None
    # Base64 can spell the same bytes in more than one way; only the spelling the ledger issues is accepted.
    if base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii") != slot_id or len(raw) <= _MAC_LENGTH:
        raise InvalidSlotIdError("The slot id is not valid: it is not a slot id of this ledger.")
    return raw


def _microseconds(moment: datetime) -> int:
    return (moment - _EPOCH) // timedelta(microseconds=1)


def _instant(microseconds: int) -> datetime:
    try:
        return _EPOCH + timedelta(microseconds=microseconds)
    except OverflowError:
        raise InvalidSlotIdError("The slot id is not valid: its times are out of range.") from None
