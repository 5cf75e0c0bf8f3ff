"""Commands of the registry: organizations, venues, courts, clients, API keys, users and their links."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from eventsourcing.utils import get_topic

from domain.app_base import Saved
from domain.caches import BoundedCache
from domain.client import (
    ApiKey,
    ApiKeyNotFoundError,
    Client,
    ClientUserLink,
    InvalidApiTokenError,
    UserClients,
    generate_api_key,
    hash_api_key,
)
from domain.context import Principal, RequestContext
from domain.ids import api_key_id, client_user_link_id, user_clients_id, user_email_id
from domain.numbers import NumberIndex
from domain.organization import Organization, Resource, Venue, VenueNotFoundError
from domain.profiles import ProfileSchema
from domain.user import User, UserEmail, UserNotFoundError
from domain.venue_resources import VenueResourceIndex


class IssuedApiKey:
    """A freshly issued key: the only moment its secret exists outside the caller."""

    def __init__(self, key: str, api_key: ApiKey, created_at: str) -> None:
        self.key = key
        self.id = api_key.id
        self.prefix = api_key.prefix
        self.created_at = created_at


class RegistryCommands(VenueResourceIndex):
    """Registry commands and the API-key authentication."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._principals: BoundedCache[Principal] = BoundedCache()
        self._issued_topic = get_topic(ApiKey.Issued)

    def create_organization(self, ctx: RequestContext, name: str, timezone: str) -> Saved[Organization]:
        meta = ctx.meta()
        organization = Organization.register(name, timezone, meta)
        schema = ProfileSchema.master(organization.id, meta)
        return Saved(organization, created=True, position=self.save_all(organization, schema))

    def create_venue(
        self, ctx: RequestContext, organization_id: UUID, name: str, city: str | None, timezone: str | None
    ) -> Saved[Venue]:
        organization = self.get_organization(organization_id)

        def attempt() -> Saved[Venue]:
            # The number comes from a sequence, so creations never wait on each other; its index entry,
            # saved with the venue, refuses a number that some other venue was already saved with.
            meta, number = ctx.meta(), self.next_number("venue")
            venue = Venue.register(organization, name, city, timezone, meta, number)
            index = NumberIndex.claim("venue", number, venue.id, meta)
            resources = self.venue_index_started(venue.id, meta)
            return Saved(venue, created=True, position=self.save_all(venue, index, resources))

        return self.with_retry(attempt)

    def create_court(self, ctx: RequestContext, venue_id: UUID, name: str) -> Saved[Resource]:
        venue = self.load(venue_id, Venue, VenueNotFoundError, "Venue")

        def attempt() -> Saved[Resource]:
            meta, number = ctx.meta(), self.next_number("resource")
            court = Resource.register_court(venue, name, meta, number)
            index = NumberIndex.claim("resource", number, court.id, meta)
            listed = self.venue_index_with(venue.id, court.id, meta)
            return Saved(court, created=True, position=self.save_all(court, index, listed))

        return self.with_retry(attempt)

    def create_client(
        self, ctx: RequestContext, name: str, scopes: list[str], organization_ids: list[UUID]
    ) -> Saved[Client]:
        for organization_id in organization_ids:
            self.get_organization(organization_id)
        client = Client.register(name, scopes, organization_ids, ctx.meta())
        return Saved(client, created=True, position=self.save_all(client))

    def issue_api_key(self, ctx: RequestContext, client_id: UUID) -> Saved[IssuedApiKey]:
        def attempt() -> Saved[IssuedApiKey]:
            client = self.get_client(client_id)
            key = generate_api_key()
            meta = ctx.meta()
            api_key = client.issue_api_key(hash_api_key(key), key[:11], meta)
            position = self.save_all(client, api_key)
            return Saved(IssuedApiKey(key, api_key, meta["recordedAt"]), created=True, position=position)

        return self.with_retry(attempt)

    def revoke_api_key(self, ctx: RequestContext, client_id: UUID, key_id: UUID) -> Saved[None]:
        def attempt() -> Saved[None]:
            client = self.get_client(client_id)
            meta = ctx.meta()
            client.revoke_api_key(key_id, meta)
            api_key = self.load(key_id, ApiKey, ApiKeyNotFoundError, "API key")
            api_key.revoke(meta)
            return Saved(None, position=self.save_all(client, api_key))

        saved = self.with_retry(attempt)
        self.key_checks.forget(key_id)
        return saved

    def create_user(
        self, ctx: RequestContext, email: str, first_name: str | None, last_name: str | None
    ) -> Saved[User]:
        def attempt() -> Saved[User]:
            meta = ctx.meta()
            user = User.register(email, first_name, last_name, meta)
            # Two users may share an email; the first one saved with it is the one an email look-up finds.
            if self.find(user_email_id(user.email), UserEmail) is not None:
                return Saved(user, created=True, position=self.save_all(user))
            return Saved(user, created=True, position=self.save_all(user, UserEmail.claim(user, meta)))

        return self.with_retry(attempt)

    def link_user(self, ctx: RequestContext, client_id: UUID, user_id: UUID) -> Saved[ClientUserLink]:
        self.get_client(client_id)
        self.load(user_id, User, UserNotFoundError, "User")

        def attempt() -> Saved[ClientUserLink]:
            meta = ctx.meta()
            user_clients = self.find(user_clients_id(user_id), UserClients)
            if user_clients is None:
                user_clients = UserClients(user_id=user_id, meta=meta)
            existing = self.find(client_user_link_id(client_id, user_id), ClientUserLink)
            if existing is not None:
                if client_id in user_clients.client_ids:
                    return Saved(existing)
                # A link made before the user's side was kept: linking again completes that side.
                user_clients.add(client_id, meta)
                return Saved(existing, position=self.save_all(user_clients))
            link = ClientUserLink(client_id=client_id, user_id=user_id, meta=meta)
            user_clients.add(client_id, meta)
            return Saved(link, created=True, position=self.save_all(link, user_clients))

        return self.with_retry(attempt)

    def _is_unrevoked_key(self, key_id: UUID) -> bool:
        """Whether a key with this id was issued and not revoked: its latest event is still `Issued`."""
        return self.last_topic(key_id) == self._issued_topic

    def authenticate(self, key: str) -> Principal:
        """The principal of an API key; revocation takes effect on the next call.

        A client's scopes and organizations never change, so its principal is cached per key; whether the key
        was revoked is read from the log (one indexed row) on every call, or, when `key_checks` has seconds,
        at most once per that many seconds per key: a revocation saved by another process then takes effect
        here within them, one saved by this process at once.
        """
        key_hash = hash_api_key(key)
        return self.principal_of_key(api_key_id(key_hash), key_hash)

    def principal_of_key(self, key_id: UUID, key_hash: str | None = None) -> Principal:
        """The principal of the unrevoked key `key_id`; given `key_hash`, only if that is the key's hash.

        A console session keeps the id of the key it signed in with, never the key, and is let in by this.
        """
        if not self.key_checks.fresh(key_id):
            generation = self.key_checks.generation
            if not self._is_unrevoked_key(key_id):
                raise InvalidApiTokenError("The API token is invalid or revoked.")
            self.key_checks.note(key_id, generation)
        # The id is derived from the key's hash, so one cached principal per id serves both callers.
        principal = self._principals.get(str(key_id))
        if principal is None:
            api_key = self.find(key_id, ApiKey)
            if api_key is None or (key_hash is not None and not api_key.matches(key_hash)):
                raise InvalidApiTokenError("The API token is invalid or revoked.")
            client = self.get_client(api_key.client_id)
            principal = Principal(
                id=str(client.id),
                kind="client",
                scopes=frozenset(client.scopes),
                organization_ids=frozenset(client.organization_ids),
            )
            self._principals.put(str(key_id), principal)
        return principal
