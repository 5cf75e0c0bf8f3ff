"""`ledger replay as-of`: a view built from the log as of an instant into a schema of its own."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
from psycopg import sql

from ledger.cli import main
from ledger.personal_data.erasure import erase_user
from ledger.runtime import Runtime
from ledger.settings import Settings
from projections.court_bookings import CourtBookingsView
from replay.as_of import AsOfSchemaError, build_view_as_of, position_as_of
from replay.rebuild import REBUILD_SUFFIX, rebuild_view
from tests.integration.test_personal_data import ERASED, booked_user, context
from tests.integration.test_projection_and_rebuild import seeded_service, write_history


@pytest.fixture
def audit_schema(own_settings: Settings) -> Iterator[str]:
    schema = f"{own_settings.db_schema}_asof"
    yield schema
    assert own_settings.database_url is not None
    with psycopg.connect(own_settings.database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def rows_differing(runtime: Runtime, one: sql.Identifier, other: sql.Identifier) -> int:
    columns = sql.SQL(", ").join(map(sql.Identifier, CourtBookingsView.tables[0].columns))
    query = sql.SQL(
        "SELECT (SELECT count(*) FROM (SELECT {c} FROM {a} EXCEPT ALL SELECT {c} FROM {b}) x) + "
        "(SELECT count(*) FROM (SELECT {c} FROM {b} EXCEPT ALL SELECT {c} FROM {a}) y)"
    ).format(c=columns, a=one, b=other)
    with psycopg.connect(runtime.database_url) as conn:
        row = conn.execute(query).fetchone()
    assert row is not None
    return int(row[0])


def test_a_view_as_of_an_instant_holds_what_the_log_held_then(
    own_runtime: Runtime, audit_schema: str
) -> None:
    write_history(own_runtime, 4)
    instant, head = datetime.now(UTC), own_runtime.ledger.recorder.max_notification_id()
    live = own_runtime.view(CourtBookingsView)
    rebuild_view(own_runtime.ledger, live, swap=False)  # the view as it was then, beside the live one
    write_history(own_runtime, 3)

    report = build_view_as_of(own_runtime.ledger, own_runtime.env, CourtBookingsView, audit_schema, instant)

    table = CourtBookingsView.tables[0].name
    then = sql.Identifier(own_runtime.settings.db_schema, table + REBUILD_SUFFIX)
    assert report.position == head
    assert position_as_of(own_runtime.ledger, instant) == head
    assert rows_differing(own_runtime, sql.Identifier(audit_schema, table), then) == 0
    with psycopg.connect(own_runtime.database_url) as conn:
        count = conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(audit_schema, table)))
        tracked = conn.execute(
            sql.SQL("SELECT notification_id FROM {} WHERE application_name = 'Ledger'").format(
                sql.Identifier(audit_schema, f"{CourtBookingsView.name}_tracking")
            )
        )
        assert (count.fetchone() or [0])[0] == 4
        assert (tracked.fetchone() or [0])[0] == head


def test_a_view_as_of_an_instant_before_the_first_event_is_empty(
    own_runtime: Runtime, audit_schema: str
) -> None:
    write_history(own_runtime, 2)

    report = build_view_as_of(
        own_runtime.ledger, own_runtime.env, CourtBookingsView, audit_schema, datetime(2000, 1, 1, tzinfo=UTC)
    )

    assert (report.position, report.events) == (0, 0)


@pytest.mark.parametrize("schema", ["", "public", "Upper", "with space", "own"])
def test_a_view_as_of_is_never_built_into_the_ledgers_own_or_a_malformed_schema(
    own_runtime: Runtime, schema: str
) -> None:
    target = own_runtime.settings.db_schema if schema == "own" else schema

    with pytest.raises(AsOfSchemaError):
        build_view_as_of(own_runtime.ledger, own_runtime.env, CourtBookingsView, target, datetime.now(UTC))


def test_the_as_of_command_builds_the_view_and_refuses_a_malformed_instant(
    own_runtime: Runtime, own_cli_env: None, audit_schema: str, capsys: pytest.CaptureFixture[str]
) -> None:
    write_history(own_runtime, 2)
    now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    head = own_runtime.ledger.recorder.max_notification_id()

    assert main(["replay", "as-of", now, "--view", "court-bookings", "--schema", audit_schema]) == 0
    report = json.loads(capsys.readouterr().out)
    assert main(["replay", "as-of", "2030-01-01", "--view", "court-bookings", "--schema", audit_schema]) == 1

    assert report == {
        "view": "court-bookings",
        "schema": audit_schema,
        "asOf": now,
        "position": head,
        "events": head,
    }
    assert json.loads(capsys.readouterr().err)["error"]["type"] == "invalid_schema"


def test_a_view_as_of_an_instant_before_an_erasure_shows_the_erased_persons_fields_as_erased(
    own_runtime: Runtime, own_cli_env: None, audit_schema: str, capsys: pytest.CaptureFixture[str]
) -> None:
    ctx, service, court = seeded_service(own_runtime)
    user_id = booked_user(own_runtime.ledger, ctx, service, court)
    email = own_runtime.ledger.user(user_id).email
    before_erasure = datetime.now(UTC).isoformat().replace("+00:00", "Z")
    assert own_runtime.vault is not None
    erase_user(own_runtime.ledger, own_runtime.vault, context(), user_id, None)

    command = ["replay", "as-of", before_erasure, "--view", "court-bookings", "--schema", audit_schema]
    assert main(command) == 0
    report = json.loads(capsys.readouterr().out)

    table = sql.Identifier(audit_schema, CourtBookingsView.tables[0].name)
    with psycopg.connect(own_runtime.database_url) as conn:
        rows = conn.execute(sql.SQL("SELECT participants FROM {}").format(table)).fetchall()
    emails = sorted(person["email"] for (participants,) in rows for person in participants)
    assert report["events"] < (own_runtime.ledger.recorder.max_notification_id() or 0)
    assert email not in json.dumps([row[0] for row in rows])
    assert emails == sorted([ERASED, ERASED, "other-0@example.com", "other-1@example.com"])
