"""The resource-bookings view: one row per booking of a resource, listed by client, resource, user, date."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import sql

from domain.resource_booking import CANCELLED, CONFIRMED, EXPIRED, PENDING, ResourceBooking
from projections.rows import Statement, insert_row, update_rows
from projections.tables import Handler, Table, Targets, TrackedView

TABLE = "resource_bookings"
RESOURCE_BOOKINGS = Table(
    TABLE,
    columns={
        "booking_id": "uuid PRIMARY KEY",
        "number": "bigint NOT NULL",
        "reference_code": "text NOT NULL",
        "client_id": "uuid NOT NULL",
        "user_id": "uuid NOT NULL",
        "resource_id": "uuid NOT NULL",
        "venue_id": "uuid NOT NULL",
        "organization_id": "uuid NOT NULL",
        "start_at": "timestamptz NOT NULL",
        "end_at": "timestamptz NOT NULL",
        "local_date": "date NOT NULL",
        "status": "text NOT NULL",
        "participant_count": "integer NOT NULL",
        "total_price": "numeric NOT NULL",
        "currency": "text NOT NULL",
        "created_at": "timestamptz NOT NULL",
        "updated_at": "timestamptz NOT NULL",
        "version": "integer NOT NULL",
        "position": "bigint NOT NULL",
    },
    indexes={
        "by_client_start": "(client_id, start_at, booking_id)",
        "by_client_resource_start": "(client_id, resource_id, start_at, booking_id)",
        "by_client_user_start": "(client_id, user_id, start_at, booking_id)",
        "by_client_local_date": "(client_id, local_date, start_at, booking_id)",
    },
)
COLUMNS = tuple(RESOURCE_BOOKINGS.columns)


def local_start_date(reference_code: str, start: datetime) -> date:
    """The venue's date of the booking's start, which its reference code records (`BK-<YYMMDD>-...`).

    The event holds the start in UTC only; the venue's date is at most a day either side of the UTC date,
    so the one of those three whose YYMMDD the code shows is it.
    """
    shown = reference_code.split("-")[1]
    utc_date = start.date()
    candidates = (utc_date, utc_date - timedelta(days=1), utc_date + timedelta(days=1))
    return next((day for day in candidates if f"{day:%y%m%d}" == shown), utc_date)


def _requested(event: ResourceBooking.Requested, position: int, targets: Targets) -> list[Statement]:
    values = {
        "booking_id": event.originator_id, "number": event.number, "reference_code": event.reference_code,
        "client_id": event.client_id, "user_id": event.user_id, "resource_id": event.resource_id,
        "venue_id": event.venue_id, "organization_id": event.organization_id, "start_at": event.start,
        "end_at": event.end, "local_date": local_start_date(event.reference_code, event.start),
        "status": PENDING, "participant_count": event.participant_count,
        "total_price": Decimal(event.total_price), "currency": event.currency,
        "created_at": event.recorded_at, "updated_at": event.recorded_at,
        "version": event.originator_version, "position": position,
    }  # fmt: skip
    return [insert_row(targets[TABLE], values)]


def _becomes(status: str) -> Handler:
    """The handler of an event that moves a booking to `status`."""

    def handle(event: Any, position: int, targets: Targets) -> list[Statement]:
        values = {
            "status": status,
            "updated_at": event.recorded_at,
            "version": event.originator_version,
            "position": position,
        }
        return [update_rows(targets[TABLE], "booking_id", event.originator_id, values)]

    return handle


HANDLERS: dict[type, Handler] = {
    ResourceBooking.Requested: _requested,
    ResourceBooking.Confirmed: _becomes(CONFIRMED),
    ResourceBooking.Cancelled: _becomes(CANCELLED),
    ResourceBooking.Expired: _becomes(EXPIRED),
}


@dataclass(frozen=True)
class ResourceBookingFilter:
    """Which of a client's bookings a list shows; dates are the venue's dates of the bookings' starts."""

    client_id: UUID
    status: str | None = None
    resource_id: UUID | None = None
    user_id: UUID | None = None
    first_date: date | None = None
    last_date: date | None = None


class ResourceBookingsView(TrackedView):
    """The resource_bookings table and its tracking position."""

    name = "resource_bookings"
    tables = (RESOURCE_BOOKINGS,)
    handlers = HANDLERS

    def list_resource_bookings(
        self, where: ResourceBookingFilter, limit: int, offset: int
    ) -> list[dict[str, Any]]:
        """One page of the client's bookings ordered by (start, id); each filter has an index after client."""
        clauses = [sql.SQL("client_id = %(client)s")]
        params: dict[str, Any] = {"client": where.client_id, "limit": limit, "offset": offset}
        optional = (
            (sql.SQL("status = %(status)s"), "status", where.status),
            (sql.SQL("resource_id = %(resource)s"), "resource", where.resource_id),
            (sql.SQL("user_id = %(user)s"), "user", where.user_id),
            (sql.SQL("local_date >= %(first_date)s"), "first_date", where.first_date),
            (sql.SQL("local_date <= %(last_date)s"), "last_date", where.last_date),
        )
        for clause, name, value in optional:
            if value is not None:
                clauses.append(clause)
                params[name] = value
        query = sql.SQL(
            "SELECT {} FROM {} WHERE {} ORDER BY start_at, booking_id LIMIT %(limit)s OFFSET %(offset)s"
        ).format(
            sql.SQL(", ").join(map(sql.Identifier, COLUMNS)),
            self.table(TABLE),
            sql.SQL(" AND ").join(clauses),
        )
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(query, params)
            return list(curs.fetchall())
