"""Request and response bodies of the client API's mappings, in the seed's snake_case field names."""

from __future__ import annotations

from typing import Annotated, Any, Literal, cast
from uuid import UUID

from fastapi import Query
from pydantic import BaseModel, EmailStr, Field, PlainValidator, WithJsonSchema

from api.shared.schemas import EXTERNAL_ID_PATTERN, NAME_PATTERN, Instant
from domain.mapping_lists import MAX_LIMIT
from domain.organization import Resource, Venue
from domain.place_mappings import MappedResource, MappedVenue
from domain.user_mapping_commands import MappedUser, UserRegistration

ExternalId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=255,
        pattern=EXTERNAL_ID_PATTERN,
        description="Your system's id (1 to 255 characters, no control characters).",
    ),
]
MAX_NUMBER = 10**18


def entity_ref(value: object) -> int | str:
    """A venue or resource as this surface names it: its integer number, or its UUID as text."""
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_NUMBER:
        return value
    if isinstance(value, str) and 1 <= len(value) <= 64:
        return value
    raise ValueError("must be the integer number (1 or more) or the UUID of it")


EntityRef = Annotated[
    int | str,
    PlainValidator(entity_ref),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "integer", "minimum": 1, "maximum": MAX_NUMBER},
                {"type": "string", "minLength": 1, "maxLength": 64},
            ],
            "description": "The ledger's integer number of it, or its UUID.",
            "examples": [1],
        }
    ),
]
ExternalIdQuery = Annotated[
    str, Query(min_length=1, max_length=255, description="Your id for it (1 to 255 characters).")
]
Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"Results per page (at most {MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=2**31, description="Results to skip.")]
IsActive = Annotated[bool | None, Query(description="Only active (true) or only inactive (false) ones.")]
Name = Annotated[str, Field(max_length=200, pattern=NAME_PATTERN)]
ApprovalStatus = Literal["pending", "approved", "rejected"]


class UserRegisterIn(BaseModel):
    external_id: ExternalId
    email: EmailStr = Field(max_length=320)
    first_name: Name | None = None
    last_name: Name | None = None


class PlaceRegisterIn(BaseModel):
    external_id: ExternalId
    external_data: dict[str, Any] | None = Field(
        default=None, description="Your own data about it: a JSON object of at most 16 KiB."
    )


class ResourceRegisterIn(PlaceRegisterIn):
    resource_id: EntityRef


class VenueRegisterIn(PlaceRegisterIn):
    venue_id: EntityRef


class UserRegisteredOut(BaseModel):
    user_id: UUID
    external_id: str
    email: str
    created: bool = Field(description="true if a new user was created.")
    mapping_created: bool = Field(description="true if a new mapping was created.")

    @classmethod
    def of(cls, registration: UserRegistration) -> UserRegisteredOut:
        mapped = registration.mapped
        return cls(
            user_id=mapped.user.id,
            external_id=mapped.mapping.external_id,
            email=mapped.user.email,
            created=registration.created,
            mapping_created=registration.mapping_created,
        )


class UserMappingOut(BaseModel):
    id: UUID
    external_id: str
    user_id: UUID
    user_email: str
    is_active: bool
    created_at: Instant

    @classmethod
    def of(cls, mapped: MappedUser) -> UserMappingOut:
        mapping = mapped.mapping
        return cls(
            id=mapping.id,
            external_id=mapping.external_id,
            user_id=mapped.user.id,
            user_email=mapped.user.email,
            is_active=mapping.is_active,
            created_at=mapping.created_at,
        )


def number_of(entity: Venue | Resource) -> int:
    """The number this surface shows as the id; a mapping numbers its venue or resource if it had none."""
    if entity.number is None:
        raise LookupError(f"{type(entity).__name__} {entity.id} has no number.")
    return entity.number


class ResourceRegisteredOut(BaseModel):
    external_id: str
    resource_id: int
    resource_name: str
    venue_name: str
    created: bool

    @classmethod
    def of(cls, mapped: MappedResource, created: bool) -> ResourceRegisteredOut:
        return cls(
            external_id=mapped.mapping.external_id,
            resource_id=number_of(mapped.resource),
            resource_name=mapped.resource.name,
            venue_name=mapped.venue.name,
            created=created,
        )


class ResourceMappingOut(BaseModel):
    id: UUID
    external_id: str
    resource_id: int
    resource_name: str
    venue_name: str
    external_data: dict[str, Any]
    is_active: bool
    created_at: Instant

    @classmethod
    def of(cls, mapped: MappedResource) -> ResourceMappingOut:
        mapping = mapped.mapping
        return cls(
            id=mapping.id,
            external_id=mapping.external_id,
            resource_id=number_of(mapped.resource),
            resource_name=mapped.resource.name,
            venue_name=mapped.venue.name,
            external_data=mapping.external_data,
            is_active=mapping.is_active,
            created_at=mapping.created_at,
        )


class VenueRegisteredOut(BaseModel):
    external_id: str
    venue_id: int
    venue_name: str
    venue_slug: str | None
    venue_city: str | None
    approval_status: ApprovalStatus
    created: bool

    @classmethod
    def of(cls, mapped: MappedVenue, created: bool) -> VenueRegisteredOut:
        return cls(
            external_id=mapped.mapping.external_id,
            venue_id=number_of(mapped.venue),
            venue_name=mapped.venue.name,
            venue_slug=mapped.venue.slug,
            venue_city=mapped.venue.city,
            approval_status=cast(ApprovalStatus, mapped.mapping.approval_status),
            created=created,
        )


class ClientVenueMappingOut(BaseModel):
    id: UUID
    external_id: str
    venue_id: int
    venue_name: str
    venue_slug: str | None
    venue_city: str | None
    external_data: dict[str, Any]
    is_active: bool
    approval_status: ApprovalStatus
    created_at: Instant

    @classmethod
    def of(cls, mapped: MappedVenue) -> ClientVenueMappingOut:
        mapping, venue = mapped.mapping, mapped.venue
        return cls(
            id=mapping.id,
            external_id=mapping.external_id,
            venue_id=number_of(venue),
            venue_name=venue.name,
            venue_slug=venue.slug,
            venue_city=venue.city,
            external_data=mapping.external_data,
            is_active=mapping.is_active,
            approval_status=cast(ApprovalStatus, mapping.approval_status),
            created_at=mapping.created_at,
        )
