"""Request and response bodies of profile schemas and member profiles, in the bootstrap contract's names."""

from __future__ import annotations

from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field, StrictInt

from domain.profiles import MemberProfile, ProfileSchema


class ProfileFieldIn(BaseModel):
    """One field of a schema; `name` defaults to the id, `label` to the name, `order` to its position."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(examples=["Full Name"], description="What profile values and profileFields name.")
    name: str | None = None
    label: str | None = None
    type: str = Field(examples=["text"], description="A lower-case word such as text, email, phone or date.")
    order: StrictInt | None = None

    def as_raw(self) -> dict[str, object]:
        return self.model_dump(exclude_none=True)


class ProfileSchemaIn(BaseModel):
    """The whole schema: its fields replace the old ones; the schema's id and name are kept unless given."""

    model_config = ConfigDict(extra="forbid")

    schemaId: str | None = Field(default=None, examples=["master"])
    name: str | None = Field(default=None, examples=["Master Schema"])
    fields: list[ProfileFieldIn]


class MemberProfileIn(BaseModel):
    """Values by field id; a field left out is kept, one given as null or blank is removed."""

    model_config = ConfigDict(extra="forbid")

    values: dict[str, str | None] = Field(examples=[{"Full Name": "Ada Lovelace", "Postcode": "SW1A 1AA"}])


class ProfileFieldOut(BaseModel):
    id: str
    name: str
    label: str
    type: str
    order: int


class ProfileSchemaOut(BaseModel):
    organizationId: UUID
    schemaId: str
    name: str
    fields: list[ProfileFieldOut]

    @classmethod
    def of(cls, schema: ProfileSchema) -> ProfileSchemaOut:
        return cls(
            organizationId=schema.organization_id,
            schemaId=schema.schema_id,
            name=schema.name,
            fields=[ProfileFieldOut.model_validate(field.as_dict()) for field in schema.fields],
        )


class MemberProfileOut(BaseModel):
    organizationId: UUID
    userId: UUID
    values: dict[str, str]

    @classmethod
    def of(cls, profile: MemberProfile) -> MemberProfileOut:
        return cls(
            organizationId=profile.organization_id, userId=profile.user_id, values=dict(profile.values)
        )
