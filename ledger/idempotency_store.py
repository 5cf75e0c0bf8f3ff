"""Idempotency keys in PostgreSQL: a key is claimed before its request runs and completed with its answer."""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from uuid import UUID

import psycopg
from eventsourcing.persistence import PersistenceError
from eventsourcing.postgres import PostgresDatastore
from psycopg import errors, sql
from psycopg.rows import DictRow

TABLE = "idempotency_keys"
FIRST_POLL_SECONDS = 0.02
LAST_POLL_SECONDS = 0.25
# Only this module's short transactions lock a key's row; a retry that meets a lock held longer lets go of
# its connection and polls again.
ROW_LOCK_SECONDS = 0.25

log = logging.getLogger("ledger.idempotency")


class KeyReusedError(Exception):
    """Raised when a key comes back with a request of another fingerprint."""


class KeyInProgressError(Exception):
    """Raised when a key's first request is still running after a retry has waited its time."""


class _KeyBusyError(Exception):
    """Raised when a key's row stays locked by another short transaction longer than a retry waits."""


@dataclass(frozen=True)
class StoredAnswer:
    """The answer stored under a key: what a retry gets back."""

    status: int
    body: bytes
    media_type: str | None


def table_ddl(schema: str) -> list[sql.Composed]:
    """The keys table, with the claim's columns added to a table made before keys were claimed."""
    table = sql.Identifier(schema, TABLE) if schema else sql.Identifier(TABLE)
    return [
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (client_id text NOT NULL, key text NOT NULL, "
            "fingerprint text NOT NULL, status integer, body bytea, media_type text, "
            "created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (client_id, key))"
        ).format(table),
        sql.SQL(
            "ALTER TABLE {} ADD COLUMN IF NOT EXISTS owner uuid, "
            "ADD COLUMN IF NOT EXISTS claimed_at timestamptz NOT NULL DEFAULT now()"
        ).format(table),
    ]


def fingerprint(*parts: bytes | str) -> str:
    """A digest of a request's parts, so that a key reused for another request is told apart."""
    digest = hashlib.sha256()
    for part in parts:
        digest.update(part.encode() if isinstance(part, str) else part)
        digest.update(b"\x00")
    return digest.hexdigest()


class IdempotencyKeys:
    """Keys per client, one row each: claimed before its request runs, completed with the answer after.

    The claim and the completion are short transactions of their own, and no connection is held while the
    request runs, so a burst cannot leave every pooled connection with a request that waits for another. A
    retry that finds its key claimed but unfinished polls, holding no connection while it sleeps, for up to
    `wait_seconds`. A claim older than `lease_seconds` is taken for one whose request died with its server:
    a retry takes it over and runs the request again.
    """

    def __init__(self, datastore: PostgresDatastore, wait_seconds: float, lease_seconds: float) -> None:
        self.datastore = datastore
        self.wait_seconds = wait_seconds
        self.lease_seconds = lease_seconds
        schema = datastore.schema
        self.table = sql.Identifier(schema, TABLE) if schema else sql.Identifier(TABLE)

    def claim(self, client_id: str, key: str, fingerprint: str, owner: UUID) -> StoredAnswer | None:
        """None once `owner` holds the key; the stored answer when an earlier request finished."""
        deadline = time.monotonic() + self.wait_seconds
        pause = FIRST_POLL_SECONDS
        while True:
            found = self._try_claim(client_id, key, fingerprint, owner, deadline)
            if found is True:
                return None
            if isinstance(found, dict):
                if found["fingerprint"] != fingerprint:
                    raise KeyReusedError("This key was used with a different request.")
                if found["status"] is not None:
                    return StoredAnswer(found["status"], bytes(found["body"]), found["media_type"])
            left = deadline - time.monotonic()
            if left <= 0:
                raise KeyInProgressError("A request with this key is still running.")
            time.sleep(min(pause, left))
            pause = min(pause * 2, LAST_POLL_SECONDS)

    def _try_claim(
        self, client_id: str, key: str, fingerprint: str, owner: UUID, deadline: float
    ) -> bool | DictRow | None:
        """True when claimed (new, or taken over from a dead request); else the key's row, None when busy."""
        lock_wait = max(1, int(min(ROW_LOCK_SECONDS, deadline - time.monotonic()) * 1000))
        try:
            with self.datastore.transaction(commit=True) as curs:
                curs.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(sql.Literal(f"{lock_wait}ms")))
                try:
                    curs.execute(
                        sql.SQL(
                            "INSERT INTO {} AS k (client_id, key, fingerprint, owner, claimed_at) "
                            "VALUES (%s, %s, %s, %s, now()) ON CONFLICT (client_id, key) DO UPDATE "
                            "SET owner = EXCLUDED.owner, claimed_at = EXCLUDED.claimed_at "
                            "WHERE k.status IS NULL AND k.fingerprint = EXCLUDED.fingerprint "
                            "AND k.claimed_at < now() - make_interval(secs => %s) RETURNING k.owner"
                        ).format(self.table),
                        (client_id, key, fingerprint, owner, self.lease_seconds),
                    )
                except errors.LockNotAvailable:
                    raise _KeyBusyError from None
                if curs.fetchone() is not None:
                    return True
                curs.execute(
                    sql.SQL(
                        "SELECT fingerprint, status, body, media_type FROM {} "
                        "WHERE client_id = %s AND key = %s"
                    ).format(self.table),
                    (client_id, key),
                )
                return curs.fetchone()
        except _KeyBusyError:
            return None

    def complete(self, client_id: str, key: str, owner: UUID, answer: StoredAnswer) -> None:
        """Store the answer, unless the claim was taken over meanwhile."""
        self._write_quietly(
            sql.SQL(
                "UPDATE {} SET status = %s, body = %s, media_type = %s "
                "WHERE client_id = %s AND key = %s AND owner = %s AND status IS NULL"
            ),
            (answer.status, answer.body, answer.media_type, client_id, key, owner),
        )

    def forget_answers_naming(self, needles: list[str]) -> int:
        """Delete every stored answer whose body holds one of `needles` (an erased person's id or email), so
        that a retry runs its request again and reads what the ledger holds now; the number deleted.

        A scan of the bodies: erasure is rare, and a stored answer holds what its request answered in clear.
        """
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "DELETE FROM {} WHERE body IS NOT NULL "
                    "AND EXISTS (SELECT FROM unnest(%s::bytea[]) AS n WHERE position(n IN body) > 0)"
                ).format(self.table),
                ([needle.encode() for needle in needles if needle],),
            )
            return curs.rowcount

    def release(self, client_id: str, key: str, owner: UUID) -> None:
        """Drop this request's unfinished claim, so that a retry runs at once instead of after the lease."""
        self._write_quietly(
            sql.SQL("DELETE FROM {} WHERE client_id = %s AND key = %s AND owner = %s AND status IS NULL"),
            (client_id, key, owner),
        )

    def _write_quietly(self, statement: sql.SQL, params: tuple[object, ...]) -> None:
        """One statement in its own transaction; a failure is logged, never raised.

        The request has its answer by now, and its write may have committed: a failure here must not turn
        that answer into an error. A claim left unfinished waits for its lease; then a retry runs it again.
        """
        try:
            with self.datastore.transaction(commit=True) as curs:
                curs.execute(statement.format(self.table), params)
        except (PersistenceError, psycopg.Error) as error:
            log.warning("an idempotency key's row was not written: %s", type(error).__name__)
