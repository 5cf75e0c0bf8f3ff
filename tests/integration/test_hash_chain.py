"""The hash chain on real PostgreSQL: every append hashes its events, and a backfill hashes older ones."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from domain.court_booking import CourtBooking
from domain.errors import NotFoundError
from ledger.cli import main
from ledger.recorder import LedgerRecorder
from ledger.runtime import Runtime
from ledger.stream_hashes import StreamHashes
from replay.backfill import backfill_hashes, unhashed_count
from replay.chain import GENESIS, event_hash
from tests.integration.test_projection_and_rebuild import context, write_history


def stored(runtime: Runtime) -> list[dict[str, Any]]:
    """Every stored event with its hash, in stream and version order."""
    with psycopg.connect(runtime.database_url) as conn, conn.cursor(row_factory=psycopg.rows.dict_row) as cur:
        cur.execute(
            sql.SQL(
                "SELECT originator_id, originator_version, topic, state, event_hash FROM {} "
                "ORDER BY originator_id, originator_version"
            ).format(sql.Identifier(runtime.settings.db_schema, "ledger_events"))
        )
        return cur.fetchall()


def recomputed(rows: list[dict[str, Any]]) -> dict[tuple[UUID, int], bytes]:
    """The hash each event should have, chained through its stream in Python."""
    expected: dict[tuple[UUID, int], bytes] = {}
    for row in rows:
        key = (row["originator_id"], row["originator_version"])
        previous = GENESIS if key[1] == 1 else expected[(key[0], key[1] - 1)]
        expected[key] = event_hash(previous, key[0], key[1], row["topic"], bytes(row["state"]))
    return expected


def test_every_appended_event_carries_the_hash_chained_through_its_stream(own_runtime: Runtime) -> None:
    write_history(own_runtime, 6)

    rows = stored(own_runtime)

    assert len(rows) > 20
    assert {(r["originator_id"], r["originator_version"]): bytes(r["event_hash"]) for r in rows} == (
        recomputed(rows)
    )


def a_booking(runtime: Runtime) -> UUID:
    booking_id: UUID = next(r["originator_id"] for r in stored(runtime) if ":CourtBooking." in r["topic"])
    return booking_id


def append_to_a_booking(runtime: Runtime, events: int, booking_id: UUID | None = None) -> UUID:
    """Save `events` more events of one court booking (any, by default) in one save; its id."""
    ledger = runtime.ledger
    booking_id = booking_id or a_booking(runtime)
    booking = ledger.load(booking_id, CourtBooking, NotFoundError, "Court booking")
    meta = context().meta()
    for step in range(events):
        booking.cancel(booking.external_updated_at + timedelta(days=1 + step), meta)
    ledger.save(booking)
    return booking_id


def test_events_of_one_stream_saved_together_chain_to_each_other(own_runtime: Runtime) -> None:
    write_history(own_runtime, 1)

    booking_id = append_to_a_booking(own_runtime, 4)

    rows = [r for r in stored(own_runtime) if r["originator_id"] == booking_id]
    assert len(rows) >= 5
    assert [bytes(r["event_hash"]) for r in rows] == [
        recomputed(rows)[(booking_id, r["originator_version"])] for r in rows
    ]


def test_events_whose_previous_hash_the_process_has_not_seen_are_chained_by_the_database(
    own_runtime: Runtime,
) -> None:
    write_history(own_runtime, 2)
    recorder = own_runtime.ledger.recorder
    assert isinstance(recorder, LedgerRecorder)
    booking_id = a_booking(own_runtime)
    before = len([r for r in stored(own_runtime) if r["originator_id"] == booking_id])

    # As a process that never saw this stream's hashes: the function has to chain the events itself.
    recorder.stream_hashes = StreamHashes()
    recorder.stream_hashes.seen = lambda *_: None  # type: ignore[method-assign]
    append_to_a_booking(own_runtime, 3, booking_id)

    rows = [r for r in stored(own_runtime) if r["originator_id"] == booking_id]
    assert len(rows) == before + 3
    assert [bytes(r["event_hash"]) for r in rows] == [
        recomputed(rows)[(booking_id, r["originator_version"])] for r in rows
    ]


def forget_hashes(runtime: Runtime) -> None:
    """Make the events look as a database from before the hash chain has them, to a process that has not
    seen their hashes yet."""
    with psycopg.connect(runtime.database_url) as conn:
        conn.execute(
            sql.SQL("UPDATE {} SET event_hash = NULL").format(
                sql.Identifier(runtime.settings.db_schema, "ledger_events")
            )
        )
    recorder = runtime.ledger.recorder
    assert isinstance(recorder, LedgerRecorder)
    recorder.stream_hashes = StreamHashes()


def test_a_backfill_hashes_the_events_from_before_the_chain_and_what_was_appended_since(
    own_runtime: Runtime,
) -> None:
    write_history(own_runtime, 4)
    forget_hashes(own_runtime)
    before, old_booking = len(stored(own_runtime)), a_booking(own_runtime)
    write_history(own_runtime, 3)
    append_to_a_booking(own_runtime, 2, old_booking)
    unhashed = unhashed_count(own_runtime.ledger)
    assert unhashed == before + 2, "an event appended to an unhashed stream stays unhashed"
    seen: list[tuple[int, int]] = []

    report = backfill_hashes(own_runtime.ledger, batch_size=7, progress=lambda *p: seen.append(p))

    rows = stored(own_runtime)
    assert report.hashed == unhashed
    assert report.unchainable == 0
    assert seen[-1] == (unhashed, unhashed)
    assert {(r["originator_id"], r["originator_version"]): bytes(r["event_hash"]) for r in rows} == (
        recomputed(rows)
    )


def test_a_second_backfill_has_nothing_to_do(own_runtime: Runtime) -> None:
    write_history(own_runtime, 2)

    report = backfill_hashes(own_runtime.ledger)

    assert report.hashed == 0
    assert report.unchainable == 0


def test_the_backfill_command_hashes_an_upgraded_database_and_reports_it(
    own_runtime: Runtime, own_cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    write_history(own_runtime, 2)
    forget_hashes(own_runtime)
    unhashed = len(stored(own_runtime))

    assert main(["audit", "backfill"]) == 0

    assert json.loads(capsys.readouterr().out) == {"hashed": unhashed, "unchainable": 0}
    assert all(row["event_hash"] is not None for row in stored(own_runtime))
