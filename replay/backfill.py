"""Hashes for the events stored before the hash chain: filled in stream order, resumably, in short batches.

An upgraded events table keeps its rows; they get the `event_hash` column empty, and an appended event whose
previous version is still unhashed is written unhashed too. A backfill walks the unhashed events (a partial
index holds exactly those) in stream and version order and gives each the hash chained to its previous
version. Each batch commits on its own, so a stopped backfill resumes where it was. Passes repeat until one
hashes nothing, since an append racing a pass may leave one more unhashed event behind. An event whose
previous version is missing can never be chained: it stays unhashed, and verification names it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.postgres import PostgresApplicationRecorder
from psycopg import sql

from domain.application import Ledger
from replay.chain import GENESIS, event_hash, events_recorder

Progress = Callable[[int, int], None]
NO_STREAM = UUID(int=0)


@dataclass(frozen=True)
class BackfillReport:
    """How many events a backfill hashed, and how many it found that cannot be chained."""

    hashed: int
    unchainable: int


def _table(recorder: PostgresApplicationRecorder) -> sql.Identifier:
    return sql.Identifier(recorder.datastore.schema, recorder.events_table_name)


def unhashed_count(ledger: Ledger) -> int:
    recorder = events_recorder(ledger)
    with recorder.datastore.transaction(commit=False) as curs:
        curs.execute(
            sql.SQL("SELECT count(*) AS n FROM {} WHERE event_hash IS NULL").format(_table(recorder))
        )
        row = curs.fetchone()
    return int(row["n"]) if row else 0


def _chained(rows: list[dict[str, Any]]) -> list[tuple[UUID, int, bytes]]:
    """The hashes that these unhashed events (in stream and version order) can be given now."""
    hashes: list[tuple[UUID, int, bytes]] = []
    last: tuple[UUID, int, bytes] | None = None
    for row in rows:
        origin, version = row["originator_id"], row["originator_version"]
        previous: bytes | None
        if last is not None and last[0] == origin and last[1] == version - 1:
            previous = last[2]
        elif version == 1:
            previous = GENESIS
        else:
            previous = bytes(row["previous_hash"]) if row["previous_hash"] is not None else None
        if previous is None:
            last = None
            continue
        last = (origin, version, event_hash(previous, origin, version, row["topic"], bytes(row["state"])))
        hashes.append(last)
    return hashes


def _pass(
    recorder: PostgresApplicationRecorder, batch_size: int, done: int, total: int, progress: Progress | None
) -> int:
    table = _table(recorder)
    select = sql.SQL(
        "SELECT e.originator_id, e.originator_version, coalesce(e.topic, '') AS topic, "
        "coalesce(e.state, ''::bytea) AS state, p.event_hash AS previous_hash "
        "FROM {t} e LEFT JOIN {t} p "
        "ON p.originator_id = e.originator_id AND p.originator_version = e.originator_version - 1 "
        "WHERE e.event_hash IS NULL AND (e.originator_id, e.originator_version) > (%s, %s) "
        "ORDER BY e.originator_id, e.originator_version LIMIT %s"
    ).format(t=table)
    update = sql.SQL(
        "UPDATE {t} e SET event_hash = v.h FROM unnest(%s::uuid[], %s::bigint[], %s::bytea[]) AS v(id, n, h) "
        "WHERE e.originator_id = v.id AND e.originator_version = v.n AND e.event_hash IS NULL"
    ).format(t=table)
    after: tuple[UUID, int] = (NO_STREAM, 0)
    hashed = 0
    while True:
        with recorder.datastore.transaction(commit=True) as curs:
            curs.execute(select, (*after, batch_size))
            rows = curs.fetchall()
            if not rows:
                return hashed
            hashes = _chained(rows)
            if hashes:
                columns = list(zip(*hashes, strict=True))
                curs.execute(update, (list(columns[0]), list(columns[1]), list(columns[2])))
                hashed += curs.rowcount
        after = (rows[-1]["originator_id"], rows[-1]["originator_version"])
        if progress is not None:
            progress(min(done + hashed, total), total)


def backfill_hashes(
    ledger: Ledger, *, batch_size: int = 5000, progress: Progress | None = None
) -> BackfillReport:
    """Hash every event that can be chained and is not hashed yet; idempotent and resumable."""
    recorder = events_recorder(ledger)
    total = unhashed_count(ledger)
    hashed = 0
    while total:
        done = _pass(recorder, batch_size, hashed, total, progress)
        hashed += done
        if not done:
            break
    return BackfillReport(hashed, unhashed_count(ledger) if total else 0)
