"""Locks by key: a holder waits for the one before it, and a key is forgotten once nobody holds it."""

from __future__ import annotations

import threading
import time
import uuid

from domain.key_locks import KeyLocks


def test_keys_are_forgotten_once_nobody_holds_them() -> None:
    locks = KeyLocks()
    keys = [uuid.uuid4() for _ in range(3)]

    with locks.holding([*keys, keys[0]]):
        assert len(locks) == 3

    assert len(locks) == 0


def test_a_holder_of_a_shared_key_enters_only_after_the_first_holder_leaves() -> None:
    locks = KeyLocks()
    shared, own = uuid.uuid4(), uuid.uuid4()
    entered = threading.Event()

    def second() -> None:
        with locks.holding([own, shared]):
            entered.set()

    with locks.holding([shared]):
        waiting = threading.Thread(target=second)
        waiting.start()
        while locks._locks[shared][1] < 2:  # until the second holder waits for the shared key
            time.sleep(0.001)
        assert not entered.is_set()
    waiting.join()

    assert entered.is_set()
    assert len(locks) == 0
