"""Console sessions in PostgreSQL: the browser holds a random token; the table, its hash and whose it is."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

TABLE = "console_sessions"
TOKEN_BYTES = 32


@dataclass(frozen=True)
class ConsoleSession:
    """Who signed in: the admin (with the hash of the admin token then in force) or an API key, by its id."""

    kind: str
    key_id: UUID | None = None
    admin_token_hash: str | None = None


def table_ddl(schema: str) -> list[sql.Composed]:
    table = sql.Identifier(schema, TABLE) if schema else sql.Identifier(TABLE)
    return [
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (token_hash bytea PRIMARY KEY, kind text NOT NULL, key_id uuid, "
            "admin_token_hash text, created_at timestamptz NOT NULL DEFAULT now(), "
            "expires_at timestamptz NOT NULL)"
        ).format(table),
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (expires_at)").format(
            sql.Identifier(f"{TABLE}_by_expiry"), table
        ),
    ]


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


class ConsoleSessions:
    """Opens, finds and ends sessions; an expired session is never found, and is deleted when one opens."""

    def __init__(self, datastore: PostgresDatastore, schema: str, lifetime: timedelta) -> None:
        self._datastore = datastore
        self._table = sql.Identifier(schema, TABLE) if schema else sql.Identifier(TABLE)
        self._lifetime = lifetime

    def open(self, session: ConsoleSession) -> str:
        """A new session's token: shown to the browser once, in its cookie."""
        token = secrets.token_urlsafe(TOKEN_BYTES)
        with self._datastore.transaction(commit=True) as curs:
            curs.execute(sql.SQL("DELETE FROM {} WHERE expires_at < now()").format(self._table))
            curs.execute(
                sql.SQL(
                    "INSERT INTO {} (token_hash, kind, key_id, admin_token_hash, expires_at) "
                    "VALUES (%s, %s, %s, %s, now() + %s)"
                ).format(self._table),
                (_digest(token), session.kind, session.key_id, session.admin_token_hash, self._lifetime),
            )
        return token

    def find(self, token: str) -> ConsoleSession | None:
        with self._datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT kind, key_id, admin_token_hash FROM {} "
                    "WHERE token_hash = %s AND expires_at > now()"
                ).format(self._table),
                (_digest(token),),
            )
            row = curs.fetchone()
        if row is None:
            return None
        return ConsoleSession(row["kind"], row["key_id"], row["admin_token_hash"])

    def end(self, token: str) -> None:
        with self._datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL("DELETE FROM {} WHERE token_hash = %s").format(self._table), (_digest(token),)
            )
