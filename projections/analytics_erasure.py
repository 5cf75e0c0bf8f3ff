"""Erasure in the bookings query view: a user's email, name and profile values, and every document copy."""

from __future__ import annotations

from psycopg.types.json import Jsonb

from domain.user import User
from projections.analytics_tables import BOOKINGS, PROFILES, USERS
from projections.personal_data import ERASED_TEXT, key_probes
from projections.rows import Statement, query_text
from projections.tables import Handler, Targets

_USER = """UPDATE {} SET email = CASE WHEN email IS NULL THEN NULL ELSE %(erased)s::text END,
    name = CASE WHEN name IS NULL THEN NULL ELSE %(erased)s::text END WHERE user_id = %(user)s"""
# Each value reads as erased, as the profile's events now do: a non-empty text `[erased]`.
_PROFILES = """UPDATE {} SET field_values = (
    SELECT coalesce(jsonb_object_agg(k, CASE WHEN v = '""'::jsonb OR jsonb_typeof(v) <> 'string' THEN v
        ELSE to_jsonb(%(erased)s::text) END), jsonb_build_object())
    FROM jsonb_each(field_values) AS x(k, v)
) WHERE user_id = %(user)s"""
# By the GIN index of the documents. The member's bookings show the member's email and name as erased, as the
# users table does; so does a booking whose email came from an erased participant or customer (by its key).
_MEMBER_DOCUMENTS = """UPDATE {} SET document = document || jsonb_build_object(
    'userEmail', CASE WHEN document->>'userEmail' IS NULL THEN NULL ELSE %(erased)s::text END,
    'userName', CASE WHEN document->>'userName' IS NULL THEN NULL ELSE %(erased)s::text END)
WHERE document @> %(probe)s"""
_KEY_DOCUMENTS = """UPDATE {} SET document = document || jsonb_build_object(
    'userEmail', CASE WHEN document->>'userEmail' IS NULL THEN NULL ELSE %(erased)s::text END)
WHERE document @> %(probe)s"""


def _erased(event: User.PersonalDataErased, position: int, targets: Targets) -> list[Statement]:
    user = {"user": event.originator_id, "erased": ERASED_TEXT}
    member = {"probe": Jsonb({"memberId": str(event.originator_id)}), "erased": ERASED_TEXT}
    keyed = query_text(_KEY_DOCUMENTS, targets[BOOKINGS])
    return [
        (query_text(_USER, targets[USERS]), user),
        (query_text(_PROFILES, targets[PROFILES]), user),
        (query_text(_MEMBER_DOCUMENTS, targets[BOOKINGS]), member),
        *[
            (keyed, {"probe": probe, "erased": ERASED_TEXT})
            for probe in key_probes(event.key_ids, {"personalKeys": ["KEY"]})
        ],
    ]


ERASURE_HANDLERS: dict[type, Handler] = {User.PersonalDataErased: _erased}
