"""Router of the admin API's profiles: an organization's profile schema and its members' profile values."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from api.admin.deps import Admin, admin_body
from api.admin.surface import SURFACE, with_body
from domain.organization import OrganizationNotFoundError
from domain.profiles import InvalidProfileSchemaError, InvalidProfileValueError, UnknownProfileFieldError
from domain.user import UserNotFoundError
from ledger.admin import operations
from ledger.admin.profile_bodies import MemberProfileIn, MemberProfileOut, ProfileSchemaIn, ProfileSchemaOut

router = SURFACE.router(prefix="/api/v1/admin/organizations/{organizationId}", tags=["admin"])


@router.get("/profile-schema", responses=SURFACE.responses(OrganizationNotFoundError))
def get_profile_schema(organizationId: UUID, admin: Admin) -> ProfileSchemaOut:
    """The organization's profile schema as it now is."""
    return operations.get_profile_schema(admin.ledger, organizationId)


@router.put(
    "/profile-schema", **with_body(ProfileSchemaIn, OrganizationNotFoundError, InvalidProfileSchemaError)
)
def replace_profile_schema(
    organizationId: UUID, body: Annotated[ProfileSchemaIn, admin_body(ProfileSchemaIn)], admin: Admin
) -> ProfileSchemaOut:
    """Replace the schema's fields (and its id and name, when given); answers the schema as it now is."""
    return operations.replace_profile_schema(admin.ledger, admin.ctx, organizationId, body)


@router.put(
    "/members/{userId}/profile",
    **with_body(
        MemberProfileIn,
        OrganizationNotFoundError,
        UserNotFoundError,
        UnknownProfileFieldError,
        InvalidProfileValueError,
    ),
)
def set_member_profile(
    organizationId: UUID,
    userId: UUID,
    body: Annotated[MemberProfileIn, admin_body(MemberProfileIn)],
    admin: Admin,
) -> MemberProfileOut:
    """Set the values given, by field id of the organization's schema; answers the member's profile."""
    return operations.set_member_profile(admin.ledger, admin.ctx, organizationId, userId, body)
