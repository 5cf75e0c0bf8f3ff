"""Summaries of the bookings query view over a period: utilisation by place or time; bookings, lead times."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from uuid import UUID

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections.analytics_opening_hours import OPENING_HOURS
from projections.analytics_tables import BOOKINGS, PLACES
from projections.tables import TrackedView

MAX_PERIOD_DAYS = 366
# Member statuses of bookings that no longer hold their time; the others (pending, confirmed, disputed) do.
RELEASED = ("cancelled", "rejected", "expired")
CANCELLED = "cancelled"
# Revenue is what confirmed bookings cost: a pending one is not paid yet, a released one not at all.
EARNING = "confirmed"
# Each grouping's key over the bookings (b) and over the open days of resources with hours (h, d).
UTILISATION_KEYS: dict[str, tuple[str, str]] = {
    "resource": ("b.resource_id", "h.resource_id"),
    "venue": ("b.venue_id", "h.venue_id"),
    "day": ("b.local_date", "d::date"),
    "week": ("date_trunc('week', b.local_date)::date", "date_trunc('week', d)::date"),
}
# The console's heatmap: one group per resource and week, keyed `<resource id>/<Monday>`.
RESOURCE_WEEK = "resource-week"
GRID_KEYS: dict[str, tuple[str, str]] = {
    RESOURCE_WEEK: (
        "concat_ws('/', b.resource_id, date_trunc('week', b.local_date)::date)",
        "concat_ws('/', h.resource_id, date_trunc('week', d)::date)",
    )
}
BOOKINGS_KEYS: dict[str, str] = {"source": "b.source", "status": "b.user_status", "day": "b.local_date"}
PLACE_GROUPINGS = ("resource", "venue")
TIME_GROUPINGS = ("day", "week")
# The period's bookings: served by the (organisation_id, local_date, ...) index.
_BOOKED = """
SELECT {key} AS key, b.currency,
    count(*) FILTER (WHERE held) AS bookings,
    count(*) FILTER (WHERE b.user_status = %(cancelled)s) AS cancellations,
    COALESCE(sum(minutes) FILTER (WHERE held), 0)::bigint AS booked,
    COALESCE(sum(minutes) FILTER (WHERE held AND h.resource_id IS NOT NULL), 0)::bigint AS booked_open,
    sum(b.price) FILTER (WHERE b.user_status = %(earning)s) AS revenue
FROM {bookings} b
CROSS JOIN LATERAL (SELECT b.user_status <> ALL(%(released)s) AS held,
    floor(EXTRACT(epoch FROM b.end_at - b.start_at) / 60)::bigint AS minutes) m
LEFT JOIN {hours} h ON h.resource_id = b.resource_id
WHERE b.organisation_id = %(organisation)s AND b.local_date BETWEEN %(first)s AND %(last)s
GROUP BY 1, 2
"""
_AVAILABLE = """
SELECT {key} AS key, sum(h.weekday_minutes[EXTRACT(isodow FROM d)::int]) AS available
FROM {hours} h CROSS JOIN generate_series(%(first)s::date, %(last)s::date, interval '1 day') AS days(d)
WHERE h.organisation_id = %(organisation)s
GROUP BY 1
"""
_LEAD_TIMES = """
SELECT {key} AS key, count(*) AS bookings,
    percentile_cont(0.5) WITHIN GROUP (ORDER BY EXTRACT(epoch FROM b.start_at - b.created_at) / 60) AS p50,
    percentile_cont(0.9) WITHIN GROUP (ORDER BY EXTRACT(epoch FROM b.start_at - b.created_at) / 60) AS p90
FROM {bookings} b
WHERE b.organisation_id = %(organisation)s AND b.local_date BETWEEN %(first)s AND %(last)s
GROUP BY 1
"""


@dataclass(frozen=True)
class PeriodQuery:
    """An organisation's bookings whose local date is from `first` to `last` (both included), grouped."""

    organisation_id: UUID
    first: date
    last: date
    group_by: str

    def __post_init__(self) -> None:
        if not 0 <= (self.last - self.first).days < MAX_PERIOD_DAYS:
            raise ValueError(f"A period runs forwards over at most {MAX_PERIOD_DAYS} days.")

    @property
    def parameters(self) -> dict[str, Any]:
        return {
            "organisation": self.organisation_id,
            "first": self.first,
            "last": self.last,
            "released": list(RELEASED),
            "cancelled": CANCELLED,
            "earning": EARNING,
        }

    def days(self) -> Iterator[date]:
        for offset in range((self.last - self.first).days + 1):
            yield self.first + timedelta(days=offset)


@dataclass
class UtilisationGroup:
    """One group's booked time, bookings, cancellations and revenue; its open time where hours are known."""

    key: str | None
    name: str | None = None
    booked_minutes: int = 0
    bookings: int = 0
    cancellations: int = 0
    revenue: dict[str, Decimal] = field(default_factory=dict)
    available_minutes: int | None = None
    booked_open_minutes: int = 0
    """Booked minutes on resources with known opening hours: what the utilisation ratio sets against them."""

    @property
    def utilisation(self) -> float | None:
        if not self.available_minutes:
            return None
        return round(self.booked_open_minutes / self.available_minutes, 4)


