"""A follower tailing the event log under concurrent appends sees every event, in order, exactly once."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

from domain.context import ADMIN, RequestContext
from domain.organization import Organization
from ledger.runtime import Runtime

WRITERS = 8
EVENTS = 20_000
PER_SAVE = 10


def test_follower_misses_no_event_written_by_eight_concurrent_writers(runtime: Runtime) -> None:
    ledger = runtime.ledger
    start = ledger.recorder.max_notification_id() or 0
    written: list[int] = []
    written_lock = threading.Lock()
    seen: list[int] = []
    followed = threading.Event()

    def write(count: int) -> None:
        meta = RequestContext(ADMIN, datetime.now(UTC), uuid.uuid4().hex).meta()
        for _ in range(count // PER_SAVE):
            batch = [Organization.register("Tailing", "UTC", meta) for _ in range(PER_SAVE)]
            recordings = ledger.save(*batch)
            with written_lock:
                written.extend(r.notification.id for r in recordings)

    def follow() -> None:
        with ledger.recorder.subscribe(gt=start) as subscription:
            for notification in subscription:
                seen.append(notification.id)
                if len(seen) >= EVENTS:
                    break
        followed.set()

    follower = threading.Thread(target=follow)
    follower.start()
    writers = [threading.Thread(target=write, args=(EVENTS // WRITERS,)) for _ in range(WRITERS)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    followed.wait(timeout=120)
    follower.join(timeout=5)

    assert len(written) == EVENTS
    assert sorted(seen) == seen
    assert len(set(seen)) == len(seen)
    assert set(seen) == set(written)
