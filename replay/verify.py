"""Verification of the log: every event re-hashed in its stream's chain, every checkpoint over it re-checked.

One pass reads the events of a range of positions in position order (an index range scan, no join), recomputes
each hash in Python (replay/chain.py), chained to the hash stored with the event read before it in its stream,
and compares it with the stored one; a stream's first event in the range that is not its version 1 has its
predecessor looked up, one query per page. It keeps one entry per stream seen. The checkpoints whose ranges
meet the range are checked on the same rows (replay/checkpoints.py), so the range grows to whole checkpoints.
A broken link is named by the position where it shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol
from uuid import UUID

from psycopg import sql
from psycopg.rows import tuple_row

from domain.application import Ledger
from projections.safe_log import safe_log
from replay.chain import GENESIS, LENGTH, VERSION, events_recorder, stored_event_hash, topic_field

Progress = Callable[[int, int], None]
Row = tuple[int, bytes, int, str | None, bytes | None, bytes | None]
"""position, originator id (its 16 bytes), version, topic, state, stored hash."""
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

    def feed(self, page: list[Row]) -> None: ...

    def finish(self, report: VerifyReport) -> None: ...


def _stream(originator_id: bytes, version: int, position: int) -> str:
    return f"stream {UUID(bytes=originator_id)} version {version} (position {position})"


class ChainCheck:
    """Re-hashes events read in position order, each chained to the hash stored with the event before it in
    its stream: the one read last of that stream, or, for the first of a stream in the range, the one that a
    look-up finds (`previous`)."""

    def __init__(self) -> None:
        self.last: dict[bytes, tuple[int, bytes | None]] = {}
        """Stream id -> the version and stored hash of its event read last."""

    def unseen_predecessors(self, page: list[Row]) -> list[tuple[bytes, int]]:
        """The (stream, version) before the first event in `page` of each stream not seen yet (none before
        a version 1)."""
        wanted: dict[bytes, int] = {}
        for row in page:
            origin, version = row[1], row[2]
            if origin not in self.last and origin not in wanted:
                wanted[origin] = version - 1
        return [(origin, version) for origin, version in wanted.items() if version >= 1]

    def check_page(
        self, page: list[Row], previous: dict[tuple[bytes, int], bytes | None]
    ) -> list[BrokenLink]:
        """The broken links among these events: each one's hash recomputed from its bytes and its previous
        version's stored hash, and compared with its stored hash."""
        broken = []
        last, sha256, version_bytes, length_bytes = self.last, hashlib.sha256, VERSION.pack, LENGTH.pack
        for row in page:
            position, origin, version, topic, state, stored = row
            seen = last.get(origin)
            last[origin] = (version, stored)
            # The common case, inline: the previous version was read just before, and both are hashed.
            if seen is not None and seen[0] == version - 1 and seen[1] is not None and stored is not None:
                content = state or b""
                field = topic_field(topic or "")
                digest = sha256(
                    seen[1] + origin + version_bytes(version) + field + length_bytes(len(content)) + content
                ).digest()
                if digest == stored:
                    continue
            problem = self._problem(row, seen, previous)
            if problem is not None:
                broken.append(BrokenLink(position, problem))
        return broken

    @staticmethod
    def _problem(
        row: Row, seen: tuple[int, bytes | None] | None, previous: dict[tuple[bytes, int], bytes | None]
    ) -> str | None:
        """Why this event breaks its stream's chain, or None when it does not."""
        position, origin, version, topic, state, stored = row
        where = _stream(origin, version, position)
        if stored is None:
            return f"{where} has no hash (run `ledger audit backfill`)"
        if seen is not None and seen[0] >= version:
            return f"{where}: it is stored after version {seen[0]} of its stream"
        if seen is not None and seen[0] == version - 1:
            chained = seen[1]
        elif seen is None and version == 1:
            chained = GENESIS
        elif seen is None and (origin, version - 1) in previous:
            chained = previous[(origin, version - 1)]
        else:
            return f"{where}: its previous version {version - 1} is missing"
        if chained is None:
            return f"{where}: its previous version {version - 1} has no hash"
        if stored_event_hash(chained, origin, version, topic_field(topic or ""), state or b"") != stored:
            return f"{where}: its bytes or its place in the stream were changed"
        return None


class _Reader:
    """Pages of events in position order, and the hashes of chosen versions, on one connection."""

    def __init__(self, conn: Any, table: sql.Identifier) -> None:
        self.conn = conn
        # A window of positions rather than a LIMIT: the planner then reads only the window, whatever its
        # statistics say about the rest of the range.
        self.page = sql.SQL(
            "SELECT notification_id, uuid_send(originator_id), originator_version, topic, state, event_hash "
            "FROM {} WHERE notification_id > %s AND notification_id <= %s ORDER BY notification_id"
        ).format(table)
        self.versions = sql.SQL(
            "SELECT uuid_send(e.originator_id), e.originator_version, e.event_hash "
            "FROM unnest(%s::bytea[], %s::bigint[]) AS k(id, version) "
            "JOIN {} e ON e.originator_id = encode(k.id, 'hex')::uuid AND e.originator_version = k.version"
        ).format(table)

    def rows(self, after: int, upto: int) -> list[Row]:
        with self.conn.cursor(binary=True, row_factory=tuple_row) as cursor:
            cursor.execute(self.page, (after, upto))
            rows: list[Row] = cursor.fetchall()
        return rows

    def hashes(self, keys: list[tuple[bytes, int]]) -> dict[tuple[bytes, int], bytes | None]:
        if not keys:
            return {}
        with self.conn.cursor(binary=True, row_factory=tuple_row) as cursor:
            cursor.execute(self.versions, ([k[0] for k in keys], [k[1] for k in keys]))
            return {(origin, version): digest for origin, version, digest in cursor.fetchall()}


def log_head(ledger: Ledger) -> int:
    """The safe position: positions past it may still gain events from transactions in flight."""
    return safe_log(ledger.recorder).safe_position()


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
    span, after, chain = max(last - first + 1, 0), first - 1, ChainCheck()
    recorder = events_recorder(ledger)
    table = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
    # The next page is read while this one is hashed: the database and Python work at once.
    with recorder.datastore.get_connection() as conn, ThreadPoolExecutor(1, "verify-reader") as prefetch:
        reader = _Reader(conn, table)
        upto = min(last, after + batch_size)
        pending = prefetch.submit(reader.rows, after, upto) if after < last else None
        while pending is not None:
            page, after = pending.result(), upto
            previous = reader.hashes(chain.unseen_predecessors(page))
            upto = min(last, after + batch_size)
            pending = prefetch.submit(reader.rows, after, upto) if after < last else None
            report.broken.extend(chain.check_page(page, previous))
            for each in checks:
                each.feed(page)
            report.events += len(page)
            if progress is not None:
                progress(after - first + 1, span)
    for check in checks:
        check.finish(report)
    return report
