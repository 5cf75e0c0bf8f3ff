"""The delivery worker's state in PostgreSQL: how far each destination is delivered, and every attempt.

`webhook_lanes` holds, per destination, the last delivery done (its outbox position and part) and, while it
fails, since when and when to try again. `webhook_attempts` is the delivery log: one row per delivery tried,
marked `sending` before the request goes out, so an attempt cut short by a crash is counted and retried.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import sql
from psycopg.rows import dict_row
from psycopg_pool import AsyncConnectionPool

from projections.changes.outbox import DESTINATIONS, OUTBOX
from projections.changes.view import ChangesView

LANES, ATTEMPTS = "webhook_lanes", "webhook_attempts"
Cursor = tuple[int, int]
"""An outbox row's place: its log position and part."""


def _name(schema: str, table: str) -> sql.Identifier:
    return sql.Identifier(schema, table) if schema else sql.Identifier(table)


def table_ddl(schema: str) -> list[sql.Composed]:
    """The worker's tables, created with the schema (they are state, not a view: a rebuild keeps them)."""
    return [
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (destination_id uuid PRIMARY KEY, "
            "delivered_position bigint NOT NULL, delivered_part integer NOT NULL, "
            "next_attempt_at timestamptz, failing_since timestamptz, updated_at timestamptz NOT NULL)"
        ).format(_name(schema, LANES)),
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (destination_id uuid NOT NULL, position bigint NOT NULL, "
            "part integer NOT NULL, delivery_id uuid NOT NULL, status text NOT NULL, "
            "attempts integer NOT NULL, "
            "last_response_code integer, last_error text, first_attempt_at timestamptz NOT NULL, "
            "last_attempt_at timestamptz NOT NULL, delivered_at timestamptz, "
            "PRIMARY KEY (destination_id, position, part))"
        ).format(_name(schema, ATTEMPTS)),
    ]


@dataclass(frozen=True)
class Tables:
    """The quoted names of the tables the worker reads and writes."""

    destinations: str
    outbox: str
    lanes: str
    attempts: str

    @classmethod
    def of(cls, view: ChangesView) -> Tables:
        return cls(
            view.table_sql(DESTINATIONS),
            view.table_sql(OUTBOX),
            view.table_sql(LANES),
            view.table_sql(ATTEMPTS),
        )

    def query(self, template: str) -> str:
        names = {
            "d": self.destinations,
            "o": self.outbox,
            "l": self.lanes,
            "a": self.attempts,
        }
        return sql.SQL(template).format(**{key: sql.SQL(name) for key, name in names.items()}).as_string()


@dataclass(frozen=True)
class Destination:
    """A destination with deliveries due, and where its lane stands."""

    destination_id: UUID
    kind: str
    client_id: UUID | None
    url: str
    secret_ciphertext: str
    delivered: Cursor


@dataclass(frozen=True)
class Queued:
    """One delivery waiting in the outbox, and how often it was tried already."""

    position: int
    part: int
    delivery_id: UUID
    body: str
    attempts: int
    entity_id: UUID | None = None

    @property
    def cursor(self) -> Cursor:
        return self.position, self.part


DUE = (
    "SELECT d.destination_id, d.kind, d.client_id, d.url, d.secret_ciphertext, "
    "coalesce(l.delivered_position, 0) AS position, coalesce(l.delivered_part, 0) AS part "
    "FROM {d} d LEFT JOIN {l} l ON l.destination_id = d.destination_id "
    "WHERE d.active AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= %(now)s) "
    "AND d.destination_id <> ALL(%(busy)s) AND EXISTS (SELECT 1 FROM {o} o WHERE "
    "o.destination_id = d.destination_id AND (o.position, o.part) > "
    "(coalesce(l.delivered_position, 0), coalesce(l.delivered_part, 0))) "
    "ORDER BY l.next_attempt_at NULLS FIRST LIMIT %(room)s"
)
QUEUED = (
    "SELECT o.position, o.part, o.delivery_id, o.body, coalesce(a.attempts, 0) AS attempts, o.entity_id "
    "FROM {o} o JOIN {d} d ON d.destination_id = o.destination_id AND d.active "
    "LEFT JOIN {a} a ON a.destination_id = o.destination_id AND a.position = o.position AND a.part = o.part "
    "WHERE o.destination_id = %(id)s AND (o.position, o.part) > (%(position)s, %(part)s) "
    # Delivered past a failure (another entity's, in the same window): not sent again at the retry.
    "AND a.status IS DISTINCT FROM 'delivered' ORDER BY o.position, o.part LIMIT %(limit)s"
)
# Attempts and deliveries are recorded several of a lane at once (`ledger/webhooks/coalesced.py`).
START = (
    "INSERT INTO {a} AS a (destination_id, position, part, delivery_id, status, attempts, first_attempt_at, "
    "last_attempt_at) SELECT %(id)s, t.position, t.part, t.delivery, 'sending', 1, %(now)s, %(now)s "
    "FROM unnest(%(positions)s::bigint[], %(parts)s::integer[], %(deliveries)s::uuid[]) "
    "AS t(position, part, delivery) "
    "ON CONFLICT (destination_id, position, part) DO UPDATE SET status = 'sending', "
    "attempts = a.attempts + 1, last_attempt_at = EXCLUDED.last_attempt_at RETURNING position, part, attempts"
)
MARK_DONE = (
    "UPDATE {a} AS a SET status = 'delivered', last_response_code = t.code, last_error = NULL, "
    "delivered_at = %(now)s FROM unnest(%(positions)s::bigint[], %(parts)s::integer[], %(codes)s::integer[]) "
    "AS t(position, part, code) WHERE a.destination_id = %(id)s AND a.position = t.position "
    "AND a.part = t.part"
)
# Deliveries of a lane finish out of order: the lane only ever moves forward, and a failure stays recorded
# until the lane moves past the delivery that failed.
ADVANCE_LANE = (
    "INSERT INTO {l} AS l (destination_id, delivered_position, delivered_part, updated_at) "
    "VALUES (%(id)s, %(reached_position)s, %(reached_part)s, %(now)s) ON CONFLICT (destination_id) DO UPDATE "
    "SET delivered_position = EXCLUDED.delivered_position, delivered_part = EXCLUDED.delivered_part, "
    "next_attempt_at = NULL, failing_since = NULL, updated_at = EXCLUDED.updated_at "
    "WHERE (l.delivered_position, l.delivered_part) < (EXCLUDED.delivered_position, EXCLUDED.delivered_part)"
)
DELIVERED = "WITH done AS (" + MARK_DONE + ") " + ADVANCE_LANE
FAILED = (
    "WITH tried AS (UPDATE {a} SET status = 'failed', last_response_code = %(code)s, last_error = %(error)s "
    "WHERE destination_id = %(id)s AND position = %(position)s AND part = %(part)s) "
    "INSERT INTO {l} AS l (destination_id, delivered_position, delivered_part, next_attempt_at, "
    "failing_since, updated_at) VALUES (%(id)s, 0, 0, %(retry_at)s, %(now)s, %(now)s) "
    "ON CONFLICT (destination_id) DO UPDATE SET next_attempt_at = EXCLUDED.next_attempt_at, "
    "updated_at = EXCLUDED.updated_at, "
    "failing_since = coalesce(l.failing_since, EXCLUDED.failing_since) RETURNING failing_since"
)