@dataclass(frozen=True)
class LeadTimeGroup:
    """One group's bookings (any status) and their lead times (start minus creation) in minutes."""

    key: str | None
    bookings: int
    lead_p50_minutes: float | None
    lead_p90_minutes: float | None


def _key_text(value: object) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


def _time_keys(query: PeriodQuery) -> list[str]:
    """Every day, or the Monday of every week, of the period: a time grouping lists each, booked or not."""
    if query.group_by == "week":
        return list(dict.fromkeys((day - timedelta(days=day.weekday())).isoformat() for day in query.days()))
    return [day.isoformat() for day in query.days()]


Statement = tuple[sql.Composed, dict[str, Any]]


@dataclass(frozen=True)
class PeriodStatements:
    """The statements that summarise a period, with their parameters."""

    booked: Statement
    available: Statement
    lead_times: Statement


def period_statements(view: TrackedView, query: PeriodQuery) -> PeriodStatements:
    """The period's statements on the view's tables; the keys are those of the query's grouping (when it
    has one for the statement; else the day's)."""
    booked_key, open_key = {**UTILISATION_KEYS, **GRID_KEYS}.get(query.group_by, UTILISATION_KEYS["day"])
    lead_key = BOOKINGS_KEYS.get(query.group_by, BOOKINGS_KEYS["day"])
    tables = {"bookings": view.table(BOOKINGS), "hours": view.table(OPENING_HOURS)}

    def statement(template: str, key: str) -> Statement:
        return sql.SQL(template).format(key=sql.SQL(key), **tables), query.parameters

    return PeriodStatements(
        statement(_BOOKED, booked_key), statement(_AVAILABLE, open_key), statement(_LEAD_TIMES, lead_key)
    )


def _rows(curs: Cursor[DictRow], statement: Statement) -> list[DictRow]:
    curs.execute(*statement)
    return curs.fetchall()


def _read_only(curs: Cursor[DictRow]) -> None:
    curs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")


def read_utilisation(view: TrackedView, query: PeriodQuery) -> list[UtilisationGroup]:
    """The period's groups by resource, venue, day or week, on one snapshot of the view."""
    statements = period_statements(view, query)
    with view.datastore.transaction(commit=False) as curs:
        _read_only(curs)
        booked = _rows(curs, statements.booked)
        available = _rows(curs, statements.available)
        groups: dict[str | None, UtilisationGroup] = {}
        if query.group_by in TIME_GROUPINGS:
            groups = {key: UtilisationGroup(key) for key in _time_keys(query)}
        for row in booked:
            group = groups.setdefault(_key_text(row["key"]), UtilisationGroup(_key_text(row["key"])))
            group.bookings += row["bookings"]
            group.cancellations += row["cancellations"]
            group.booked_minutes += row["booked"]
            group.booked_open_minutes += row["booked_open"]
            if row["currency"] is not None and row["revenue"] is not None:
                group.revenue[row["currency"]] = row["revenue"]
        for row in available:
            group = groups.setdefault(_key_text(row["key"]), UtilisationGroup(_key_text(row["key"])))
            group.available_minutes = int(row["available"])
        if query.group_by in PLACE_GROUPINGS:
            _name_places(curs, view, groups)
    return sorted(groups.values(), key=_place_order if query.group_by in PLACE_GROUPINGS else _time_order)


def _name_places(
    curs: Cursor[DictRow], view: TrackedView, groups: dict[str | None, UtilisationGroup]
) -> None:
    ids = [UUID(key) for key in groups if key is not None]
    statement = sql.SQL("SELECT place_id, name FROM {} WHERE place_id = ANY(%s)").format(view.table(PLACES))
    curs.execute(statement, [ids])
    for row in curs.fetchall():
        groups[str(row["place_id"])].name = row["name"]


def _place_order(group: UtilisationGroup) -> tuple[bool, str, str]:
    # Named places by name; bookings of no place (coach events) last.
    return group.key is None, group.name or "", group.key or ""


def _time_order(group: UtilisationGroup) -> str:
    return group.key or ""


def read_lead_times(view: TrackedView, query: PeriodQuery) -> list[LeadTimeGroup]:
    """The period's bookings by source, member status or day, with lead-time percentiles (interpolated)."""
    with view.datastore.transaction(commit=False) as curs:
        _read_only(curs)
        rows = _rows(curs, period_statements(view, query).lead_times)
    found = {
        _key_text(row["key"]): LeadTimeGroup(
            _key_text(row["key"]), row["bookings"], _minutes(row["p50"]), _minutes(row["p90"])
        )
        for row in rows
    }
    if query.group_by == "day":
        return [found.get(day, LeadTimeGroup(day, 0, None, None)) for day in _time_keys(query)]
    return sorted(found.values(), key=lambda group: (group.key is None, group.key or ""))


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(float(value), 1)
