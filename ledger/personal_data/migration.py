"""`ledger admin encrypt-personal-data`: what to do about personal data stored in plaintext before encryption.

Events are immutable and hash-chained, so a plaintext value already stored stays in its event: nothing here
rewrites, copies or deletes an event. The command walks the log once, in pages, and for each plaintext
personal value it finds records its event and its person (by the subject's keyed digest) in an index table.
Every event recorded since encryption holds ciphertext
only. What remains for the old plaintext: an erasure masks it on every read (the mapper shows an erased
person's plaintext as erased), reports how many such events it could not shred, and leaves the bytes in the
events table (and its backups) until the database itself is retired.

Snapshots are caches, not history: a snapshot holding plaintext personal data is deleted; the next read of
its aggregate replays events and a new snapshot is sealed.

Each page's index rows and the cursor commit together, so the command resumes after its last page and, run
again, finds nothing more to do.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from eventsourcing.persistence import Mapper, StoredEvent
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.utils import get_topic
from psycopg import sql

from domain.application import Ledger
from domain.base import LedgerAggregate
from ledger.personal_data.cipher import sealed_parts
from ledger.personal_data.containers import container_of
from ledger.personal_data.mapper import PersonalDataMapper
from ledger.personal_data.subjects import places
from ledger.personal_data.vault import Vault
from ledger.progress import Progress

INDEX_TABLE = "personal_data_plaintext"
CURSOR_TABLE = "personal_data_migration"
CURSOR_NAME = "encrypt-personal-data"


def table_ddl(schema: str) -> list[sql.Composed]:
    index = sql.Identifier(schema or "public", INDEX_TABLE)
    cursor = sql.Identifier(schema or "public", CURSOR_TABLE)
    return [
        # Keyed by the person first: an erasure counts its person's plaintext events by the primary key.
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (subject_digest bytea NOT NULL, originator_id uuid NOT NULL, "
            "originator_version integer NOT NULL, position bigint NOT NULL, "
            "PRIMARY KEY (subject_digest, originator_id, originator_version))"
        ).format(index),
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (name text PRIMARY KEY, position bigint NOT NULL, "
            "updated_at timestamptz NOT NULL DEFAULT now())"
        ).format(cursor),
    ]


@dataclass
class MigrationReport:
    """What one run did: events read, plaintext values and events found, persons, snapshots deleted."""

    events_read: int = 0
    plaintext_values: int = 0
    plaintext_events: int = 0
    subjects: int = 0
    snapshots_deleted: int = 0
    position: int = 0

    def as_json(self) -> dict[str, int]:
        return {
            "eventsRead": self.events_read,
            "plaintextValues": self.plaintext_values,
            "plaintextEvents": self.plaintext_events,
            "subjects": self.subjects,
            "snapshotsDeleted": self.snapshots_deleted,
            "position": self.position,
        }


def personal_topics() -> list[str]:
    """The topics of every event class of every aggregate with personal fields."""
    topics: set[str] = set()
    pending: list[type[LedgerAggregate]] = [LedgerAggregate]
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        if not cls.__dict__.get("PERSONAL_FIELDS"):
            continue
        for value in vars(cls).values():
            if isinstance(value, type) and issubclass(value, LedgerAggregate.Event):
                topics.add(get_topic(value))
    return sorted(topics)


class PlaintextMigration:
    """One run of the migration over a ledger's log."""

    def __init__(self, ledger: Ledger, vault: Vault) -> None:
        recorder = ledger.recorder
        if not isinstance(recorder, PostgresApplicationRecorder) or not isinstance(
            ledger.mapper, PersonalDataMapper
        ):
            raise TypeError("The migration runs on PostgreSQL with the personal data mapper only.")
        self.ledger, self.recorder, self.vault, self.mapper = ledger, recorder, vault, ledger.mapper
        self.plain = Mapper[UUID](transcoder=ledger.mapper.transcoder)
        schema = recorder.datastore.schema or "public"
        self.index = sql.Identifier(schema, INDEX_TABLE)
        self.cursor = sql.Identifier(schema, CURSOR_TABLE)

    def _plaintext(self, stored: StoredEvent) -> list[tuple[bytes, str]]:
        """(subject digest, subject) of each plaintext personal value of one stored event or snapshot."""
        event: Any = self.plain.to_domain_event(stored)
        owner, fields, container = container_of(stored.topic, vars(event))
        if owner is None or not fields:
            return []
        stream = UUID(str(stored.originator_id))
        found = []
        for place in places(owner, container, fields, stream, self.mapper.first_user):
            value = place.value
            # A sealed list of people holds sealed elements (and user ids, which are references).
            sealed_list = isinstance(value, list) and any(sealed_parts(each) for each in value)
            if sealed_parts(value) is None and not sealed_list:
                found.append((self.vault.digest(place.subject), place.subject))
        return found

    def _position(self) -> int:
        with self.recorder.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT position FROM {} WHERE name = %s").format(self.cursor), (CURSOR_NAME,)
            )
            row = curs.fetchone()
        return int(row["position"]) if row else 0

    def _pages(self, start: int, page_size: int) -> Iterator[tuple[int, list[Any]]]:
        topics = personal_topics()
        head = self.recorder.max_notification_id() or 0
        position = start
        while position < head:
            page = self.recorder.select_notifications(
                start=position, limit=page_size, stop=head, topics=topics, inclusive_of_start=False
            )
            # A page without personal events still moves the cursor to the head it was read up to.
            position = page[-1].id if len(page) == page_size else head
            yield position, list(page)

    def run(self, page_size: int = 1000, progress: Progress | None = None) -> MigrationReport:
        report = MigrationReport()
        start = self._position()
        head = self.recorder.max_notification_id() or 0
        subjects: set[str] = set()
        for position, page in self._pages(start, page_size):
            rows = []
            for notification in page:
                for digest, subject in self._plaintext(notification):
                    rows.append(
                        (digest, notification.originator_id, notification.originator_version, notification.id)
                    )
                    subjects.add(subject)
            self._commit_page(rows, position)
            report.events_read += len(page)
            report.plaintext_values += len(rows)
            report.plaintext_events += len({(row[1], row[2]) for row in rows})
            report.position = position
            if progress is not None:
                progress(position - start, max(head - start, 1))
        report.subjects = len(subjects)
        report.snapshots_deleted = self._delete_plaintext_snapshots()
        report.position = max(report.position, start)
        return report

    def _commit_page(self, rows: list[tuple[bytes, Any, int, int]], position: int) -> None:
        insert = sql.SQL(
            "INSERT INTO {} (subject_digest, originator_id, originator_version, position) "
            "SELECT * FROM unnest(%s::bytea[], %s::uuid[], %s::integer[], %s::bigint[]) "
            "ON CONFLICT DO NOTHING"
        ).format(self.index)
        cursor = sql.SQL(
            "INSERT INTO {} (name, position) VALUES (%s, %s) "
            "ON CONFLICT (name) DO UPDATE SET position = GREATEST({}.position, EXCLUDED.position), "
            "updated_at = now()"
        ).format(self.cursor, self.cursor)
        with self.recorder.datastore.transaction(commit=True) as curs:
            if rows:
                curs.execute(insert, [list(column) for column in zip(*rows, strict=True)])
            curs.execute(cursor, (CURSOR_NAME, position))

    def _delete_plaintext_snapshots(self) -> int:
        store = self.ledger.snapshots
        if store is None:
            return 0
        recorder = store.recorder
        table_name = getattr(recorder, "events_table_name", None)
        datastore = getattr(recorder, "datastore", None)
        if table_name is None or datastore is None:
            return 0
        table = sql.Identifier(datastore.schema or "public", table_name)
        deleted = 0
        select = sql.SQL(
            "SELECT originator_id, originator_version, topic, state FROM {} "
            "WHERE (originator_id, originator_version) > (%s, %s) "
            "ORDER BY originator_id, originator_version LIMIT 500"
        ).format(table)
        delete = sql.SQL("DELETE FROM {} WHERE originator_id = %s AND originator_version = %s").format(table)
        after: tuple[UUID, int] = (UUID(int=0), 0)
        while True:
            with datastore.transaction(commit=False) as curs:
                curs.execute(select, after)
                rows = curs.fetchall()
            if not rows:
                return deleted
            for row in rows:
                stored = StoredEvent(
                    row["originator_id"], row["originator_version"], row["topic"], bytes(row["state"])
                )
                if self._plaintext(stored):
                    with datastore.transaction(commit=True) as curs:
                        curs.execute(delete, (row["originator_id"], row["originator_version"]))
                    deleted += 1
            after = (rows[-1]["originator_id"], rows[-1]["originator_version"])


def plaintext_events_of(vault: Vault, digests: list[bytes]) -> int:
    """How many events hold any of these persons' data in plaintext (as the migration indexed them)."""
    statement = sql.SQL(
        "SELECT count(DISTINCT (originator_id, originator_version)) AS n FROM {} "
        "WHERE subject_digest = ANY(%s)"
    ).format(sql.Identifier(vault.table.datastore.schema or "public", INDEX_TABLE))
    with vault.table.datastore.transaction(commit=False) as curs:
        curs.execute(statement, (digests,))
        row = curs.fetchone()
    return int(row["n"]) if row else 0
