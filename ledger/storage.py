"""Storage wiring: turns a PostgreSQL URL into the eventsourcing environment and prepares the schema."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict

from ledger import client_budget, console_sessions, idempotency_store
from ledger.numbers import create_number_sequences
from ledger.personal_data import keys as personal_data_keys
from ledger.personal_data import migration as personal_data_migration
from ledger.settings import Settings
from ledger.webhooks import store as webhook_store
from replay import checkpoint_store, rebuild_log

# Any constant shared by every process of the ledger: the key of the lock that serialises schema setup.
SCHEMA_SETUP_LOCK = 0x1ED6E5
TABLES_SETUP_LOCK = 0x1ED6E6


def eventsourcing_env(database_url: str, settings: Settings) -> dict[str, str]:
    """Environment variables that configure eventsourcing's PostgreSQL persistence for `database_url`."""
    params = conninfo_to_dict(database_url)
    return {
        "PERSISTENCE_MODULE": "eventsourcing.postgres",
        "POSTGRES_DBNAME": str(params.get("dbname", "postgres")),
        "POSTGRES_HOST": str(params.get("host", "127.0.0.1")),
        "POSTGRES_PORT": str(params.get("port", "5432")),
        "POSTGRES_USER": str(params.get("user", "postgres")),
        "POSTGRES_PASSWORD": str(params.get("password", "")),
        "POSTGRES_SCHEMA": settings.db_schema,
        # A low timeout, because the library retries pool exhaustion ten times.
        "POSTGRES_CONNECT_TIMEOUT": str(settings.connect_timeout),
        "POSTGRES_POOL_SIZE": str(settings.pool_size),
        "POSTGRES_MAX_OVERFLOW": str(settings.pool_max_overflow),
        "POSTGRES_PRE_PING": "y",
        # eventsourcing's own insert function lets tailing readers miss events; the ledger's recorder
        # appends through its own function and reads only up to the safe position (ledger/recorder.py).
        "POSTGRES_ENABLE_DB_FUNCTIONS": "y",
        "APPLICATION_RECORDER_TOPIC": "ledger.recorder:LedgerRecorder",
        "POSTGRES_SINGLE_ROW_TRACKING": "y",
        "CREATE_TABLE": "y",
        # Personal values are sealed per person (ledger/personal_data); the vault is this process's.
        "MAPPER_TOPIC": "ledger.personal_data.mapper:PersonalDataMapper",
    }


def wait_for_database(database_url: str, seconds: float, pause: float = 0.5) -> None:
    """Return once the database accepts a connection; after `seconds` of refusals, raise the last error.

    A process that starts while the database restarts (a worker respawned during an outage) waits for it,
    instead of failing its start-up: uvicorn ends `ledger serve`, every worker with it, when one does.
    """
    deadline = time.monotonic() + seconds
    while True:
        try:
            with psycopg.connect(database_url, connect_timeout=max(1, int(pause * 4))):
                return
        except psycopg.OperationalError:
            if time.monotonic() >= deadline:
                raise
            time.sleep(pause)


def ensure_schema(database_url: str, schema: str) -> None:
    """Create the configured schema (unless `public`), the ledger's tables and number sequences, if missing.

    eventsourcing creates the events table when the ledger opens, and each view creates its own tables.
    """
    with psycopg.connect(database_url) as conn:  # one transaction, committed on leaving the block
        # Processes starting together would race in PostgreSQL's catalog on CREATE ... IF NOT EXISTS.
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_SETUP_LOCK,))
        if schema:
            conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(schema)))
        create_number_sequences(conn, schema)
        for statement in [
            *idempotency_store.table_ddl(schema),
            *webhook_store.table_ddl(schema),
            *checkpoint_store.table_ddl(schema),
            *client_budget.table_ddl(schema),
            *console_sessions.table_ddl(schema),
            *rebuild_log.table_ddl(schema),
            *personal_data_keys.table_ddl(schema),
            *personal_data_migration.table_ddl(schema),
        ]:
            conn.execute(statement)


class SetupLock:
    """A session-level advisory lock on a connection of its own; released early, or when its block ends."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self._connection = connection

    def release(self) -> None:
        self._connection.close()  # ending the session releases its advisory locks


@contextmanager
def tables_setup_lock(database_url: str) -> Iterator[SetupLock]:
    """Held while a process creates the events table and the views' tables: processes starting together on a
    new database would otherwise race in PostgreSQL's catalog (CREATE ... IF NOT EXISTS is not atomic)."""
    connection = psycopg.connect(database_url, autocommit=True)
    lock = SetupLock(connection)
    try:
        connection.execute("SELECT pg_advisory_lock(%s)", (TABLES_SETUP_LOCK,))
        yield lock
    finally:
        lock.release()
