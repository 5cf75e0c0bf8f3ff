"""Locks by key within one process, so that its commands on the same streams take turns instead of racing."""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from uuid import UUID


class KeyLocks:
    """One lock per key while someone holds or waits for it, forgotten after.

    A holder takes all its keys at once, in sorted order, so two holders never wait for each other in a cycle.
    This only spares a process's own commands a lost version race and its retry; optimistic concurrency still
    decides between processes, and between a holder and a command that takes no lock.
    """

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        # Each key's lock and how many threads hold or wait for it.
        self._locks: dict[UUID, tuple[threading.Lock, int]] = {}

    @contextmanager
    def holding(self, keys: Iterable[UUID]) -> Iterator[None]:
        """Hold every key's lock for the duration of the block."""
        ordered = sorted(set(keys), key=lambda key: key.int)
        with self._mutex:
            locks = [self._join(key) for key in ordered]
        acquired = 0
        try:
            for lock in locks:
                lock.acquire()
                acquired += 1
            yield
        finally:
            for lock in locks[:acquired]:
                lock.release()
            with self._mutex:
                for key in ordered:
                    self._leave(key)

    def _join(self, key: UUID) -> threading.Lock:
        lock, users = self._locks.get(key) or (threading.Lock(), 0)
        self._locks[key] = (lock, users + 1)
        return lock

    def _leave(self, key: UUID) -> None:
        lock, users = self._locks[key]
        if users == 1:
            del self._locks[key]
        else:
            self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        """How many keys are held or waited for now."""
        with self._mutex:
            return len(self._locks)
