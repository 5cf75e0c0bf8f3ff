"""Router of the admin API's profiles: an organization's profile schema and its members' profile values."""

from __future__ import annotations

from typing import Annotated
from uuid import UUID

from fastapi import Depends

from api.admin.deps import AdminContext, admin_context
from api.admin.surface import SURFACE
from api.shared.deps import RuntimeDep, body_openapi, json_body
from api.shared.problems import PayloadTooLargeError
from domain.organization import OrganizationNotFoundError
from domain.profiles import InvalidProfileSchemaError, InvalidProfileValueError, UnknownProfileFieldError
from domain.user import UserNotFoundError
from ledger.admin import operations
from ledger.admin.profile_bodies import MemberProfileIn, MemberProfileOut, ProfileSchemaIn, ProfileSchemaOut

router = SURFACE.router(prefix="/api/v1/admin/organizations/{organizationId}", tags=["admin"])


@router.get("/profile-schema", responses=SURFACE.responses(OrganizationNotFoundError))
def get_profile_schema(organizationId: UUID, ctx: AdminContext, runtime: RuntimeDep) -> ProfileSchemaOut:
    """The organization's profile schema as it now is."""
    return operations.get_profile_schema(runtime.ledger, organizationId)


@router.put(
    "/profile-schema",
    responses=SURFACE.responses(OrganizationNotFoundError, InvalidProfileSchemaError, PayloadTooLargeError),
    openapi_extra=body_openapi(ProfileSchemaIn),
)
def replace_profile_schema(
    organizationId: UUID,
    body: Annotated[ProfileSchemaIn, Depends(json_body(ProfileSchemaIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> ProfileSchemaOut:
    """Replace the schema's fields (and its id and name, when given); answers the schema as it now is."""
    return operations.replace_profile_schema(runtime.ledger, ctx, organizationId, body)


@router.put(
    "/members/{userId}/profile",
    responses=SURFACE.responses(
        OrganizationNotFoundError,
        UserNotFoundError,
        UnknownProfileFieldError,
        InvalidProfileValueError,
        PayloadTooLargeError,
    ),
    openapi_extra=body_openapi(MemberProfileIn),
)
def set_member_profile(
    organizationId: UUID,
    userId: UUID,
    body: Annotated[MemberProfileIn, Depends(json_body(MemberProfileIn, admin_context))],
    ctx: AdminContext,
    runtime: RuntimeDep,
) -> MemberProfileOut:
    """Set the values given, by field id of the organization's schema; answers the member's profile."""
    return operations.set_member_profile(runtime.ledger, ctx, organizationId, userId, body)
