"""Erasure in the bookings query view: a user's email, name and profile values, and every document copy."""

from __future__ import annotations

from psycopg.types.json import Jsonb

from domain.user import User
from projections.analytics_tables import BOOKINGS, PROFILES, USERS
from projections.personal_data import ERASED_TEXT, key_probes
from projections.rows import Statement, query_text
from projections.tables import Handler, Targets

_USER = """UPDATE {} SET email = CASE WHEN email IS NULL THEN NULL ELSE %(erased)s END,
    name = CASE WHEN name IS NULL THEN NULL ELSE %(erased)s END WHERE user_id = %(user)s"""
_PROFILES = "UPDATE {} SET field_values = '{{}}'::jsonb WHERE user_id = %(user)s"
# By the GIN index of the documents: the member's bookings, and each document holding a destroyed key's value.
_DOCUMENTS = """UPDATE {} SET document = document || jsonb_build_object(
    'userEmail', CASE WHEN document->>'userEmail' IS NULL THEN NULL ELSE %(erased)s END,
    'userName', CASE WHEN document->>'userName' IS NULL THEN NULL ELSE %(erased)s END)
WHERE document @> %(probe)s"""


def _erased(event: User.PersonalDataErased, position: int, targets: Targets) -> list[Statement]:
    user = {"user": event.originator_id, "erased": ERASED_TEXT}
    documents = query_text(_DOCUMENTS, targets[BOOKINGS])
    probes = [
        Jsonb({"memberId": str(event.originator_id)}),
        *key_probes(event.key_ids, {"personalKeys": ["KEY"]}),
    ]
    return [
        (query_text(_USER, targets[USERS]), user),
        (query_text(_PROFILES, targets[PROFILES]), {"user": event.originator_id}),
        *[(documents, {"probe": probe, "erased": ERASED_TEXT}) for probe in probes],
    ]


ERASURE_HANDLERS: dict[type, Handler] = {User.PersonalDataErased: _erased}
