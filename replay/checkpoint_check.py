"""Checking checkpoints: their chain, their signatures, and their Merkle roots against the stored hashes."""

from __future__ import annotations

import bisect
from collections import deque
from collections.abc import Iterable

from domain.application import Ledger
from replay.checkpoint_store import all_checkpoints, checkpoints_meeting
from replay.checkpoints import Checkpoint, leaf, merkle_root
from replay.verify import BrokenLink, Progress, Row, VerifyReport, log_head, verify_log


def _range(checkpoint: Checkpoint) -> str:
    return (
        f"checkpoint {checkpoint.sequence} (positions {checkpoint.first_position}-{checkpoint.last_position})"
    )


class CheckpointCheck:
    """Fed the stored hashes in position order, checks each checkpoint's count and Merkle root over its
    range, its signature by a trusted key, and its link to the checkpoint before it."""

    def __init__(
        self, previous: Checkpoint | None, checkpoints: list[Checkpoint], trusted_keys: Iterable[bytes]
    ) -> None:
        self.previous = previous
        self.checkpoints = checkpoints
        self.trusted_keys = set(trusted_keys)
        self.pending = deque(checkpoints)
        self.leaves: list[bytes] = []
        self.broken: list[BrokenLink] = []
        self.uncheckpointed = 0

    def feed(self, page: list[Row]) -> None:
        """Take the page's leaves, a checkpoint's run of rows at a time (rows are in position order)."""
        positions = [row[0] for row in page]
        start = 0
        while start < len(page):
            if not self.pending:
                self.uncheckpointed += len(page) - start
                return
            checkpoint = self.pending[0]
            if positions[start] > checkpoint.last_position:
                self._close()
                continue
            end = bisect.bisect_right(positions, checkpoint.last_position, lo=start)
            first = bisect.bisect_left(positions, checkpoint.first_position, lo=start, hi=end)
            self.uncheckpointed += first - start  # before every checkpoint: only where one was removed
            self.leaves.extend(leaf(row[0], row[5] or b"") for row in page[first:end])
            start = end

    def _close(self) -> None:
        checkpoint = self.pending.popleft()
        leaves, self.leaves = self.leaves, []
        if len(leaves) != checkpoint.event_count:
            self._break(
                checkpoint,
                f"{_range(checkpoint)} signed {checkpoint.event_count} events, {len(leaves)} are stored: "
                "events were deleted or inserted",
            )
        elif merkle_root(leaves) != checkpoint.merkle_root:
            self._break(
                checkpoint,
                f"{_range(checkpoint)}: the Merkle root differs: an event's hash or position changed",
            )

    def _break(self, checkpoint: Checkpoint, what: str) -> None:
        self.broken.append(BrokenLink(checkpoint.first_position, what))

    def finish(self, report: VerifyReport) -> None:
        while self.pending:
            self._close()
        previous = self.previous
        for checkpoint in self.checkpoints:
            for problem in (
                checkpoint.link_problem(previous),
                checkpoint.signature_problem(self.trusted_keys),
            ):
                if problem is not None:
                    self._break(checkpoint, problem)
            previous = checkpoint
        report.broken.extend(self.broken)
        report.checkpoints = len(self.checkpoints)
        report.uncheckpointed = self.uncheckpointed


def verify_ledger(
    ledger: Ledger,
    first: int = 1,
    last: int | None = None,
    *,
    trusted_keys: Iterable[bytes] = (),
    exported: Iterable[Checkpoint] = (),
    progress: Progress | None = None,
) -> VerifyReport:
    """Re-hash positions `first` to `last` (the head by default) and check every checkpoint that meets them,
    growing the range to whole checkpoints; with `exported` copies, each must be in the database as it was."""
    last = log_head(ledger) if last is None else last
    previous, meeting = checkpoints_meeting(ledger, first, last)
    if meeting:
        first, last = min(first, meeting[0].first_position), max(last, meeting[-1].last_position)
    check = CheckpointCheck(previous, meeting, trusted_keys)
    report = verify_log(ledger, first, last, checks=(check,), progress=progress)
    report.broken.extend(exported_problems(ledger, exported))
    return report


def exported_problems(ledger: Ledger, exported: Iterable[Checkpoint]) -> list[BrokenLink]:
    """Where the database's checkpoints differ from copies exported earlier."""
    copies = {checkpoint.sequence: checkpoint for checkpoint in exported}
    if not copies:
        return []
    stored = {c.sequence: c for c in all_checkpoints(ledger) if c.sequence in copies}
    problems = []
    for sequence, copy in sorted(copies.items()):
        found = stored.get(sequence)
        if found != copy:
            change = "is missing from the database" if found is None else "differs in the database"
            problems.append(BrokenLink(copy.first_position, f"exported {_range(copy)} {change}"))
    return problems
