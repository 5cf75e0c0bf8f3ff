"""Chaining appended events in Python from the stream hashes a process has seen, without a database."""

from __future__ import annotations

import uuid

from eventsourcing.persistence import StoredEvent

from ledger.stream_hashes import StreamHashes
from replay.chain import GENESIS, event_hash

TOPIC = "domain.court_booking:CourtBooking.Revised"


def stored(origin: uuid.UUID, version: int) -> StoredEvent:
    return StoredEvent(origin, version, TOPIC, f"state {version}".encode())


def test_a_streams_first_event_and_those_after_it_in_one_batch_are_chained_from_the_start() -> None:
    origin = uuid.uuid4()
    batch = [stored(origin, 1), stored(origin, 2)]

    first, second = StreamHashes().chain(batch)

    assert first == event_hash(GENESIS, origin, 1, TOPIC, b"state 1")
    assert first is not None
    assert second == event_hash(first, origin, 2, TOPIC, b"state 2")


def test_an_event_after_a_version_not_seen_is_left_to_the_database() -> None:
    origin = uuid.uuid4()
    hashes = StreamHashes()
    hashes.seen(origin, 3, b"\x01" * 32)

    assert hashes.chain([stored(origin, 5), stored(origin, 6)]) == [None, None]


def test_an_event_after_the_version_seen_last_is_chained_to_its_hash() -> None:
    origin, other = uuid.uuid4(), uuid.uuid4()
    hashes = StreamHashes()
    hashes.seen(origin, 4, b"\x02" * 32)
    hashes.seen(origin, 3, b"\x03" * 32)  # an older read does not replace what was seen later
    hashes.seen(other, 1, None)  # an unhashed event teaches nothing

    chained, unknown = hashes.chain([stored(origin, 5), stored(other, 2)])

    assert chained == event_hash(b"\x02" * 32, origin, 5, TOPIC, b"state 5")
    assert unknown is None
