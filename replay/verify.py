"""Verification of the log: every event re-hashed in its stream's chain, every checkpoint over it re-checked.

One pass reads the events of a range of positions in position order, each with its stream's previous version
joined by primary key, recomputes each hash in Python (replay/chain.py) and compares it with the stored one.
The checkpoints whose ranges meet the range are checked on the same rows (replay/checkpoints.py), so the
range grows to whole checkpoints. A broken link is named by the position where it shows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from psycopg import sql
from psycopg.rows import tuple_row

from domain.application import Ledger
from replay.chain import GENESIS, event_hash, events_recorder

Progress = Callable[[int, int], None]
Row = tuple[int, UUID, int, str | None, bytes | None, bytes | None, bytes | None, bool]
"""position, originator id, version, topic, state, stored hash, previous version's hash, previous exists."""
BATCH_SIZE = 10_000


@dataclass(frozen=True, order=True)
class BrokenLink:
    """Where the log stops being trustworthy, and why."""

    position: int
    what: str


@dataclass
class VerifyReport:
    """What a verification read and checked, and every broken link it found."""

    first: int
    last: int
    events: int = 0
    checkpoints: int = 0
    uncheckpointed: int = 0
    """Events of the range after the last checkpoint: chained, not yet signed."""
    broken: list[BrokenLink] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.broken

    @property
    def first_broken(self) -> BrokenLink | None:
        return min(self.broken) if self.broken else None


class RowCheck(Protocol):
    """A check fed every row of the pass, in position order (the checkpoints' is one)."""

    def feed(self, position: int, stored_hash: bytes | None) -> None: ...

    def finish(self, report: VerifyReport) -> None: ...


def _stream(originator_id: UUID, version: int, position: int) -> str:
    return f"stream {originator_id} version {version} (position {position})"


def check_row(row: Row) -> str | None:
    """Why this event breaks its stream's chain, or None when its hash is the one its bytes and its
    previous version's hash give."""
    position, origin, version, topic, state, stored, previous, has_previous = row
    if stored is None:
        return f"{_stream(origin, version, position)} has no hash (run `ledger audit backfill`)"
    if version == 1:
        previous = GENESIS
    elif not has_previous:
        return f"{_stream(origin, version, position)}: its previous version {version - 1} is missing"
    elif previous is None:
        return f"{_stream(origin, version, position)}: its previous version {version - 1} has no hash"
    if event_hash(previous, origin, version, topic or "", state or b"") != stored:
        return f"{_stream(origin, version, position)}: its bytes or its place in the stream were changed"
    return None


def _rows(ledger: Ledger, after: int, last: int, batch_size: int) -> Iterator[list[Row]]:
    """The events at positions in (after, last], in pages, with their previous versions' hashes."""
    recorder = events_recorder(ledger)
    query = sql.SQL(
        "SELECT e.notification_id, e.originator_id, e.originator_version, e.topic, e.state, e.event_hash, "
        "p.event_hash, p.originator_version IS NOT NULL FROM {t} e LEFT JOIN {t} p "
        "ON p.originator_id = e.originator_id AND p.originator_version = e.originator_version - 1 "
        "WHERE e.notification_id > %s AND e.notification_id <= %s ORDER BY e.notification_id LIMIT %s"
    ).format(t=sql.Identifier(recorder.datastore.schema, recorder.events_table_name))
    with recorder.datastore.get_connection() as conn:
        while after < last:
            with conn.cursor(binary=True, row_factory=tuple_row) as cursor:
                cursor.execute(query, (after, last, batch_size))
                page: list[Any] = cursor.fetchall()
            if not page:
                return
            yield page
            after = page[-1][0]


def log_head(ledger: Ledger) -> int:
    return ledger.recorder.max_notification_id() or 0


def verify_log(
    ledger: Ledger,
    first: int = 1,
    last: int | None = None,
    *,
    checks: tuple[RowCheck, ...] = (),
    batch_size: int = BATCH_SIZE,
    progress: Progress | None = None,
) -> VerifyReport:
    """Re-hash every event at positions `first` to `last` (the head by default) and run `checks` on them."""
    last = log_head(ledger) if last is None else last
    report = VerifyReport(first, last)
    span = max(last - first + 1, 0)
    for page in _rows(ledger, first - 1, last, batch_size):
        for row in page:
            problem = check_row(row)
            if problem is not None:
                report.broken.append(BrokenLink(row[0], problem))
            for check in checks:
                check.feed(row[0], row[5])
        report.events += len(page)
        if progress is not None:
            progress(page[-1][0] - first + 1, span)
    for check in checks:
        check.finish(report)
    return report
