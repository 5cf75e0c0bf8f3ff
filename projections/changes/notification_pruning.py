"""Notifications' moments and claims pruned with the change feed, never so that a pair can be sent again."""

from __future__ import annotations

from psycopg import sql

from projections.changes.notifications import BOOKINGS, CLAIMS, MOMENTS
from projections.changes.view import ChangesView

# A moment at or before the horizon is forgotten: claimed, its claim still stops it being sent again; not
# claimed by then, it has expired unsent, as its change has left the feed. A claim is what stops a pair being
# sent again, so it goes only once its pair can never be due again: its booking has ended (rejected or
# canceled, for good: no moment follows, and a reminder needs an active booking) and every moment of the
# booking has gone. No run can name the pair after that (a run names what it read due, moments before), so
# the claims are what a rebuild, replaying the same runs, makes again, and the next pruning forgets again.
FORGET_MOMENTS = "DELETE FROM {moments} WHERE position <= %(horizon)s"
FORGET_CLAIMS = (
    "DELETE FROM {claims} c USING {bookings} b WHERE c.booking_id = b.booking_id AND NOT b.active "
    "AND c.position <= %(horizon)s "
    "AND NOT EXISTS (SELECT 1 FROM {moments} m WHERE m.booking_id = b.booking_id)"
)


def prune_notifications(view: ChangesView, horizon: int) -> int:
    """Forget the moments and claims that the feed's horizon has passed, as above; how many rows went."""
    names = {name: view.table(table) for name, table in (("moments", MOMENTS), ("claims", CLAIMS),
                                                          ("bookings", BOOKINGS))}  # fmt: skip
    deleted = 0
    with view.datastore.transaction(commit=True) as curs:
        for statement in (FORGET_MOMENTS, FORGET_CLAIMS):
            curs.execute(sql.SQL(statement).format(**names), {"horizon": horizon})
            deleted += curs.rowcount
    return deleted
