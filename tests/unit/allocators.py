"""An in-memory number allocator for tests of commands without a database."""

from __future__ import annotations

import itertools
import threading
from collections import defaultdict
from collections.abc import Iterator

from eventsourcing.persistence import ApplicationRecorder

from domain.application import Ledger

IN_MEMORY = {"PERSISTENCE_MODULE": "eventsourcing.popo"}


class InMemoryNumbers:
    """Counts from 1 per kind, as a fresh PostgreSQL sequence would."""

    def __init__(self) -> None:
        self._counters: defaultdict[str, Iterator[int]] = defaultdict(lambda: itertools.count(1))
        self._lock = threading.Lock()

    def next_number(self, kind: str) -> int:
        with self._lock:
            return next(self._counters[kind])


def in_memory_numbers(_: ApplicationRecorder) -> InMemoryNumbers:
    return InMemoryNumbers()


def in_memory_ledger() -> Ledger:
    """A ledger on eventsourcing's in-memory store, numbering with `InMemoryNumbers`."""
    return Ledger(env=IN_MEMORY, numbers=in_memory_numbers)
