"""Signed checkpoints: a Merkle root over the event hashes of a range of positions, chained and signed.

Checkpoint n covers the positions after checkpoint n-1's last one (from 1 for the first) up to its own last
one. Its Merkle tree's leaves are SHA-256(0x00 || position as 8 bytes big-endian || event hash), one per event
in position order; a node is SHA-256(0x01 || left || right), and a level's odd last node moves up unchanged.
The signed bytes are `ledger-checkpoint/1\\n`, then sequence, first position, last position and event count
(8 bytes big-endian each), the Merkle root, the previous checkpoint's hash (32 zero bytes for the first), and
the creation time in microseconds since the Unix epoch (8 bytes big-endian); a checkpoint's hash is SHA-256 of
its signed bytes. The signature is Ed25519 over the signed bytes, with a key kept outside the database.
"""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from replay.chain import GENESIS

SIGNED_PREFIX = b"ledger-checkpoint/1\n"
_POSITION = struct.Struct(">Q")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
FIELDS = (
    "sequence",
    "first_position",
    "last_position",
    "event_count",
    "merkle_root",
    "previous_hash",
    "created_at",
    "public_key",
    "signature",
)


def leaf(position: int, event_hash: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + _POSITION.pack(position) + event_hash).digest()


def merkle_root(leaves: list[bytes]) -> bytes:
    """The root of the tree over these leaves (the hash of nothing for none)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    level = leaves
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest() for i in range(0, len(level) - 1, 2)
        ]
        level = paired + level[-1:] if len(level) % 2 else paired
    return level[0]


def raw_public_key(key: Ed25519PrivateKey | Ed25519PublicKey) -> bytes:
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return public.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class Checkpoint:
    """One signed checkpoint, as stored and as exported."""

    sequence: int
    first_position: int
    last_position: int
    event_count: int
    merkle_root: bytes
    previous_hash: bytes
    created_at: datetime
    public_key: bytes
    signature: bytes

    def signed_bytes(self) -> bytes:
        micros = (self.created_at - EPOCH) // timedelta(microseconds=1)
        numbers = (self.sequence, self.first_position, self.last_position, self.event_count)
        return b"".join(
            (
                SIGNED_PREFIX,
                *(number.to_bytes(8, "big") for number in numbers),
                self.merkle_root,
                self.previous_hash,
                micros.to_bytes(8, "big", signed=True),
            )
        )

    @property
    def hash(self) -> bytes:
        return hashlib.sha256(self.signed_bytes()).digest()

    def signature_problem(self, trusted_keys: Iterable[bytes]) -> str | None:
        """Why the signature cannot be trusted, or None when a trusted key made it over these fields."""
        if self.public_key not in set(trusted_keys):
            return f"checkpoint {self.sequence} is signed by an untrusted key {self.public_key.hex()}"
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(self.signature, self.signed_bytes())
        except (InvalidSignature, ValueError):
            return f"checkpoint {self.sequence} has an invalid signature: its fields were changed"
        return None

    def link_problem(self, previous: Checkpoint | None) -> str | None:
        """Why this checkpoint does not follow `previous` (None: it is the first), or None when it does."""
        expected = (
            (previous.sequence + 1, previous.last_position + 1, previous.hash)
            if previous
            else (1, 1, GENESIS)
        )
        if (self.sequence, self.first_position, self.previous_hash) != expected:
            after = f"checkpoint {previous.sequence}" if previous else "the start of the log"
            return f"checkpoint {self.sequence} does not follow {after}: a checkpoint was removed or altered"
        return None

    def to_json(self) -> dict[str, Any]:
        """The exported form: one JSON object per line, binary fields in hex."""
        return {
            "sequence": self.sequence,
            "firstPosition": self.first_position,
            "lastPosition": self.last_position,
            "eventCount": self.event_count,
            "merkleRoot": self.merkle_root.hex(),
            "previousHash": self.previous_hash.hex(),
            "createdAt": self.created_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "publicKey": self.public_key.hex(),
            "signature": self.signature.hex(),
            "hash": self.hash.hex(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Checkpoint:
        return cls(
            sequence=int(data["sequence"]),
            first_position=int(data["firstPosition"]),
            last_position=int(data["lastPosition"]),
            event_count=int(data["eventCount"]),
            merkle_root=bytes.fromhex(data["merkleRoot"]),
            previous_hash=bytes.fromhex(data["previousHash"]),
            created_at=datetime.fromisoformat(data["createdAt"]),
            public_key=bytes.fromhex(data["publicKey"]),
            signature=bytes.fromhex(data["signature"]),
        )

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Checkpoint:
        values = {name: row[name] for name in FIELDS}
        for name in ("merkle_root", "previous_hash", "public_key", "signature"):
            values[name] = bytes(values[name])
        return cls(**values)


def signed_checkpoint(
    previous: Checkpoint | None, hashes: list[tuple[int, bytes]], created_at: datetime, key: Ed25519PrivateKey
) -> Checkpoint:
    """The checkpoint after `previous` over these (position, event hash) pairs, in position order."""
    unsigned = Checkpoint(
        sequence=previous.sequence + 1 if previous else 1,
        first_position=previous.last_position + 1 if previous else 1,
        last_position=hashes[-1][0],
        event_count=len(hashes),
        merkle_root=merkle_root([leaf(position, digest) for position, digest in hashes]),
        previous_hash=previous.hash if previous else GENESIS,
        created_at=created_at,
        public_key=raw_public_key(key),
        signature=b"",
    )
    return replace(unsigned, signature=key.sign(unsigned.signed_bytes()))
