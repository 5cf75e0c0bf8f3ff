"""Appends take no table lock: writers of different streams commit together, and readers never skip."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime
from typing import Any

import psycopg
from eventsourcing.persistence import Notification, StoredEvent
from psycopg import sql

from domain.application import Ledger
from domain.context import ADMIN, RequestContext
from domain.organization import Organization
from ledger.recorder import LedgerRecorder
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from ledger.storage import eventsourcing_env
from replay.checkpoint_check import verify_ledger
from tests.append_lock import open_append

EVENTS_LOCK_MODES = (
    "SELECT l.mode FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
    "WHERE l.relation = %s::regclass AND a.query LIKE %s"
)


def meta() -> dict[str, Any]:
    return RequestContext(ADMIN, datetime.now(UTC), uuid.uuid4().hex).meta()


def recorder_of(runtime: Runtime) -> LedgerRecorder:
    recorder = runtime.ledger.recorder
    assert isinstance(recorder, LedgerRecorder)
    return recorder


def test_an_append_commits_while_another_stream_has_an_uncommitted_append(runtime: Runtime) -> None:
    held, other = Organization.register("Held", "UTC", meta()), Organization.register("Other", "UTC", meta())
    events_table = f'"{runtime.settings.db_schema}"."ledger_events"'
    saved = threading.Event()

    with open_append(runtime, held) as [held_position]:
        with psycopg.connect(runtime.database_url, autocommit=True) as probe:
            modes = [
                row[0] for row in probe.execute(EVENTS_LOCK_MODES, (events_table, "%ledger_insert_events_%"))
            ]

        def append() -> None:
            runtime.ledger.save(other)
            saved.set()

        appender = threading.Thread(target=append)
        appender.start()
        appender.join(timeout=60)
        committed_while_held = saved.is_set()

    assert modes == ["RowExclusiveLock"]
    assert committed_while_held
    assert runtime.ledger.find(other.id, Organization) is not None
    assert runtime.ledger.find(held.id, Organization) is not None
    assert held_position > 0


def test_a_reader_waits_for_an_earlier_position_held_by_a_long_open_transaction(runtime: Runtime) -> None:
    recorder = recorder_of(runtime)
    start = recorder.max_notification_id() or 0
    held, later = Organization.register("Held", "UTC", meta()), Organization.register("Later", "UTC", meta())

    with recorder.subscribe(gt=start) as subscription:
        with open_append(runtime, held) as [held_position]:
            [recording] = runtime.ledger.save(later)
            later_position = recording.notification.id
            safe_while_held = recorder.safe_position(wait=0.5)
            read_while_held = [n.id for n in recorder.safe_notifications(start, 100)]
        seen: list[int] = []
        for notification in subscription:
            seen.append(notification.id)
            if later_position in seen:
                break

    assert held_position < later_position
    assert safe_while_held < held_position
    assert held_position not in read_while_held
    assert later_position not in read_while_held
    assert seen.index(held_position) < seen.index(later_position)
    assert seen == sorted(seen)


WRITERS = 32
STREAMS_PER_WRITER = 3
SAVES_PER_WRITER = 60
TOPIC = "domain.organization:Organization.Registered"


def test_a_reader_tailing_32_concurrent_writers_sees_each_event_once_in_its_streams_order(
    own_runtime: Runtime, own_settings: Settings
) -> None:
    # A ledger of its own with a connection per writer, so that the 32 appends really run at once.
    wide = own_settings.model_copy(update={"pool_size": WRITERS + 4, "pool_max_overflow": 0})
    assert wide.database_url is not None
    ledger = Ledger(env=eventsourcing_env(wide.database_url, wide))
    recorder = ledger.recorder
    assert isinstance(recorder, LedgerRecorder)
    written: dict[int, tuple[uuid.UUID, int]] = {}
    written_lock = threading.Lock()
    seen: list[Notification] = []
    total = WRITERS * SAVES_PER_WRITER * 2  # two events per save
    go = threading.Barrier(WRITERS + 1)

    def write(seed: int) -> None:
        streams = [uuid.uuid4() for _ in range(STREAMS_PER_WRITER)]
        versions = dict.fromkeys(streams, 0)
        go.wait()
        for n in range(SAVES_PER_WRITER):
            stream = streams[(seed + n) % STREAMS_PER_WRITER]
            events = [
                StoredEvent(stream, versions[stream] + k, TOPIC, f"{seed}-{n}-{k}".encode()) for k in (1, 2)
            ]
            positions = recorder.insert_events(events)
            assert positions is not None
            versions[stream] += 2
            with written_lock:
                written.update(
                    {
                        p: (e.originator_id, e.originator_version)
                        for p, e in zip(positions, events, strict=True)
                    }
                )

    def follow() -> None:
        with recorder.subscribe(gt=0) as subscription:
            go.wait()
            for notification in subscription:
                seen.append(notification)
                if len(seen) >= total:
                    break

    try:
        follower = threading.Thread(target=follow)
        follower.start()
        writers = [threading.Thread(target=write, args=(i,)) for i in range(WRITERS)]
        for writer in writers:
            writer.start()
        for writer in writers:
            writer.join(timeout=600)
        follower.join(timeout=120)
        report = verify_ledger(ledger)
    finally:
        ledger.close()

    positions = [n.id for n in seen]
    assert len(written) == total
    assert positions == sorted(positions)
    assert len(set(positions)) == len(positions) == total
    assert {n.id: (n.originator_id, n.originator_version) for n in seen} == written
    last_version: dict[uuid.UUID | str, int] = {}
    for notification in seen:
        assert notification.originator_version == last_version.get(notification.originator_id, 0) + 1
        last_version[notification.originator_id] = notification.originator_version
    assert report.ok, report.broken
    assert report.events == total


def test_an_events_table_from_the_table_lock_days_is_upgraded_and_its_events_count_as_committed(
    own_settings: Settings,
) -> None:
    url, schema = own_settings.database_url, own_settings.db_schema
    assert url is not None
    old_streams = [uuid.uuid4() for _ in range(3)]
    with psycopg.connect(url) as conn:
        for statement in OLD_SHAPE:
            conn.execute(sql.SQL(statement).format(schema=sql.Identifier(schema)))
        for stream in old_streams:
            conn.execute(
                sql.SQL(
                    "INSERT INTO {}.ledger_events (originator_id, originator_version, topic, state) "
                    "VALUES (%s, 1, %s, %s)"
                ).format(sql.Identifier(schema)),
                (stream, TOPIC, b"old"),
            )

    with open_runtime(own_settings, run_projections=False, announce=lambda _: None) as runtime:
        recorder = recorder_of(runtime)
        safe_before_new = recorder.safe_position(wait=0)
        [recording] = runtime.ledger.save(Organization.register("New", "UTC", meta()))
        with recorder.subscribe(gt=0) as subscription:
            seen = [next(subscription) for _ in range(4)]
        with psycopg.connect(url) as conn:
            rows = conn.execute(
                sql.SQL(
                    "SELECT transaction_id::text, position_floor FROM {}.ledger_events "
                    "ORDER BY notification_id"
                ).format(sql.Identifier(schema))
            ).fetchall()
            old_function = conn.execute(
                "SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "
                "WHERE n.nspname = %s AND p.proname = 'ledger_insert_events_locked_uuid'",
                (schema,),
            ).fetchone()

    assert safe_before_new == 3
    assert [n.originator_id for n in seen] == [*old_streams, recording.notification.originator_id]
    assert [n.id for n in seen] == [1, 2, 3, recording.notification.id]
    assert rows[:3] == [("0", None)] * 3
    assert rows[3][0] != "0"
    assert rows[3][1] == 3
    assert old_function == (0,)


OLD_SHAPE = [
    "CREATE SCHEMA {schema}",
    "CREATE TABLE {schema}.ledger_events (originator_id uuid NOT NULL, originator_version bigint NOT NULL, "
    "topic text, state bytea, notification_id bigserial, event_hash bytea, "
    "PRIMARY KEY (originator_id, originator_version))",
    "CREATE UNIQUE INDEX ledger_events_notification_id_idx ON {schema}.ledger_events (notification_id)",
    "CREATE TYPE {schema}.stored_event_uuid AS (originator_id uuid, originator_version bigint, topic text, "
    "state bytea)",
    "CREATE FUNCTION {schema}.ledger_insert_events_locked_uuid(events {schema}.stored_event_uuid[], "
    "hashes bytea[]) RETURNS void LANGUAGE sql AS 'SELECT NULL'",
]


def test_the_safe_position_and_the_readers_query_use_indexes(runtime: Runtime) -> None:
    recorder = recorder_of(runtime)
    schema = sql.Identifier(runtime.settings.db_schema)
    floor_query = sql.SQL(
        "SELECT position_floor FROM {}.ledger_events "
        "WHERE transaction_id < pg_snapshot_xmin(pg_current_snapshot()) AND position_floor IS NOT NULL "
        "ORDER BY transaction_id DESC LIMIT 1"
    ).format(schema)
    with psycopg.connect(runtime.database_url, autocommit=True) as conn:
        conn.execute("SET enable_seqscan = off")
        plans = [
            "\n".join(row[0] for row in conn.execute(sql.SQL("EXPLAIN ") + query, params))
            for query, params in (
                (floor_query, None),
                (
                    recorder.sql_safe_notifications,
                    {"start": 0, "stop": 10, "known": 0, "topics": None, "limit": 5},
                ),
            )
        ]

    assert "ledger_events_transaction_idx" in plans[0]
    assert "ledger_events_notification_id_idx" in plans[1]
