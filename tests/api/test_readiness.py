"""`GET /ready` for load balancers: 200 while the database answers and each view keeps up, else 503, why."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
import psycopg
from psycopg import sql

from api.app import create_app
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from projections.registry import VIEWS
from tests.reliability.processes import fresh_schema
from tests.support import ServerThread, expect

VIEW_CHECKS = {f"view:{view.name}" for view in VIEWS}


@contextmanager
def served(settings: Settings, runtime: Runtime) -> Iterator[httpx.Client]:
    with (
        ServerThread(create_app(settings=settings, runtime=runtime)) as server,
        httpx.Client(base_url=server.url, timeout=30) as http,
    ):
        yield http


@contextmanager
def tracking_table_locked(runtime: Runtime, view: str) -> Iterator[None]:
    """No one reads the view's position while the block runs, as when the database stops answering."""
    schema = runtime.settings.db_schema
    with psycopg.connect(runtime.database_url) as holder:
        table = sql.Identifier(schema, f"{view}_tracking")
        holder.execute(sql.SQL("LOCK TABLE {} IN ACCESS EXCLUSIVE MODE").format(table))
        try:
            yield
        finally:
            holder.rollback()


def test_ready_answers_200_with_every_check_without_authentication(http: httpx.Client) -> None:
    response = http.get("/ready")

    body = expect(response, 200)
    assert (body["status"], body["failed"]) == ("ready", [])
    assert {check["name"] for check in body["checks"]} == {"database"} | VIEW_CHECKS
    assert all(check["ok"] for check in body["checks"])
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_answers_503_naming_each_view_further_behind_the_log_than_allowed(
    settings: Settings, admin_headers: dict[str, str]
) -> None:
    with fresh_schema(settings.database_url or "", "ready") as schema:
        behind = settings.model_copy(update={"db_schema": schema, "ready_max_lag": 0})
        with open_runtime(behind, run_projections=False, announce=lambda _: None) as runtime:
            with served(behind, runtime) as http:
                expect(http.get("/ready"), 200)
                club = {"name": "Ready Club", "timezone": "UTC"}
                expect(http.post("/api/v1/admin/organizations", json=club, headers=admin_headers), 201)

                strict = http.get("/ready")

            with served(behind.model_copy(update={"ready_max_lag": 5}), runtime) as http:
                tolerant = http.get("/ready")

    body = expect(strict, 503)
    assert body["status"] == "unready"
    assert set(body["failed"]) == VIEW_CHECKS
    checks = {check["name"]: check for check in body["checks"]}
    assert checks["database"]["ok"]
    assert all(checks[name]["lag"] >= 1 for name in VIEW_CHECKS)
    assert expect(tolerant, 200)["failed"] == []


def test_ready_answers_503_within_its_bound_when_the_database_does_not_answer(
    settings: Settings, runtime: Runtime
) -> None:
    bounded = settings.model_copy(update={"ready_timeout_seconds": 0.5})
    with (
        served(bounded, runtime) as http,
        tracking_table_locked(runtime, VIEWS[0].name),
    ):
        stalled = http.get("/ready", timeout=10)
        health_meanwhile = http.get("/health")

    body = expect(stalled, 503)
    assert body["failed"] == ["database"]
    assert body["checks"] == [
        {"name": "database", "ok": False, "detail": "The database did not answer within 0.5 s."}
    ]
    assert health_meanwhile.status_code == 200
