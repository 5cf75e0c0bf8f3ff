"""What the bookings query view resolves bookings against: places, tenancy, users and member profiles."""

from __future__ import annotations

import functools

from psycopg import sql
from psycopg.types.json import Jsonb

from domain.client import Client
from domain.coach_event import CoachEvent
from domain.organization import Organization, Resource, Venue
from domain.profiles import MemberProfile
from domain.user import User
from projections.analytics_tables import BOOKINGS, PLACES, PROFILES, TENANCY, USERS
from projections.personal_data import ERASED_TEXT
from projections.rows import Statement, insert_row, update_rows
from projections.tables import Handler, Targets


@functools.cache
def _redate_sql(bookings: str, places: str) -> str:
    return (
        sql.SQL(
            "UPDATE {} SET local_date = (start_at AT TIME ZONE %(timezone)s::text)::date, "
            "document = jsonb_set(document, ARRAY['date'], "
            "to_jsonb(to_char((start_at AT TIME ZONE %(timezone)s::text)::date, 'YYYY-MM-DD'))) "
            "WHERE organisation_id = (SELECT parent_id FROM {} WHERE place_id = %(venue_id)s) "
            "AND venue_id = %(venue_id)s"
        )
        .format(sql.SQL(bookings), sql.SQL(places))
        .as_string()
    )


@functools.cache
def _merge_values_sql(profiles: str) -> str:
    return (
        sql.SQL(
            "UPDATE {} SET field_values = jsonb_strip_nulls(field_values || %(values)s::jsonb) "
            "WHERE profile_id = %(profile_id)s"
        )
        .format(sql.SQL(profiles))
        .as_string()
    )


def _organisation(event: Organization.Registered, position: int, targets: Targets) -> list[Statement]:
    values = {"place_id": event.originator_id, "parent_id": None, "name": event.name}
    return [insert_row(targets[PLACES], {**values, "timezone": event.timezone})]


def _venue(event: Venue.Registered, position: int, targets: Targets) -> list[Statement]:
    values = {
        "place_id": event.originator_id,
        "parent_id": event.organization_id,
        "name": event.name,
        "timezone": event.timezone,
    }
    return [insert_row(targets[PLACES], values)]


def _venue_details(event: Venue.DetailsUpdated, position: int, targets: Targets) -> list[Statement]:
    """A new timezone moves the local date of the venue's bookings; other details do not show."""
    timezone = event.changes.get("timezone")
    if not isinstance(timezone, str):
        return []
    place = update_rows(targets[PLACES], "place_id", event.originator_id, {"timezone": timezone})
    redate = _redate_sql(targets[BOOKINGS], targets[PLACES])
    return [place, (redate, {"timezone": timezone, "venue_id": event.originator_id})]


def _resource(event: Resource.Registered, position: int, targets: Targets) -> list[Statement]:
    values = {"place_id": event.originator_id, "parent_id": event.venue_id, "name": event.name}
    return [insert_row(targets[PLACES], {**values, "timezone": None})]


def _user(event: User.Registered, position: int, targets: Targets) -> list[Statement]:
    parts = [part for part in (event.first_name, event.last_name) if part]
    name = ERASED_TEXT if ERASED_TEXT in parts else " ".join(parts) or None
    values = {"user_id": event.originator_id, "email": event.email, "name": name}
    return [insert_row(targets[USERS], values)]


def _client(event: Client.Registered, position: int, targets: Targets) -> list[Statement]:
    values = {"subject_id": event.originator_id, "organisation_ids": list(event.organization_ids)}
    return [insert_row(targets[TENANCY], values)]


def _coach_event(event: CoachEvent.Scheduled, position: int, targets: Targets) -> list[Statement]:
    organisations = [] if event.organization_id is None else [event.organization_id]
    values = {"subject_id": event.originator_id, "organisation_ids": organisations}
    return [insert_row(targets[TENANCY], values)]


def _profile_started(event: MemberProfile.Started, position: int, targets: Targets) -> list[Statement]:
    values = {
        "profile_id": event.originator_id,
        "organisation_id": event.organization_id,
        "user_id": event.user_id,
        "field_values": Jsonb({}),
    }
    return [insert_row(targets[PROFILES], values)]


def _profile_values(event: MemberProfile.ValuesSet, position: int, targets: Targets) -> list[Statement]:
    # A removed value arrives as None: merged in as null, then stripped.
    values = {"values": Jsonb(event.values), "profile_id": event.originator_id}
    return [(_merge_values_sql(targets[PROFILES]), values)]


REFERENCE_HANDLERS: dict[type, Handler] = {
    Organization.Registered: _organisation,
    Venue.Registered: _venue,
    Venue.DetailsUpdated: _venue_details,
    Resource.Registered: _resource,
    User.Registered: _user,
    Client.Registered: _client,
    CoachEvent.Scheduled: _coach_event,
    MemberProfile.Started: _profile_started,
    MemberProfile.ValuesSet: _profile_values,
}
