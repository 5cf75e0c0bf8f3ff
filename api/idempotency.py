"""Idempotent POSTs: the first response to an Idempotency-Key is stored in PostgreSQL and replayed."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from eventsourcing.postgres import PostgresDatastore
from psycopg import Cursor, errors, sql
from psycopg.rows import DictRow
from starlette.responses import Response

from api.bookings_errors import IdempotencyInProgressError, IdempotencyKeyReusedError

REPLAYED_HEADER = "Idempotent-Replayed"


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: bytes
    media_type: str


class IdempotencyStore:
    """Keys per client; the first request holds its key's row lock until its response is stored.

    A retry's insert waits on that lock, so concurrent retries get the first response instead of running
    twice; one that waits longer than `wait_seconds` is told the first request is still in progress.
    """

    def __init__(self, datastore: PostgresDatastore, wait_seconds: float) -> None:
        self.datastore = datastore
        self.wait_seconds = wait_seconds
        name = "idempotency_keys"
        self.table = sql.Identifier(datastore.schema, name) if datastore.schema else sql.Identifier(name)

    def create_table(self) -> None:
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "CREATE TABLE IF NOT EXISTS {} (client_id text NOT NULL, key text NOT NULL, "
                    "fingerprint text NOT NULL, status integer, body bytea, media_type text, "
                    "created_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (client_id, key))"
                ).format(self.table)
            )

    @staticmethod
    def fingerprint(*parts: bytes | str) -> str:
        digest = hashlib.sha256()
        for part in parts:
            digest.update(part.encode() if isinstance(part, str) else part)
            digest.update(b"\x00")
        return digest.hexdigest()

    def run(self, client_id: str, key: str, fingerprint: str, handle: Callable[[], Response]) -> Response:
        """The stored response for this key, or `handle()`'s response, stored unless it is a 5xx."""
        try:
            with self.datastore.get_connection() as conn, conn.transaction(), conn.cursor() as curs:
                wait = sql.Literal(f"{int(self.wait_seconds * 1000)}ms")
                curs.execute(sql.SQL("SET LOCAL lock_timeout = {}").format(wait))
                try:
                    curs.execute(
                        sql.SQL(
                            "INSERT INTO {} (client_id, key, fingerprint) VALUES (%s, %s, %s) "
                            "ON CONFLICT DO NOTHING"
                        ).format(self.table),
                        (client_id, key, fingerprint),
                    )
                except errors.LockNotAvailable:
                    raise IdempotencyInProgressError(
                        "A request with this Idempotency-Key is still running."
                    ) from None
                if curs.rowcount == 0:
                    return self._replay(curs, client_id, key, fingerprint)
                response = handle()
                if response.status_code >= 500:
                    raise _DiscardedResponseError(response)
                curs.execute(
                    sql.SQL(
                        "UPDATE {} SET status = %s, body = %s, media_type = %s "
                        "WHERE client_id = %s AND key = %s"
                    ).format(self.table),
                    (response.status_code, bytes(response.body), response.media_type, client_id, key),
                )
                return response
        except _DiscardedResponseError as discarded:
            return discarded.response

    def _replay(self, curs: Cursor[DictRow], client_id: str, key: str, fingerprint: str) -> Response:
        curs.execute(
            sql.SQL(
                "SELECT fingerprint, status, body, media_type FROM {} WHERE client_id = %s AND key = %s"
            ).format(self.table),
            (client_id, key),
        )
        row = curs.fetchone()
        if row is None:
            raise IdempotencyInProgressError("A request with this Idempotency-Key is still running.")
        if row["fingerprint"] != fingerprint:
            raise IdempotencyKeyReusedError("This Idempotency-Key was used with a different request.")
        return Response(
            content=bytes(row["body"]),
            status_code=row["status"],
            media_type=row["media_type"],
            headers={REPLAYED_HEADER: "true"},
        )


class _DiscardedResponseError(Exception):
    """Raised to roll back the key's row so that a retry after a server error runs again."""

    def __init__(self, response: Response) -> None:
        super().__init__("discarded")
        self.response = response
