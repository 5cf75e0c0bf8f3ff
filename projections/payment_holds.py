"""The payment holds view: bookings that must be paid by a deadline, found by it without a scan."""

from __future__ import annotations

import functools
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import sql

from domain.resource_booking import ResourceBooking
from projections.rows import Statement, insert_row
from projections.tables import Handler, Table, Targets, TrackedView

PAYMENT_HOLDS = Table(
    "payment_holds",
    columns={
        "booking_id": "uuid PRIMARY KEY",
        "due_by": "timestamptz NOT NULL",
        "position": "bigint NOT NULL",
    },
    indexes={"by_due": "(due_by, booking_id)"},
)


@functools.cache
def _delete_sql(table: str) -> str:
    return sql.SQL("DELETE FROM {} WHERE booking_id = %(booking_id)s").format(sql.SQL(table)).as_string()


def _due(event: ResourceBooking.PaymentDue, position: int, targets: Targets) -> list[Statement]:
    values = {"booking_id": event.originator_id, "due_by": event.due_by, "position": position}
    return [insert_row(targets["payment_holds"], values)]


def _settled(event: Any, position: int, targets: Targets) -> list[Statement]:
    """A booking confirmed (paid or by an operator), cancelled or expired no longer waits for payment."""
    return [(_delete_sql(targets["payment_holds"]), {"booking_id": event.originator_id})]


HANDLERS: dict[type, Handler] = {
    ResourceBooking.PaymentDue: _due,
    ResourceBooking.Confirmed: _settled,
    ResourceBooking.Cancelled: _settled,
    ResourceBooking.Expired: _settled,
}


class PaymentHoldsView(TrackedView):
    """Pending bookings with their payment deadline, while they still wait for payment."""

    name = "payment_holds"
    tables = (PAYMENT_HOLDS,)
    handlers = HANDLERS

    def due(self, now: datetime, limit: int) -> list[UUID]:
        """Up to `limit` bookings whose deadline is at or before `now`, the longest overdue first."""
        query = sql.SQL(
            "SELECT booking_id FROM {} WHERE due_by <= %(now)s ORDER BY due_by, booking_id LIMIT %(limit)s"
        ).format(self.table("payment_holds"))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(query, {"now": now, "limit": limit})
            return [row["booking_id"] for row in curs.fetchall()]
