"""Profile schemas of organizations and their members' profile values; the values are personal data."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import InvalidInputError
from domain.ids import member_profile_id, profile_schema_id


class InvalidProfileSchemaError(InvalidInputError):
    """Raised when a profile schema or one of its fields is malformed."""


class UnknownProfileFieldError(InvalidInputError):
    """Raised when profile values name a field that the organization's schema does not have."""


class InvalidProfileValueError(InvalidInputError):
    """Raised when a profile value is not a string of at most 1000 characters."""


# The id every profile is shown with; a schema field cannot take it.
PROFILE_ID_KEY = "profileId"
MAX_FIELDS = 200
MAX_VALUE_LENGTH = 1000
_FIELD_TYPE = re.compile(r"[a-z][a-z0-9_-]{0,31}")


@dataclass(frozen=True)
class ProfileField:
    """One field of a profile schema; `id` is what a profile value and a `profileFields` filter name."""

    id: str
    name: str
    label: str
    type: str
    order: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


MASTER_SCHEMA_ID = "master"
MASTER_SCHEMA_NAME = "Master Schema"
MASTER_FIELDS = (
    ProfileField("Full Name", "Full Name", "Full Name", "text", 1),
    ProfileField("Email", "Email", "Email Address", "email", 2),
    ProfileField("Phone", "Phone", "Phone Number", "phone", 3),
    ProfileField("Postcode", "Postcode", "Postcode", "text", 4),
    ProfileField("Date of Birth", "Date of Birth", "Date of Birth", "date", 5),
)


def _text(value: object, what: str, limit: int) -> str:
    if not isinstance(value, str) or not value.strip() or len(value) > limit:
        raise InvalidProfileSchemaError(f"{what} must be a string of 1 to {limit} characters.")
    if any(ord(c) < 32 for c in value):
        raise InvalidProfileSchemaError(f"{what} must not contain control characters.")
    return value.strip()


def checked_field(raw: Mapping[str, object], position: int) -> ProfileField:
    """A field as given (`name`, `label` and `order` may be left out), checked; `position` counts from 1."""
    field_id = _text(raw.get("id"), "A field's id", 100)
    # Field ids are listed comma-separated in queries, and `profileId` is shown with every profile.
    if "," in field_id or field_id == PROFILE_ID_KEY:
        raise InvalidProfileSchemaError(
            f"{field_id!r} cannot be a field id: no commas, and not {PROFILE_ID_KEY}."
        )
    name = _text(raw.get("name", field_id), f"The name of field {field_id!r}", 200)
    label = _text(raw.get("label", name), f"The label of field {field_id!r}", 200)
    field_type = raw.get("type")
    if not isinstance(field_type, str) or not _FIELD_TYPE.fullmatch(field_type):
        raise InvalidProfileSchemaError(
            f"The type of field {field_id!r} must be a word such as text or date."
        )
    order = raw.get("order", position)
    if not isinstance(order, int) or isinstance(order, bool) or not 0 <= order <= 10_000:
        raise InvalidProfileSchemaError(
            f"The order of field {field_id!r} must be an integer from 0 to 10000."
        )
    return ProfileField(field_id, name, label, field_type, order)


def checked_fields(raw_fields: Sequence[Mapping[str, object]]) -> list[ProfileField]:
    if len(raw_fields) > MAX_FIELDS:
        raise InvalidProfileSchemaError(f"A profile schema has at most {MAX_FIELDS} fields.")
    fields = [checked_field(raw, position) for position, raw in enumerate(raw_fields, start=1)]
    ids = [field.id for field in fields]
    repeated = sorted({field_id for field_id in ids if ids.count(field_id) > 1})
    if repeated:
        raise InvalidProfileSchemaError(f"Field ids must be unique: {', '.join(repeated)}.", fields=repeated)
    return sorted(fields, key=lambda field: (field.order, ids.index(field.id)))


