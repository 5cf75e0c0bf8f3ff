"""Following the log without passing a position that an append still in flight could take."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from eventsourcing.persistence import ShutDown
from eventsourcing.postgres import PostgresSubscription

if TYPE_CHECKING:
    from collections.abc import Sequence

    from ledger.safe_reads import SafeReads

FIRST_PAUSE = 0.002
LONGEST_PAUSE = 0.1


@dataclass(frozen=True)
class Snapshot:
    """What one snapshot of the database says about the log (transaction ids as plain integers)."""

    xmin: int
    """The oldest transaction still running (every older one has finished)."""
    issued: int
    """The last position the sequence has issued, committed or not."""
    safe: int
    """The recorder's safe position: see recorder_sql.SAFE_POSITION_FUNCTION."""


@dataclass(frozen=True)
class Barrier:
    """Positions up to `issued` were issued before transaction `transaction_id` had its id: every holder of
    one is older, so once the oldest running transaction is younger than it, they are final."""

    issued: int
    transaction_id: int

    def passed(self, snapshot: Snapshot) -> bool:
        return snapshot.xmin > self.transaction_id


class SafeSubscription(PostgresSubscription):
    """The library's LISTEN/NOTIFY subscription, reading only up to a safe position.

    The recorder's safe position covers what older appends have shown. When it stops short of the last
    position issued and does not move (the last appends of a quiet moment), the subscription takes a barrier
    of its own and, until the barrier has passed, polls again after a short pause (doubling up to 0.1 s)
    instead of waiting for the next NOTIFY.
    """

    def __init__(self, recorder: SafeReads, gt: int | None = None, topics: Sequence[str] = ()) -> None:
        # Set before the library's constructor starts the pulling thread.
        self._ledger_recorder = recorder
        self._known_safe = 0
        self._last_recorder_safe = -1
        self._barrier: Barrier | None = None
        self._behind = False
        self._pause = FIRST_PAUSE
        super().__init__(recorder=recorder, gt=gt, topics=topics)

    def _safe_head(self) -> int:
        """A position up to which every event is final: the recorder's, or a barrier that has passed."""
        snapshot: Snapshot = self._ledger_recorder.log_snapshot()
        known: int = max(self._known_safe, snapshot.safe)
        if self._barrier is not None and self._barrier.passed(snapshot):
            known = max(known, self._barrier.issued)
            self._barrier = None
        stuck = snapshot.safe <= self._last_recorder_safe
        if self._barrier is None and known < snapshot.issued and stuck:
            self._barrier = self._ledger_recorder.barrier()
        self._last_recorder_safe = snapshot.safe
        self._known_safe = known
        self._behind = known < snapshot.issued
        return known

    def _pull(self) -> None:
        while not self._has_been_stopped:
            self._has_been_notified.clear()
            head = self._safe_head()
            notifications = self._ledger_recorder.safe_notifications(
                self._last_notification_id or 0, self._select_limit, topics=self._topics, known=head
            )
            if notifications:
                try:
                    self._notifications_queue.put(notifications)
                except ShutDown:
                    break
                self._last_notification_id = notifications[-1].id
                self._pause = FIRST_PAUSE
            if len(notifications) < self._select_limit:
                break

    def _loop_on_pull(self) -> None:
        try:
            self._pull()  # Already recorded events.
            while not self._has_been_stopped:
                if self._behind:
                    self._has_been_notified.wait(self._pause)
                    self._pause = min(self._pause * 2, LONGEST_PAUSE)
                else:
                    self._has_been_notified.wait()
                self._pull()
        except BaseException as error:
            if self._thread_error is None:
                self._thread_error = error
            self.stop()
