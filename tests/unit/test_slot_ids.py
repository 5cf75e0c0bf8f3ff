"""Slot ids: they state their claim, verify without storage, refuse tampering, edits, expiry, other keys."""

from __future__ import annotations

import base64
import hashlib
import hmac
from datetime import UTC, datetime, timedelta
from uuid import UUID

import pytest

from domain.slot_ids import ExpiredSlotIdError, InvalidSlotIdError, SlotClaim, read_slot_id, sign_slot_id

KEY = b"k" * 32
OLD_KEY = b"o" * 32
NOW = datetime(2030, 1, 1, 9, 30, tzinfo=UTC)
CLAIM = SlotClaim(
    template_id=UUID(int=1),
    resource_ids=(UUID(int=2),),
    start=datetime(2030, 1, 2, 10, tzinfo=UTC),
    expires_at=NOW + timedelta(minutes=30),
)


def decoded(slot_id: str) -> bytearray:
    return bytearray(base64.urlsafe_b64decode(slot_id + "=" * (-len(slot_id) % 4)))


def encoded(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def test_a_signed_id_reads_back_as_its_claim() -> None:
    claim = SlotClaim(CLAIM.template_id, (UUID(int=2), UUID(int=3)), CLAIM.start, CLAIM.expires_at)

    assert read_slot_id(sign_slot_id(claim, KEY), [KEY], NOW) == claim


def test_an_id_is_opaque_url_safe_text() -> None:
    slot_id = sign_slot_id(CLAIM, KEY)

    assert slot_id.replace("-", "").replace("_", "").isalnum()
    assert str(CLAIM.template_id) not in slot_id
    assert str(CLAIM.template_id.hex) not in slot_id


def test_an_id_signed_with_another_key_is_refused() -> None:
    with pytest.raises(InvalidSlotIdError, match="not issued by this ledger or was changed"):
        read_slot_id(sign_slot_id(CLAIM, b"x" * 32), [KEY], NOW)


def test_an_id_signed_with_a_previous_key_still_verifies_while_that_key_is_given() -> None:
    assert read_slot_id(sign_slot_id(CLAIM, OLD_KEY), [KEY, OLD_KEY], NOW) == CLAIM


@pytest.mark.parametrize("position", [0, 1, 17, 20, 33, 40, -17, -1])
def test_an_id_with_any_byte_flipped_is_refused(position: int) -> None:
    raw = decoded(sign_slot_id(CLAIM, KEY))
    raw[position] ^= 0x01

    with pytest.raises(InvalidSlotIdError):
        read_slot_id(encoded(bytes(raw)), [KEY], NOW)


def test_an_id_whose_start_was_edited_keeping_its_signature_is_refused() -> None:
    other = SlotClaim(
        CLAIM.template_id, CLAIM.resource_ids, CLAIM.start + timedelta(hours=1), CLAIM.expires_at
    )
    edited = decoded(sign_slot_id(other, b"x" * 32))
    edited[-16:] = decoded(sign_slot_id(CLAIM, KEY))[-16:]

    with pytest.raises(InvalidSlotIdError):
        read_slot_id(encoded(bytes(edited)), [KEY], NOW)


def test_a_truncated_or_extended_id_is_refused() -> None:
    slot_id = sign_slot_id(CLAIM, KEY)

    for changed in (slot_id[:-1], slot_id[:-4], slot_id + "A", slot_id + "AAAA", slot_id[4:]):
        with pytest.raises(InvalidSlotIdError):
            read_slot_id(changed, [KEY], NOW)


def test_another_spelling_of_the_same_bytes_is_refused() -> None:
    # With two resources the id's bytes do not fill its last character, whose unused low bits can be set.
    slot_id = sign_slot_id(
        SlotClaim(CLAIM.template_id, (UUID(int=2), UUID(int=3)), CLAIM.start, CLAIM.expires_at), KEY
    )
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    respelled = slot_id[:-1] + alphabet[alphabet.index(slot_id[-1]) + 1]
    assert decoded(respelled) == decoded(slot_id)

    with pytest.raises(InvalidSlotIdError):
        read_slot_id(respelled, [KEY], NOW)


@pytest.mark.parametrize(
    "garbage", ["", "not a slot id", "a" * 5000, "====", "4f6gl70xpd71eqiz0878651d90b04330"]
)
def test_text_that_is_no_slot_id_is_refused(garbage: str) -> None:
    with pytest.raises(InvalidSlotIdError):
        read_slot_id(garbage, [KEY], NOW)


def test_a_well_signed_id_of_an_unknown_format_is_refused() -> None:
    raw = bytes(decoded(sign_slot_id(CLAIM, KEY))[:-16])
    newer = b"\x02" + raw[1:]
    mac = hmac.new(KEY, b"ledger-slot-id\x00" + newer, hashlib.sha256).digest()[:16]

    with pytest.raises(InvalidSlotIdError, match="format"):
        read_slot_id(encoded(newer + mac), [KEY], NOW)


def test_an_id_is_refused_once_it_expires() -> None:
    slot_id = sign_slot_id(CLAIM, KEY)

    assert read_slot_id(slot_id, [KEY], CLAIM.expires_at - timedelta(microseconds=1)) == CLAIM
    with pytest.raises(ExpiredSlotIdError, match="expired"):
        read_slot_id(slot_id, [KEY], CLAIM.expires_at)


def test_a_short_key_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="at least 16 bytes"):
        sign_slot_id(CLAIM, b"short")
