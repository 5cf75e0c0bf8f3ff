"""Fixtures of the integration tests: settings on a schema of a test's own, the CLI's environment."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from psycopg import sql

from ledger.runtime import Runtime, open_runtime
from ledger.settings import Settings


@pytest.fixture
def own_settings(settings: Settings) -> Iterator[Settings]:
    """The settings on a fresh schema, dropped afterwards: only the test writes there and runs its views."""
    schema = f"{settings.db_schema}_{uuid.uuid4().hex[:8]}"
    own = settings.model_copy(update={"db_schema": schema})
    try:
        yield own
    finally:
        assert settings.database_url is not None
        with psycopg.connect(settings.database_url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


@pytest.fixture
def cli_env(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `ledger` command's environment, on the session's database, schema and data directory (whose keys
    open the session's personal data, as every process of one ledger must share them)."""
    assert settings.database_url is not None
    assert settings.admin_token is not None
    monkeypatch.setenv("LEDGER_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("LEDGER_DB_SCHEMA", settings.db_schema)
    monkeypatch.setenv("LEDGER_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("LEDGER_ADMIN_TOKEN", settings.admin_token.get_secret_value())
    monkeypatch.setenv("LEDGER_POOL_SIZE", "2")


@pytest.fixture
def own_runtime(own_settings: Settings) -> Iterator[Runtime]:
    """The ledger on the test's own schema, without projection runners or background work."""
    with open_runtime(own_settings, run_projections=False, announce=lambda _: None) as opened:
        yield opened


@pytest.fixture
def own_cli_env(own_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """The `ledger` command's environment, on the test's own schema and data directory."""
    assert own_settings.database_url is not None
    monkeypatch.setenv("LEDGER_DATABASE_URL", own_settings.database_url)
    monkeypatch.setenv("LEDGER_DB_SCHEMA", own_settings.db_schema)
    monkeypatch.setenv("LEDGER_DATA_DIR", str(own_settings.data_dir))
    monkeypatch.setenv("LEDGER_ADMIN_TOKEN", "not-used-by-the-audit-commands")
    monkeypatch.setenv("LEDGER_POOL_SIZE", "2")
