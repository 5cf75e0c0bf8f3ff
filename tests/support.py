"""Test helpers: a live server, and tenants (organization, court, client, key, user) made by the admin API."""

from __future__ import annotations

import socket
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import psycopg
import uvicorn
from fastapi import FastAPI
from psycopg import sql

ALL_PARTNER_SCOPES = ["court-bookings:read", "court-bookings:write", "audit:read"]
ALL_CLIENT_SCOPES = [*ALL_PARTNER_SCOPES, "bookings:read", "bookings:write", "orders:write"]
ACTING_USER = "x-current-user-id"


class MovableClock:
    """The ledger's clock in tests: real time plus an offset that a test may move forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, delta: timedelta) -> None:
        self.offset += delta


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class ServerThread:
    """Uvicorn serving an app on a free loopback port, in a background thread."""

    def __init__(self, app: FastAPI) -> None:
        self.port = free_port()
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ServerThread:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("The test server did not start.")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)


def expect(response: httpx.Response, status: int) -> Any:
    assert response.status_code == status, f"{response.status_code}: {response.text}"
    return response.json() if response.content else None


@dataclass
class Tenant:
    """A partner service with one court in one granted organization, an API key and one linked user."""

    http: httpx.Client
    admin_headers: dict[str, str]
    organization_id: str
    venue_id: str
    court_id: str
    client_id: str
    key_id: str
    key: str
    user_id: str
    extra_courts: list[str] = field(default_factory=list)

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.key}"}

    def booking_path(self, external_id: str, service_id: str | None = None) -> str:
        service = service_id or self.client_id
        return f"/api/v1/external-services/{service}/court-bookings/by-external-id/{external_id}"

    @property
    def list_path(self) -> str:
        return f"/api/v1/external-services/{self.client_id}/court-bookings"

    def put(self, external_id: str, body: dict[str, Any], **kwargs: Any) -> httpx.Response:
        return self.http.put(self.booking_path(external_id), json=body, headers=self.headers, **kwargs)

    def add_court(self) -> str:
        court = expect(
            self.http.post(
                f"/api/v1/admin/venues/{self.venue_id}/courts",
                json={"name": "Extra"},
                headers=self.admin_headers,
            ),
            201,
        )
        self.extra_courts.append(court["id"])
        return str(court["id"])


def make_tenant(http: httpx.Client, admin_headers: dict[str, str], scopes: list[str] | None = None) -> Tenant:
    def post(path: str, body: dict[str, Any]) -> Any:
        return expect(http.post(path, json=body, headers=admin_headers), 201)

    organization = post("/api/v1/admin/organizations", {"name": "Org", "timezone": "Europe/Berlin"})
    venue = post(
        f"/api/v1/admin/organizations/{organization['id']}/venues", {"name": "Venue", "city": "Berlin"}
    )
    court = post(f"/api/v1/admin/venues/{venue['id']}/courts", {"name": "Court 1"})
    client = post(
        "/api/v1/admin/clients",
        {"name": "Partner", "scopes": scopes or ALL_PARTNER_SCOPES, "organizationIds": [organization["id"]]},
    )
    key = post(f"/api/v1/admin/clients/{client['id']}/api-keys", {})
    user = post("/api/v1/admin/users", {"email": f"player-{uuid.uuid4().hex[:8]}@example.com"})
    post(f"/api/v1/admin/clients/{client['id']}/users", {"userId": user["id"]})
    return Tenant(
        http,
        admin_headers,
        organization["id"],
        venue["id"],
        court["id"],
        client["id"],
        key["id"],
        key["key"],
        user["id"],
    )


def instant(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def booking_body(
    court_id: str,
    start: datetime,
    hours: float = 1,
    updated: datetime | None = None,
    participants: list[dict[str, str]] | None = None,
) -> dict[str, Any]:
    return {
        "courtId": court_id,
        "startDate": instant(start),
        "endDate": instant(start + timedelta(hours=hours)),
        "externalUpdatedAt": instant(updated or datetime(2030, 1, 1, tzinfo=UTC)),
        "participants": participants or [{"email": "Alice@Example.com"}],
    }


def random_day() -> datetime:
    """A random UTC midnight far in the future, so tests rarely share calendar days."""
    return datetime(2040, 1, 1, tzinfo=UTC) + timedelta(days=uuid.uuid4().int % 20000)


def blocked_by(conn: psycopg.Connection[Any], pid: int) -> list[int]:
    """The sessions waiting for a lock that the session `pid` holds."""
    rows = conn.execute("SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", (pid,))
    return [int(row[0]) for row in rows.fetchall()]


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


@contextmanager
def view_held(database_url: str, schema: str, view: str) -> Iterator[None]:
    """The view's runner stands still while the block runs: its tracking row cannot be locked, as under a
    slow batch. A table lock, not a row lock: a row lock gives the holder a transaction id, and an open
    transaction with one holds back every view's safe position."""
    tracking = sql.Identifier(schema, f"{view}_tracking") if schema else sql.Identifier(f"{view}_tracking")
    with psycopg.connect(database_url) as holder:
        holder.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(tracking))
        try:
            yield
        finally:
            holder.rollback()


@contextmanager
def runtime_of_its_own(settings: Any, prefix: str) -> Iterator[Any]:
    """The ledger opened on a schema of its own, runners and delivery worker included, for a test that
    writes view tables directly and must leave the session's views as the log makes them; dropped after."""
    from ledger.runtime import open_runtime

    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        with open_runtime(
            settings.model_copy(update={"db_schema": schema}), run_projections=True, announce=lambda _: None
        ) as runtime:
            yield runtime
    finally:
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))
