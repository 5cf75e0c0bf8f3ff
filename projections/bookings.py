"""The bookings and orders views: bookings by user, event and order, general enough for the query API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg.types.json import Jsonb

from domain.booking import Booking
from domain.coach_event import CoachEvent
from domain.order import Order
from domain.user import User
from projections.personal_data import ERASED_TEXT
from projections.rows import Statement, insert_row, query_text, update_rows
from projections.tables import Handler, Table, Targets, TrackedView

BOOKINGS = Table(
    "bookings",
    columns={
        "booking_id": "uuid PRIMARY KEY",
        "client_id": "uuid NOT NULL",
        "order_id": "uuid NOT NULL",
        "user_id": "uuid NOT NULL",
        "coach_id": "uuid NOT NULL",
        "event_id": "uuid NOT NULL",
        "sport_id": "uuid NOT NULL",
        "start_at": "timestamptz NOT NULL",
        "end_at": "timestamptz NOT NULL",
        "status": "text NOT NULL",
        "event_status": "text NOT NULL",
        "completed": "boolean NOT NULL",
        "note": "text",
        "canceled_at": "timestamptz",
        "canceled_by_role": "text",
        "cancellation_reason_code": "text",
        "cancellation_reason_text": "text",
        "dismissed": "boolean NOT NULL",
        "timeslot": "jsonb NOT NULL",
        "created_at": "timestamptz NOT NULL",
        "updated_at": "timestamptz NOT NULL",
        "version": "integer NOT NULL",
        "position": "bigint NOT NULL",
    },
    indexes={
        "by_user": "(user_id, start_at, booking_id)",
        "by_event": "(event_id, start_at, booking_id)",
        "by_order": "(order_id)",
    },
)
ORDERS = Table(
    "orders",
    columns={
        "order_id": "uuid PRIMARY KEY",
        "client_id": "uuid NOT NULL",
        "user_id": "uuid NOT NULL",
        "payment_status": "text NOT NULL",
        "created_at": "timestamptz NOT NULL",
        "position": "bigint NOT NULL",
    },
    indexes={"by_user": "(user_id, created_at, order_id)"},
)


def _requested(event: Booking.Requested, position: int, targets: Targets) -> list[Statement]:
    values = {
        "booking_id": event.originator_id, "client_id": event.client_id, "order_id": event.order_id,
        "user_id": event.user_id, "coach_id": event.coach_id, "event_id": event.event_id,
        "sport_id": event.sport_id, "start_at": event.start_at, "end_at": event.end_at,
        "status": "Pending",
        "event_status": "Active", "completed": False, "note": None, "canceled_at": None,
        "canceled_by_role": None, "cancellation_reason_code": None, "cancellation_reason_text": None,
        "dismissed": False, "timeslot": Jsonb(event.timeslot), "created_at": event.recorded_at,
        "updated_at": event.recorded_at, "version": event.originator_version, "position": position,
    }  # fmt: skip
    return [insert_row(targets["bookings"], values)]


def _booking_change(columns: Callable[[Any], dict[str, Any]]) -> Handler:
    """The handler of a lifecycle event: its `columns`, with the booking's new version and position."""

    def handle(event: Any, position: int, targets: Targets) -> list[Statement]:
        values = {
            **columns(event),
            "updated_at": event.recorded_at,
            "version": event.originator_version,
            "position": position,
        }
        return [update_rows(targets["bookings"], "booking_id", event.originator_id, values)]

    return handle


def _event_canceled(event: CoachEvent.Canceled, position: int, targets: Targets) -> list[Statement]:
    return [update_rows(targets["bookings"], "event_id", event.originator_id, {"event_status": "Canceled"})]


def _order_placed(event: Order.Placed, position: int, targets: Targets) -> list[Statement]:
    values = {
        "order_id": event.originator_id, "client_id": event.client_id, "user_id": event.user_id,
        "payment_status": event.payment_status, "created_at": event.recorded_at, "position": position,
    }  # fmt: skip
    return [insert_row(targets["orders"], values)]


def _payment_settled(event: Order.PaymentSettled, position: int, targets: Targets) -> list[Statement]:
    values = {"payment_status": event.status, "position": position}
    return [update_rows(targets["orders"], "order_id", event.originator_id, values)]


_ERASE_TEXTS = """UPDATE {} SET note = CASE WHEN note IS NULL THEN NULL ELSE %(erased)s::text END,
    cancellation_reason_text = CASE WHEN cancellation_reason_text IS NULL THEN NULL ELSE %(erased)s::text END
WHERE user_id = %(user)s AND (note IS NOT NULL OR cancellation_reason_text IS NOT NULL)"""


def _user_erased(event: User.PersonalDataErased, position: int, targets: Targets) -> list[Statement]:
    """A booking's free texts are its user's personal data: they read as erased, as its events now do."""
    params = {"user": event.originator_id, "erased": ERASED_TEXT}
    return [(query_text(_ERASE_TEXTS, targets["bookings"]), params)]