class DeliveryStore:
    """The worker's queries, each one statement on a connection of the worker's own small pool."""

    def __init__(self, pool: AsyncConnectionPool[Any], tables: Tables) -> None:
        self.pool = pool
        self._sql = {name: tables.query(text) for name, text in QUERIES.items()}

    async def _rows(self, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
        async with self.pool.connection() as conn, conn.cursor(row_factory=dict_row) as curs:
            await curs.execute(self._sql[name], params, prepare=True)
            return await curs.fetchall() if curs.description else []

    async def due(self, now: datetime, busy: list[UUID], room: int) -> list[Destination]:
        """Active destinations with a delivery waiting and no retry pending, at most `room` of them."""
        rows = await self._rows("due", {"now": now, "busy": busy, "room": room})
        return [
            Destination(
                row["destination_id"], row["kind"], row["client_id"], row["url"], row["secret_ciphertext"],
                (row["position"], row["part"]),
            )
            for row in rows
        ]  # fmt: skip

    async def queued(self, destination_id: UUID, after: Cursor, limit: int) -> list[Queued]:
        """The next deliveries after `after` in order, while the destination is active."""
        params = {"id": destination_id, "position": after[0], "part": after[1], "limit": limit}
        rows = await self._rows("queued", params)
        return [
            Queued(r["position"], r["part"], r["delivery_id"], r["body"], r["attempts"], r["entity_id"])
            for r in rows
        ]

    async def start_attempts(self, destination_id: UUID, items: list[Queued], now: datetime) -> list[int]:
        """Record the attempts before they are made; returns their numbers, in the order of `items`."""
        params = {
            "id": destination_id,
            "positions": [item.position for item in items],
            "parts": [item.part for item in items],
            "deliveries": [item.delivery_id for item in items],
            "now": now,
        }
        rows = await self._rows("start", params)
        numbers = {(row["position"], row["part"]): int(row["attempts"]) for row in rows}
        return [numbers[item.cursor] for item in items]

    async def delivered(
        self, destination_id: UUID, done: list[tuple[Queued, int]], now: datetime, reached: Cursor
    ) -> None:
        """Record the deliveries done (each with its response code), and the lane delivered up to `reached`
        (if that is further)."""
        params = {
            "id": destination_id,
            "positions": [item.position for item, _ in done],
            "parts": [item.part for item, _ in done],
            "codes": [code for _, code in done],
        }
        params.update(now=now, reached_position=reached[0], reached_part=reached[1])
        await self._rows("delivered", params)

    async def failed(
        self,
        destination_id: UUID,
        item: Queued,
        code: int | None,
        error: str,
        now: datetime,
        retry_at: datetime,
    ) -> datetime:
        """Record the failure and when to retry; returns since when the destination has been failing."""
        params = {
            **self._key(destination_id, item),
            "code": code,
            "error": error,
            "now": now,
            "retry_at": retry_at,
        }
        failing_since: datetime = (await self._rows("failed", params))[0]["failing_since"]
        return failing_since

    @staticmethod
    def _key(destination_id: UUID, item: Queued) -> dict[str, Any]:
        return {"id": destination_id, "position": item.position, "part": item.part}


QUERIES = {
    "due": DUE,
    "queued": QUEUED,
    "start": START,
    "delivered": DELIVERED,
    "failed": FAILED,
}
