"""The election of one worker per role on real PostgreSQL: one holder, takeover, and stopping on lock loss."""

from __future__ import annotations

import functools
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg

from ledger.election import Elector, Role, holder_pid, lock_name
from tests.support import wait_until

WAIT_SECONDS = 30.0


class Recorded:
    """A worker that notes when it starts and stops, in a journal shared by every elector of a test."""

    def __init__(self, journal: list[str], name: str) -> None:
        self.journal = journal
        self.name = name
        self.guard = threading.Lock()

    def start(self) -> None:
        with self.guard:
            self.journal.append(f"start {self.name}")

    def stop(self) -> None:
        with self.guard:
            self.journal.append(f"stop {self.name}")


@contextmanager
def elector(database_url: str, schema: str, roles: list[Role]) -> Iterator[Elector]:
    running = Elector(database_url, schema, roles, connect_timeout=3, heartbeat_seconds=0.05)
    running.start()
    try:
        yield running
    finally:
        running.stop()


def holder_backends(database_url: str, schema: str, role: str) -> list[int]:
    """The database sessions holding a role's lock."""
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1 "
            "AND ((classid::bigint << 32) | objid::bigint) = hashtext(%s)::bigint",
            (lock_name(schema, role),),
        ).fetchall()
    return [row[0] for row in rows]


def test_two_electors_run_each_role_once_and_the_survivor_takes_over_when_the_holder_stops(
    database_url: str,
) -> None:
    schema = f"election_{uuid.uuid4().hex[:8]}"
    journal: list[str] = []
    roles_a = [Role(name, functools.partial(Recorded, journal, f"a:{name}")) for name in ("x", "y")]
    roles_b = [Role(name, functools.partial(Recorded, journal, f"b:{name}")) for name in ("x", "y")]
    with elector(database_url, schema, roles_a) as first:
        wait_until(lambda: sorted(first.held()) == ["x", "y"], WAIT_SECONDS, "the first elector to hold both")
        with elector(database_url, schema, roles_b) as second:
            wait_until(lambda: second.rounds >= 3, WAIT_SECONDS, "the second elector's tries")
            assert second.held() == []
            assert len(holder_backends(database_url, schema, "x")) == 1
            first.stop()
            wait_until(lambda: sorted(second.held()) == ["x", "y"], WAIT_SECONDS, "the takeover")
    assert sorted(journal[:2]) == ["start a:x", "start a:y"]
    assert sorted(journal[2:4]) == ["stop a:x", "stop a:y"]
    assert sorted(journal[4:6]) == ["start b:x", "start b:y"]


def test_a_holder_whose_connection_is_cut_stops_its_worker_before_it_is_elected_again(
    database_url: str,
) -> None:
    schema = f"election_{uuid.uuid4().hex[:8]}"
    journal: list[str] = []
    with elector(database_url, schema, [Role("x", lambda: Recorded(journal, "x"))]) as running:
        wait_until(lambda: running.holds("x"), WAIT_SECONDS, "the election")
        [backend] = holder_backends(database_url, schema, "x")
        with psycopg.connect(database_url, autocommit=True) as conn:
            conn.execute("SELECT pg_terminate_backend(%s)", (backend,))
        wait_until(lambda: running.terms == 2 and running.holds("x"), WAIT_SECONDS, "the election again")
    assert journal == ["start x", "stop x", "start x", "stop x"]


def test_the_holder_is_found_by_its_process_id(database_url: str) -> None:
    schema = f"election_{uuid.uuid4().hex[:8]}"
    with elector(database_url, schema, [Role("x", lambda: Recorded([], "x"))]) as running:
        wait_until(lambda: running.holds("x"), WAIT_SECONDS, "the election")
        with psycopg.connect(database_url, autocommit=True) as conn:
            assert holder_pid(conn, schema, "x") == os.getpid()
            assert holder_pid(conn, schema, "y") is None
