"""Tampering with stored events in PostgreSQL, and `ledger audit verify` naming each kind of broken link."""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import psycopg
import pytest
from psycopg import sql

from ledger.cli import main
from ledger.runtime import Runtime
from replay.verify import BrokenLink, verify_log
from tests.integration.test_projection_and_rebuild import write_history


def tamper(runtime: Runtime, statement: str, *params: Any) -> None:
    """Run one statement on the events table (`{t}`) behind the ledger's back."""
    table = sql.Identifier(runtime.settings.db_schema, "ledger_events")
    with psycopg.connect(runtime.database_url) as conn:
        conn.execute(sql.SQL(statement).format(t=table), params)  # type: ignore[arg-type]


def a_stream(runtime: Runtime, events: int) -> list[tuple[int, UUID, int]]:
    """The (position, id, version) of each event of the first stream with at least `events` events."""
    with psycopg.connect(runtime.database_url) as conn:
        rows = conn.execute(
            sql.SQL(
                "SELECT notification_id, originator_id, originator_version FROM {t} WHERE originator_id = "
                "(SELECT originator_id FROM {t} GROUP BY originator_id HAVING count(*) >= %s "
                "ORDER BY originator_id LIMIT 1) ORDER BY originator_version"
            ).format(t=sql.Identifier(runtime.settings.db_schema, "ledger_events")),
            (events,),
        ).fetchall()
    assert len(rows) >= events
    return [(row[0], row[1], row[2]) for row in rows]


def first_broken(runtime: Runtime) -> BrokenLink:
    """The first broken link a verification of the whole log names (failing when it names none)."""
    first = verify_log(runtime.ledger).first_broken
    assert first is not None, "verification found nothing broken"
    return first


def test_an_untouched_log_verifies(own_runtime: Runtime) -> None:
    write_history(own_runtime, 5)

    report = verify_log(own_runtime.ledger)

    assert report.ok
    assert report.events == own_runtime.ledger.recorder.max_notification_id()


def test_one_edited_byte_of_a_stored_event_is_named_by_its_position(own_runtime: Runtime) -> None:
    write_history(own_runtime, 5)
    position, origin, version = a_stream(own_runtime, 3)[1]

    tamper(
        own_runtime,
        "UPDATE {t} SET state = set_byte(state, 20, get_byte(state, 20) # 1) WHERE notification_id = %s",
        position,
    )
    report = verify_log(own_runtime.ledger)

    first = report.first_broken
    assert first is not None
    assert first.position == position
    assert f"stream {origin} version {version} (position {position})" in first.what
    assert len(report.broken) == 1


def test_a_deleted_event_is_named_where_its_stream_continues(own_runtime: Runtime) -> None:
    write_history(own_runtime, 5)
    deleted, kept = a_stream(own_runtime, 3)[1:3]

    tamper(own_runtime, "DELETE FROM {t} WHERE notification_id = %s", deleted[0])
    first = first_broken(own_runtime)

    assert first.position == kept[0]
    assert f"its previous version {deleted[2]} is missing" in first.what


def test_two_reordered_events_of_a_stream_are_named(own_runtime: Runtime) -> None:
    write_history(own_runtime, 5)
    earlier, later = a_stream(own_runtime, 3)[1:3]

    swap = "UPDATE {t} SET originator_version = %s WHERE notification_id = %s"
    tamper(own_runtime, swap, -1, earlier[0])
    tamper(own_runtime, swap, earlier[2], later[0])
    tamper(own_runtime, swap, later[2], earlier[0])
    first = first_broken(own_runtime)

    assert first.position == earlier[0]
    assert f"stream {earlier[1]} version {later[2]} (position {earlier[0]})" in first.what


def test_a_range_verifies_only_its_positions(own_runtime: Runtime) -> None:
    write_history(own_runtime, 5)
    position = a_stream(own_runtime, 3)[1][0]
    tamper(own_runtime, "UPDATE {t} SET state = state || '\\x00'::bytea WHERE notification_id = %s", position)

    before = verify_log(own_runtime.ledger, 1, position - 1)
    around = verify_log(own_runtime.ledger, position, position)

    assert before.ok
    assert before.events == position - 1
    assert [link.position for link in around.broken] == [position]


def test_the_verify_command_exits_non_zero_naming_the_first_broken_link(
    own_runtime: Runtime, own_cli_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    write_history(own_runtime, 3)
    position = a_stream(own_runtime, 2)[1][0]
    assert main(["audit", "verify"]) == 0
    clean = json.loads(capsys.readouterr().out)
    tamper(own_runtime, "UPDATE {t} SET topic = topic || 'x' WHERE notification_id = %s", position)

    assert main(["audit", "verify", "--from", "1"]) == 1

    captured = capsys.readouterr()
    report = json.loads(captured.out)
    assert clean["ok"] is True
    assert clean["firstBrokenLink"] is None
    assert report["ok"] is False
    assert report["firstBrokenLink"]["position"] == position
    assert f"position {position}" in captured.err
