"""Checkpoints without a database: the Merkle root, the signed bytes, the signature and the chain."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from replay.chain import GENESIS
from replay.checkpoints import Checkpoint, leaf, merkle_root, raw_public_key, signed_checkpoint

NOW = datetime(2030, 5, 1, 10, 0, 0, 123456, tzinfo=UTC)


def node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def hashes(positions: range) -> list[tuple[int, bytes]]:
    return [(position, hashlib.sha256(str(position).encode()).digest()) for position in positions]


def test_a_leaf_covers_the_position_and_the_event_hash() -> None:
    digest = bytes(range(32))

    assert leaf(7, digest) == hashlib.sha256(b"\x00" + (7).to_bytes(8, "big") + digest).digest()
    assert leaf(7, digest) != leaf(8, digest)


def test_the_merkle_root_pairs_nodes_and_moves_an_odd_last_node_up() -> None:
    a, b, c = (hashlib.sha256(bytes([n])).digest() for n in range(3))

    assert merkle_root([a]) == a
    assert merkle_root([a, b]) == node(a, b)
    assert merkle_root([a, b, c]) == node(node(a, b), c)
    assert merkle_root([a, b, c, a]) == node(node(a, b), node(c, a))


def test_a_signed_checkpoint_verifies_under_its_key_and_chains_to_the_previous_one() -> None:
    key = Ed25519PrivateKey.generate()
    first = signed_checkpoint(None, hashes(range(1, 6)), NOW, key)
    second = signed_checkpoint(first, hashes(range(7, 9)), NOW, key)

    assert (first.sequence, first.first_position, first.last_position, first.event_count) == (1, 1, 5, 5)
    assert first.previous_hash == GENESIS
    assert (second.sequence, second.first_position, second.last_position, second.event_count) == (2, 6, 8, 2)
    assert second.previous_hash == first.hash
    assert first.signature_problem({raw_public_key(key)}) is None
    assert first.link_problem(None) is None
    assert second.link_problem(first) is None


@pytest.mark.parametrize(
    "change",
    [
        {"event_count": 6},
        {"last_position": 6},
        {"merkle_root": bytes(32)},
        {"created_at": NOW.replace(microsecond=0)},
        {"previous_hash": b"\x01" * 32},
    ],
)
def test_a_changed_field_invalidates_the_signature(change: dict[str, object]) -> None:
    key = Ed25519PrivateKey.generate()
    checkpoint = signed_checkpoint(None, hashes(range(1, 6)), NOW, key)

    problem = replace(checkpoint, **change).signature_problem({raw_public_key(key)})  # type: ignore[arg-type]

    assert problem == "checkpoint 1 has an invalid signature: its fields were changed"


def test_a_checkpoint_signed_by_another_key_is_not_trusted() -> None:
    trusted, other = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    checkpoint = signed_checkpoint(None, hashes(range(1, 3)), NOW, other)

    problem = checkpoint.signature_problem({raw_public_key(trusted)})

    assert problem is not None
    assert "untrusted key" in problem


def test_a_checkpoint_that_skips_its_predecessor_does_not_follow_it() -> None:
    key = Ed25519PrivateKey.generate()
    first = signed_checkpoint(None, hashes(range(1, 3)), NOW, key)
    second = signed_checkpoint(first, hashes(range(3, 5)), NOW, key)
    third = signed_checkpoint(second, hashes(range(5, 7)), NOW, key)

    assert third.link_problem(first) == (
        "checkpoint 3 does not follow checkpoint 1: a checkpoint was removed or altered"
    )
    assert second.link_problem(None) is not None


def test_the_exported_form_reads_back_as_the_same_checkpoint() -> None:
    checkpoint = signed_checkpoint(None, hashes(range(1, 4)), NOW, Ed25519PrivateKey.generate())

    exported = checkpoint.to_json()

    assert Checkpoint.from_json(exported) == checkpoint
    assert exported["createdAt"] == "2030-05-01T10:00:00.123456Z"
    assert exported["hash"] == checkpoint.hash.hex()
    assert len(bytes.fromhex(exported["publicKey"])) == 32
