"""How the bookings query view writes any kind's facts and patches: the same statements for every kind."""

from __future__ import annotations

import functools
from typing import Any

from psycopg.types.json import Jsonb

from projections.analytics_tables import BOOKINGS, COUNTS, PLACES, TENANCY, USERS
from projections.booking_facts import ORIGIN_FIELDS, BookingChange, BookingFacts, BookingPatch
from projections.rows import Statement
from projections.tables import Targets

FACT_PARAMETERS = {
    "booking_id": "uuid",
    "organisation_id": "uuid",
    "source": "text",
    "booking_type": "text",
    "status": "text",
    "user_status": "text",
    "start_at": "timestamptz",
    "end_at": "timestamptz",
    "event_id": "uuid",
    "member_id": "uuid",
    "resource_id": "uuid",
    "venue_id": "uuid",
    "client_id": "uuid",
    "order_id": "uuid",
    "price": "numeric",
    "currency": "text",
    "name": "text",
    "user_email": "text",
    "at": "timestamptz",
    "position": "bigint",
    "document": "jsonb",
}
# Columns a revision replaces; the others (source, kind, client, order, creation) stay as first written.
REVISED_COLUMNS = (
    "organisation_id", "status", "user_status", "start_at", "end_at", "local_date", "event_id", "member_id",
    "resource_id", "venue_id", "price", "currency", "updated_at", "position",
)  # fmt: skip

_UPSERT = """
INSERT INTO {bookings} AS b (booking_id, organisation_id, source, booking_type, status, user_status,
    start_at, end_at, local_date, event_id, member_id, resource_id, venue_id, client_id, order_id, price,
    currency, created_at, updated_at, position, document)
SELECT f.booking_id, f.organisation_id, f.source, f.booking_type, f.status, f.user_status, f.start_at,
    f.end_at, f.local_date, f.event_id, f.member_id, f.resource_id, f.venue_id, f.client_id, f.order_id,
    f.price, f.currency, f.at, f.at, f.position,
    f.document || jsonb_build_object('managedBy', f.organisation_id, 'venueId', f.venue_id,
        'date', to_char(f.local_date, 'YYYY-MM-DD'), 'name', f.name, 'userEmail', f.user_email,
        'userName', f.user_name)
FROM (
    SELECT g.*, (g.start_at AT TIME ZONE COALESCE(v.timezone, o.timezone, 'UTC'))::date AS local_date
    FROM (
        SELECT e.booking_id, e.source, e.booking_type, e.status, e.user_status, e.start_at, e.end_at,
            e.event_id, e.member_id, e.resource_id, e.client_id, e.order_id, e.price, e.currency, e.at,
            e.position, e.document,
            COALESCE(e.organisation_id,
                CASE WHEN cardinality(t.organisation_ids) = 1 THEN t.organisation_ids[1] END,
                CASE WHEN cardinality(c.organisation_ids) = 1 THEN c.organisation_ids[1] END
            ) AS organisation_id,
            COALESCE(e.venue_id, r.parent_id) AS venue_id,
            COALESCE(e.name, r.name) AS name,
            COALESCE(u.email, e.user_email) AS user_email,
            u.name AS user_name
        FROM (SELECT {parameters}) e
        LEFT JOIN {places} r ON r.place_id = e.resource_id
        LEFT JOIN {tenancy} t ON t.subject_id = e.event_id
        LEFT JOIN {tenancy} c ON c.subject_id = e.client_id
        LEFT JOIN {users} u ON u.user_id = e.member_id
    ) g
    LEFT JOIN {places} v ON v.place_id = g.venue_id
    LEFT JOIN {places} o ON o.place_id = g.organisation_id
) f
ON CONFLICT (booking_id) DO UPDATE SET {revised},
    document = EXCLUDED.document || jsonb_build_object({origin})
"""
_PATCH = (
    "UPDATE {bookings} SET status = COALESCE(%(status)s::text, status), "
    "user_status = COALESCE(%(user_status)s::text, user_status), updated_at = %(at)s, "
    "position = %(position)s, document = document || %(document)s::jsonb WHERE booking_id = %(booking_id)s"
)
# The counts follow a booking's organisation: one less for the one it had (if any), one more for its new one.
_UNCOUNT = (
    "UPDATE {counts} SET bookings = bookings - 1 WHERE organisation_id = "
    "(SELECT organisation_id FROM {bookings} WHERE booking_id = %(booking_id)s)"
)
_COUNT = (
    "INSERT INTO {counts} AS c (organisation_id, bookings) SELECT organisation_id, 1 FROM {bookings} "
    "WHERE booking_id = %(booking_id)s AND organisation_id IS NOT NULL "
    "ON CONFLICT (organisation_id) DO UPDATE SET bookings = c.bookings + 1"
)


@functools.cache
def _texts(bookings: str, counts: str, places: str, tenancy: str, users: str) -> tuple[str, str, str, str]:
    """The upsert, patch, uncount and count statements on these tables (quoted names)."""
    parameters = ", ".join(f"%({name})s::{kind} AS {name}" for name, kind in FACT_PARAMETERS.items())
    revised = ", ".join(f"{column} = EXCLUDED.{column}" for column in REVISED_COLUMNS)
    origin = ", ".join(f"'{key}', b.document -> '{key}'" for key in ORIGIN_FIELDS)
    upsert = _UPSERT.format(
        bookings=bookings,
        places=places,
        tenancy=tenancy,
        users=users,
        parameters=parameters,
        revised=revised,
        origin=origin,
    )
    names = {"bookings": bookings, "counts": counts}
    return upsert, _PATCH.format(**names), _UNCOUNT.format(**names), _COUNT.format(**names)


def statement_texts(targets: Targets) -> tuple[str, str, str, str]:
    return _texts(targets[BOOKINGS], targets[COUNTS], targets[PLACES], targets[TENANCY], targets[USERS])


def _fact_values(facts: BookingFacts, position: int) -> dict[str, Any]:
    return {
        "booking_id": facts.booking_id,
        "organisation_id": facts.organisation_id,
        "source": facts.source,
        "booking_type": facts.booking_type,
        "status": facts.status,
        "user_status": facts.user_status,
        "start_at": facts.start,
        "end_at": facts.end,
        "event_id": facts.event_id,
        "member_id": facts.member_id,
        "resource_id": facts.resource_id,
        "venue_id": facts.venue_id,
        "client_id": facts.client_id,
        "order_id": facts.order_id,
        "price": facts.price,
        "currency": facts.currency,
        "name": facts.name,
        "user_email": facts.user_email,
        "at": facts.at,
        "position": position,
        "document": Jsonb(facts.document(position)),
    }


def change_statements(change: BookingChange, position: int, targets: Targets) -> list[Statement]:
    """The row changes of one kind's change at `position`: the same statements whatever the kind."""
    upsert, patch, uncount, count = statement_texts(targets)
    key = {"booking_id": change.booking_id}
    if isinstance(change, BookingPatch):
        values = {
            **key,
            "status": change.fields.get("status"),
            "user_status": change.fields.get("userStatus"),
            "at": change.at,
            "position": position,
            "document": Jsonb(change.document(position)),
        }
        return [(patch, values)]
    return [(uncount, key), (upsert, _fact_values(change, position)), (count, key)]
