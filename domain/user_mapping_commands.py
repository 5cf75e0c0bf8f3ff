"""Commands of a client's user mappings: registration, look-up, list, and the user a request acts for."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from domain.app_base import Saved
from domain.client import ClientUserLink, UserClients
from domain.client_mappings import ClientUserMapping, checked_external_id
from domain.context import RequestContext
from domain.errors import InvalidInputError, NotFoundError
from domain.ids import client_mapping_id, user_clients_id, user_email_id
from domain.mapping_lists import MappingLists
from domain.organization import checked_name
from domain.user import User, UserEmail, UserNotFoundError, normalized_email

IDENTIFICATION_REQUIRED = "User identification required. Provide X-User-ID or X-User-External-ID header."


class UserMappingNotFoundError(NotFoundError):
    """Raised when the calling client has no user under the external id or the user id it names."""


class UserIdentificationRequiredError(InvalidInputError):
    """Raised when a request that acts for a user names neither its external id nor its user id."""


class UserIdentityMismatchError(InvalidInputError):
    """Raised when a request names one user by external id and a different one by user id."""


@dataclass(frozen=True)
class MappedUser:
    """A client's user mapping with the user it names."""

    mapping: ClientUserMapping
    user: User


@dataclass(frozen=True)
class UserRegistration:
    """What registering a user did: `created` a new user, and `mapping_created` a new mapping."""

    mapped: MappedUser
    created: bool
    mapping_created: bool


def optional_name(name: str | None) -> str | None:
    return checked_name(name) if name is not None and name.strip() else None


def no_user(external_id: str) -> UserMappingNotFoundError:
    return UserMappingNotFoundError(f"No user found with external_id: {external_id}", external_id=external_id)


class UserMappingCommands(MappingLists):
    """A client's users under its own external ids; another client's external ids are never visible."""

    def register_client_user(
        self,
        ctx: RequestContext,
        external_id: str,
        email: str,
        first_name: str | None = None,
        last_name: str | None = None,
    ) -> Saved[UserRegistration]:
        """Map the external id to a user, once: the existing mapping if there is one, else the user found by
        email (linked to the client), else a new user. `Saved.created` tells whether a mapping was created.

        The mapping's id is derived from the client and the external id, and a new user is saved with its
        email's index entry, so racing registrations of one external id or one email make one of each.
        """
        client_id = self.calling_client(ctx)
        external_id = checked_external_id(external_id)
        email = normalized_email(email)
        first_name, last_name = optional_name(first_name), optional_name(last_name)

        def attempt() -> Saved[UserRegistration]:
            meta = ctx.meta()
            mapping = self.find(client_mapping_id("user", client_id, external_id), ClientUserMapping)
            if mapping is not None:
                return Saved(
                    UserRegistration(self._mapped_user(mapping), created=False, mapping_created=False)
                )
            pending: list[Any] = []
            by_email = self.find(user_email_id(email), UserEmail)
            if by_email is None:
                user = User.register(email, first_name, last_name, meta)
                pending += [user, UserEmail.claim(user, meta)]
            else:
                user = self.load(by_email.user_id, User, UserNotFoundError, "User")
            mapping = ClientUserMapping.register(client_id, external_id, user.id, meta)
            pending += [mapping, self.listed("user", client_id, mapping.id, meta)]
            pending += self._links_to_save(client_id, user.id, meta)
            registration = UserRegistration(MappedUser(mapping, user), by_email is None, mapping_created=True)
            return Saved(registration, created=True, position=self.save_all(*pending))

        return self.with_retry(attempt)

    def lookup_client_user(self, ctx: RequestContext, external_id: str) -> MappedUser:
        """The calling client's user mapping of the external id."""
        client_id = self.calling_client(ctx)
        mapping = self.find(client_mapping_id("user", client_id, external_id), ClientUserMapping)
        if mapping is None:
            raise no_user(external_id)
        return self._mapped_user(mapping)

    def list_client_users(
        self, ctx: RequestContext, is_active: bool | None = None, limit: int = 100, offset: int = 0
    ) -> list[MappedUser]:
        """The calling client's user mappings in registration order, optionally only (in)active ones."""
        client_id = self.calling_client(ctx)

        def load(mapping_id: UUID) -> MappedUser:
            return self._mapped_user(
                self.load(mapping_id, ClientUserMapping, UserMappingNotFoundError, "Mapping")
            )

        keep = None if is_active is None else (lambda mapped: mapped.mapping.is_active == is_active)
        return self.listed_page("user", client_id, limit, offset, load, keep)

    def resolve_client_user(
        self, ctx: RequestContext, external_id: str | None = None, user_id: str | UUID | None = None
    ) -> User:
        """The user a request acts for, by the client's external id or the ledger's user id, among the calling
        client's own users only. A blank value names no one; both given must name the same user."""
        client_id = self.calling_client(ctx)
        external_id = external_id if external_id and external_id.strip() else None
        user_id = user_id if user_id and str(user_id).strip() else None
        if user_id is None:
            if external_id is None:
                raise UserIdentificationRequiredError(IDENTIFICATION_REQUIRED)
            return self.lookup_client_user(ctx, external_id).user
        user = self._linked_user(client_id, user_id)
        if external_id is not None and self.lookup_client_user(ctx, external_id).user.id != user.id:
            raise UserIdentityMismatchError("X-User-ID and X-User-External-ID name different users.")
        return user

    def _mapped_user(self, mapping: ClientUserMapping) -> MappedUser:
        return MappedUser(mapping, self.load(mapping.user_id, User, UserNotFoundError, "User"))

    def _linked_user(self, client_id: UUID, user_id: str | UUID) -> User:
        try:
            parsed = user_id if isinstance(user_id, UUID) else UUID(user_id.strip())
        except ValueError:
            parsed = None
        user = (
            self.find(parsed, User) if parsed is not None and self.is_user_linked(client_id, parsed) else None
        )
        if user is None:
            raise UserMappingNotFoundError(f"No user found with id: {user_id}", user_id=str(user_id))
        return user

    def _links_to_save(self, client_id: UUID, user_id: UUID, meta: dict[str, str]) -> list[Any]:
        """The link of the user to the client, from both sides, as far as it is missing."""
        pending: list[Any] = []
        if not self.is_user_linked(client_id, user_id):
            pending.append(ClientUserLink(client_id=client_id, user_id=user_id, meta=meta))
        user_clients = self.find(user_clients_id(user_id), UserClients)
        if user_clients is None:
            user_clients = UserClients(user_id=user_id, meta=meta)
        if client_id not in user_clients.client_ids:
            user_clients.add(client_id, meta)
            pending.append(user_clients)
        return pending