HANDLERS: dict[type, Handler] = {
    User.PersonalDataErased: _user_erased,
    Booking.Requested: _requested,
    Booking.Accepted: _booking_change(lambda e: {"status": "Accepted"}),
    Booking.Rejected: _booking_change(lambda e: {"status": "Rejected"}),
    Booking.Canceled: _booking_change(
        lambda e: {
            "status": "Canceled",
            "canceled_at": e.recorded_at,
            "canceled_by_role": e.role,
            "cancellation_reason_code": e.reason_code,
            "cancellation_reason_text": e.reason_text,
        }
    ),
    Booking.CompletionMarked: _booking_change(lambda e: {"completed": e.completed}),
    Booking.NoteWritten: _booking_change(lambda e: {"note": e.note}),
    Booking.Dismissed: _booking_change(lambda e: {"dismissed": True}),
    Booking.Disputed: _booking_change(lambda e: {"status": "InDispute"}),
    Booking.DisputeResolved: _booking_change(lambda e: {"status": "DisputeDone"}),
    CoachEvent.Canceled: _event_canceled,
    Order.Placed: _order_placed,
    Order.PaymentSettled: _payment_settled,
}


class BookingsView(TrackedView):
    """The bookings and orders tables with their tracking position."""

    name = "bookings"
    tables = (BOOKINGS, ORDERS)
    handlers = HANDLERS

    def _select(
        self, where: sql.Composable, params: dict[str, Any], client_id: UUID | None
    ) -> list[dict[str, Any]]:
        """Rows matching `where`, serviceCardinality counted among the bookings of `client_id` (None: all).

        serviceCardinality is the booking's ordinal among the user's non-cancelled bookings with that coach
        that the caller may see, so bookings made through other clients neither count nor show through it.
        """
        seen = sql.SQL("")
        if client_id is not None:
            seen = sql.SQL(" AND b.client_id = %(client)s")
            params = {**params, "client": client_id}
        query = sql.SQL(
            "SELECT * FROM (SELECT b.*, CASE WHEN b.status <> 'Canceled' THEN row_number() OVER ("
            "PARTITION BY b.user_id, b.coach_id, b.status <> 'Canceled' ORDER BY b.start_at, b.booking_id) "
            "END AS service_cardinality FROM {bookings} b WHERE b.user_id IN ("
            "SELECT user_id FROM {bookings} WHERE {where}){seen}) ranked "
            "WHERE {where} ORDER BY start_at, booking_id"
        ).format(bookings=self.table("bookings"), where=where, seen=seen)
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(query, params)
            return list(curs.fetchall())

    def bookings_by_user(
        self, client_id: UUID | None, user_id: UUID, start_at: datetime | None, end_at: datetime | None
    ) -> list[dict[str, Any]]:
        """The user's bookings that are not dismissed, optionally overlapping [start_at, end_at)."""
        clauses: list[sql.Composable] = [sql.SQL("user_id = %(user)s"), sql.SQL("NOT dismissed")]
        params: dict[str, Any] = {"user": user_id}
        self._window(clauses, params, start_at, end_at)
        self._client(clauses, params, client_id)
        return self._select(sql.SQL(" AND ").join(clauses), params, client_id)

    def bookings_by_event(
        self, client_id: UUID | None, event_id: UUID, start_at: datetime | None, end_at: datetime | None
    ) -> list[dict[str, Any]]:
        clauses: list[sql.Composable] = [sql.SQL("event_id = %(event)s")]
        params: dict[str, Any] = {"event": event_id}
        self._window(clauses, params, start_at, end_at)
        self._client(clauses, params, client_id)
        return self._select(sql.SQL(" AND ").join(clauses), params, client_id)

    def bookings_by_ids(self, client_id: UUID | None, booking_ids: list[UUID]) -> list[dict[str, Any]]:
        """The bookings with these ids, serviceCardinality as `client_id` sees it (None: every client)."""
        return self._select(sql.SQL("booking_id = ANY(%(ids)s)"), {"ids": booking_ids}, client_id)

    def orders_by_user(
        self, client_id: UUID | None, user_id: UUID, start_at: datetime | None, end_at: datetime | None
    ) -> list[dict[str, Any]]:
        """The user's orders created in [start_at, end_at), each with its bookings, in two queries."""
        clauses: list[sql.Composable] = [sql.SQL("user_id = %(user)s")]
        params: dict[str, Any] = {"user": user_id}
        if start_at is not None:
            clauses.append(sql.SQL("created_at >= %(start_at)s"))
            params["start_at"] = start_at
        if end_at is not None:
            clauses.append(sql.SQL("created_at < %(end_at)s"))
            params["end_at"] = end_at
        self._client(clauses, params, client_id)
        query = sql.SQL("SELECT * FROM {} WHERE {} ORDER BY created_at, order_id").format(
            self.table("orders"), sql.SQL(" AND ").join(clauses)
        )
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(query, params)
            orders = list(curs.fetchall())
        rows = self._select(
            sql.SQL("order_id = ANY(%(orders)s)"),
            {"orders": [order["order_id"] for order in orders]},
            client_id,
        )
        for order in orders:
            order["bookings"] = [row for row in rows if row["order_id"] == order["order_id"]]
        return orders

    @staticmethod
    def _window(
        clauses: list[sql.Composable], params: dict[str, Any], start: datetime | None, end: datetime | None
    ) -> None:
        if start is not None:
            clauses.append(sql.SQL("end_at > %(start_at)s"))
            params["start_at"] = start
        if end is not None:
            clauses.append(sql.SQL("start_at < %(end_at)s"))
            params["end_at"] = end

    @staticmethod
    def _client(clauses: list[sql.Composable], params: dict[str, Any], client_id: UUID | None) -> None:
        if client_id is not None:
            clauses.append(sql.SQL("client_id = %(client)s"))
            params["client"] = client_id
