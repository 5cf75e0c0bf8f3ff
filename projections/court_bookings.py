"""The court-bookings view: one row per court booking, for listing and filtering by court and time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from eventsourcing.domain import DomainEventProtocol
from psycopg import sql

from domain.court_booking import CourtBooking
from domain.user import User
from projections.personal_data import ERASED_TEXT, key_probes, tagged_people
from projections.rows import Statement, insert_row, query_text, update_rows
from projections.tables import Handler, Table, Targets, TrackedView, changes_of

TABLE = "court_bookings"
COURT_BOOKINGS = Table(
    TABLE,
    columns={
        "id": "uuid PRIMARY KEY",
        "external_service_id": "uuid NOT NULL",
        "external_court_booking_id": "text NOT NULL",
        "organization_id": "uuid NOT NULL",
        "court_id": "uuid NOT NULL",
        "start_date": "timestamptz NOT NULL",
        "end_date": "timestamptz NOT NULL",
        "status": "text NOT NULL",
        "participants": "jsonb NOT NULL",
        "external_updated_at": "timestamptz NOT NULL",
        "created_at": "timestamptz NOT NULL",
        "updated_at": "timestamptz NOT NULL",
        "version": "integer NOT NULL",
        "position": "bigint NOT NULL",
    },
    indexes={
        "by_service_start": "(external_service_id, start_date, id)",
        "by_service_court_start": "(external_service_id, court_id, start_date, id)",
        # Erasure finds the rows that hold a destroyed key's participant by `participants @> [{"key": ...}]`.
        "by_participant_key": "USING gin (participants jsonb_path_ops)",
    },
)
COLUMNS = tuple(COURT_BOOKINGS.columns)


def _registered(event: CourtBooking.Registered, position: int, targets: Targets) -> list[Statement]:
    values = {
        "id": event.originator_id,
        "external_service_id": event.external_service_id,
        "external_court_booking_id": event.external_court_booking_id,
        "organization_id": event.organization_id,
        "court_id": event.court_id,
        "start_date": event.start,
        "end_date": event.end,
        "status": "active",
        "participants": tagged_people(event, "participants"),
        "external_updated_at": event.external_updated_at,
        "created_at": event.recorded_at,
        "updated_at": event.recorded_at,
        "version": event.originator_version,
        "position": position,
    }
    return [insert_row(targets[TABLE], values)]


def _changed(event: Any, position: int, targets: Targets, changes: dict[str, Any]) -> list[Statement]:
    values = {
        **changes,
        "external_updated_at": event.external_updated_at,
        "updated_at": event.recorded_at,
        "version": event.originator_version,
        "position": position,
    }
    return [update_rows(targets[TABLE], "id", event.originator_id, values)]


def _revised(event: CourtBooking.Revised, position: int, targets: Targets) -> list[Statement]:
    terms = {
        "organization_id": event.organization_id,
        "court_id": event.court_id,
        "start_date": event.start,
        "end_date": event.end,
        "status": "active",
        "participants": tagged_people(event, "participants"),
    }
    return _changed(event, position, targets, terms)


def _canceled(event: CourtBooking.Canceled, position: int, targets: Targets) -> list[Statement]:
    return _changed(event, position, targets, {"status": "canceled"})


_ERASE_PARTICIPANTS = """UPDATE {} SET participants = (
    SELECT jsonb_agg(
        CASE WHEN e->>'key' = %(key)s::text
            THEN jsonb_build_object('email', %(erased)s::text, 'key', e->'key') ELSE e END
        ORDER BY i
    )
    FROM jsonb_array_elements(participants) WITH ORDINALITY AS x(e, i)
) WHERE participants @> %(probe)s"""


def _erased(event: User.PersonalDataErased, position: int, targets: Targets) -> list[Statement]:
    """Each participant whose key was destroyed (one named by email) reads as erased, as the events now do."""
    probes = key_probes(event.key_ids, [{"key": "KEY"}])
    text = query_text(_ERASE_PARTICIPANTS, targets[TABLE])
    pairs = zip(event.key_ids, probes, strict=True)
    return [(text, {"key": str(key), "probe": probe, "erased": ERASED_TEXT}) for key, probe in pairs]


HANDLERS: dict[type, Handler] = {
    User.PersonalDataErased: _erased,
    CourtBooking.Registered: _registered,
    CourtBooking.Revised: _revised,
    CourtBooking.Reactivated: _revised,
    CourtBooking.Canceled: _canceled,
}


def row_statements(event: DomainEventProtocol[Any], position: int, table: str) -> list[Statement]:
    """The row changes that one event makes to the view in `table`; none for events of other aggregates."""
    return changes_of(HANDLERS, event, position, {TABLE: table})


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

    name = "court_bookings"
    tables = (COURT_BOOKINGS,)
    handlers = HANDLERS

    @property
    def rows_table(self) -> sql.Identifier:
        return self.table(TABLE)

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
