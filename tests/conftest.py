"""Shared fixtures: one PostgreSQL per session, a fresh schema, a live server, a stand-in of Stripe's API."""

from __future__ import annotations

import os
import secrets
import tempfile
import uuid
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import psycopg
import pytest
from psycopg import sql
from pydantic import SecretStr

from api.app import create_app
from ledger.embedded import embedded_postgres
from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings
from tests.payments_support import paid_runtime, paid_settings
from tests.stripe_stand_in import StripeStandIn
from tests.support import MovableClock, ServerThread, Tenant, make_tenant


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    url = os.environ.get("LEDGER_TEST_DATABASE_URL")
    if url:
        yield url
        return
    with (
        tempfile.TemporaryDirectory(prefix="ledger-test-") as data_dir,
        embedded_postgres(Path(data_dir)) as url,
    ):
        yield url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    # Each session gets its own schema, so runs never see each other's events or views.
    schema = f"test_{uuid.uuid4().hex[:12]}"
    yield Settings(
        database_url=database_url,
        db_schema=schema,
        data_dir=tmp_path_factory.mktemp("ledger-data"),
        admin_token=SecretStr(secrets.token_urlsafe(24)),
        pool_size=4,
        pool_max_overflow=36,
        # Webhook tests deliver to receivers they start on loopback, and retry quickly.
        webhook_allow_loopback=True,
        webhook_retry_base_seconds=0.05,
        webhook_retry_max_seconds=1.0,
    )
    with psycopg.connect(database_url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture(scope="session")
def session_clock() -> MovableClock:
    return MovableClock()


@pytest.fixture
def clock(session_clock: MovableClock) -> Iterator[MovableClock]:
    """The server's clock; a test may advance it (e.g. past a booking's end), and it is reset afterwards."""
    yield session_clock
    session_clock.offset = timedelta()


@pytest.fixture(scope="session")
def runtime(settings: Settings, session_clock: MovableClock) -> Iterator[Runtime]:
    with open_runtime(settings, run_projections=True, clock=session_clock) as opened:
        yield opened


@pytest.fixture(scope="session")
def server(runtime: Runtime) -> Iterator[ServerThread]:
    with ServerThread(create_app(runtime=runtime)) as running:
        yield running


@pytest.fixture(scope="session")
def http(server: ServerThread) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server.url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def admin_headers(settings: Settings) -> dict[str, str]:
    assert settings.admin_token is not None
    return {"Authorization": f"Bearer {settings.admin_token.get_secret_value()}"}


@pytest.fixture
def tenant(http: httpx.Client, admin_headers: dict[str, str]) -> Tenant:
    return make_tenant(http, admin_headers)


@pytest.fixture
def other_tenant(http: httpx.Client, admin_headers: dict[str, str]) -> Tenant:
    return make_tenant(http, admin_headers)


@pytest.fixture(scope="module")
def stand_in() -> Iterator[StripeStandIn]:
    """The local stand-in of Stripe's API, one per test module (a test may make it refuse: see its own)."""
    with StripeStandIn() as running:
        yield running


@pytest.fixture(scope="module")
def paid(settings: Settings, runtime: Runtime, stand_in: StripeStandIn) -> Iterator[Runtime]:
    """A ledger that takes payment through the stand-in, on the session's schema (whose runners it uses)."""
    with paid_runtime(
        paid_settings(settings, stand_in.url), run_projections=False, clock=runtime.clock
    ) as opened:
        yield opened


@pytest.fixture(scope="module")
def paid_http(paid: Runtime) -> Iterator[httpx.Client]:
    """An HTTP client of a live server of the paying ledger."""
    with (
        ServerThread(create_app(runtime=paid)) as server,
        httpx.Client(base_url=server.url, timeout=30) as client,
    ):
        yield client
