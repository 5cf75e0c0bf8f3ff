"""`ledger serve --workers 2`: one elected runner per view, in projection processes of its own (or among the
workers); a killed holder is replaced."""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg

from ledger.background import CHECKPOINTER, RETENTION, projection_role
from ledger.election import holder_pid
from projections.registry import VIEWS
from tests.reliability.processes import (
    ProjectionProcess,
    Served,
    child_pids,
    ledger_served,
    wait_caught_up,
)
from tests.support import instant, make_tenant, random_day, wait_until

ROLES = [projection_role(view.name) for view in VIEWS] + [RETENTION, CHECKPOINTER]
WAIT_SECONDS = 60.0
COURT_BOOKINGS = projection_role("court_bookings")


def holders(database_url: str, schema: str) -> dict[str, int | None]:
    with psycopg.connect(database_url, autocommit=True) as conn:
        return {role: holder_pid(conn, schema, role) for role in ROLES}


def upsert(http: httpx.Client, tenant_headers: dict[str, str], path: str, body: Mapping[str, object]) -> int:
    """PUT until a worker answers (one of them may be restarting); the write's X-Ledger-Position."""
    while True:
        try:
            response = http.put(path, json=body, headers=tenant_headers)
        except httpx.TransportError:
            continue
        assert response.status_code == 201, response.text
        return int(response.headers["X-Ledger-Position"])


def booking_body(court_id: str) -> dict[str, object]:
    start = random_day() + timedelta(hours=10)
    return {
        "courtId": court_id,
        "startDate": instant(start),
        "endDate": instant(start + timedelta(hours=1)),
        "externalUpdatedAt": "2030-01-01T00:00:00Z",
        "participants": [{"email": "ana@example.com"}],
    }


def projection_children(pid: int) -> list[int]:
    return child_pids(pid, b"projections")


def test_two_workers_leave_the_runners_to_two_projection_processes_of_their_own_and_restart_a_killed_one(
    database_url: str, tmp_path: Path
) -> None:
    with ledger_served(database_url, "apart", tmp_path / "data", args=("--workers", "2")) as served:
        server, schema = served.server, served.schema
        assert server.process is not None
        pid = server.process.pid
        wait_until(lambda: all(holders(database_url, schema).values()), WAIT_SECONDS, "every role elected")
        runners = projection_children(pid)
        assert len(runners) == 2
        assert set(holders(database_url, schema).values()) <= set(runners)
        victim = holders(database_url, schema)[COURT_BOOKINGS]
        assert victim is not None

        kill_and_await_another_holder(database_url, schema, victim, "the other projection process elected")
        wait_until(
            lambda: len(projection_children(pid)) == 2 and victim not in projection_children(pid),
            WAIT_SECONDS,
            "a new projection process started",
        )
        assert_a_write_is_projected(served, database_url)
        assert set(holders(database_url, schema).values()) <= set(projection_children(pid))


def kill_and_await_another_holder(database_url: str, schema: str, victim: int, what: str) -> None:
    os.kill(victim, signal.SIGKILL)
    wait_until(
        lambda: holders(database_url, schema)[COURT_BOOKINGS] not in (None, victim), WAIT_SECONDS, what
    )


def assert_a_write_is_projected(served: Served, database_url: str) -> None:
    with httpx.Client(base_url=served.server.url, timeout=30) as http:
        tenant = make_tenant(http, served.admin_headers)
        upsert(http, tenant.headers, tenant.booking_path("after-kill"), booking_body(tenant.court_id))
        assert wait_caught_up(database_url, served.schema, WAIT_SECONDS) is not None
        listed = http.get(tenant.list_path, params={"courtId": tenant.court_id}, headers=tenant.headers)
    assert [item["externalCourtBookingId"] for item in listed.json()["data"]] == ["after-kill"]


def test_with_no_projection_processes_each_view_has_one_runner_among_the_workers_and_another_takes_over(
    database_url: str, tmp_path: Path
) -> None:
    env = {"LEDGER_PROJECTION_PROCESSES": "0"}
    args = ("--workers", "2")
    with ledger_served(database_url, "workers", tmp_path / "data", env=env, args=args) as served:
        server, schema = served.server, served.schema
        assert server.process is not None
        pid = server.process.pid
        assert projection_children(pid) == []
        wait_until(lambda: all(holders(database_url, schema).values()), WAIT_SECONDS, "every role elected")
        elected = holders(database_url, schema)
        assert set(elected.values()) <= set(child_pids(pid))
        victim = elected[COURT_BOOKINGS]
        assert victim is not None

        kill_and_await_another_holder(database_url, schema, victim, "another worker elected")
        assert_a_write_is_projected(served, database_url)
        now_elected = holders(database_url, schema)
        assert victim not in now_elected.values()
        assert set(now_elected.values()) <= set(child_pids(pid))


def test_projections_run_beside_servers_without_runners_elects_one_of_its_processes_per_view(
    database_url: str, tmp_path: Path
) -> None:
    args = ("--workers", "2", "--no-runners")
    with ledger_served(database_url, "runners", tmp_path / "data", args=args) as served:
        server, schema = served.server, served.schema
        env = {**server.env, "LEDGER_RUN_PROJECTIONS": "true"}
        with (
            ProjectionProcess(env, tmp_path / "first.log") as first,
            ProjectionProcess(env, tmp_path / "second.log") as second,
        ):
            first.start()
            second.start()
            wait_until(
                lambda: all(holders(database_url, schema).values()), WAIT_SECONDS, "every role elected"
            )
            elected = holders(database_url, schema)
            assert set(elected.values()) <= {first.pid, second.pid}
            victim, survivor = (first, second) if elected[COURT_BOOKINGS] == first.pid else (second, first)
            victim.kill()
            wait_until(
                lambda: set(holders(database_url, schema).values()) == {survivor.pid},
                WAIT_SECONDS,
                "the survivor elected to every role",
            )
            with httpx.Client(base_url=server.url, timeout=30) as http:
                tenant = make_tenant(http, served.admin_headers)
                upsert(http, tenant.headers, tenant.booking_path("after-kill"), booking_body(tenant.court_id))
                assert wait_caught_up(database_url, schema, WAIT_SECONDS) is not None


def test_a_clients_budget_holds_across_two_workers(database_url: str, tmp_path: Path) -> None:
    burst, senders, each = 30, 8, 10
    env = {"LEDGER_RATE_LIMIT_PER_SECOND": "0.001", "LEDGER_RATE_LIMIT_BURST": str(burst)}
    args = ("--workers", "2")
    with ledger_served(database_url, "budget", tmp_path / "data", env=env, args=args) as served:
        with httpx.Client(base_url=served.server.url, timeout=30) as http:
            tenant = make_tenant(http, served.admin_headers)
        statuses: list[int] = []
        guard = threading.Lock()

        def sender() -> None:
            # A connection per request: the workers take turns accepting them.
            for _ in range(each):
                with httpx.Client(base_url=served.server.url, timeout=30) as own:
                    status = own.get(tenant.list_path, headers=tenant.headers).status_code
                with guard:
                    statuses.append(status)

        threads = [threading.Thread(target=sender) for _ in range(senders)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert statuses.count(200) == burst
    assert statuses.count(429) == senders * each - burst
