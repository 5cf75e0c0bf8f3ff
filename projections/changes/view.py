"""The changes view: per client, every change of the entities it owns, in ledger order; pruned by age."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from psycopg import Cursor, sql
from psycopg.rows import DictRow

from projections.changes.kinds import CHANGES, ChangeMapping
from projections.changes.notifications import NOTIFICATION_TABLES
from projections.changes.outbox import DESTINATIONS_TABLE, OUTBOX_TABLE, fan_out_change, queued_notice
from projections.changes.producers import PRODUCERS
from projections.changes.tables import (
    CHANGE_JSON,
    ENTITIES_TABLE,
    FEED,
    FEED_TABLE,
    HORIZON,
    HORIZON_TABLE,
    feed_statements,
)
from projections.rows import Statement
from projections.tables import Handler, Targets, TrackedView


@dataclass(frozen=True)
class FeedPage:
    """One page of a client's changes, as read in one snapshot of the view.

    `changes` is the page's JSON array as text; `last` the position of its last change (None: empty);
    `head` the view's position, up to which the page saw every change; `horizon` the position at or before
    which changes were pruned; `more` whether changes follow the page.
    """

    changes: str
    count: int
    last: int | None
    head: int
    horizon: int
    more: bool


def _handler(mapping: ChangeMapping) -> Handler:
    """The feed's rows of a change, then its deliveries to the client's subscriptions."""

    def handle(event: Any, position: int, targets: Targets) -> list[Statement]:
        change = mapping(event)
        if change is None:
            return []
        return [
            *feed_statements(change, position, event.recorded_at, targets),
            fan_out_change(targets, position),
        ]

    return handle


def _chained(handlers: list[Handler]) -> Handler:
    def handle(event: Any, position: int, targets: Targets) -> list[Statement]:
        return [statement for handler in handlers for statement in handler(event, position, targets)]

    return handle


def _combined(*maps: Mapping[type, Handler]) -> dict[type, Handler]:
    """One handler per event class: those of every map that names it, in order."""
    found: dict[type, list[Handler]] = {}
    for handlers in maps:
        for event_class, handler in handlers.items():
            found.setdefault(event_class, []).append(handler)
    return {cls: each[0] if len(each) == 1 else _chained(each) for cls, each in found.items()}


FEED_HANDLERS = {event_class: _handler(mapping) for event_class, mapping in CHANGES.items()}
HANDLERS: dict[type, Handler] = _combined(FEED_HANDLERS, *PRODUCERS)


class ChangesView(TrackedView):
    """The change feed's tables and its tracking position."""

    name = "changes"
    tables = (
        ENTITIES_TABLE,
        FEED_TABLE,
        HORIZON_TABLE,
        DESTINATIONS_TABLE,
        OUTBOX_TABLE,
        *NOTIFICATION_TABLES,
    )
    handlers = HANDLERS

    def batch_applied(self, curs: Cursor[DictRow], after: int, upto: int) -> None:
        """Wake the delivery worker, in whichever process it runs, when the batch queued deliveries."""
        query, params = queued_notice(self.live_targets, after, upto)
        curs.execute(query, params, prepare=True)

    def feed_page(self, client_id: UUID, after: int | None, limit: int, types: Sequence[str]) -> FeedPage:
        """The client's changes after `after` (None: from the oldest kept), at most `limit`, in one query.

        `types` keeps the changes of those types or entities (empty: all); the index on (client, position)
        serves the range either way.
        """
        kinds = sql.SQL(" AND (type = ANY(%(types)s) OR entity = ANY(%(types)s))") if types else sql.SQL("")
        query = sql.SQL(
            "WITH horizon AS (SELECT coalesce(max(position), 0) AS position FROM {horizon}), "
            "page AS (SELECT position, {change} AS change FROM {feed} WHERE client_id = %(client)s "
            "AND position > greatest(%(after)s, (SELECT position FROM horizon)){kinds} "
            "ORDER BY position LIMIT %(fetch)s), "
            "shown AS (SELECT * FROM page ORDER BY position LIMIT %(limit)s) "
            "SELECT (SELECT position FROM horizon) AS horizon, "
            "(SELECT notification_id FROM {tracking} WHERE application_name = %(app)s) AS head, "
            "(SELECT count(*) FROM page) AS fetched, (SELECT max(position) FROM shown) AS last, "
            "(SELECT coalesce(json_agg(change ORDER BY position), '[]')::text FROM shown) AS changes"
        ).format(
            horizon=self.table(HORIZON),
            change=sql.SQL(CHANGE_JSON),
            feed=self.table(FEED),
            kinds=kinds,
            tracking=self.tracking_table,
        )
        params = {
            "client": client_id,
            "after": after if after is not None else 0,
            "types": list(types),
            "fetch": limit + 1,
            "limit": limit,
            "app": self.application_name,
        }
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(query, params, prepare=True)
            row = curs.fetchone()
        assert row is not None
        fetched = int(row["fetched"])
        return FeedPage(
            changes=row["changes"],
            count=min(fetched, limit),
            last=row["last"],
            head=int(row["head"] or 0),
            horizon=int(row["horizon"]),
            more=fetched > limit,
        )

    def horizon(self) -> int:
        """The position at or before which every change was pruned (0: none was)."""
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(
                sql.SQL("SELECT coalesce(max(position), 0) AS position FROM {}").format(self.table(HORIZON))
            )
            row = curs.fetchone()
        return int(row["position"]) if row else 0

    def clients_changed(self, after: int, upto: int) -> dict[UUID, int]:
        """The clients with changes in (after, upto], each with its latest position there."""
        query = sql.SQL(
            "SELECT client_id, max(position) AS last FROM {} WHERE position > %s AND position <= %s "
            "GROUP BY client_id"
        ).format(self.table(FEED))
        with self.datastore.transaction(commit=False) as curs:
            curs.execute(query, (after, upto), prepare=True)
            return {row["client_id"]: int(row["last"]) for row in curs.fetchall()}

    def prune(self, before: datetime, batch_size: int = 5000) -> int:
        """Delete the oldest changes recorded before `before`, at most one batch; raise the horizon to the
        last one deleted, so a cursor before it answers as expired. Returns how many were deleted."""
        with self.datastore.transaction(commit=True) as curs:
            curs.execute(
                sql.SQL(
                    "SELECT position, recorded_at < %(before)s AS old FROM {feed} WHERE position > "
                    "(SELECT coalesce(max(position), 0) FROM {horizon}) ORDER BY position LIMIT %(batch)s"
                ).format(feed=self.table(FEED), horizon=self.table(HORIZON)),
                {"before": before, "batch": batch_size},
            )
            rows = curs.fetchall()
            # Changes are pruned in log order: up to the first one still young.
            old = [
                row["position"] for row in rows[: next((i for i, r in enumerate(rows) if not r["old"]), None)]
            ]
            if not old:
                return 0
            upto = old[-1]
            curs.execute(
                sql.SQL("DELETE FROM {} WHERE position >= %s AND position <= %s").format(self.table(FEED)),
                (old[0], upto),
            )
            deleted = curs.rowcount
            curs.execute(
                sql.SQL(
                    "INSERT INTO {} AS kept (id, position) VALUES (1, %(upto)s) "
                    "ON CONFLICT (id) DO UPDATE SET position = greatest(kept.position, EXCLUDED.position)"
                ).format(self.table(HORIZON)),
                {"upto": upto},
            )
            return deleted
