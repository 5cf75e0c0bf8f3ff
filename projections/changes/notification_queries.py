"""What the notifications cron reads of the changes view: the pairs due now, and how a run's were claimed."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from uuid import UUID

from psycopg import sql

from projections.changes.notifications import BOOKINGS, CLAIMS, MOMENTS, RULES
from projections.changes.view import ChangesView

Pair = tuple[UUID, UUID]
"""A rule and a booking it notifies about."""

# A moment notifies the rules of the booking's client made before it; a reminder, the active bookings whose
# start is within the rule's minutes from now. Pairs claimed already are left out.
DUE = (
    "SELECT rule_id, booking_id FROM ("
    "SELECT r.rule_id, m.booking_id FROM {rules} r JOIN {moments} m ON m.client_id = r.client_id "
    "AND m.trigger = r.trigger AND m.position > r.since_position WHERE r.trigger <> 'before_start'{mine} "
    "UNION SELECT r.rule_id, b.booking_id FROM {rules} r JOIN {bookings} b ON b.client_id = r.client_id "
    "AND b.active AND b.start_at > %(now)s "
    "AND b.start_at <= %(now)s + r.minutes_before * interval '1 minute' "
    "WHERE r.trigger = 'before_start'{mine}) due WHERE NOT EXISTS (SELECT 1 FROM {claims} c "
    "WHERE c.claim_id = md5(due.rule_id::text || '/' || due.booking_id::text)::uuid) "
    "ORDER BY rule_id, booking_id LIMIT %(limit)s"
)
CLAIMED = (
    "SELECT count(*) FILTER (WHERE position = %(position)s) AS now, "
    "count(*) FILTER (WHERE position < %(position)s) AS before FROM {} WHERE claim_id = ANY(%(ids)s)"
)


@dataclass(frozen=True)
class Claimed:
    """How a run's pairs fared: claimed by the run itself, or by an earlier one (sent already)."""

    now: int
    before: int


def claim_id(rule_id: UUID, booking_id: UUID) -> UUID:
    """The key of a (rule, booking) claim, as the view computes it."""
    return UUID(hashlib.md5(f"{rule_id}/{booking_id}".encode(), usedforsecurity=False).hexdigest())


def due_pairs(view: ChangesView, now: datetime, client_id: UUID | None, limit: int) -> list[Pair]:
    """At most `limit` pairs due at `now` and not claimed yet: of the client's rules, or all (None)."""
    mine = sql.SQL(" AND r.client_id = %(client)s") if client_id is not None else sql.SQL("")
    query = sql.SQL(DUE).format(
        rules=view.table(RULES),
        moments=view.table(MOMENTS),
        bookings=view.table(BOOKINGS),
        claims=view.table(CLAIMS),
        mine=mine,
    )
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(query, {"now": now, "client": client_id, "limit": limit})
        return [(row["rule_id"], row["booking_id"]) for row in curs.fetchall()]


def claimed(view: ChangesView, pairs: list[Pair], position: int) -> Claimed:
    """Of these pairs, named by the run at `position`: how many it claimed, how many were claimed before."""
    query = sql.SQL(CLAIMED).format(view.table(CLAIMS))
    ids = [claim_id(rule, booking) for rule, booking in pairs]
    with view.datastore.transaction(commit=False) as curs:
        curs.execute(query, {"position": position, "ids": ids})
        row = curs.fetchone()
    return Claimed(int(row["now"]), int(row["before"])) if row else Claimed(0, 0)
