"""Sealing personal values and their data keys, without a database: AES-GCM bound to its place and key."""

from __future__ import annotations

import uuid

import pytest

from domain.court_booking import CourtBooking
from domain.erasure_commands import personal_data_kinds
from domain.profiles import MemberProfile
from domain.user import User
from ledger.oauth_keys import parse_signing_keys
from ledger.personal_data.cipher import (
    ValueUnreadableError,
    erased_shape,
    new_data_key,
    open_value,
    place,
    seal_value,
    sealed_parts,
)
from ledger.personal_data.subjects import aggregate_class, element_subject, personal_fields, value_subject
from ledger.personal_data.vault import SEALING_CONTEXT
from ledger.sealing import SealedUnreadableError, SealingKeys

STREAM = uuid.uuid4()
RING = "k1:" + "a" * 40


def master(text: str = RING) -> SealingKeys:
    return SealingKeys.derived_from(parse_signing_keys(text), SEALING_CONTEXT)


def sealed(
    value: bytes = b'"ana@example.com"', where: bytes | None = None
) -> tuple[bytes, dict[str, object]]:
    key = new_data_key()
    envelope = seal_value(key, uuid.uuid4(), where or place(STREAM, 1, "email"), value, "[erased]")
    return key, envelope


def test_a_sealed_value_opens_with_its_key_at_its_place() -> None:
    key, envelope = sealed()
    parts = sealed_parts(envelope)

    assert parts is not None
    assert open_value(key, place(STREAM, 1, "email"), parts[2]) == b'"ana@example.com"'
    assert b"ana" not in str(envelope).encode()


def test_a_sealed_value_does_not_open_at_another_place_or_with_another_key() -> None:
    key, envelope = sealed()
    parts = sealed_parts(envelope)
    assert parts is not None

    with pytest.raises(ValueUnreadableError):
        open_value(key, place(STREAM, 2, "email"), parts[2])
    with pytest.raises(ValueUnreadableError):
        open_value(key, place(STREAM, 1, "participants", 0), parts[2])
    with pytest.raises(ValueUnreadableError):
        open_value(new_data_key(), place(STREAM, 1, "email"), parts[2])


def test_only_a_sealed_envelope_is_taken_for_one() -> None:
    _, envelope = sealed()

    assert sealed_parts(envelope) is not None
    assert sealed_parts({"personalData": "x"}) is None
    assert sealed_parts({"personalData": {"key": "not-a-uuid", "erased": "", "sealed": ""}}) is None
    assert sealed_parts({"email": "ana@example.com"}) is None
    assert sealed_parts("ana@example.com") is None


def test_an_erased_value_keeps_its_shape_and_loses_every_text() -> None:
    customer = {"first_name": "John", "email": "", "address": {"street": "Main 1", "zip": "10115"}, "n": 3}

    assert erased_shape(customer) == {
        "first_name": "[erased]",
        "email": "",
        "address": {"street": "[erased]", "zip": "[erased]"},
        "n": None,
    }
    assert erased_shape([{"email": "a@b.c"}]) == [{"email": "[erased]"}]
    assert erased_shape("note") == "[erased]"


def test_a_data_key_sealed_by_the_master_key_opens_only_for_its_key_id() -> None:
    data_key, key_id = new_data_key(), uuid.uuid4()
    text = master().seal_bytes(key_id.bytes, data_key)

    assert master().open_bytes(key_id.bytes, text) == data_key
    with pytest.raises(SealedUnreadableError):
        master().open_bytes(uuid.uuid4().bytes, text)
    assert data_key.hex() not in text


def test_a_rotated_master_key_ring_still_opens_data_keys_sealed_before() -> None:
    key_id = uuid.uuid4()
    old = master().seal_bytes(key_id.bytes, b"k" * 32)
    rotated = master("k2:" + "b" * 40 + "," + RING)

    assert rotated.open_bytes(key_id.bytes, old) == b"k" * 32
    assert rotated.seal_bytes(key_id.bytes, b"x").startswith("v1:k2:")
    with pytest.raises(SealedUnreadableError):
        master("k2:" + "b" * 40).open_bytes(key_id.bytes, old)


def test_personal_keys_are_derived_for_their_own_use() -> None:
    ring = parse_signing_keys(RING)

    assert master().keys != SealingKeys.derived_from(ring, b"ledger webhook secrets v1").keys
    assert master().keys["k1"] != ring.secrets["k1"]


def test_each_personal_value_belongs_to_the_person_it_names() -> None:
    user_id, booking = uuid.uuid4(), uuid.uuid4()

    assert value_subject(User, {}, user_id, "ana@example.com", lambda _: None) == f"user:{user_id}"
    assert (
        value_subject(MemberProfile, {"user_id": user_id}, booking, {}, lambda _: None) == f"user:{user_id}"
    )
    assert value_subject(MemberProfile, {}, booking, {"a": "b"}, lambda _: user_id) == f"user:{user_id}"
    customer = {"email": "Ana@Example.com"}
    assert value_subject(MemberProfile, {}, booking, customer, lambda _: None) == "email:ana@example.com"
    assert value_subject(MemberProfile, {}, booking, "note", lambda _: None) == f"stream:{booking}"
    assert element_subject({"userId": str(user_id)}) == f"user:{user_id}"
    assert element_subject({"email": "B@X.io"}) == "email:b@x.io"


def test_the_personal_fields_of_an_event_are_its_aggregates() -> None:
    assert aggregate_class(CourtBooking.Revised) is CourtBooking
    assert personal_fields(CourtBooking.Reactivated) == ("participants",)
    assert personal_fields(User.PersonalDataErased) == ("email", "first_name", "last_name")
    assert "CourtBooking.participants" in personal_data_kinds()
    assert "Booking.note" in personal_data_kinds()
