"""Synthetic rows of the bookings query view, by bulk SQL: the data of the index tests and the query bench.

Each organisation gets `rows / organisations` coach-event bookings spread over 2030: 20 per event, 10 per
member (500 members), every tenth cancelled, every third attended, one or two hours long.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from datetime import date

from psycopg import sql

from projections.analytics_bookings import AnalyticsBookingsView
from projections.analytics_tables import ANALYTICS_BOOKINGS, BOOKINGS, COUNTS

BOOKINGS_PER_EVENT = 20
A_DATE = date(2030, 3, 1)
# Row i belongs to organisation i / per (of the array given), event i / 20, member (i / per, i mod 500).
# Its day is i * 7919 mod 365, taken as (i mod 365) * 7919 mod 365: i * 7919 overflows integer
# past 271,000 rows.
SEED_ROWS = """
INSERT INTO {bookings} (booking_id, organisation_id, source, booking_type, status, user_status, start_at,
    end_at, local_date, event_id, member_id, client_id, price, currency, created_at, updated_at, position,
    document)
SELECT id, organisation, 'bookings', 'coach-event', 'Accepted', user_status, start_at,
    start_at + interval '1 hour' * hours, (start_at AT TIME ZONE 'UTC')::date, event, member, organisation,
    15, 'RUB', start_at - interval '3 days', start_at - interval '3 days', i,
    jsonb_build_object('bookingId', id, 'managedBy', organisation,
        'date', to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD'),
        'start', to_char(start_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
        'eventId', event, 'memberId', member, 'user', member, 'attending', mod(i, 3) = 0,
        'userStatus', user_status, 'orgStatus', 'approved', 'bookingType', 'coach-event',
        'duration', 60 * hours, 'source', 'bookings', 'ledgerPosition', i)
FROM (
    SELECT i, md5('booking' || i)::uuid AS id, (%(organisations)s::uuid[])[1 + i / {per}] AS organisation,
        md5('event' || (i / {per_event}))::uuid AS event,
        md5('member' || (i / {per}) || '-' || mod(i, 500))::uuid AS member,
        timestamptz '2030-01-01 00:00Z' + mod(mod(i, 365) * 7919, 365) * interval '1 day'
            + mod(i, 12) * interval '1 hour' AS start_at,
        1 + mod(i, 2) AS hours, CASE WHEN mod(i, 10) = 0 THEN 'cancelled' ELSE 'confirmed' END AS user_status
    FROM generate_series(0, {rows} - 1) AS i
) generated
"""
SEED_COUNTS = (
    "INSERT INTO {counts} (organisation_id, bookings) "
    "SELECT organisation_id, count(*) FROM {bookings} GROUP BY organisation_id"
)


def seeded_uuid(text: str) -> uuid.UUID:
    """The id that the seeding SQL derives from `text` (md5(text)::uuid)."""
    return uuid.UUID(hashlib.md5(text.encode(), usedforsecurity=False).hexdigest())


def synthetic_organisations(count: int) -> list[uuid.UUID]:
    """Organisation ids of no registered organisation, for tests that query the view directly."""
    return [seeded_uuid(f"org{index}") for index in range(count)]


def event_of(index: int, per_organisation: int, nth: int = 3) -> uuid.UUID:
    """The `nth` event of the `index`-th organisation (each event has 20 bookings)."""
    return seeded_uuid(f"event{index * per_organisation // BOOKINGS_PER_EVENT + nth}")


def member_of(index: int, nth: int = 42) -> uuid.UUID:
    """The `nth` member of the `index`-th organisation (each member has per_organisation / 500 bookings)."""
    return seeded_uuid(f"member{index}-{nth}")


def seed_view_rows(view: AnalyticsBookingsView, rows: int, organisations: Sequence[uuid.UUID]) -> None:
    """Write `rows` bookings evenly over the organisations, with their counters, then vacuum and analyse.

    The indexes are built after the rows, as a rebuild builds them: faster than maintaining them row by row.
    """
    per = rows // len(organisations)
    if per * len(organisations) != rows or per % BOOKINGS_PER_EVENT:
        raise ValueError("rows must divide evenly over the organisations, in whole events of 20 bookings.")
    names = {"bookings": view.table_sql(BOOKINGS), "counts": view.table_sql(COUNTS)}
    with view.datastore.transaction(commit=True) as curs:
        for suffix in ANALYTICS_BOOKINGS.indexes:
            curs.execute(sql.SQL("DROP INDEX IF EXISTS {}").format(view.table(f"{BOOKINGS}_{suffix}")))
        seed = SEED_ROWS.format(per=per, per_event=BOOKINGS_PER_EVENT, rows=rows, **names)
        curs.execute(seed, {"organisations": list(organisations)})
        curs.execute(SEED_COUNTS.format(**names))
        for statement in ANALYTICS_BOOKINGS.index_ddl(view.table(BOOKINGS), BOOKINGS):
            curs.execute(statement)
    with view.datastore.get_connection() as conn:
        conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(view.table(BOOKINGS)))
