"""Commands of profiles: an organization's profile schema and its members' profile values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from uuid import UUID

from domain.app_base import Saved
from domain.context import RequestContext
from domain.errors import AccessDeniedError
from domain.ids import member_profile_id, profile_schema_id
from domain.lookups import Lookups
from domain.profiles import MemberProfile, ProfileSchema
from domain.user import User, UserNotFoundError


class ProfileAccessDeniedError(AccessDeniedError):
    """Raised when a client sets a profile of a user not linked to it, or in an organization not granted."""


class ProfileCommands(Lookups):
    """Profile schemas and member profiles; a client sets only its own users' values in its organizations."""

    def profile_schema(self, organization_id: UUID) -> ProfileSchema:
        """The organization's profile schema; one registered before schemas were kept has the master one."""
        organization = self.get_organization(organization_id)
        schema = self.find(profile_schema_id(organization_id), ProfileSchema)
        if schema is None:
            schema = ProfileSchema.master(organization.id, {})
            schema.collect_events()
        return schema

    def replace_profile_schema(
        self,
        ctx: RequestContext,
        organization_id: UUID,
        fields: Sequence[Mapping[str, object]],
        schema_id: str | None = None,
        name: str | None = None,
    ) -> Saved[ProfileSchema]:
        """Replace the schema's fields, and its id and name when given; answers the schema as it now is."""
        self.get_organization(organization_id)

        def attempt() -> Saved[ProfileSchema]:
            meta = ctx.meta()
            schema = self.find(profile_schema_id(organization_id), ProfileSchema)
            created = schema is None
            if schema is None:
                # An organization registered before schemas were kept: its master schema is recorded first.
                schema = ProfileSchema.master(organization_id, meta)
            if not schema.replace(fields, schema_id, name, meta) and not created:
                return Saved(schema)
            return Saved(schema, position=self.save_all(schema))

        return self.with_retry(attempt)

    def member_profile(self, organization_id: UUID, user_id: UUID) -> MemberProfile | None:
        return self.find(member_profile_id(organization_id, user_id), MemberProfile)

    def set_member_profile(
        self, ctx: RequestContext, organization_id: UUID, user_id: UUID, values: Mapping[str, object]
    ) -> Saved[MemberProfile]:
        """Set the named profile values of a member (None or blank removes one); the others are kept."""
        self.get_organization(organization_id)
        self.load(user_id, User, UserNotFoundError, "User")
        self._check_profile_access(ctx, organization_id, user_id)

        def attempt() -> Saved[MemberProfile]:
            meta = ctx.meta()
            schema = self.profile_schema(organization_id)
            profile = self.member_profile(organization_id, user_id)
            created = profile is None
            if profile is None:
                profile = MemberProfile(organization_id=organization_id, user_id=user_id, meta=meta)
            if not profile.set_values(schema, values, meta) and not created:
                return Saved(profile)
            return Saved(profile, created=created, position=self.save_all(profile))

        return self.with_retry(attempt)

    def _check_profile_access(self, ctx: RequestContext, organization_id: UUID, user_id: UUID) -> None:
        principal = ctx.principal
        if principal.has_scope("admin"):
            return
        if organization_id not in principal.organization_ids or not self.can_act_for(principal, user_id):
            raise ProfileAccessDeniedError(
                "The client may set profiles only of its own users in organizations granted to it."
            )
