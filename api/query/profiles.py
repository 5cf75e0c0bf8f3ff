"""The `profile` of each booking: the member's profile id and the asked-for fields, labelled by the schema."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from uuid import UUID

from domain.ids import member_profile_id
from domain.profiles import PROFILE_ID_KEY, ProfileField

PROFILE_ID_LABEL = "Profile ID"
# Profile values are text, whatever the schema field's type (text, email, date, ...).
VALUE_TYPE = "string"


def shown_fields(schema_fields: Sequence[ProfileField], asked: Sequence[str]) -> list[ProfileField]:
    """The asked-for fields that the schema has, in the order asked; any other id is skipped."""
    by_id = {field.id: field for field in schema_fields}
    return [by_id[field_id] for field_id in asked if field_id in by_id]


def profile_of(
    organisation_id: UUID,
    member_id: str | None,
    values: Mapping[UUID, Mapping[str, str]],
    fields: Sequence[ProfileField],
) -> dict[str, Any] | None:
    """The booking's `profile`, or None for a booking without a member (a guest known by email only)."""
    if member_id is None:
        return None
    member = UUID(member_id)
    profile_id = str(member_profile_id(organisation_id, member))
    own = values.get(member, {})
    shown = [
        {"key": PROFILE_ID_KEY, "label": PROFILE_ID_LABEL, "value": profile_id, "type": VALUE_TYPE},
        *({"key": f.id, "label": f.label, "value": own.get(f.id), "type": VALUE_TYPE} for f in fields),
    ]
    return {"memberId": profile_id, "fields": shown}
