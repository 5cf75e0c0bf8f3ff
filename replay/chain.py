"""The hash chain of a stream: each event's hash covers the previous one's and the event's stored bytes.

An event's hash is SHA-256 over these bytes, concatenated:

| field | encoding |
|---|---|
| previous hash | the 32-byte hash of the same stream's previous version; 32 zero bytes for version 1 |
| originator id | the 16 bytes of the UUID (RFC 4122 order) |
| originator version | 8 bytes, big-endian, signed |
| topic | its UTF-8 length as 4 bytes big-endian, then its UTF-8 bytes |
| state | its length as 4 bytes big-endian, then the stored bytes exactly as in the `state` column |

The state is whatever the events table holds (ciphertext included), so anything that changes a stored event,
or the order of a stream, changes its hash and every later hash of that stream. The same formula runs in
PostgreSQL when an event is appended (ledger/recorder.py) and in Python when it is verified
(replay/verify.py).
"""

from __future__ import annotations

import functools
import hashlib
import struct
from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder

from domain.application import Ledger

HASH_SIZE = 32
GENESIS = bytes(HASH_SIZE)
"""The previous hash of a stream's first event."""
VERSION = struct.Struct(">q")
"""A version as the hash encodes it."""
LENGTH = struct.Struct(">I")
"""A length as the hash encodes it."""


def event_hash(previous: bytes, originator_id: UUID, version: int, topic: str, state: bytes) -> bytes:
    """The hash of one stored event, chained to `previous` (GENESIS for a stream's first event)."""
    return stored_event_hash(previous, originator_id.bytes, version, topic_field(topic), state)


@functools.lru_cache(maxsize=4096)
def topic_field(topic: str) -> bytes:
    """A topic as the hash encodes it: its UTF-8 length, 4 bytes big-endian, then its UTF-8 bytes."""
    encoded = topic.encode("utf-8")
    return LENGTH.pack(len(encoded)) + encoded


def stored_event_hash(
    previous: bytes, originator_id: bytes, version: int, topic: bytes, state: bytes
) -> bytes:
    """`event_hash` of an id already as its 16 bytes and a topic already as its `topic_field`: the form
    verification reads from the database, where every microsecond per event counts."""
    return hashlib.sha256(
        previous + originator_id + VERSION.pack(version) + topic + LENGTH.pack(len(state)) + state
    ).digest()


def hex_or_none(value: bytes | None) -> str | None:
    """A hash as lowercase hex, as the audit surface and the exports show it."""
    return value.hex() if value is not None else None


def events_recorder(ledger: Ledger) -> PostgresApplicationRecorder:
    """The ledger's recorder, which must be PostgreSQL's: the chain lives in its events table."""
    recorder = ledger.recorder
    if not isinstance(recorder, PostgresApplicationRecorder):
        raise TypeError("The hash chain is kept in PostgreSQL.")
    return recorder
