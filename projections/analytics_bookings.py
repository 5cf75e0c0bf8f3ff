"""The bookings query view: one row per booking of every kind, filtered by any field, with its counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from domain.ids import member_profile_id
from projections.analytics_erasure import ERASURE_HANDLERS
from projections.analytics_opening_hours import OPENING_HOURS_HANDLERS, OPENING_HOURS_TABLE
from projections.analytics_queries import BookingQuery, count_query, page_query
from projections.analytics_references import REFERENCE_HANDLERS
from projections.analytics_tables import BOOKINGS, COUNTS, PROFILES, TABLES
from projections.analytics_writes import change_statements
from projections.booking_facts import BookingKind
from projections.booking_kinds import KINDS
from projections.rows import Statement
from projections.tables import Handler, Targets, TrackedView


def kind_handler(kind: BookingKind) -> Handler:
    """The view's handler of a kind's events: the kind's mapping, written as every kind's is."""

    def handle(event: Any, position: int, targets: Targets) -> list[Statement]:
        change = kind.change(event)
        return [] if change is None else change_statements(change, position, targets)

    return handle


def kind_handlers(kinds: Iterable[BookingKind]) -> dict[type, Handler]:
    """Event class -> handler, for every event of every kind; an event class belongs to one kind only."""
    handlers: dict[type, Handler] = {}
    for kind in kinds:
        for event_class in kind.events:
            if event_class in handlers:
                raise ValueError(f"{event_class.__qualname__} belongs to two kinds of booking.")
            handlers[event_class] = kind_handler(kind)
    return handlers


@dataclass(frozen=True)
class BookingsPage:
    """One page of documents, the total of the query's bookings, and the page's members' profile values."""

    documents: list[dict[str, Any]]
    total: int
    profiles: dict[UUID, dict[str, str]]
    """Member (user) id -> the profile values they have in the organisation."""


class AnalyticsBookingsView(TrackedView):
    """Every booking of every kind as the query API's booking document, with the references it resolves."""

    name = "analytics_bookings"
    tables = (*TABLES, OPENING_HOURS_TABLE)
    handlers = {**REFERENCE_HANDLERS, **OPENING_HOURS_HANDLERS, **ERASURE_HANDLERS, **kind_handlers(KINDS)}

    def read_page(self, query: BookingQuery) -> BookingsPage:
        """The page, its total and its profiles: three queries on one snapshot, whatever the page's size.

        Without filters, the total is the organisation's counter; with filters, a count over the indexes.
        """
        with self.datastore.transaction(commit=False) as curs:
            curs.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            statement, parameters = page_query(self.table(BOOKINGS), query)
            curs.execute(statement, parameters)
            rows = curs.fetchall()
            total = self._total(curs, query)
            members = {row["member_id"] for row in rows if row["member_id"] is not None}
            profiles = self._profiles(curs, query.organisation_id, members)
        return BookingsPage([row["document"] for row in rows], total, profiles)

    def _total(self, curs: Cursor[DictRow], query: BookingQuery) -> int:
        if query.filters:
            statement, parameters = count_query(self.table(BOOKINGS), query)
            curs.execute(statement, parameters)
        else:
            counter = sql.SQL("SELECT bookings AS n FROM {} WHERE organisation_id = %s")
            curs.execute(counter.format(self.table(COUNTS)), [query.organisation_id])
        row = curs.fetchone()
        return int(row["n"]) if row else 0

    def _profiles(
        self, curs: Cursor[DictRow], organisation_id: UUID, members: set[UUID]
    ) -> dict[UUID, dict[str, str]]:
        if not members:
            return {}
        ids = [member_profile_id(organisation_id, member) for member in members]
        curs.execute(
            sql.SQL("SELECT user_id, field_values FROM {} WHERE profile_id = ANY(%s)").format(
                self.table(PROFILES)
            ),
            [ids],
        )
        return {row["user_id"]: dict(row["field_values"]) for row in curs.fetchall()}
