"""Commands of OAuth clients: a client's secret, revoking a client, and authenticating it for a token."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from uuid import UUID

from domain.app_base import Saved
from domain.client import ApiKey, Client, hash_api_key
from domain.context import RequestContext
from domain.errors import AccessDeniedError
from domain.lookups import Lookups

OAUTH_SECRET_PREFIX = "los_"  # noqa: S105 - a prefix that secret scanners can match, not a secret


class UnknownOAuthClientError(AccessDeniedError):
    """Raised when a client id names no client, or a revoked one, at the token endpoint."""


class OAuthSecretRequiredError(AccessDeniedError):
    """Raised when a client that has an OAuth secret does not send it."""


class InvalidOAuthSecretError(AccessDeniedError):
    """Raised when a client sends a wrong OAuth secret, or a public client sends one at all."""


def hash_oauth_secret(secret: str) -> str:
    """The stored form of a secret: secrets are 256-bit random, so a plain SHA-256 resists guessing."""
    return hash_api_key(secret)


@dataclass(frozen=True)
class OAuthClient:
    """What the token endpoint needs of an active client."""

    id: UUID
    scopes: frozenset[str]
    organization_ids: frozenset[UUID]
    generation: int
    """How many OAuth secrets the client has been issued; tokens issued under an earlier count are void."""

    @classmethod
    def of(cls, client: Client) -> OAuthClient:
        return cls(
            client.id, frozenset(client.scopes), frozenset(client.organization_ids), client.oauth_generation
        )


class OAuthCommands(Lookups):
    """The OAuth side of clients: secrets, revocation and the token endpoint's checks."""

    def issue_oauth_secret(self, ctx: RequestContext, client_id: UUID) -> Saved[str]:
        """A new secret for the client, replacing any earlier one; the value exists only in the result."""

        def attempt() -> Saved[str]:
            client = self.get_client(client_id)
            secret = OAUTH_SECRET_PREFIX + secrets.token_urlsafe(32)
            client.issue_oauth_secret(hash_oauth_secret(secret), ctx.meta())
            return Saved(secret, created=True, position=self.save_all(client))

        return self.with_retry(attempt)

    def revoke_client(self, ctx: RequestContext, client_id: UUID) -> Saved[Client]:
        """Revoke the client and, in the same save, every API key it still holds."""

        def attempt() -> Saved[Client]:
            client = self.get_client(client_id)
            if client.revoked:
                return Saved(client)
            meta = ctx.meta()
            keys = []
            for key_id, details in client.api_keys.items():
                if details["revokedAt"] is None:
                    client.revoke_api_key(key_id, meta)
                    api_key = self.find(key_id, ApiKey)
                    if api_key is not None:
                        api_key.revoke(meta)
                        keys.append(api_key)
            client.revoke(meta)
            return Saved(client, position=self.save_all(client, *keys))

        saved = self.with_retry(attempt)
        self.key_checks.forget(*saved.value.api_keys)
        return saved

    def active_oauth_client(self, client_id: UUID) -> OAuthClient:
        """The client as it now is, read from the log on every call; an unknown or revoked one is refused."""
        return OAuthClient.of(self._active_client(client_id))

    def authenticate_oauth_client(self, client_id: UUID, secret: str | None) -> OAuthClient:
        """The client, if `secret` is its OAuth secret, or it has none and none was sent (a public client)."""
        client = self._active_client(client_id)
        if client.oauth_secret_hash is None:
            if secret is not None:
                raise InvalidOAuthSecretError("This client is public: it has no secret to send.")
        elif secret is None:
            raise OAuthSecretRequiredError("This client has a secret: send it in client_secret or Basic.")
        elif not client.oauth_secret_matches(hash_oauth_secret(secret)):
            raise InvalidOAuthSecretError("The client secret is wrong.")
        return OAuthClient.of(client)

    def _active_client(self, client_id: UUID) -> Client:
        client = self.find(client_id, Client)
        if client is None or client.revoked:
            raise UnknownOAuthClientError("The client is unknown or was revoked.")
        return client
