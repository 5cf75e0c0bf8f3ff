"""The last hash seen of recent streams, so that appended events are hash-chained in Python, not under SQL."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import StoredEvent

from domain.caches import BoundedCache
from replay.chain import GENESIS, event_hash

Known = tuple[int, bytes]
"""A stream's version and that version's stored hash."""


class StreamHashes:
    """Per stream, the highest version whose stored hash this process has read or written.

    A stored event never changes (verification would show it), so what was seen stays true; a stream's
    next event is chained to it without asking the database. A stream not seen, or seen at another version
    than the one before, is left to the database's insert function.
    """

    def __init__(self, size: int = 100_000) -> None:
        self._known: BoundedCache[Known] = BoundedCache(size)

    def seen(self, originator_id: UUID, version: int, digest: bytes | None) -> None:
        if digest is None:
            return
        known = self._known.get(originator_id)
        if known is None or known[0] < version:
            self._known.put(originator_id, (version, digest))

    def seen_rows(self, rows: Iterable[Any]) -> None:
        """Remember the stored hashes of rows read from the events table (with their `event_hash`): of each
        stream, its highest version's only."""
        highest: dict[UUID, Any] = {}
        for row in rows:
            found = highest.get(row["originator_id"])
            if found is None or found["originator_version"] < row["originator_version"]:
                highest[row["originator_id"]] = row
        for origin, row in highest.items():
            digest = row["event_hash"]
            self.seen(origin, row["originator_version"], bytes(digest) if digest else None)

    def chain(self, events: Sequence[StoredEvent]) -> list[bytes | None]:
        """Each event's hash where its predecessor's is known here (in the batch or seen), else None."""
        hashes: list[bytes | None] = []
        batch: dict[UUID, Known] = {}
        for event in events:
            origin, version = event.originator_id, event.originator_version
            assert isinstance(origin, UUID)
            previous: bytes | None = GENESIS if version == 1 else None
            known = batch.get(origin) or self._known.get(origin)
            if previous is None and known is not None and known[0] == version - 1:
                previous = known[1]
            digest = (
                None if previous is None else event_hash(previous, origin, version, event.topic, event.state)
            )
            if digest is None:
                batch.pop(origin, None)
            else:
                batch[origin] = (version, digest)
            hashes.append(digest)
        return hashes
