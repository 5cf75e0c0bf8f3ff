"""The bookings query view's opening hours: each resource's weekly open minutes, from its booking rules."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from psycopg import sql

from domain.opening_hours import OpeningHours
from domain.organization import Resource
from projections.analytics_tables import PLACES
from projections.rows import Statement
from projections.tables import Handler, Table, Targets

OPENING_HOURS = "analytics_opening_hours"
OPENING_HOURS_TABLE = Table(
    OPENING_HOURS,
    columns={
        "resource_id": "uuid PRIMARY KEY",
        "venue_id": "uuid",
        "organisation_id": "uuid",
        # Open minutes of each weekday in the venue's local time, Monday first: index 1 is ISO weekday 1.
        "weekday_minutes": "integer[] NOT NULL",
    },
    indexes={"by_org": "(organisation_id)"},
)


@functools.cache
def _upsert_sql(hours: str, places: str) -> str:
    # The resource's venue and organisation come from the places the view already holds.
    return (
        sql.SQL(
            "INSERT INTO {hours} AS h (resource_id, venue_id, organisation_id, weekday_minutes) "
            "SELECT %(resource_id)s::uuid, r.parent_id, v.parent_id, %(weekday_minutes)s::integer[] "
            "FROM (SELECT 1) one LEFT JOIN {places} r ON r.place_id = %(resource_id)s::uuid "
            "LEFT JOIN {places} v ON v.place_id = r.parent_id "
            "ON CONFLICT (resource_id) DO UPDATE SET weekday_minutes = EXCLUDED.weekday_minutes"
        )
        .format(hours=sql.SQL(hours), places=sql.SQL(places))
        .as_string()
    )


def weekday_minutes(opening_hours: Sequence[Mapping[str, Any]]) -> list[int]:
    """Open minutes of each weekday, Monday first, of opening hours in their recorded form."""
    hours = OpeningHours.from_dicts(opening_hours)
    return [sum(r.end_minute - r.start_minute for r in hours.on(weekday)) for weekday in range(7)]


def _rules_set(event: Resource.BookingRulesSet, position: int, targets: Targets) -> list[Statement]:
    values = {"resource_id": event.originator_id, "weekday_minutes": weekday_minutes(event.opening_hours)}
    return [(_upsert_sql(targets[OPENING_HOURS], targets[PLACES]), values)]


OPENING_HOURS_HANDLERS: dict[type, Handler] = {Resource.BookingRulesSet: _rules_set}
