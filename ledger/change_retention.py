"""The change feed's retention: a background loop that prunes changes older than the configured age."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from ledger.periodic import Periodic
from projections.changes.notification_pruning import prune_notifications
from projections.changes.view import ChangesView

log = logging.getLogger("ledger.changes")
MAX_BATCHES_PER_ROUND = 20


class ChangeRetention(Periodic):
    """Every `interval` seconds, deletes the changes recorded more than `retention` ago, oldest first, and
    what goes with them: notifications' moments and claims (projections/changes/notification_pruning.py).

    Runs where the views are kept; two processes running it delete the same rows, which is harmless.
    """

    def __init__(
        self,
        view: ChangesView,
        clock: Callable[[], datetime],
        retention: timedelta,
        interval: float,
        after: Callable[[], None] = lambda: None,
    ) -> None:
        super().__init__("change-retention", interval, self.run_once, log)
        self.view = view
        self.clock = clock
        self.retention = retention
        self.after = after
        """What else goes with the pruned changes (the deliveries done that carried them)."""

    def run_once(self) -> int:
        """Prune what is due, in a few short transactions; how many changes were deleted."""
        deleted = 0
        for _ in range(MAX_BATCHES_PER_ROUND):
            pruned = self.view.prune(self.clock() - self.retention)
            deleted += pruned
            if not pruned:
                break
        prune_notifications(self.view, self.view.horizon())
        self.after()
        return deleted
