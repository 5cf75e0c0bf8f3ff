"""The key table: one data key per person, kept sealed by the master keys, destroyed to erase the person.

A row holds the key's id, a keyed digest of its subject (never the subject itself: that would be personal data
outliving the erasure), the data key sealed by a master key (bound to the key id), and when it was created and
destroyed. Destroying a key clears its sealed copy for good; the row stays, so an erased key id is known as
erased, and its subject's digest stays so that plaintext stored before encryption can be recognised as erased.
A subject has at most one live key; data recorded after an erasure gets a new one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID, uuid4

from eventsourcing.persistence import StoredEvent
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


@dataclass(frozen=True, eq=False)
class NewKey:
    """A person's data key made for an append, and stored by the append's own statement (`with_new_keys`).

    It is stored only while its subject's latest erasure is still `erased_before` (the one known when it was
    made): values sealed under it for a person erased meanwhile read as erased. `settle` is told whether the
    append stored it.
    """

    key_id: UUID
    subject_digest: bytes
    sealed_key: str = field(repr=False)
    erased_before: datetime | None
    subject: str = field(repr=False)
    data_key: bytes = field(repr=False)
    settle: Callable[[NewKey, bool], None] = field(repr=False)


@dataclass(frozen=True)
class SealedEvent(StoredEvent):
    """A stored event with the new data keys it is sealed under, which its append stores with it."""

    new_keys: tuple[NewKey, ...] = ()


def with_new_keys(
    schema: str, insert_call: sql.Composable, keys: list[NewKey]
) -> tuple[sql.Composed, list[object]]:
    """The append (`insert_call`, a call of the events' insert function) with the insert of the new keys its
    events are sealed under, in one statement and so one transaction; the parameters that come before the
    append's own.

    Its first row also gives, as `stored_keys`, the keys it stored (the others give NULL: every row of a
    large append giving them all was most of its cost). A key stored already (by another append of this
    process that shared it) is skipped; a subject that got another live key meanwhile fails the statement on
    the live-subject index, and the command is retried.
    """
    statement = sql.SQL(
        "WITH offered AS (SELECT DISTINCT k, d, s, e FROM "
        "unnest(%s::uuid[], %s::bytea[], %s::text[], %s::timestamptz[]) AS o(k, d, s, e)), "
        "stored AS (INSERT INTO {t} (key_id, subject_digest, sealed_key) SELECT k, d, s FROM offered "
        "WHERE e IS NOT DISTINCT FROM (SELECT max(erased_at) FROM {t} WHERE subject_digest = d "
        "AND erased_at IS NOT NULL) "
        "ON CONFLICT (key_id) DO NOTHING RETURNING key_id) "
        "SELECT f.event_position, f.stored_hash, "
        "CASE WHEN f.n = 1 THEN ARRAY(SELECT key_id FROM stored) END AS stored_keys "
        "FROM {insert} WITH ORDINALITY AS f(event_position, stored_hash, n) ORDER BY f.n"
    ).format(t=sql.Identifier(schema or "public", TABLE), insert=insert_call)
    params: list[object] = [
        [key.key_id for key in keys],
        [key.subject_digest for key in keys],
        [key.sealed_key for key in keys],
        [key.erased_before for key in keys],
    ]
    return statement, params


class KeyTable:
    """Reads and writes of the key table on the ledger's pool: a read is one statement (no transaction to
    begin and end: one round trip), a write a short transaction of its own."""

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

    def find_live(self, digests: list[bytes]) -> tuple[dict[bytes, StoredKey], dict[bytes, datetime]]:
        """The live key of each subject that has one, and the latest erasure of each erased subject: one
        read, no transaction to commit."""
        statement = sql.SQL(
            "SELECT key_id, subject_digest, sealed_key, erased_at FROM {} WHERE subject_digest = ANY(%s) "
            "AND (erased_at IS NULL OR erased_at = (SELECT max(erased_at) FROM {} e "
            "WHERE e.subject_digest = {}.subject_digest AND e.erased_at IS NOT NULL))"
        ).format(self.table, self.table, self.table)
        live: dict[bytes, StoredKey] = {}
        erased: dict[bytes, datetime] = {}
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (digests,))
            rows = curs.fetchall()
        for row in rows:
            digest = bytes(row["subject_digest"])
            if row["erased_at"] is None:
                live[digest] = StoredKey(row["key_id"], digest, row["sealed_key"])
            else:
                erased[digest] = row["erased_at"]
        return live, erased

    def keys_by_id(self, key_ids: list[UUID]) -> dict[UUID, StoredKey]:
        statement = sql.SQL(
            "SELECT key_id, subject_digest, sealed_key FROM {} WHERE key_id = ANY(%s)"
        ).format(self.table)
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
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
        with self.datastore.get_connection() as conn, conn.cursor() as curs:
            curs.execute(statement, (digests,))
            return {bytes(row["subject_digest"]) for row in curs.fetchall()}

    def destroy(self, digests: list[bytes]) -> list[UUID]:
        """Destroy the live keys of these subjects, and record as erased (now) those that had none: their
        data was all plaintext, or sealed under a new key no append has stored yet, which this erasure keeps
        from being stored. The ids of the keys destroyed now."""
        statement = sql.SQL(
            "WITH destroyed AS (UPDATE {t} SET sealed_key = NULL, erased_at = now() "
            "WHERE subject_digest = ANY(%s) AND erased_at IS NULL RETURNING key_id, subject_digest), "
            "marked AS (INSERT INTO {t} (key_id, subject_digest, sealed_key, erased_at) "
            "SELECT gen_random_uuid(), d, NULL, now() FROM unnest(%s::bytea[]) AS d "
            "WHERE d NOT IN (SELECT subject_digest FROM destroyed)) "
            "SELECT key_id FROM destroyed"
        ).format(t=self.table)
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(statement, (digests, digests))
            return sorted(row["key_id"] for row in curs.fetchall())


def new_key_id() -> UUID:
    return uuid4()
