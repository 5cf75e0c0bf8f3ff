"""Queries of the bookings query view: an organisation's bookings filtered by any field of the document."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from uuid import UUID

from psycopg import sql

from projections.booking_facts import DOCUMENT_FIELDS, document_instant

FilterValue = str | bool | int | Decimal | UUID | date | datetime
"""A filter's value, typed as its field is: a UUID for a `uuid` field given a UUID (any other text of such a
field is kept as a string, which no booking has), a bool, a number, a date, an aware datetime, or a string."""

# Fields served by a B-tree index that leads with the organisation (and the primary key); a filter on any
# other field is a containment test on the document, served by its GIN index.
COLUMN_FILTERS: dict[str, tuple[str, type]] = {
    "bookingId": ("booking_id", UUID),
    "eventId": ("event_id", UUID),
    "memberId": ("member_id", UUID),
    "date": ("local_date", date),
    "start": ("start_at", datetime),
}
ORDER = sql.SQL("ORDER BY start_at, booking_id")


@dataclass(frozen=True)
class FieldFilter:
    """Bookings whose document has `value` in `field`."""

    field: str
    value: FilterValue

    def __post_init__(self) -> None:
        if self.field not in DOCUMENT_FIELDS:
            raise ValueError(f"{self.field!r} is not a field of the booking document.")


@dataclass(frozen=True)
class BookingQuery:
    """A page of an organisation's bookings matching every filter, ordered by start then bookingId."""

    organisation_id: UUID
    filters: tuple[FieldFilter, ...] = ()
    limit: int = 100
    offset: int = 0


def _json_value(value: FilterValue) -> tuple[object, str]:
    """The value as the document holds it, and the SQL type that makes it that JSON type."""
    if isinstance(value, bool):
        return value, "boolean"
    if isinstance(value, int | Decimal):
        return value, "numeric"
    if isinstance(value, datetime):
        return document_instant(value), "text"
    if isinstance(value, date):
        return value.isoformat(), "text"
    return str(value), "text"


def where_clause(query: BookingQuery) -> tuple[sql.Composable, list[object]]:
    """The WHERE clause of the query (the organisation's, with every filter) and its parameters."""
    clauses: list[sql.Composable] = [sql.SQL("organisation_id = %s")]
    parameters: list[object] = [query.organisation_id]
    contained: list[sql.Composable] = []
    contained_parameters: list[object] = []
    for where in query.filters:
        column = COLUMN_FILTERS.get(where.field)
        if column is not None and type(where.value) is column[1]:
            clauses.append(sql.SQL("{} = %s").format(sql.Identifier(column[0])))
            parameters.append(where.value)
            continue
        value, kind = _json_value(where.value)
        contained.append(sql.SQL("%s::text, %s::{}").format(sql.SQL(kind)))
        contained_parameters.extend([where.field, value])
    if contained:
        clauses.append(sql.SQL("document @> jsonb_build_object({})").format(sql.SQL(", ").join(contained)))
    return sql.SQL(" AND ").join(clauses), [*parameters, *contained_parameters]


def page_query(table: sql.Composable, query: BookingQuery) -> tuple[sql.Composed, list[object]]:
    where, parameters = where_clause(query)
    statement = sql.SQL("SELECT member_id, document FROM {} WHERE {} {} LIMIT %s OFFSET %s").format(
        table, where, ORDER
    )
    return statement, [*parameters, query.limit, query.offset]


def count_query(table: sql.Composable, query: BookingQuery) -> tuple[sql.Composed, list[object]]:
    where, parameters = where_clause(query)
    return sql.SQL("SELECT count(*) AS n FROM {} WHERE {}").format(table, where), parameters
