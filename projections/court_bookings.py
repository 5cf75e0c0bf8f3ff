"""The court-bookings view: one row per court booking, for listing and filtering by court and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from eventsourcing.persistence import Tracking
from eventsourcing.projection import Projection
from psycopg import sql
from psycopg.types.json import Jsonb

from domain.court_booking import CourtBooking
from projections.tables import Statement, TrackedView, insert_row, update_rows

TABLE = "court_bookings"
COLUMNS = (
    "id",
    "external_service_id",
    "external_court_booking_id",
    "organization_id",
    "court_id",
    "start_date",
    "end_date",
    "status",
    "participants",
    "external_updated_at",
    "created_at",
    "updated_at",
    "version",
    "position",
)
INDEXES = {
    "by_service_start": "(external_service_id, start_date, id)",
    "by_service_court_start": "(external_service_id, court_id, start_date, id)",
}


def table_ddl(table: sql.Identifier, index_prefix: str) -> list[sql.Composed]:
    """CREATE statements of the view's table and its indexes."""
    return [*create_table_ddl(table), *index_ddl(table, index_prefix)]


def create_table_ddl(table: sql.Identifier) -> list[sql.Composed]:
    return [
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} ("
            "id uuid PRIMARY KEY, external_service_id uuid NOT NULL, "
            "external_court_booking_id text NOT NULL, "
            "organization_id uuid NOT NULL, court_id uuid NOT NULL, "
            "start_date timestamptz NOT NULL, end_date timestamptz NOT NULL, status text NOT NULL, "
            "participants jsonb NOT NULL, external_updated_at timestamptz NOT NULL, "
            "created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL, "
            "version integer NOT NULL, position bigint NOT NULL)"
        ).format(table)
    ]


def index_ddl(table: sql.Identifier, index_prefix: str) -> list[sql.Composed]:
    return [
        sql.SQL("CREATE INDEX IF NOT EXISTS {} ON {} " + columns).format(
            sql.Identifier(f"{index_prefix}_{suffix}"), table
        )
        for suffix, columns in INDEXES.items()
    ]


def row_statements(event: DomainEventProtocol[Any], position: int, table: str) -> list[Statement]:
    """The row changes that one event makes to the view in `table`; none for events of other aggregates."""
    if isinstance(event, CourtBooking.Registered):
        return [
            insert_row(
                table,
                {
                    "id": event.originator_id,
                    "external_service_id": event.external_service_id,
                    "external_court_booking_id": event.external_court_booking_id,
                    "organization_id": event.organization_id,
                    "court_id": event.court_id,
                    "start_date": event.start,
                    "end_date": event.end,
                    "status": "active",
                    "participants": Jsonb(event.participants),
                    "external_updated_at": event.external_updated_at,
                    "created_at": event.recorded_at,
                    "updated_at": event.recorded_at,
                    "version": event.originator_version,
                    "position": position,
                },
            )
        ]
    # Reactivated is declared as a Revised, but the library re-creates nested event classes, so name both.
    if isinstance(event, CourtBooking.Revised | CourtBooking.Reactivated):
        changes = {
            "organization_id": event.organization_id,
            "court_id": event.court_id,
            "start_date": event.start,
            "end_date": event.end,
            "status": "active",
            "participants": Jsonb(event.participants),
        }
    elif isinstance(event, CourtBooking.Canceled):
        changes = {"status": "canceled"}
    else:
        return []
    changes |= {
        "external_updated_at": event.external_updated_at,
        "updated_at": event.recorded_at,
        "version": event.originator_version,
        "position": position,
    }
    return [update_rows(table, "id", event.originator_id, changes)]


@dataclass(frozen=True)
class CourtBookingFilter:
    """The list endpoint's filters; `after` is the (start_date, id) of the previous page's last row."""

    external_service_id: UUID
    court_id: UUID | None = None
    start_from: datetime | None = None
    end_to: datetime | None = None
    status: str | None = None
    after: tuple[datetime, UUID] | None = None


class CourtBookingsView(TrackedView):
    """The court_bookings table and its tracking position."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows_table = self.table(TABLE)
        self.sql_create_statements.extend(table_ddl(self.rows_table, TABLE))

    def statements(self, event: DomainEventProtocol[Any], position: int) -> list[Statement]:
        return row_statements(event, position, self.table_sql(TABLE))

    def list_court_bookings(self, where: CourtBookingFilter, limit: int) -> list[dict[str, Any]]:
        """One page of bookings ordered by (start_date, id); uses the (service[, court], start) indexes."""
        clauses = [sql.SQL("external_service_id = %(service)s")]
        params: dict[str, Any] = {"service": where.external_service_id, "limit": limit}
        if where.court_id is not None:
            clauses.append(sql.SQL("court_id = %(court)s"))
            params["court"] = where.court_id
        if where.start_from is not None:
            clauses.append(sql.SQL("end_date > %(start_from)s"))
            params["start_from"] = where.start_from
        if where.end_to is not None:
            clauses.append(sql.SQL("start_date < %(end_to)s"))
            params["end_to"] = where.end_to
        if where.status is not None:
            clauses.append(sql.SQL("status = %(status)s"))
            params["status"] = where.status
        if where.after is not None:
            clauses.append(sql.SQL("(start_date, id) > (%(after_start)s, %(after_id)s)"))
            params["after_start"], params["after_id"] = where.after
        query = sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY start_date, id LIMIT %(limit)s").format(
            sql.SQL(", ").join(map(sql.Identifier, COLUMNS)), self.rows_table, sql.SQL(" AND ").join(clauses)
        )
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(query, params)
            return list(curs.fetchall())


class CourtBookingsProjection(Projection[CourtBookingsView]):
    """Feeds every event of the ledger to the court-bookings view."""

    name = "court_bookings"

    def process_event(self, domain_event: Any, tracking: Tracking) -> None:
        self.view.apply_batch([(domain_event, tracking.notification_id)])
