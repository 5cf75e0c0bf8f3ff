"""A destination's delivery log, as its client reads it: every queued delivery with its attempts, newest
first; and the pruning of what the feed's retention has let go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from ledger.webhooks.store import Cursor, Tables
from projections.changes.view import ChangesView

LOG = (
    "SELECT o.delivery_id, o.position, o.part, o.event_type, o.redelivery, o.created_at, "
    "CASE WHEN a.status IS NULL THEN 'pending' WHEN a.status = 'failed' THEN 'retrying' ELSE a.status END "
    "AS status, coalesce(a.attempts, 0) AS attempts, a.last_response_code, a.last_error, a.last_attempt_at, "
    "a.delivered_at, CASE WHEN a.status = 'failed' THEN l.next_attempt_at END AS next_attempt_at "
    "FROM {o} o LEFT JOIN {a} a ON a.destination_id = o.destination_id AND a.position = o.position "
    "AND a.part = o.part LEFT JOIN {l} l ON l.destination_id = o.destination_id "
    "WHERE o.destination_id = %(id)s AND (o.position, o.part) < (%(position)s, %(part)s) "
    "ORDER BY o.position DESC, o.part DESC LIMIT %(limit)s"
)
QUEUED = "SELECT 1 FROM {o} WHERE delivery_id = %(delivery)s AND destination_id = %(id)s LIMIT 1"
PRUNE = (
    # Deliveries done, from before the feed's horizon, go with the changes they carried.
    "WITH done AS (DELETE FROM {o} o USING {l} l WHERE o.destination_id = l.destination_id "
    "AND o.position <= %(horizon)s AND (o.position, o.part) <= (l.delivered_position, l.delivered_part)) "
    "DELETE FROM {a} a USING {l} l WHERE a.destination_id = l.destination_id AND a.position <= %(horizon)s "
    "AND (a.position, a.part) <= (l.delivered_position, l.delivered_part)"
)
FORGET = (
    # The state of destinations that are gone (a deleted subscription).
    "WITH lanes AS (DELETE FROM {l} WHERE destination_id NOT IN (SELECT destination_id FROM {d})) "
    "DELETE FROM {a} WHERE destination_id NOT IN (SELECT destination_id FROM {d})"
)
NEWEST: Cursor = (2**63 - 1, 0)


@dataclass(frozen=True)
class LoggedDelivery:
    """One delivery of a destination and where it stands."""

    delivery_id: UUID
    position: int
    part: int
    event_type: str
    redelivery: bool
    created_at: datetime
    status: str
    attempts: int
    last_response_code: int | None
    last_error: str | None
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    next_attempt_at: datetime | None

    @property
    def cursor(self) -> Cursor:
        return self.position, self.part


class DeliveryLog:
    """Reads and prunes the delivery log on the runtime's connection pool."""

    def __init__(self, view: ChangesView) -> None:
        self.view = view
        tables = Tables.of(view)
        self._sql = {name: tables.query(text) for name, text in {"log": LOG, "queued": QUEUED}.items()}
        self._prune = [tables.query(PRUNE), tables.query(FORGET)]

    def deliveries(self, destination_id: UUID, before: Cursor | None, limit: int) -> list[LoggedDelivery]:
        """Up to `limit` deliveries before `before` (None: the newest), newest first; one indexed range."""
        at = before or NEWEST
        params = {"id": destination_id, "position": at[0], "part": at[1], "limit": limit}
        return [LoggedDelivery(**row) for row in self._rows("log", params)]

    def has_delivery(self, destination_id: UUID, delivery_id: UUID) -> bool:
        return bool(self._rows("queued", {"id": destination_id, "delivery": delivery_id}))

    def prune(self) -> None:
        """Forget deliveries done before the feed's horizon, and the lanes of destinations that are gone."""
        horizon = self.view.horizon()
        with self.view.datastore.transaction(commit=True) as curs:
            curs.execute(self._prune[0], {"horizon": horizon})
            curs.execute(self._prune[1])

    def _rows(self, name: str, params: dict[str, Any]) -> list[dict[str, Any]]:
        with self.view.datastore.transaction(commit=False) as curs:
            curs.execute(self._sql[name], params, prepare=True)
            return list(curs.fetchall())
