"""How recently each API key was seen unrevoked in the log, so a busy key is not re-read on every request."""

from __future__ import annotations

import threading
import time
from uuid import UUID

from domain.caches import BoundedCache


class RecentKeyChecks:
    """Keys found unrevoked within the last `seconds`; 0 (the default) re-reads the log on every request.

    A revocation saved by this process forgets its keys once saved, and a read of the log that began before
    that is not noted, so it takes effect at once; one saved by another process takes effect here within
    `seconds`, the bound the setting promises.
    """

    def __init__(self, seconds: float = 0.0, size: int = 10_000) -> None:
        self.seconds = seconds
        self._until: BoundedCache[float] = BoundedCache(size)
        # Bumped by every revocation: a read begun before it may have seen the key unrevoked.
        self.generation = 0
        self._lock = threading.Lock()

    def fresh(self, key_id: UUID) -> bool:
        """Whether the key was found unrevoked less than `seconds` ago."""
        until = self._until.get(key_id)
        return until is not None and time.monotonic() < until

    def note(self, key_id: UUID, generation: int) -> None:
        """The key was found unrevoked by a read of the log begun at `generation`."""
        with self._lock:
            if self.seconds > 0 and generation == self.generation:
                self._until.put(key_id, time.monotonic() + self.seconds)

    def forget(self, *key_ids: UUID) -> None:
        """These keys were revoked: the next request reads the log again."""
        with self._lock:
            self.generation += 1
            for key_id in key_ids:
                self._until.discard(key_id)
