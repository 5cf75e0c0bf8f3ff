"""The checkpoints table: its definition, its reads, and the transaction that takes the next checkpoint."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from itertools import takewhile
from typing import LiteralString

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from psycopg import sql

from domain.application import Ledger
from projections.safe_log import safe_log
from replay.chain import events_recorder
from replay.checkpoints import FIELDS, Checkpoint, signed_checkpoint

TABLE = "ledger_checkpoints"
# With the schema's name, the key of the advisory lock that lets one process at a time take a checkpoint.
TAKE_LOCK = 0x1ED6E6


def table_ddl(schema: str) -> list[sql.Composed]:
    table = sql.Identifier(schema or "public", TABLE)
    return [
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (sequence bigint PRIMARY KEY, first_position bigint NOT NULL, "
            "last_position bigint NOT NULL, event_count bigint NOT NULL, merkle_root bytea NOT NULL, "
            "previous_hash bytea NOT NULL, created_at timestamptz NOT NULL, public_key bytea NOT NULL, "
            "signature bytea NOT NULL)"
        ).format(table),
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (last_position)").format(
            sql.Identifier(f"{TABLE}_last_position_idx"), table
        ),
    ]


def _table(ledger: Ledger) -> sql.Identifier:
    return sql.Identifier(events_recorder(ledger).datastore.schema, TABLE)


def _select(ledger: Ledger, tail: LiteralString, params: tuple[int, ...]) -> list[Checkpoint]:
    """The checkpoints that `SELECT * FROM <table> <tail>` reads."""
    query = sql.SQL("SELECT * FROM {} ").format(_table(ledger)) + sql.SQL(tail)
    with events_recorder(ledger).datastore.transaction(commit=False) as curs:
        curs.execute(query, params)
        return [Checkpoint.from_row(row) for row in curs.fetchall()]


def all_checkpoints(ledger: Ledger, batch_size: int = 10_000) -> Iterator[Checkpoint]:
    """Every checkpoint in sequence order, read in pages."""
    after = 0
    while page := _select(ledger, "WHERE sequence > %s ORDER BY sequence LIMIT %s", (after, batch_size)):
        yield from page
        after = page[-1].sequence


def checkpoints_meeting(ledger: Ledger, first: int, last: int) -> tuple[Checkpoint | None, list[Checkpoint]]:
    """The checkpoints whose ranges meet positions `first` to `last`, and the last one before them."""
    meeting = _select(
        ledger, "WHERE last_position >= %s AND first_position <= %s ORDER BY sequence", (first, last)
    )
    before = _select(ledger, "WHERE last_position < %s ORDER BY sequence DESC LIMIT 1", (first,))
    return (before[0] if before else None), meeting


def take_checkpoint(
    ledger: Ledger, key: Ed25519PrivateKey, now: datetime, max_events: int
) -> Checkpoint | None:
    """Sign the next checkpoint, over at most `max_events` events after the last one; None when no hashed
    event follows it.

    The range ends at the safe position, read first: appends commit concurrently, so a later position can be
    visible while an earlier one is still in flight, but up to the safe position every event that will ever
    hold a position is committed, and visible to this later transaction. An unhashed event ends the range,
    until a backfill hashes it.
    """
    recorder = events_recorder(ledger)
    safe = safe_log(recorder).safe_position()
    events = sql.Identifier(recorder.datastore.schema, recorder.events_table_name)
    table = _table(ledger)
    with recorder.datastore.transaction(commit=True) as curs:
        curs.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (TAKE_LOCK, recorder.datastore.schema))
        curs.execute(sql.SQL("SELECT * FROM {} ORDER BY sequence DESC LIMIT 1").format(table))
        row = curs.fetchone()
        previous = Checkpoint.from_row(row) if row else None
        curs.execute(
            sql.SQL(
                "SELECT notification_id, event_hash FROM {} WHERE notification_id > %s "
                "AND notification_id <= %s ORDER BY notification_id LIMIT %s"
            ).format(events),
            (previous.last_position if previous else 0, safe, max_events),
        )
        rows = list(takewhile(lambda r: r["event_hash"] is not None, curs.fetchall()))
        if not rows:
            return None
        hashes = [(r["notification_id"], bytes(r["event_hash"])) for r in rows]
        checkpoint = signed_checkpoint(previous, hashes, now, key)
        curs.execute(
            sql.SQL("INSERT INTO {} ({}) VALUES ({})").format(
                table,
                sql.SQL(", ").join(map(sql.Identifier, FIELDS)),
                sql.SQL(", ").join(sql.Placeholder() * len(FIELDS)),
            ),
            tuple(getattr(checkpoint, name) for name in FIELDS),
        )
    return checkpoint