class ProfileSchema(LedgerAggregate):
    """The profile fields an organization keeps about its members; one per organization."""

    class Defined(LedgerAggregate.Created):
        organization_id: UUID
        schema_id: str
        name: str
        fields: list[dict[str, Any]]

    class Replaced(LedgerAggregate.Event):
        schema_id: str
        name: str
        fields: list[dict[str, Any]]

    @staticmethod
    def create_id(organization_id: UUID, **_: object) -> UUID:
        return profile_schema_id(organization_id)

    @classmethod
    def master(cls, organization_id: UUID, meta: dict[str, str]) -> ProfileSchema:
        """The schema every new organization starts with."""
        fields = [field.as_dict() for field in MASTER_FIELDS]
        return cls(
            organization_id=organization_id,
            schema_id=MASTER_SCHEMA_ID,
            name=MASTER_SCHEMA_NAME,
            fields=fields,
            meta=meta,
        )

    @event(Defined)
    def __init__(
        self,
        organization_id: UUID,
        schema_id: str,
        name: str,
        fields: list[dict[str, Any]],
        meta: dict[str, str],
    ) -> None:
        self.organization_id = organization_id
        self._set(schema_id, name, fields)

    def _set(self, schema_id: str, name: str, fields: list[dict[str, Any]]) -> None:
        self.schema_id = schema_id
        self.name = name
        self.fields = tuple(ProfileField(**field) for field in fields)

    @property
    def field_ids(self) -> frozenset[str]:
        return frozenset(field.id for field in self.fields)

    def replace(
        self,
        raw_fields: Sequence[Mapping[str, object]],
        schema_id: str | None,
        name: str | None,
        meta: dict[str, str],
    ) -> bool:
        """Replace the fields (and the schema id and name, when given); whether anything changed."""
        fields = [field.as_dict() for field in checked_fields(raw_fields)]
        new_id = self.schema_id if schema_id is None else _text(schema_id, "A schema id", 100)
        new_name = self.name if name is None else _text(name, "A schema name", 200)
        if (new_id, new_name, fields) == (self.schema_id, self.name, [f.as_dict() for f in self.fields]):
            return False
        self._replace(schema_id=new_id, name=new_name, fields=fields, meta=meta)
        return True

    @event(Replaced)
    def _replace(self, schema_id: str, name: str, fields: list[dict[str, Any]], meta: dict[str, str]) -> None:
        self._set(schema_id, name, fields)

    def checked_values(self, values: Mapping[str, object]) -> dict[str, str | None]:
        """Profile values checked against this schema: known field ids, strings; blank or None removes one."""
        unknown = sorted(set(values) - self.field_ids)
        if unknown:
            raise UnknownProfileFieldError(
                f"The profile schema has no field {', '.join(repr(u) for u in unknown)}.", fields=unknown
            )
        checked: dict[str, str | None] = {}
        for field_id, value in values.items():
            if value is not None and (not isinstance(value, str) or len(value) > MAX_VALUE_LENGTH):
                raise InvalidProfileValueError(
                    f"The value of {field_id!r} must be a string of at most {MAX_VALUE_LENGTH} characters.",
                    field=field_id,
                )
            checked[field_id] = None if value is None else value.strip() or None
        return checked


class MemberProfile(LedgerAggregate):
    """A user's profile values in one organization, keyed by the schema's field ids."""

    PERSONAL_FIELDS = ("values",)

    class Started(LedgerAggregate.Created):
        organization_id: UUID
        user_id: UUID

    class ValuesSet(LedgerAggregate.Event):
        # Each field's new value; None where a value was removed.
        values: dict[str, str | None]

    @staticmethod
    def create_id(organization_id: UUID, user_id: UUID, **_: object) -> UUID:
        return member_profile_id(organization_id, user_id)

    @event(Started)
    def __init__(self, organization_id: UUID, user_id: UUID, meta: dict[str, str]) -> None:
        self.organization_id = organization_id
        self.user_id = user_id
        self.values: dict[str, str] = {}

    def set_values(self, schema: ProfileSchema, values: Mapping[str, object], meta: dict[str, str]) -> bool:
        """Set the named fields' values (None or blank removes one), others unchanged; whether any changed."""
        checked = schema.checked_values(values)
        changed = {
            field_id: value for field_id, value in checked.items() if self.values.get(field_id) != value
        }
        if not changed:
            return False
        self._set_values(values=changed, meta=meta)
        return True

    @event(ValuesSet)
    def _set_values(self, values: dict[str, str | None], meta: dict[str, str]) -> None:
        for field_id, value in values.items():
            if value is None:
                self.values.pop(field_id, None)
            else:
                self.values[field_id] = value
