"""What the console reads of the bookings query view: places by parent, a venue's bookings, one booking."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from psycopg import sql

from projections.analytics_tables import BOOKINGS, PLACES
from projections.tables import TrackedView


@dataclass(frozen=True)
class Place:
    """An organisation (no parent), a venue (its organisation) or a court (its venue)."""

    id: UUID
    parent_id: UUID | None
    name: str
    timezone: str | None


@dataclass(frozen=True)
class BookingBlock:
    """One booking as the calendar draws it."""

    booking_id: UUID
    organisation_id: UUID | None
    source: str
    status: str
    user_status: str
    start_at: datetime
    end_at: datetime
    local_date: date
    resource_id: UUID | None
    venue_id: UUID | None
    price: Decimal | None
    currency: str | None


_PLACE = "SELECT place_id, parent_id, name, timezone FROM {places} "
_BLOCK = (
    "SELECT booking_id, organisation_id, source, status, user_status, start_at, end_at, local_date, "
    "resource_id, venue_id, price, currency FROM {bookings} "
)


def _place(row: dict[str, object]) -> Place:
    name = row["name"] or str(row["place_id"])
    timezone = row["timezone"]
    return Place(
        row["place_id"],  # type: ignore[arg-type]
        row["parent_id"],  # type: ignore[arg-type]
        str(name),
        str(timezone) if timezone else None,
    )


class ConsoleReads:
    """Reads of the view for the console's pages; each is one indexed query."""

    def __init__(self, view: TrackedView) -> None:
        self._view = view
        self._tables = {"places": view.table(PLACES), "bookings": view.table(BOOKINGS)}

    def _rows(self, template: str, parameters: Iterable[object]) -> list[dict[str, object]]:
        statement = sql.SQL(template).format(**self._tables)
        with self._view.datastore.transaction(commit=False) as curs:
            curs.execute(statement, list(parameters))
            return [dict(row) for row in curs.fetchall()]

    def places(self, ids: Iterable[UUID]) -> list[Place]:
        rows = self._rows(_PLACE + "WHERE place_id = ANY(%s) ORDER BY name, place_id", [list(ids)])
        return [_place(row) for row in rows]

    def organisations(self) -> list[Place]:
        """Every organisation; for the admin, whom no grant limits."""
        rows = self._rows(_PLACE + "WHERE parent_id IS NULL ORDER BY name, place_id LIMIT 1000", [])
        return [_place(row) for row in rows]

    def children(self, parent_id: UUID) -> list[Place]:
        """The venues of an organisation, or the courts of a venue, by name."""
        rows = self._rows(_PLACE + "WHERE parent_id = %s ORDER BY name, place_id LIMIT 1000", [parent_id])
        return [_place(row) for row in rows]

    def venue_bookings(
        self, organisation_id: UUID, venue_id: UUID, first: date, last: date
    ) -> list[BookingBlock]:
        """The venue's bookings whose local date is from `first` to `last`, in order of start."""
        rows = self._rows(
            _BLOCK + "WHERE organisation_id = %s AND local_date BETWEEN %s AND %s AND venue_id = %s "
            "ORDER BY start_at, booking_id LIMIT 20000",
            [organisation_id, first, last, venue_id],
        )
        return [BookingBlock(**row) for row in rows]  # type: ignore[arg-type]

    def booking(self, booking_id: UUID) -> BookingBlock | None:
        rows = self._rows(_BLOCK + "WHERE booking_id = %s", [booking_id])
        return BookingBlock(**rows[0]) if rows else None  # type: ignore[arg-type]
