"""The key table: one data key per person, kept sealed by the master keys, destroyed to erase the person.

A row holds the key's id, a keyed digest of its subject (never the subject itself: that would be personal data
outliving the erasure), the data key sealed by a master key (bound to the key id), and when it was created and
destroyed. Destroying a key clears its sealed copy for good; the row stays, so an erased key id is known as
erased, and its subject's digest stays so that plaintext stored before encryption can be recognised as erased.
A subject has at most one live key; data recorded after an erasure gets a new one.
"""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

from eventsourcing.postgres import PostgresDatastore
from psycopg import sql

TABLE = "personal_data_keys"


def table_ddl(schema: str) -> list[sql.Composed]:
    table = sql.Identifier(schema or "public", TABLE)
    return [
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (key_id uuid PRIMARY KEY, subject_digest bytea NOT NULL, "
            "sealed_key text, created_at timestamptz NOT NULL DEFAULT now(), erased_at timestamptz)"
        ).format(table),
        sql.SQL("CREATE UNIQUE INDEX IF NOT EXISTS {} ON {} (subject_digest) WHERE erased_at IS NULL").format(
            sql.Identifier(f"{TABLE}_live_subject_idx"), table
        ),
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} (subject_digest) WHERE erased_at IS NOT NULL").format(
            sql.Identifier(f"{TABLE}_erased_subject_idx"), table
        ),
    ]


@dataclass(frozen=True)
class StoredKey:
    """A row of the key table; `sealed_key` is None once the key is destroyed."""

    key_id: UUID
    subject_digest: bytes
    sealed_key: str | None


class KeyTable:
    """Reads and writes of the key table, each in a short transaction of its own on the ledger's pool."""

    def __init__(self, datastore: PostgresDatastore) -> None:
        self.datastore = datastore
        self.table = sql.Identifier(datastore.schema or "public", TABLE)

    def live_keys(
        self, digests: list[bytes], sealed_for: dict[bytes, tuple[UUID, str]]
    ) -> dict[bytes, StoredKey]:
        """The live key of each subject, creating the one offered in `sealed_for` where a subject has none.

        A subject whose new key lost a race to another writer's gets that writer's key: the insert skips it,
        and the loop reads it back.
        """
        found: dict[bytes, StoredKey] = {}
        for _ in range(5):
            missing = [each for each in digests if each not in found]
            if not missing:
                break
            offered = [each for each in missing if each in sealed_for]
            statement = sql.SQL(
                "WITH offered AS (SELECT * FROM unnest(%s::uuid[], %s::bytea[], %s::text[]) AS o(k, d, s)), "
                "inserted AS (INSERT INTO {t} (key_id, subject_digest, sealed_key) "
                "SELECT k, d, s FROM offered "
                "ON CONFLICT (subject_digest) WHERE erased_at IS NULL DO NOTHING "
                "RETURNING key_id, subject_digest, sealed_key) "
                "SELECT key_id, subject_digest, sealed_key FROM inserted UNION ALL "
                "SELECT key_id, subject_digest, sealed_key FROM {t} WHERE subject_digest = ANY(%s) "
                "AND erased_at IS NULL"
            ).format(t=self.table)
            params = (
                [sealed_for[each][0] for each in offered],
                offered,
                [sealed_for[each][1] for each in offered],
                missing,
            )
            with self.datastore.transaction(commit=True) as curs:
                curs.execute(statement, params)
                rows = curs.fetchall()
            for row in rows:
                found[bytes(row["subject_digest"])] = StoredKey(
                    row["key_id"], bytes(row["subject_digest"]), row["sealed_key"]
                )
        return found

    def keys_by_id(self, key_ids: list[UUID]) -> dict[UUID, StoredKey]:
        statement = sql.SQL(
            "SELECT key_id, subject_digest, sealed_key FROM {} WHERE key_id = ANY(%s)"
        ).format(self.table)
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, (key_ids,))
            rows = curs.fetchall()
        return {
            row["key_id"]: StoredKey(row["key_id"], bytes(row["subject_digest"]), row["sealed_key"])
            for row in rows
        }

    def erased_digests(self, digests: list[bytes]) -> set[bytes]:
        """Which of these subjects have had a key destroyed."""
        statement = sql.SQL(
            "SELECT DISTINCT subject_digest FROM {} WHERE subject_digest = ANY(%s) AND erased_at IS NOT NULL"
        ).format(self.table)
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(statement, (digests,))
            return {bytes(row["subject_digest"]) for row in curs.fetchall()}

    def destroy(self, digests: list[bytes]) -> list[UUID]:
        """Destroy the live keys of these subjects; the ids of the keys destroyed now."""
        statement = sql.SQL(
            "UPDATE {} SET sealed_key = NULL, erased_at = now() WHERE subject_digest = ANY(%s) "
            "AND erased_at IS NULL RETURNING key_id"
        ).format(self.table)
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(statement, (digests,))
            return sorted(row["key_id"] for row in curs.fetchall())

    def mark_erased(self, digests: list[bytes]) -> None:
        """Record subjects as erased even where they never had a key (their data was all plaintext)."""
        statement = sql.SQL(
            "INSERT INTO {} (key_id, subject_digest, sealed_key, erased_at) "
            "SELECT gen_random_uuid(), d, NULL, now() FROM unnest(%s::bytea[]) AS d "
            "WHERE NOT EXISTS (SELECT 1 FROM {} k WHERE k.subject_digest = d AND k.erased_at IS NOT NULL)"
        ).format(self.table, self.table)
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(statement, (digests,))


def new_key_id() -> UUID:
    return uuid4()
