"""Partner applications (clients), their API keys, and their links to users."""

from __future__ import annotations

import hashlib
import secrets
from uuid import UUID

from eventsourcing.domain import event

from domain.base import LedgerAggregate
from domain.errors import AccessDeniedError, ConflictError, InvalidInputError, NotFoundError
from domain.ids import api_key_id, client_user_link_id, user_clients_id
from domain.organization import checked_name

SCOPES = frozenset(
    {
        "court-bookings:read",
        "court-bookings:write",
        "bookings:read",
        "bookings:write",
        "orders:write",
        "users:write",
        "audit:read",
        "analytics:read",
        "admin",
        "client-api",
        "module-api",
        "changes:read",
        "notifications:send",
    }
)
KEY_PREFIX = "lk_"


class ClientNotFoundError(NotFoundError):
    """Raised when a client id names no client."""


class ApiKeyNotFoundError(NotFoundError):
    """Raised when a key id names no key of the client."""


class UnknownScopeError(InvalidInputError):
    """Raised when a scope is not one of the ledger's scopes."""


class InvalidApiTokenError(AccessDeniedError):
    """Raised when an API key is unknown or revoked."""


class ClientRevokedError(ConflictError):
    """Raised when a revoked client is given a new credential."""


def hash_api_key(key: str) -> str:
    """The stored form of a key: keys are 256-bit random, so a plain SHA-256 resists guessing."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def generate_api_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


class Client(LedgerAggregate):
    """A partner application with scopes and granted organizations; its id is the `externalServiceId`."""

    class Registered(LedgerAggregate.Created):
        name: str
        scopes: list[str]
        organization_ids: list[UUID]

    class ApiKeyIssued(LedgerAggregate.Event):
        key_id: UUID
        prefix: str

    class ApiKeyRevoked(LedgerAggregate.Event):
        key_id: UUID

    class OAuthSecretIssued(LedgerAggregate.Event):
        secret_hash: str

    class Revoked(LedgerAggregate.Event):
        pass

    @classmethod
    def register(
        cls, name: str, scopes: list[str], organization_ids: list[UUID], meta: dict[str, str]
    ) -> Client:
        unknown = sorted(set(scopes) - SCOPES)
        if unknown:
            raise UnknownScopeError(f"Unknown scopes: {', '.join(unknown)}.", scopes=unknown)
        return cls(
            name=checked_name(name),
            scopes=sorted(set(scopes)),
            organization_ids=sorted(set(organization_ids), key=str),
            meta=meta,
        )

    @event(Registered)
    def __init__(
        self, name: str, scopes: list[str], organization_ids: list[UUID], meta: dict[str, str]
    ) -> None:
        self.name = name
        self.scopes = list(scopes)
        self.organization_ids = list(organization_ids)
        self.api_keys: dict[UUID, dict[str, str | None]] = {}
        self.oauth_secret_hash: str | None = None
        self.oauth_secret_issued_at: str | None = None
        # Counts the OAuth secrets issued: tokens carry the count they were issued under, so a new secret
        # ends every token issued before it.
        self.oauth_generation = 0
        self.revoked_at: str | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    def check_active(self) -> None:
        if self.revoked:
            raise ClientRevokedError(f"Client {self.id} was revoked.")

    def issue_api_key(self, key_hash: str, prefix: str, meta: dict[str, str]) -> ApiKey:
        self.check_active()
        key = ApiKey(key_hash=key_hash, client_id=self.id, prefix=prefix, meta=meta)
        self._record_key_issued(key_id=key.id, prefix=prefix, meta=meta)
        return key

    def revoke_api_key(self, key_id: UUID, meta: dict[str, str]) -> None:
        if key_id not in self.api_keys:
            raise ApiKeyNotFoundError(f"Client {self.id} has no API key {key_id}.")
        if self.api_keys[key_id]["revokedAt"] is None:
            self._record_key_revoked(key_id=key_id, meta=meta)

    @event(ApiKeyIssued)
    def _record_key_issued(self, key_id: UUID, prefix: str, meta: dict[str, str]) -> None:
        self.api_keys[key_id] = {"prefix": prefix, "createdAt": meta["recordedAt"], "revokedAt": None}

    @event(ApiKeyRevoked)
    def _record_key_revoked(self, key_id: UUID, meta: dict[str, str]) -> None:
        self.api_keys[key_id]["revokedAt"] = meta["recordedAt"]

    def issue_oauth_secret(self, secret_hash: str, meta: dict[str, str]) -> None:
        """Make the client confidential with this secret, replacing any earlier one."""
        self.check_active()
        self._record_oauth_secret(secret_hash=secret_hash, meta=meta)

    def oauth_secret_matches(self, secret_hash: str) -> bool:
        stored = self.oauth_secret_hash
        return stored is not None and secrets.compare_digest(stored, secret_hash)

    def revoke(self, meta: dict[str, str]) -> None:
        """End the client: its OAuth tokens stop working; the command revokes its API keys with it."""
        if not self.revoked:
            self._revoke(meta=meta)

    @event(OAuthSecretIssued)
    def _record_oauth_secret(self, secret_hash: str, meta: dict[str, str]) -> None:
        self.oauth_secret_hash = secret_hash
        self.oauth_secret_issued_at = meta["recordedAt"]
        self.oauth_generation += 1

    @event(Revoked)
    def _revoke(self, meta: dict[str, str]) -> None:
        self.revoked_at = meta["recordedAt"]


class ApiKey(LedgerAggregate):
    """One API key, addressed by the hash of its secret; the secret itself is never stored."""

    class Issued(LedgerAggregate.Created):
        key_hash: str
        client_id: UUID
        prefix: str

    class Revoked(LedgerAggregate.Event):
        pass

    @staticmethod
    def create_id(key_hash: str, **_: object) -> UUID:
        return api_key_id(key_hash)

    @event(Issued)
    def __init__(self, key_hash: str, client_id: UUID, prefix: str, meta: dict[str, str]) -> None:
        self.key_hash = key_hash
        self.client_id = client_id
        self.prefix = prefix
        self.revoked = False

    def matches(self, key_hash: str) -> bool:
        return secrets.compare_digest(self.key_hash, key_hash) and not self.revoked

    def revoke(self, meta: dict[str, str]) -> None:
        if not self.revoked:
            self._revoke(meta=meta)

    @event(Revoked)
    def _revoke(self, meta: dict[str, str]) -> None:
        self.revoked = True


class ClientUserLink(LedgerAggregate):
    """The grant that lets a client act for a user; its id is derived from the pair."""

    class Linked(LedgerAggregate.Created):
        client_id: UUID
        user_id: UUID

    @staticmethod
    def create_id(client_id: UUID, user_id: UUID, **_: object) -> UUID:
        return client_user_link_id(client_id, user_id)

    @event(Linked)
    def __init__(self, client_id: UUID, user_id: UUID, meta: dict[str, str]) -> None:
        self.client_id = client_id
        self.user_id = user_id


class UserClients(LedgerAggregate):
    """The clients one user is linked to: the links read from the user's side, saved with each link."""

    class Started(LedgerAggregate.Created):
        user_id: UUID

    class ClientAdded(LedgerAggregate.Event):
        client_id: UUID

    @staticmethod
    def create_id(user_id: UUID, **_: object) -> UUID:
        return user_clients_id(user_id)

    @event(Started)
    def __init__(self, user_id: UUID, meta: dict[str, str]) -> None:
        self.user_id = user_id
        self.client_ids: list[UUID] = []

    def add(self, client_id: UUID, meta: dict[str, str]) -> None:
        if client_id not in self.client_ids:
            self._add(client_id=client_id, meta=meta)

    @event(ClientAdded)
    def _add(self, client_id: UUID, meta: dict[str, str]) -> None:
        self.client_ids.append(client_id)
