"""Request and response bodies of the admin API (the bootstrap contract)."""

from __future__ import annotations

from datetime import datetime
from uuid import UUID

from pydantic import BaseModel, EmailStr, Field

from domain.client import Client
from domain.organization import Organization, Resource, Venue
from domain.registry_commands import IssuedApiKey
from domain.user import User

Name = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")


class OrganizationIn(BaseModel):
    name: str = Name
    timezone: str = Field(max_length=64, examples=["Europe/Berlin"])


class OrganizationOut(BaseModel):
    id: UUID
    name: str
    timezone: str

    @classmethod
    def of(cls, organization: Organization) -> OrganizationOut:
        return cls(id=organization.id, name=organization.name, timezone=organization.timezone)


class VenueIn(BaseModel):
    name: str = Name
    city: str | None = Field(default=None, max_length=200, pattern=r"^[^\x00-\x1f\x7f]*$")
    timezone: str | None = Field(default=None, max_length=64)


class VenueOut(BaseModel):
    id: UUID
    organizationId: UUID
    name: str
    city: str | None
    timezone: str

    @classmethod
    def of(cls, venue: Venue) -> VenueOut:
        return cls(
            id=venue.id,
            organizationId=venue.organization_id,
            name=venue.name,
            city=venue.city,
            timezone=venue.timezone,
        )


class CourtIn(BaseModel):
    name: str = Name


class CourtOut(BaseModel):
    id: UUID
    organizationId: UUID
    venueId: UUID
    name: str

    @classmethod
    def of(cls, court: Resource) -> CourtOut:
        return cls(id=court.id, organizationId=court.organization_id, venueId=court.venue_id, name=court.name)


class ClientIn(BaseModel):
    name: str = Name
    scopes: list[str] = Field(max_length=20)
    organizationIds: list[UUID] = Field(default_factory=list, max_length=1000)


class ApiKeyOut(BaseModel):
    """A key as listed: never its secret."""

    id: UUID
    prefix: str
    createdAt: datetime
    revokedAt: datetime | None = None


class ClientOut(BaseModel):
    id: UUID
    name: str
    scopes: list[str]
    organizationIds: list[UUID]
    apiKeys: list[ApiKeyOut]

    @classmethod
    def of(cls, client: Client) -> ClientOut:
        return cls(
            id=client.id,
            name=client.name,
            scopes=client.scopes,
            organizationIds=client.organization_ids,
            apiKeys=[
                ApiKeyOut.model_validate({"id": key_id, **details})
                for key_id, details in client.api_keys.items()
            ],
        )


class IssuedApiKeyOut(BaseModel):
    """A new key: `key` is shown only in this response."""

    id: UUID
    key: str
    prefix: str
    createdAt: datetime

    @classmethod
    def of(cls, issued: IssuedApiKey) -> IssuedApiKeyOut:
        return cls(
            id=issued.id,
            key=issued.key,
            prefix=issued.prefix,
            createdAt=datetime.fromisoformat(issued.created_at),
        )


class UserIn(BaseModel):
    email: EmailStr = Field(max_length=320)
    firstName: str | None = Field(default=None, max_length=200)
    lastName: str | None = Field(default=None, max_length=200)


class UserOut(BaseModel):
    id: UUID
    email: str
    firstName: str | None
    lastName: str | None

    @classmethod
    def of(cls, user: User) -> UserOut:
        return cls(id=user.id, email=user.email, firstName=user.first_name, lastName=user.last_name)


class UserLinkIn(BaseModel):
    userId: UUID


class UserLinkOut(BaseModel):
    clientId: UUID
    userId: UUID
